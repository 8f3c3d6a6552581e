"""Searching for one reader: their permissions become part of the query, and every result
is checked against the database again before it is shown.

Results come only from public groups and the reader's own groups (as on the home page),
never from held, removed or deleted posts, and never from named writers the reader blocked
or stories with warnings the reader chose not to see.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from markupsafe import Markup, escape
from sqlalchemy.orm import joinedload

from app import periods, permissions
from app.blocks import services as blocks
from app.extensions import db
from app.groups.models import Group
from app.groups.themes import THEMES
from app.permissions import Actor
from app.search import current_engine, indexer, query_text
from app.search.documents import MARK_END, MARK_START, REPLY, STORY
from app.search.engine import Hit, SearchRequest, SearchUnavailable, SortOrder
from app.stories import content_warnings
from app.stories.models import PostStatus, Reply, Story
from app.stories.services import feed_group_ids

log = logging.getLogger(__name__)

PER_PAGE = 10
MAX_PAGE = 50
KINDS = {"verhalen": STORY, "reacties": REPLY}
_READABLE_STORY = (PostStatus.PUBLISHED.value, PostStatus.DELETED.value)


@dataclass(frozen=True)
class SearchForm:
    """The search as it arrives in the address: ``/zoeken?q=…&groep=…&thema=…``."""

    q: str = ""
    group: str = ""
    theme: str = ""
    kind: str = ""
    since: date | None = None
    until: date | None = None
    sort: SortOrder = SortOrder.RELEVANCE
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> SearchForm:
        """Read the address; anything garbled falls back to its default, never an error."""
        try:
            page = int((args.get("pagina") or "1").strip()[:4])
        except ValueError:
            page = 1
        try:
            sort = SortOrder((args.get("volgorde") or "").strip())
        except ValueError:
            sort = SortOrder.RELEVANCE
        kind = (args.get("soort") or "").strip()
        theme = (args.get("thema") or "").strip()
        since, until = periods.parse_day(args.get("van")), periods.parse_day(args.get("tot"))
        if since and until and since > until:
            since, until = until, since
        return cls(
            q=(args.get("q") or "")[: query_text.MAX_QUERY_CHARS * 2],
            group=(args.get("groep") or "").strip()[:80],
            theme=theme if theme in THEMES else "",
            kind=kind if kind in KINDS else "",
            since=since,
            until=until,
            sort=sort,
            page=min(max(page, 1), MAX_PAGE),
        )

    def args(self, **changes: object) -> dict[str, str]:
        """The address arguments of this search, with ``changes``; empty ones left out."""
        form = replace(self, **changes)  # type: ignore[arg-type]
        values = {
            "q": form.q,
            "groep": form.group,
            "thema": form.theme,
            "soort": form.kind,
            "van": form.since.isoformat() if form.since else "",
            "tot": form.until.isoformat() if form.until else "",
            "volgorde": form.sort.value if form.sort is not SortOrder.RELEVANCE else "",
            "pagina": str(form.page) if form.page > 1 else "",
        }
        return {key: value for key, value in values.items() if value}

    @property
    def is_filtered(self) -> bool:
        return bool(self.group or self.theme or self.kind or self.since or self.until)


@dataclass(frozen=True)
class Result:
    """One post found, as the results page shows it."""

    kind: str
    story: Story
    reply: Reply | None
    title: Markup
    # None for a story with content warnings: the reader opens it when they choose to.
    snippet: Markup | None

    @property
    def post(self) -> Story | Reply:
        return self.reply if self.reply is not None else self.story

    @property
    def published_at(self) -> datetime | None:
        return self.reply.created_at if self.reply is not None else self.story.published_at


@dataclass
class Outcome:
    """What the results page needs."""

    form: SearchForm
    results: list[Result] = field(default_factory=list)
    total: int = 0
    # The count stopped at COUNT_CAP: there are at least that many.
    capped: bool = False
    searched: bool = False
    # Nothing had all the words, so these results have some of them.
    broadened: bool = False
    unavailable: bool = False
    shortened: bool = False
    groups: list[Group] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, -(-self.total // PER_PAGE)))


def marked(text: str) -> Markup:
    """Text from an engine with its matched words marked, made safe to show: everything is
    escaped first, then the marks become ``<mark>``; marks that do not pair up are dropped."""
    out: list[str] = []
    open_mark = False
    for piece in _split_marks(text):
        if piece == MARK_START and not open_mark:
            out.append("<mark>")
            open_mark = True
        elif piece == MARK_END and open_mark:
            out.append("</mark>")
            open_mark = False
        elif piece not in (MARK_START, MARK_END):
            out.append(str(escape(piece)))
    if open_mark:
        out.append("</mark>")
    return Markup("".join(out))  # noqa: S704 - built from escaped pieces only


def _split_marks(text: str) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    for char in text:
        if char in (MARK_START, MARK_END):
            pieces.append("".join(current))
            pieces.append(char)
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    return pieces


def _group_scope(actor: Actor | None, form: SearchForm) -> tuple[frozenset[int], list[Group]]:
    ids: Any = db.session.execute(feed_group_ids(actor)).scalars()
    allowed: set[int] = set(ids)
    groups = list(
        db.session.execute(
            sa.select(Group).where(Group.id.in_(allowed)).order_by(Group.name)
        ).scalars()
    )
    if form.group:
        chosen = {group.id for group in groups if group.slug == form.group}
        return frozenset(chosen), groups
    return frozenset(allowed), groups


def _request(actor: Actor | None, form: SearchForm, group_ids: frozenset[int]) -> SearchRequest:
    user = permissions.as_user(actor)
    hidden = content_warnings.hidden_categories(user.warning_filters if user else None)
    return SearchRequest(
        query=query_text.parse(form.q),
        group_ids=group_ids,
        kind=KINDS.get(form.kind),
        theme=form.theme or None,
        since=periods.start_of(form.since) if form.since else None,
        until=periods.start_of(form.until + timedelta(days=1)) if form.until else None,
        hidden_warnings=frozenset(hidden),
        blocked_author_ids=frozenset(blocks.hidden_author_ids(actor)),
        sort=form.sort,
        page=form.page,
        per_page=PER_PAGE,
    )


def search(actor: Actor | None, args: Mapping[str, str]) -> Outcome:
    """Search for ``actor`` with the address arguments ``args``."""
    form = SearchForm.from_args(args)
    group_ids, groups = _group_scope(actor, form)
    request = _request(actor, form, group_ids)
    outcome = Outcome(form=form, groups=groups, shortened=request.query.shortened)
    if request.query.is_empty:
        return outcome
    outcome.searched = True
    engine = current_engine()
    try:
        page = engine.search(request)
        if page.total == 0 and request.query.part_count > 1:
            page = engine.search(replace(request, match_all=False))
            outcome.broadened = page.total > 0
    except SearchUnavailable:
        log.warning("search is unavailable; asking the index writer to rebuild", exc_info=True)
        indexer.wake.set()
        outcome.unavailable = True
        return outcome
    outcome.total = page.total
    outcome.capped = page.capped
    outcome.results = _results(actor, page.hits, group_ids)
    return outcome


def _results(actor: Actor | None, hits: Sequence[Hit], group_ids: frozenset[int]) -> list[Result]:
    """The hits as results, checked once more against the database: the index may be a
    moment behind a moderator, and what the database says wins."""
    story_ids = {hit.story_id for hit in hits}
    reply_ids = {hit.reply_id for hit in hits if hit.kind == REPLY and hit.reply_id}
    stories = {
        story.id: story
        for story in db.session.execute(
            sa.select(Story)
            .where(Story.id.in_(story_ids))
            .options(joinedload(Story.group), joinedload(Story.author))
        ).scalars()
    }
    replies = {
        reply.id: reply
        for reply in db.session.execute(
            sa.select(Reply).where(Reply.id.in_(reply_ids)).options(joinedload(Reply.author))
        ).scalars()
    }
    results = []
    for hit in hits:
        story = stories.get(hit.story_id)
        if story is None or story.group_id not in group_ids:
            continue
        reply = replies.get(hit.reply_id or 0) if hit.kind == REPLY else None
        if hit.kind == REPLY:
            if reply is None or reply.status != PostStatus.PUBLISHED.value:
                continue
            if story.status not in _READABLE_STORY or blocks.hides(actor, reply):
                continue
        elif story.status != PostStatus.PUBLISHED.value or blocks.hides(actor, story):
            continue
        warned = bool(story.content_warnings or story.content_warning_note)
        results.append(
            Result(
                kind=hit.kind,
                story=story,
                reply=reply,
                title=marked(hit.title) if hit.title else Markup.escape(story.title),
                snippet=None if warned else marked(hit.snippet),
            )
        )
    return results
