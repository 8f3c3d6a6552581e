"""Answering a search request from a Whoosh index, with document sets as bitmaps.

The question, the permissions and the filters are combined as whole sets (see
``whoosh_bitmaps``), so the work per search no longer grows with the number of matches:

* **Which documents match** is AND/OR/NOT over the bitmaps of each word's stems in title,
  text, group name and (named posts only) author, of the groups the searcher may read, of
  the filters, minus deleted, blocked and warned-about posts. Counting is ``bit_count()``.
* **The newest** are found week by week: every document carries its ISO week as a term, so
  the newest matches are those in the latest weeks that hold any, ordered by their exact
  time. Only those are looked at one by one.
* **Relevance** is ranked among the newest ``RANKED_CANDIDATES`` matches (as the PostgreSQL
  engine does): each word counts by its rarity (idf) and where it stands (title weighs
  most), ties going to the newest.
* **Phrases** ("aangifte bij de politie") are first narrowed to documents holding all their
  words, then checked by Whoosh's phrase matcher, newest first, only as far as needed.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import reduce
from operator import and_, or_
from typing import Any

from whoosh import highlight
from whoosh import query as wq
from whoosh.searching import Searcher
from whoosh.util.times import datetime_to_long

from app.search.documents import MARK_END, MARK_START, REPLY, STORY
from app.search.engine import COUNT_CAP, Hit, HitPage, SearchRequest, SortOrder
from app.search.query_text import ParsedQuery
from app.search.whoosh_bitmaps import SegmentBitmaps, all_below, from_ids, members

RANKED_CANDIDATES = 300
# How much a word counts where it stands; the title as Whoosh's field_boost had it.
FIELD_WEIGHTS = {"title": 2.0, "body": 1.0, "group_name": 0.5, "author": 0.5}
WORD_FIELDS = ("title", "body", "group_name")
TEXT_FIELDS = ("title", "body")
SNIPPET_CHARS = 240
# Bitmaps a searcher keeps beside the per-segment cache (combined over segments).
_MEMO_ENTRIES = 256
# Matches looked at together while going back week by week.
_CHECK_BATCH = 1000

Check = Callable[[list[int]], list[int]]


def week_of(moment: datetime) -> str:
    """The ISO week term of a (naive UTC) moment, such as ``"202647"``: sorts as time does."""
    year, week, _ = moment.isocalendar()
    return f"{year:04d}{week:02d}"


@dataclass
class _Part:
    """One word or phrase of the question: the terms that find it, and for a phrase of
    several words, the query that checks the words stand together."""

    terms: list[tuple[str, str]]
    phrase: wq.Query | None = None


class IndexView:
    """One searcher, with bitmaps over all its segments, kept while the searcher lives."""

    def __init__(self, searcher: Searcher, cache: SegmentBitmaps, memo: dict[Any, Any]) -> None:
        self.searcher = searcher
        self.cache = cache
        self.memo = memo
        self.leaves: list[tuple[Searcher, int]] = list(searcher.leaf_searchers())
        self._offsets = [offset for _, offset in self.leaves]
        self.size = searcher.doc_count_all()

    def _remember(self, key: Any, value: Any) -> Any:
        if len(self.memo) >= _MEMO_ENTRIES:
            self.memo.clear()
        self.memo[key] = value
        return value

    def bits(self, field_name: str, text: str) -> int:
        """Every document (deleted ones too) holding the term."""
        key = ("term", field_name, text)
        found = self.memo.get(key)
        if found is None:
            found = 0
            for leaf, offset in self.leaves:
                local = self.cache.term(leaf.reader(), field_name, text)
                if local:
                    found |= local << offset
            self._remember(key, found)
        return found

    def union(self, field_name: str, texts: Iterable[str]) -> int:
        """Documents holding any of the terms."""
        chosen = frozenset(texts)
        if not chosen:
            return 0
        key = ("union", field_name, chosen)
        found = self.memo.get(key)
        if found is None:
            found = self._remember(key, reduce(or_, (self.bits(field_name, t) for t in chosen), 0))
        return found

    def frequency(self, field_name: str, text: str) -> int:
        """In how many documents the term stands."""
        key = ("count", field_name, text)
        count = self.memo.get(key)
        if count is None:
            count = self._remember(key, self.bits(field_name, text).bit_count())
        return count

    def live(self) -> int:
        """Every document not deleted."""
        found = self.memo.get("live")
        if found is None:
            found = 0
            for leaf, offset in self.leaves:
                reader = leaf.reader()
                size = reader.doc_count_all()
                local = all_below(size)
                if reader.has_deletions():
                    local &= ~from_ids(_deleted(reader, size), size)
                found |= local << offset
            found = self._remember("live", found)
        return found

    def terms_of(self, field_name: str) -> list[str]:
        """The field's terms in the index, highest first."""
        key = ("terms", field_name)
        found = self.memo.get(key)
        if found is None:
            found = self._remember(
                key, sorted(self.searcher.reader().field_terms(field_name), reverse=True)
            )
        return found

    def published(self, docnum: int) -> int:
        """When the document was published, as Whoosh stores it (comparable numbers)."""
        at = bisect_right(self._offsets, docnum) - 1
        key = ("column", at)
        column = self.memo.get(key)
        if column is None:
            reader = self.leaves[at][0].reader()
            column = self._remember(key, reader.column_reader("published", translate=False))
        return int(column[docnum - self._offsets[at]])

    def newest_first(self, docnums: Iterable[int]) -> list[int]:
        """``docnums`` ordered newest first (the later indexed first on the same moment)."""
        return sorted(docnums, key=lambda d: (self.published(d), d), reverse=True)

    def period(self, since: datetime | None, until: datetime | None) -> int:
        """Documents published from ``since`` up to (not including) ``until``."""
        key = ("period", since, until)
        found = self.memo.get(key)
        if found is not None:
            return int(found)
        start, end = _naive_utc(since), _naive_utc(until)
        first = week_of(start) if start else ""
        last = week_of(end) if end else "999999"
        low = datetime_to_long(start) if start else None
        high = datetime_to_long(end) if end else None
        found = 0
        for week in self.terms_of("week"):
            if week < first or week > last:
                continue
            docs = self.bits("week", week)
            if week in (first, last):  # partly in the period: look at each document
                kept = [
                    d
                    for d in members(docs)
                    if (low is None or self.published(d) >= low)
                    and (high is None or self.published(d) < high)
                ]
                docs = from_ids(kept, self.size)
            found |= docs
        return int(self._remember(key, found))


