"""The one search interface both engines offer; the rest of the code only knows this."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from app.search.documents import SearchDocument
from app.search.query_text import ParsedQuery


class SortOrder(StrEnum):
    RELEVANCE = "relevantie"
    NEWEST = "nieuwste"


class SearchUnavailable(Exception):
    """The index cannot be read just now (missing, damaged or being replaced)."""


@dataclass(frozen=True)
class SearchRequest:
    """One page of one search, with the searcher's permissions already worked out.

    ``group_ids`` are the only groups results may come from; an empty set finds nothing.
    """

    query: ParsedQuery
    group_ids: frozenset[int]
    match_all: bool = True
    kind: str | None = None  # "story", "reply" or None for both
    theme: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    hidden_warnings: frozenset[str] = frozenset()
    blocked_author_ids: frozenset[int] = frozenset()
    sort: SortOrder = SortOrder.RELEVANCE
    page: int = 1
    per_page: int = 10


@dataclass(frozen=True)
class Hit:
    """One result. ``title`` and ``snippet`` are plain text in which the matched words are
    wrapped in ``MARK_START``/``MARK_END``; they are escaped when shown."""

    key: str
    kind: str
    story_id: int
    reply_id: int | None
    title: str
    snippet: str


# Results are counted up to this many (fifty pages of ten); "more than 500" says enough, and
# counting every match of a common word would cost more than the search itself.
COUNT_CAP = 500


@dataclass(frozen=True)
class HitPage:
    """One page of hits; ``total`` counts all matches, but stops at ``COUNT_CAP``."""

    hits: list[Hit] = field(default_factory=list)
    total: int = 0

    @property
    def capped(self) -> bool:
        return self.total >= COUNT_CAP


Progress = Callable[[int], None]
ApplyChanges = Callable[[Sequence[SearchDocument], Sequence[str]], None]
# Given a way to write to the new index, apply what changed while it was being built.
CatchUp = Callable[[ApplyChanges], None]


class SearchEngine(Protocol):
    """A full-text index of the searchable stories and replies."""

    name: str
    # True when index writes share the database transaction (PostgreSQL).
    transactional: bool

    def search(self, request: SearchRequest) -> HitPage:
        """One page of results; raises SearchUnavailable when the index cannot be read."""
        ...

    def writing(self, wait: float = 0.0) -> AbstractContextManager[bool]:
        """Become the only writer for a while: yields False when another process stays the
        writer for longer than ``wait`` seconds."""
        ...

    def apply(self, documents: Sequence[SearchDocument], removed: Sequence[str]) -> None:
        """Add or replace ``documents`` and take out the keys in ``removed`` (inside
        ``writing``)."""
        ...

    def rebuild(
        self,
        batches: Iterable[Sequence[SearchDocument]],
        progress: Progress,
        catch_up: CatchUp,
        processes: int = 1,
    ) -> int:
        """Build a new index beside the one in use and swap it in; returns the number of
        documents. ``catch_up`` runs as the only writer just before the swap, to write what
        changed while the build ran into the new index. Search keeps working on the old
        index meanwhile. ``processes`` > 1 lets an engine use more cores (only ever asked
        from a single-threaded command, since it may fork)."""
        ...

    def is_ready(self) -> bool:
        """Can the index be searched?"""
        ...

    def needs_rebuild(self) -> bool:
        """Is the index missing or unreadable, so that only a rebuild helps?"""
        ...

    def document_count(self) -> int:
        """How many documents the index holds."""
        ...
