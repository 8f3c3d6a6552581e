"""The response guarantee's figures for the dashboard, lean enough for a year of stories:
the database returns each story's response time as one number, not four timestamps.

The definitions are the guarantee's own (``app.guarantee.figures``): a story counts in the
period its clock started in; its response time runs to the first reply by someone else;
"in time" is a share of the stories whose outcome is known (answered, or past the target).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.guarantee.models import ResponseWatch
from app.periods import Period
from app.stories.models import PostStatus, Story

# The percentiles shown, as tenths (integer arithmetic in SQL and here alike).
MEDIAN, P90 = 5, 9


@dataclass(frozen=True)
class Times:
    """One group's (or all groups') response figures for a period."""

    stories: int
    known: int
    in_time: int
    median_seconds: float | None
    p90_seconds: float | None

    @property
    def within_target(self) -> float | None:
        return self.in_time / self.known if self.known else None

    @property
    def median(self) -> timedelta | None:
        return _span(self.median_seconds)

    @property
    def p90(self) -> timedelta | None:
        return _span(self.p90_seconds)


EMPTY = Times(0, 0, 0, None, None)


def _span(seconds: float | None) -> timedelta | None:
    return None if seconds is None else timedelta(seconds=round(seconds))


def _from_ranks(ranks: dict[int, float], answered: int, tenths: int) -> float | None:
    """The guarantee's percentile from the values at the ranks around it: linear between
    the two nearest ranks."""
    if not answered:
        return None
    lower, rest = divmod((answered - 1) * tenths, 10)
    upper = min(lower + 1, answered - 1)
    return ranks[lower] + (ranks[upper] - ranks[lower]) * rest / 10


def _seconds_between(start: sa.ColumnElement[datetime], end: sa.ColumnElement[datetime]) -> Any:
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.func.extract("epoch", end - start)
    return (sa.func.julianday(end) - sa.func.julianday(start)) * 86400.0


def _in_period(group_ids: list[int], period: Period) -> list[sa.ColumnElement[bool]]:
    return [
        Story.status == PostStatus.PUBLISHED.value,
        Story.group_id.in_(group_ids),
        ResponseWatch.started_at >= period.start,
        ResponseWatch.started_at < period.end,
    ]


def _ranks(
    group_ids: list[int], period: Period
) -> tuple[dict[int, dict[int, float]], dict[int, float]]:
    """The response times at the ranks the percentiles need, per group and for all groups
    together: the database sorts, in one pass, and only a handful of rows come back."""
    answered = (
        sa.select(
            Story.group_id.label("group_id"),
            _seconds_between(ResponseWatch.started_at, ResponseWatch.answered_at).label("seconds"),
        )
        .join(Story, Story.id == ResponseWatch.story_id)
        .where(ResponseWatch.answered_at.is_not(None), *_in_period(group_ids, period))
        .subquery()
    )
    by_group = [answered.c.group_id]
    ranked = sa.select(
        answered.c.group_id,
        answered.c.seconds,
        (sa.func.row_number().over(partition_by=by_group, order_by=answered.c.seconds) - 1).label(
            "rank"
        ),
        (sa.func.count().over(partition_by=by_group) - 1).label("last"),
        (sa.func.row_number().over(order_by=answered.c.seconds) - 1).label("rank_all"),
        (sa.func.count().over() - 1).label("last_all"),
    ).subquery()

    def wanted(rank: Any, last: Any) -> list[sa.ColumnElement[bool]]:
        return [rank == last * tenths // 10 + step for tenths in (MEDIAN, P90) for step in (0, 1)]

    per: dict[int, dict[int, float]] = defaultdict(dict)
    every: dict[int, float] = {}
    query = sa.select(ranked.c.group_id, ranked.c.seconds, ranked.c.rank, ranked.c.rank_all).where(
        sa.or_(
            *wanted(ranked.c.rank, ranked.c.last),
            *wanted(ranked.c.rank_all, ranked.c.last_all),
        )
    )
    for group_id, seconds, rank, rank_all in db.session.execute(query):
        per[group_id][int(rank)] = float(seconds)
        every[int(rank_all)] = float(seconds)
    return per, every


def _conditions() -> tuple[Any, Any, Any]:
    answered = ResponseWatch.answered_at.is_not(None)
    in_time = sa.and_(answered, ResponseWatch.answered_at <= ResponseWatch.due_at)
    known = sa.or_(answered, ResponseWatch.due_at <= clock.utcnow())
    return answered, in_time, known


def _postgres(group_ids: list[int], period: Period) -> tuple[Times, dict[int, Times]]:
    """PostgreSQL does it in one pass: counts and exact percentiles per group and for all
    groups together (grouping sets), ``percentile_cont`` interpolating as the guarantee does."""
    answered, in_time, known = _conditions()
    seconds = sa.case(
        (answered, _seconds_between(ResponseWatch.started_at, ResponseWatch.answered_at))
    )
    rows = db.session.execute(
        sa.select(
            Story.group_id,
            sa.func.grouping(Story.group_id),
            sa.func.count(),
            sa.func.count().filter(known),
            sa.func.count().filter(in_time),
            sa.func.percentile_cont(0.5).within_group(seconds),
            sa.func.percentile_cont(0.9).within_group(seconds),
        )
        .join(Story, Story.id == ResponseWatch.story_id)
        .where(*_in_period(group_ids, period))
        .group_by(sa.func.grouping_sets(sa.tuple_(Story.group_id), sa.tuple_()))
    ).all()
    overall, per = EMPTY, {}
    for group_id, is_total, n, k, t, median, p90 in rows:
        times = Times(
            int(n),
            int(k),
            int(t),
            None if median is None else float(median),
            None if p90 is None else float(p90),
        )
        if is_total:
            overall = times
        else:
            per[group_id] = times
    return overall, per


def _portable(group_ids: list[int], period: Period) -> tuple[Times, dict[int, Times]]:
    answered, in_time, known = _conditions()
    rows = db.session.execute(
        sa.select(
            Story.group_id,
            sa.func.count(),
            sa.func.sum(sa.case((known, 1), else_=0)),
            sa.func.sum(sa.case((in_time, 1), else_=0)),
            sa.func.sum(sa.case((answered, 1), else_=0)),
        )
        .join(Story, Story.id == ResponseWatch.story_id)
        .where(*_in_period(group_ids, period))
        .group_by(Story.group_id)
    ).all()
    per_ranks, every_ranks = _ranks(group_ids, period)
    per: dict[int, Times] = {}
    every_answered = 0
    for group_id, n, k, t, a in rows:
        ranks, count = per_ranks.get(group_id, {}), int(a or 0)
        every_answered += count
        per[group_id] = Times(
            int(n),
            int(k or 0),
            int(t or 0),
            _from_ranks(ranks, count, MEDIAN),
            _from_ranks(ranks, count, P90),
        )
    overall = Times(
        stories=sum(t.stories for t in per.values()),
        known=sum(t.known for t in per.values()),
        in_time=sum(t.in_time for t in per.values()),
        median_seconds=_from_ranks(every_ranks, every_answered, MEDIAN),
        p90_seconds=_from_ranks(every_ranks, every_answered, P90),
    )
    return overall, per


def for_groups(group_ids: list[int], period: Period) -> tuple[Times, dict[int, Times]]:
    """All groups together and each group, for clocks started in ``period``."""
    if not group_ids:
        return EMPTY, {}
    if db.session.get_bind().dialect.name == "postgresql":
        overall, per = _postgres(group_ids, period)
    else:
        overall, per = _portable(group_ids, period)
    return overall, {gid: per.get(gid, EMPTY) for gid in group_ids}
