"""The response guarantee's figures for the dashboard, from the daily aggregates: counts of
clocks per day, and the response times of each day's answered clocks (today live).

The definitions are the guarantee's own (``app.guarantee.figures``): a story counts in the
period its clock started in; its response time runs to the first reply by someone else;
"in time" is a share of the stories whose outcome is known (answered, or past the target).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from app import clock
from app.dashboard import counts, daily
from app.extensions import db
from app.guarantee.figures import percentile
from app.guarantee.models import ResponseWatch
from app.periods import Period
from app.stories.models import PostStatus, Story


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


def _open_and_due(group_ids: list[int], period: Period) -> dict[int, int]:
    """Clocks started in ``period`` still without an answer and past their target: their
    outcome is known (late) though no reply came. Always counted live; they are few."""
    rows = db.session.execute(
        sa.select(Story.group_id, sa.func.count())
        .select_from(ResponseWatch)
        .join(Story, Story.id == ResponseWatch.story_id)
        .where(
            ResponseWatch.answered_at.is_(None),
            ResponseWatch.due_at <= clock.utcnow(),
            Story.status == PostStatus.PUBLISHED.value,
            Story.group_id.in_(group_ids),
            ResponseWatch.started_at >= period.start,
            ResponseWatch.started_at < period.end,
        )
        .group_by(Story.group_id)
    ).all()
    return {group_id: int(count) for group_id, count in rows}


def _times(clocks: int, answered: int, late_open: int, in_time: int, seconds: list[float]) -> Times:
    return Times(
        stories=clocks,
        known=answered + late_open,
        in_time=in_time,
        median_seconds=percentile(seconds, 0.5),
        p90_seconds=percentile(seconds, 0.9),
    )


def for_groups(
    group_ids: list[int], period: Period, counted: dict[str, counts.PerGroup] | None = None
) -> tuple[Times, dict[int, Times]]:
    """All groups together and each group, for clocks started in ``period`` (``counted``:
    the clock counts when the caller has them already)."""
    if not group_ids:
        return EMPTY, {}
    sources = [counts.CLOCKS, counts.ANSWERED, counts.IN_TIME]
    found = counted or daily.per_group_all(sources, group_ids, period)
    late_open = _open_and_due(group_ids, period)
    seconds = daily.response_seconds(group_ids, period)
    clocks, answered, in_time = found["clocks"], found["answered"], found["in_time"]
    per = {
        gid: _times(
            clocks.get(gid, 0),
            answered.get(gid, 0),
            late_open.get(gid, 0),
            in_time.get(gid, 0),
            seconds.get(gid, []),
        )
        for gid in group_ids
    }
    overall = _times(
        sum(clocks.values()),
        sum(answered.values()),
        sum(late_open.values()),
        sum(in_time.values()),
        [value for values in seconds.values() for value in values],
    )
    return overall, per
