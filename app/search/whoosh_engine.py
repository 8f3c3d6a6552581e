"""The embedded search engine: a Whoosh index on disk (the whoosh-reloaded fork).

Layout of ``SEARCH_INDEX_DIR``: one directory per generation of the index, a ``CURRENT`` file
naming the one in use, ``writer.lock`` and ``rebuild.lock`` (one rebuild at a time). Whoosh
allows one writer per index across all processes, so every write happens while holding
``writer.lock`` (an OS file lock): the index writer takes it without waiting and skips its
round when another process has it, so nobody ever meets Whoosh's ``LockError``. A rebuild
fills a new generation beside the current one, takes the lock to catch up on what changed
meanwhile, and swaps ``CURRENT`` atomically.

Opening a searcher costs far more than a lookup, so each thread keeps its searcher and only
refreshes it when the index changed (checked at most twice a second).
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import highlight, index
from whoosh import query as wq
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.searching import Hit as WhooshHit
from whoosh.searching import Searcher

from app.search.analysis import STEM_CACHE, dutch_analyzer, name_analyzer, set_stem_cache
from app.search.documents import MARK_END, MARK_START, REPLY, STORY, SearchDocument
from app.search.engine import (
    COUNT_CAP,
    CatchUp,
    Hit,
    HitPage,
    Progress,
    SearchRequest,
    SearchUnavailable,
    SortOrder,
)
from app.search.query_text import ParsedQuery

log = logging.getLogger(__name__)

_CURRENT = "CURRENT"
_LOCK = "writer.lock"
_REBUILD_LOCK = "rebuild.lock"
_REBUILD_WAIT = 3600.0
_REFRESH_SECONDS = 0.5
_SNIPPET_CHARS = 240
_DOCSET_CACHE = 64


def schema(stem_cache: int = STEM_CACHE) -> Schema:
    """The fields of a document. Only what is needed to find, filter and show a post."""
    dutch = dutch_analyzer(stem_cache)
    return Schema(
        key=ID(unique=True, stored=True),
        kind=ID(stored=True),
        story_id=STORED(),
        reply_id=STORED(),
        group=ID(),
        theme=ID(),
        visibility=ID(stored=True),
        published=DATETIME(sortable=True),
        warnings=KEYWORD(),
        author_id=ID(),
        author=TEXT(analyzer=name_analyzer()),
        group_name=TEXT(analyzer=dutch),
        title=TEXT(analyzer=dutch, stored=True, field_boost=2.0),
        body=TEXT(analyzer=dutch, stored=True),
    )


def _fields(doc: SearchDocument) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "key": doc.key,
        "kind": doc.kind,
        "story_id": doc.story_id,
        "reply_id": doc.reply_id,
        "group": str(doc.group_id),
        "theme": doc.theme,
        "visibility": doc.visibility,
        "published": doc.published_at.replace(tzinfo=None),
        "warnings": " ".join(doc.warnings),
        "group_name": doc.group_name,
        "title": doc.title,
        "body": doc.body,
    }
    # Anonymous posts have no author fields at all: not even an empty one.
    if doc.author_id is not None and doc.author_name is not None:
        fields["author_id"] = str(doc.author_id)
        fields["author"] = doc.author_name
    return fields


class _MarkFormatter(highlight.Formatter):
    """Wraps matched words in MARK_START/MARK_END; the text itself is escaped later."""

    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"{MARK_START}{highlight.get_text(text, token, replace)}{MARK_END}"


@dataclass
class _OpenSearcher:
    generation: str
    searcher: Searcher
    checked: float
    writes: int
    # Documents per filter, for as long as this searcher lives (see ``_group_sets``).
    docsets: dict[object, set[int]] = field(default_factory=dict)


class WhooshEngine:
    """The Whoosh index in ``root``."""

    name = "whoosh"
    transactional = False

    def __init__(self, root: str | Path, build_memory_mb: int = 512) -> None:
        self.root = Path(root)
        # Memory per process for a rebuild's posting pool; less spills to disk and merges
        # (measured at 100,000 documents: 836 docs/s with 128 MB, 1,203 with 512).
        self.build_memory_mb = build_memory_mb
        self._local = threading.local()
        # Writes made by this process: its own searchers look again at once after one.
        self._writes = 0

    # -- the generation in use ------------------------------------------------------------

    def _current_generation(self) -> str | None:
        try:
            name = (self.root / _CURRENT).read_text().strip()
        except OSError:
            return None
        return name if name and (self.root / name).is_dir() else None

    def _open(self, generation: str) -> index.Index:
        return index.open_dir(str(self.root / generation))

    def _held(self) -> _OpenSearcher:
        held: _OpenSearcher | None = getattr(self._local, "held", None)
        now = time.monotonic()
        writes = self._writes
        if held is not None and now - held.checked < _REFRESH_SECONDS and held.writes == writes:
            return held
        generation = self._current_generation()
        if generation is None:
            self._forget()
            raise SearchUnavailable("no search index yet")
        try:
            if held is not None and held.generation == generation:
                if not held.searcher.up_to_date():
                    held.searcher = self._refreshed(held.searcher, generation)
                    held.docsets = {}
                held.checked, held.writes = now, writes
                return held
            self._forget()
            searcher = self._open(generation).searcher()
        except SearchUnavailable:
            raise
        except Exception as error:  # a damaged index fails in many ways
            self._forget()
            raise SearchUnavailable(f"search index unreadable: {error!r}") from error
        held = _OpenSearcher(generation, searcher, now, writes)
        self._local.held = held
        return held

    def _refreshed(self, searcher: Searcher, generation: str) -> Searcher:
        """A searcher on the latest commit. Whoosh's own ``refresh()`` reuses segment readers
        and then misses deletions made in a reused segment (an edited or hidden post would
        still be found), so the index is opened afresh."""
        fresh = self._open(generation).searcher()
        with suppress(Exception):
            searcher.close()
        return fresh

    def _forget(self) -> None:
        held: _OpenSearcher | None = getattr(self._local, "held", None)
        self._local.held = None
        if held is not None:
            with suppress(Exception):  # closing a broken searcher may fail too
                held.searcher.close()

    def is_ready(self) -> bool:
        try:
            self._held()
        except SearchUnavailable:
            return False
        return True

    def needs_rebuild(self) -> bool:
        return not self.is_ready()

    def document_count(self) -> int:
        return int(self._held().searcher.doc_count())

    # -- searching ------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> HitPage:
        held = self._held()
        searcher = held.searcher
        question = self._query(searcher, request.query, request.match_all)
        if question is None or not request.group_ids:
            return HitPage()
        sort: dict[str, Any] = {}
        if request.sort is SortOrder.NEWEST:
            sort = {"sortedby": "published", "reverse": True}
        try:
            only, never = self._restrictions(held, request)
            results = searcher.search(
                question,
                limit=request.page * request.per_page,
                # Plain sets of document numbers; cached ones, never changed by anyone.
                filter=only,
                mask=never,
                **sort,
            )
            results.formatter = _MarkFormatter()
            start = (request.page - 1) * request.per_page
            hits = [self._hit(hit) for hit in results[start : start + request.per_page]]
            collected = results.scored_length()
            if collected < request.page * request.per_page:
                total = min(collected, COUNT_CAP)  # every match was collected already
            else:
                # Whoosh's own len() walks every match once more, whatever the cap.
                total = self._count(searcher, question, only, never)
            return HitPage(hits=hits, total=total)
        except Exception as error:
            self._forget()
            raise SearchUnavailable(f"search failed: {type(error).__name__}") from error

    @staticmethod
    def _count(
        searcher: Searcher,
        question: wq.Query,
        only: set[int] | None,
        never: set[int] | None,
    ) -> int:
        """Count matches up to COUNT_CAP, stepping through each segment's matcher (Whoosh's
        ``docs_for_query`` first gathers every match of every word)."""
        count = 0
        for leaf, offset in searcher.leaf_searchers():
            matcher = question.matcher(leaf, leaf.boolean_context())
            while matcher.is_active():
                docnum = matcher.id() + offset
                if (only is None or docnum in only) and (never is None or docnum not in never):
                    count += 1
                    if count >= COUNT_CAP:
                        return count
                matcher.next()
        return count

    def _query(self, searcher: Searcher, parsed: ParsedQuery, match_all: bool) -> wq.Query | None:
        analyzer = searcher.schema["body"].analyzer
        names = searcher.schema["author"].analyzer

        def stems(text: str) -> list[str]:
            return [token.text for token in analyzer(text)]

        parts: list[wq.Query] = []
        for word in parsed.words:
            options: list[wq.Query] = [
                wq.Term(field, stem)
                for stem in stems(word)
                for field in ("title", "body", "group_name")
            ]
            options += [wq.Term("author", name.text) for name in names(word)]
            if stems(word):  # a common word on its own ("de", "het") is not looked for
                parts.append(wq.Or(options))
        for phrase in parsed.phrases:
            words = stems(" ".join(phrase))
            if len(words) == 1:
                parts.append(wq.Or([wq.Term(f, words[0]) for f in ("title", "body")]))
            elif words:
                parts.append(wq.Or([wq.Phrase(f, words) for f in ("title", "body")]))
        if not parts:
            return None
        found: wq.Query = wq.And(parts) if match_all else wq.Or(parts)
        left_out = [
            wq.Term(field, stem)
            for word in parsed.excluded
            for stem in stems(word)
            for field in ("title", "body")
        ]
        return wq.AndNot(found, wq.Or(left_out)) if left_out else found

    # Whoosh would compute a filter such as "one of these 35 groups" by walking a union of
    # posting lists over the whole index for every search (over a second at 20,000
    # documents). Instead, the documents of each restriction are read straight from their
    # posting lists as sets of document numbers, and kept while the searcher lives.

    def _term_docs(self, held: _OpenSearcher, field_name: str, text: str) -> set[int]:
        key = (field_name, text)
        docs = held.docsets.get(key)
        if docs is None:
            reader = held.searcher.reader()
            docs = (
                set(reader.postings(field_name, text).all_ids())
                if (field_name, text) in reader
                else set()
            )
            held.docsets[key] = docs
        return docs

    def _union(self, held: _OpenSearcher, field_name: str, texts: Iterable[str]) -> set[int]:
        key = (field_name, frozenset(texts))
        docs = held.docsets.get(key)
        if docs is None:
            docs = set().union(*(self._term_docs(held, field_name, t) for t in key[1]))
            if len(held.docsets) > _DOCSET_CACHE:
                held.docsets.clear()
            held.docsets[key] = docs
        return docs

    def _restrictions(
        self, held: _OpenSearcher, request: SearchRequest
    ) -> tuple[set[int] | None, set[int] | None]:
        """The documents results must come from (None: any) and those they must not."""
        reader = held.searcher.reader()
        allowed = {str(g) for g in request.group_ids}
        present = {str(g) for g in reader.field_terms("group")}
        excluded = present - allowed
        wanted: list[set[int]] = []
        unwanted: list[set[int]] = []
        if excluded:
            # Read whichever side has fewer documents: usually the few closed groups.
            size = sum(reader.doc_frequency("group", g) for g in excluded)
            if size <= reader.doc_count_all() // 2:
                unwanted.append(self._union(held, "group", excluded))
            else:
                wanted.append(self._union(held, "group", allowed & present))
        if request.kind in (STORY, REPLY):
            wanted.append(self._term_docs(held, "kind", request.kind))
        if request.theme:
            wanted.append(self._term_docs(held, "theme", request.theme))
        if request.since or request.until:
            wanted.append(self._period_docs(held, request))
        unwanted.append(self._union(held, "warnings", request.hidden_warnings))
        unwanted.append(self._union(held, "author_id", map(str, request.blocked_author_ids)))
        # A single cached set is passed as it is (Whoosh only reads it); several are combined.
        wanted.sort(key=len)
        only = wanted[0] if len(wanted) == 1 else set.intersection(*wanted) if wanted else None
        unwanted = [docs for docs in unwanted if docs]
        never = unwanted[0] if len(unwanted) == 1 else set().union(*unwanted)
        return only, never or None

    def _period_docs(self, held: _OpenSearcher, request: SearchRequest) -> set[int]:
        key = ("published", request.since, request.until)
        docs = held.docsets.get(key)
        if docs is None:
            period = wq.DateRange(
                "published",
                request.since.replace(tzinfo=None) if request.since else None,
                request.until.replace(tzinfo=None) if request.until else None,
                endexcl=True,
            )
            docs = set(held.searcher.docs_for_query(period))
            held.docsets[key] = docs
        return docs

    def _hit(self, hit: WhooshHit) -> Hit:
        fields = hit.fields()
        title = fields.get("title", "")
        # The whole title, marked; of the text, the best two passages.
        hit.results.fragmenter = highlight.WholeFragmenter()
        marked_title = hit.highlights("title", top=1, minscore=0) if title else ""
        hit.results.fragmenter = highlight.ContextFragmenter(maxchars=_SNIPPET_CHARS, surround=60)
        snippet = hit.highlights("body", top=2)
        if not snippet:
            body = fields.get("body", "")
            snippet = body[:_SNIPPET_CHARS] + ("…" if len(body) > _SNIPPET_CHARS else "")
        return Hit(
            key=fields["key"],
            kind=fields["kind"],
            story_id=int(fields["story_id"]),
            reply_id=fields.get("reply_id"),
            title=marked_title if MARK_START in marked_title else title,
            snippet=snippet,
        )

    # -- writing --------------------------------------------------------------------------

    @contextmanager
    def writing(self, wait: float = 0.0) -> Iterator[bool]:
        """Hold ``writer.lock``; yields False when another writer keeps it past ``wait``."""
        with self._file_lock(_LOCK, wait) as mine:
            yield mine

    @contextmanager
    def _file_lock(self, name: str, wait: float) -> Iterator[bool]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / name, "a+") as handle:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(0.05)
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def apply(self, documents: Sequence[SearchDocument], removed: Sequence[str]) -> None:
        generation = self._current_generation()
        if generation is None:
            raise SearchUnavailable("no search index to write to")
        self._write(self._open(generation), documents, removed)

    def _write(
        self, ix: index.Index, documents: Sequence[SearchDocument], removed: Sequence[str]
    ) -> None:
        if not documents and not removed:
            return
        self._writes += 1
        writer = ix.writer(timeout=5.0)
        try:
            for key in removed:
                writer.delete_by_term("key", key)
            for doc in documents:
                writer.update_document(**_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def rebuild(
        self,
        batches: Iterable[Sequence[SearchDocument]],
        progress: Progress,
        catch_up: CatchUp,
        processes: int = 1,
    ) -> int:
        # One rebuild at a time: a second one waits, then builds from the data as it is then.
        with self._file_lock(_REBUILD_LOCK, wait=_REBUILD_WAIT) as mine:
            if not mine:
                raise RuntimeError("another rebuild of the search index is still running")
            return self._build(batches, progress, catch_up, processes)

    def _build(
        self,
        batches: Iterable[Sequence[SearchDocument]],
        progress: Progress,
        catch_up: CatchUp,
        processes: int,
    ) -> int:
        generation = f"g{time.time_ns()}"
        folder = self.root / generation
        folder.mkdir()
        try:
            # Sub-processes (processes > 1) open the new index themselves, so the bulk
            # setting of the stem cache is part of the schema they read.
            ix = index.create_in(str(folder), schema(stem_cache=-1))
            count = 0
            memory = self.build_memory_mb
            if processes > 1:
                writer = ix.writer(procs=processes, multisegment=True, limitmb=memory)
            else:
                writer = ix.writer(limitmb=memory)
            for batch in batches:
                for doc in batch:
                    writer.add_document(**_fields(doc))
                count += len(batch)
                progress(len(batch))
            # The schema written with this commit is the one searchers and updates use.
            set_stem_cache(writer.schema, STEM_CACHE)
            writer.commit()
            with self.writing(wait=120.0) as mine:
                if not mine:
                    raise RuntimeError("the index writer kept its lock for two minutes")
                catch_up(lambda docs, removed: self._write(ix, docs, removed))
                self._swap(generation)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return count

    def _swap(self, generation: str) -> None:
        pointer = self.root / f"{_CURRENT}.new"
        pointer.write_text(generation)
        os.replace(pointer, self.root / _CURRENT)
        self._writes += 1
        # Open searchers keep reading their files until they notice the swap. No other build
        # runs (rebuild.lock), so every other generation is an old or abandoned one.
        for old in self.root.iterdir():
            if old.is_dir() and old.name != generation:
                shutil.rmtree(old, ignore_errors=True)
