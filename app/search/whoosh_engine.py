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
from datetime import UTC
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.searching import Searcher

from app.search import whoosh_search
from app.search.analysis import STEM_CACHE, dutch_analyzer, name_analyzer, set_stem_cache
from app.search.documents import SearchDocument
from app.search.engine import (
    CatchUp,
    HitPage,
    Progress,
    SearchRequest,
    SearchUnavailable,
)
from app.search.whoosh_bitmaps import SegmentBitmaps
from app.search.whoosh_search import IndexView, week_of

log = logging.getLogger(__name__)

_CURRENT = "CURRENT"
_LOCK = "writer.lock"
_REBUILD_LOCK = "rebuild.lock"
_REBUILD_WAIT = 3600.0
_REFRESH_SECONDS = 0.5


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
        week=ID(),  # ISO week of publication: the newest matches are found week by week
        warnings=KEYWORD(),
        author_id=ID(),
        author=TEXT(analyzer=name_analyzer()),
        group_name=TEXT(analyzer=dutch),
        title=TEXT(analyzer=dutch, stored=True, field_boost=2.0),
        body=TEXT(analyzer=dutch, stored=True),
    )


def _fields(doc: SearchDocument) -> dict[str, Any]:
    published = doc.published_at.astimezone(UTC).replace(tzinfo=None)
    fields: dict[str, Any] = {
        "key": doc.key,
        "kind": doc.kind,
        "story_id": doc.story_id,
        "reply_id": doc.reply_id,
        "group": str(doc.group_id),
        "theme": doc.theme,
        "visibility": doc.visibility,
        "published": published,
        "week": week_of(published),
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


@dataclass
class _OpenSearcher:
    generation: str
    searcher: Searcher
    checked: float
    writes: int
    # Bitmaps over all its segments, for as long as this searcher lives (IndexView).
    memo: dict[Any, Any] = field(default_factory=dict)


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
        self._bitmaps = SegmentBitmaps()
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
                    held.memo = {}
                held.checked, held.writes = now, writes
                return held
            self._forget()
            searcher = self._open(generation).searcher()
            if "week" not in searcher.schema:
                searcher.close()
                raise SearchUnavailable("index from an earlier version: it must be rebuilt")
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
        try:
            return whoosh_search.search(IndexView(held.searcher, self._bitmaps, held.memo), request)
        except Exception as error:
            self._forget()
            raise SearchUnavailable(f"search failed: {type(error).__name__}") from error

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
