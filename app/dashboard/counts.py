"""The counting queries behind the dashboard: per group, in total and per Amsterdam day.

Every query reads a time range of an indexed column. Per-day series are counted per UTC hour
in the database and folded into Amsterdam days here: Amsterdam is a whole number of hours off
UTC, so an hour never straddles two local days, and no database needs time-zone tables.

What counts (the page explains it in the same words):
- stories: published in the period and still readable; replies: the same, on readable stories;
- support reactions: given in the period, on readable stories and replies;
- reads: one per reader per story per day, of stories still readable;
- members: people in the group (or in any chosen group) whose account still exists;
- active members: people who shared a story, replied or gave a support reaction.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from app import clock
from app.accounts.models import AccountStatus, User
from app.extensions import db
from app.groups.models import JoinRequest, Membership
from app.guarantee.models import ResponseWatch
from app.periods import Period
from app.stories.models import PostStatus, Reaction, Reply, Story, StoryRead
from moderation.models import ModerationItem

PerGroup = dict[int, int]

_PUBLISHED = PostStatus.PUBLISHED.value


@dataclass(frozen=True)
class Source:
    """Something that happens at a moment in a group: a story shared, a reply, a join."""

    name: str
    # Mapped columns (typed loosely: an ORM attribute and a column expression both do).
    group: Any
    moment: Any
    shape: Callable[[sa.Select[Any]], sa.Select[Any]]
    # The moment is an Amsterdam day (``date``) rather than a UTC timestamp.
    daily: bool = False

    def within(self, period: Period) -> Any:
        if self.daily:
            return sa.and_(self.moment >= period.since, self.moment <= period.until)
        return sa.and_(self.moment >= period.start, self.moment < period.end)


def _stories(query: sa.Select[Any]) -> sa.Select[Any]:
    return query.select_from(Story).where(Story.status == _PUBLISHED)


def _anonymous_stories(query: sa.Select[Any]) -> sa.Select[Any]:
    return _stories(query).where(Story.anonymous.is_(True))


def _replies(query: sa.Select[Any]) -> sa.Select[Any]:
    return (
        query.select_from(Reply)
        .join(Story, Story.id == Reply.story_id)
        .where(Reply.status == _PUBLISHED, Story.status == _PUBLISHED)
    )


def _anonymous_replies(query: sa.Select[Any]) -> sa.Select[Any]:
    return _replies(query).where(Reply.anonymous.is_(True))


def _story_reactions(query: sa.Select[Any]) -> sa.Select[Any]:
    return (
        query.select_from(Reaction)
        .join(Story, Story.id == Reaction.story_id)
        .where(Story.status == _PUBLISHED)
    )


def _reply_reactions(query: sa.Select[Any]) -> sa.Select[Any]:
    return (
        query.select_from(Reaction)
        .join(Reply, Reply.id == Reaction.reply_id)
        .join(Story, Story.id == Reply.story_id)
        .where(Reply.status == _PUBLISHED, Story.status == _PUBLISHED)
    )


def _reads(query: sa.Select[Any]) -> sa.Select[Any]:
    return (
        query.select_from(StoryRead)
        .join(Story, Story.id == StoryRead.story_id)
        .where(Story.status == _PUBLISHED)
    )


def _joins(query: Any) -> Any:
    return (
        query.select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .where(User.status != AccountStatus.DELETED.value)
    )


def _clocks(query: sa.Select[Any]) -> sa.Select[Any]:
    return (
        query.select_from(ResponseWatch)
        .join(Story, Story.id == ResponseWatch.story_id)
        .where(Story.status == _PUBLISHED)
    )


def _answered_clocks(query: sa.Select[Any]) -> sa.Select[Any]:
    return _clocks(query).where(ResponseWatch.answered_at.is_not(None))


def _clocks_in_time(query: sa.Select[Any]) -> sa.Select[Any]:
    return _answered_clocks(query).where(ResponseWatch.answered_at <= ResponseWatch.due_at)


def _join_requests(query: sa.Select[Any]) -> sa.Select[Any]:
    return query.select_from(JoinRequest)


def _items(query: sa.Select[Any]) -> sa.Select[Any]:
    return query.select_from(ModerationItem)


def _decisions(query: sa.Select[Any]) -> sa.Select[Any]:
    return query.select_from(ModerationItem).where(ModerationItem.decision != "")


STORIES = Source("stories", Story.group_id, Story.published_at, _stories)
ANONYMOUS_STORIES = Source(
    "anonymous_stories", Story.group_id, Story.published_at, _anonymous_stories
)
REPLIES = Source("replies", Story.group_id, Reply.created_at, _replies)
ANONYMOUS_REPLIES = Source(
    "anonymous_replies", Story.group_id, Reply.created_at, _anonymous_replies
)
STORY_REACTIONS = Source("story_reactions", Story.group_id, Reaction.created_at, _story_reactions)
REPLY_REACTIONS = Source("reply_reactions", Story.group_id, Reaction.created_at, _reply_reactions)
READS = Source("reads", Story.group_id, StoryRead.day, _reads, daily=True)
JOINS = Source("joins", Membership.group_id, Membership.created_at, _joins)
JOIN_REQUESTS = Source(
    "join_requests", JoinRequest.group_id, JoinRequest.created_at, _join_requests
)
ITEMS = Source("items", ModerationItem.group_id, ModerationItem.created_at, _items)
DECISIONS = Source("decisions", ModerationItem.group_id, ModerationItem.decided_at, _decisions)
# Response clocks, by the day they started: how many, answered, answered in time.
CLOCKS = Source("clocks", Story.group_id, ResponseWatch.started_at, _clocks)
ANSWERED = Source("answered", Story.group_id, ResponseWatch.started_at, _answered_clocks)
IN_TIME = Source("in_time", Story.group_id, ResponseWatch.started_at, _clocks_in_time)
# Everything counted per group and day, which the daily aggregates keep.
SOURCES = (
    STORIES,
    ANONYMOUS_STORIES,
    REPLIES,
    ANONYMOUS_REPLIES,
    STORY_REACTIONS,
    REPLY_REACTIONS,
    READS,
    JOINS,
    JOIN_REQUESTS,
    ITEMS,
    DECISIONS,
    CLOCKS,
    ANSWERED,
    IN_TIME,
)


def per_group(source: Source, group_ids: list[int], period: Period) -> PerGroup:
    """How often ``source`` happened in ``period``, per group."""
    if not group_ids:
        return {}
    query = source.shape(sa.select(source.group, sa.func.count()))
    rows = db.session.execute(
        query.where(source.group.in_(group_ids), source.within(period)).group_by(source.group)
    ).all()
    return {group_id: count for group_id, count in rows}


def without_group(source: Source, period: Period) -> int:
    """How often ``source`` happened in ``period`` outside any group (moderation of members)."""
    query = source.shape(sa.select(sa.func.count()))
    return int(
        db.session.execute(query.where(source.group.is_(None), source.within(period))).scalar_one()
    )


def _hour_bucket(moment: sa.ColumnElement[datetime]) -> sa.ColumnElement[str]:
    """The UTC hour of a stored (naive UTC) timestamp, as text the database gives back."""
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.func.to_char(moment, "YYYY-MM-DD HH24")
    return sa.func.substr(moment, 1, 13)


@functools.lru_cache(maxsize=16_384)
def _local_day(bucket: str) -> date:
    # "2026-12-06 13": sliced rather than strptime'd, as a year has 8,760 of them.
    hour = datetime(
        int(bucket[0:4]), int(bucket[5:7]), int(bucket[8:10]), int(bucket[11:13]), tzinfo=UTC
    )
    return clock.local(hour).date()


@dataclass(frozen=True)
class DayCounts:
    """Per Amsterdam day: the count, and the part of it from closed or hidden groups."""

    total: dict[date, int]
    protected: dict[date, int]


def per_day(
    source: Source, group_ids: list[int], protected_ids: Iterable[int], period: Period
) -> DayCounts:
    """How often ``source`` happened on each Amsterdam day of ``period``."""
    total: dict[date, int] = defaultdict(int)
    protected: dict[date, int] = defaultdict(int)
    if not group_ids:
        return DayCounts(total, protected)
    shielded = list(protected_ids)
    bucket = source.moment if source.daily else _hour_bucket(source.moment)
    is_protected = sa.case((source.group.in_(shielded), 1), else_=0) if shielded else sa.literal(0)
    query = source.shape(sa.select(bucket, is_protected, sa.func.count()))
    rows = db.session.execute(
        query.where(source.group.in_(group_ids), source.within(period)).group_by(
            bucket, is_protected
        )
    ).all()
    for moment, in_protected, count in rows:
        day = moment if source.daily else _local_day(moment)
        if isinstance(day, datetime):
            day = day.date()
        total[day] += count
        if in_protected:
            protected[day] += count
    return DayCounts(total, protected)


# People: distinct accounts, per group and in total (one person in two groups counts once).


def _members_query(group_ids: list[int], end: datetime) -> sa.Select:
    return _joins(sa.select(Membership.group_id, Membership.user_id)).where(
        Membership.group_id.in_(group_ids), Membership.created_at < end
    )


def response_seconds(group_ids: list[int], period: Period) -> dict[int, list[float]]:
    """Per group, the response time in seconds of each answered clock started in ``period``
    (to the first reply by someone else)."""
    if not group_ids:
        return {}
    if db.session.get_bind().dialect.name == "postgresql":
        seconds: Any = sa.func.extract(
            "epoch", ResponseWatch.answered_at - ResponseWatch.started_at
        )
    else:
        seconds = (
            sa.func.julianday(ResponseWatch.answered_at)
            - sa.func.julianday(ResponseWatch.started_at)
        ) * 86400.0
    query = _answered_clocks(sa.select(Story.group_id, seconds)).where(
        Story.group_id.in_(group_ids), CLOCKS.within(period)
    )
    found: dict[int, list[float]] = defaultdict(list)
    for group_id, value in db.session.execute(query):
        found[group_id].append(float(value))
    return dict(found)


def distinct_people(pairs: sa.Subquery) -> tuple[PerGroup, int]:
    """Distinct ``user_id`` per ``group_id`` of ``pairs``, and in total, counted by the
    database (a year can hold tens of thousands of pairs)."""
    rows = db.session.execute(
        sa.select(pairs.c.group_id, sa.func.count(sa.distinct(pairs.c.user_id))).group_by(
            pairs.c.group_id
        )
    ).all()
    total = db.session.execute(sa.select(sa.func.count(sa.distinct(pairs.c.user_id)))).scalar_one()
    return {group_id: int(count) for group_id, count in rows}, int(total)


def members(group_ids: list[int], period: Period) -> tuple[PerGroup, int]:
    """Members at the end of ``period``: per group, and distinct people in all of them."""
    if not group_ids:
        return {}, 0
    return distinct_people(_members_query(group_ids, period.end).subquery())


def new_members(group_ids: list[int], period: Period) -> tuple[PerGroup, int]:
    """Who joined in ``period``: per group, and in total the people whose first membership
    of any of the groups began in it."""
    if not group_ids:
        return {}, 0
    joined = per_group(JOINS, group_ids, period)
    first = (
        _joins(sa.select(Membership.user_id, sa.func.min(Membership.created_at).label("first")))
        .where(Membership.group_id.in_(group_ids))
        .group_by(Membership.user_id)
        .subquery()
    )
    total = db.session.execute(
        sa.select(sa.func.count()).where(first.c.first >= period.start, first.c.first < period.end)
    ).scalar_one()
    return joined, int(total)


def active_pairs(group_ids: list[int], period: Period) -> sa.Subquery:
    """(group_id, user_id) of everyone who shared a story, replied or gave a support
    reaction in one of the groups in ``period``, each pair once."""
    parts = [
        (STORIES, Story.author_id),
        (REPLIES, Reply.author_id),
        (STORY_REACTIONS, Reaction.user_id),
        (REPLY_REACTIONS, Reaction.user_id),
    ]
    return sa.union(
        *(
            source.shape(sa.select(source.group.label("group_id"), person.label("user_id"))).where(
                source.group.in_(group_ids), source.within(period), person.is_not(None)
            )
            for source, person in parts
        )
    ).subquery()