def _naive_utc(moment: datetime | None) -> datetime | None:
    """As the index stores times: UTC without a time zone."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _deleted(reader: Any, size: int) -> Iterable[int]:
    known = getattr(reader, "deleted_docs_set", None)
    return known if known is not None else (d for d in range(size) if reader.is_deleted(d))


def _parts(searcher: Searcher, parsed: ParsedQuery) -> list[_Part]:
    analyzer = searcher.schema["body"].analyzer
    names = searcher.schema["author"].analyzer

    def stems(text: str) -> list[str]:
        return [token.text for token in analyzer(text)]

    parts: list[_Part] = []
    for word in parsed.words:
        found = stems(word)
        if not found:  # a common word on its own ("de", "het") is not looked for
            continue
        terms = [(f, stem) for stem in found for f in WORD_FIELDS]
        terms += [("author", name.text) for name in names(word)]
        parts.append(_Part(terms))
    for phrase in parsed.phrases:
        words = stems(" ".join(phrase))
        if len(words) == 1:
            parts.append(_Part([(f, words[0]) for f in TEXT_FIELDS]))
        elif words:
            parts.append(
                _Part(
                    [(f, w) for w in words for f in TEXT_FIELDS],
                    wq.Or([wq.Phrase(f, words) for f in TEXT_FIELDS]),
                )
            )
    return parts


def _part_bits(view: IndexView, part: _Part) -> int:
    if part.phrase is None:
        return reduce(or_, (view.bits(f, t) for f, t in part.terms), 0)
    # Every word of the phrase in the same field; whether they stand together is checked
    # later, document by document.
    by_field = [
        reduce(and_, (view.bits(f, t) for f, t in part.terms if f == name)) for name in TEXT_FIELDS
    ]
    return reduce(or_, by_field)


def _restrictions(view: IndexView, request: SearchRequest) -> tuple[int | None, int]:
    """The documents results must come from (None: any) and those they must not."""
    wanted: list[int] = []
    present = set(view.terms_of("group"))
    allowed = {str(g) for g in request.group_ids} & present
    if present - allowed:
        wanted.append(view.union("group", allowed))
    if request.kind in (STORY, REPLY):
        wanted.append(view.bits("kind", request.kind))
    if request.theme:
        wanted.append(view.bits("theme", request.theme))
    if request.since or request.until:
        wanted.append(view.period(request.since, request.until))
    never = view.union("warnings", request.hidden_warnings) | view.union(
        "author_id", map(str, request.blocked_author_ids)
    )
    return (reduce(and_, wanted) if wanted else None), never


def _checker(view: IndexView, parts: list[_Part], match_all: bool) -> Check | None:
    """For a question with phrases: keeps the documents whose phrases stand together."""
    phrases = [part.phrase for part in parts if part.phrase is not None]
    if not phrases:
        return None
    question = wq.And(phrases) if match_all else wq.Or(phrases)
    # With "some of the words", a document holding a plain word needs no phrase check.
    plain = (
        0 if match_all else reduce(or_, (_part_bits(view, p) for p in parts if p.phrase is None), 0)
    )

    def check(docnums: list[int]) -> list[int]:
        kept: list[int] = []
        pending = sorted(d for d in docnums if not (plain >> d) & 1)
        kept += [d for d in docnums if (plain >> d) & 1]
        for leaf, offset in view.leaves:
            end = offset + leaf.doc_count_all()
            mine = [d - offset for d in pending if offset <= d < end]
            if not mine:
                continue
            matcher = question.matcher(leaf, leaf.boolean_context())
            for local in mine:
                if not matcher.is_active():
                    break
                if matcher.id() < local:
                    matcher.skip_to(local)
                if matcher.is_active() and matcher.id() == local:
                    kept.append(local + offset)
        return kept

    return check


def _newest(view: IndexView, found: int, need: int, check: Check | None) -> tuple[list[int], int]:
    """The ``need`` newest documents of ``found`` (newest first), and how many there are,
    counted up to COUNT_CAP."""
    if check is None:
        count = found.bit_count()
        if count <= need:
            return view.newest_first(members(found)), min(count, COUNT_CAP)
        enough = need
    else:
        count = 0
        enough = max(need, COUNT_CAP)  # checked matches are counted as they come
        if found.bit_count() <= enough:
            kept = check(members(found))
            return view.newest_first(kept)[:need], min(len(kept), COUNT_CAP)
    picked: list[int] = []
    batch: list[int] = []  # checked together: a phrase check starts with a new matcher
    weeks = view.terms_of("week")
    for number, week in enumerate(weeks, 1):
        docs = found & view.bits("week", week)
        if docs:
            batch += members(docs)
        if len(batch) < _CHECK_BATCH and number < len(weeks):
            continue
        picked += view.newest_first(check(batch) if check is not None else batch)
        batch = []
        if len(picked) >= enough:
            break
    if check is not None:
        count = len(picked)
    return picked[:need], min(count, COUNT_CAP)


def _ranked(view: IndexView, parts: list[_Part], newest: list[int]) -> list[int]:
    """``newest`` by relevance: each word counts by rarity and by where it stands."""
    candidates = from_ids(newest, view.size)
    live = max(1, view.live().bit_count())
    scores = dict.fromkeys(newest, 0.0)
    for part in parts:
        for field_name, text in part.terms:
            there = view.bits(field_name, text) & candidates
            if not there:
                continue
            rarity = math.log(1 + live / (1 + view.frequency(field_name, text)))
            weight = FIELD_WEIGHTS[field_name] * rarity
            for docnum in members(there):
                scores[docnum] += weight
    return sorted(newest, key=lambda d: scores[d], reverse=True)  # stable: newest first


class _MarkFormatter(highlight.Formatter):
    """Wraps matched words in MARK_START/MARK_END; the text itself is escaped later."""

    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"{MARK_START}{highlight.get_text(text, token, replace)}{MARK_END}"


def _hit(view: IndexView, docnum: int, words: frozenset[str]) -> Hit:
    fields = view.searcher.stored_fields(docnum)
    analyzer = view.searcher.schema["body"].analyzer
    title = fields.get("title", "")
    marked_title = (
        highlight.highlight(
            title, words, analyzer, highlight.WholeFragmenter(), _MarkFormatter(), 1, minscore=0
        )
        if title
        else ""
    )
    body = fields.get("body", "")
    snippet = highlight.highlight(
        body,
        words,
        analyzer,
        highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60),
        _MarkFormatter(),
        2,
    )
    if not snippet:
        snippet = body[:SNIPPET_CHARS] + ("…" if len(body) > SNIPPET_CHARS else "")
    return Hit(
        key=fields["key"],
        kind=fields["kind"],
        story_id=int(fields["story_id"]),
        reply_id=fields.get("reply_id"),
        title=marked_title if MARK_START in marked_title else title,
        snippet=snippet,
    )


def search(view: IndexView, request: SearchRequest) -> HitPage:
    """One page of what ``request`` asks, within what it may see."""
    parts = _parts(view.searcher, request.query)
    if not parts or not request.group_ids:
        return HitPage()
    matched = [_part_bits(view, part) for part in parts]
    found = reduce(and_, matched) if request.match_all else reduce(or_, matched)
    excluded = [
        (f, stem)
        for word in request.query.excluded
        for stem in (t.text for t in view.searcher.schema["body"].analyzer(word))
        for f in TEXT_FIELDS
    ]
    if excluded:
        found &= ~reduce(or_, (view.bits(f, t) for f, t in excluded))
    only, never = _restrictions(view, request)
    found &= view.live()
    if only is not None:
        found &= only
    if never:
        found &= ~never
    if not found:
        return HitPage()
    wanted = request.page * request.per_page
    relevance = request.sort is SortOrder.RELEVANCE
    need = max(RANKED_CANDIDATES, wanted) if relevance else wanted
    newest, total = _newest(view, found, need, _checker(view, parts, request.match_all))
    ordered = _ranked(view, parts, newest) if relevance else newest
    start = (request.page - 1) * request.per_page
    words = frozenset(t for part in parts for f, t in part.terms if f in TEXT_FIELDS)
    hits = [_hit(view, d, words) for d in ordered[start : start + request.per_page]]
    return HitPage(hits=hits, total=total)
