"""How well the guarantee holds: response times and shares, per group and overall.

A story counts in a period when its clock started in it. Its response time is from becoming
visible to the first reply by someone else. "Within target" is a share of the stories whose
outcome is known: answered, or past the target without an answer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

import sqlalchemy as sa

from app import clock, permissions
from app.errors import NotAllowed
from app.extensions import db
from app.groups.models import Group, GroupKind
from app.guarantee.models import ResponseWatch
from app.permissions import Actor
from app.stories.models import PostStatus, Story

T = TypeVar("T", timedelta, float)


@dataclass(frozen=True)
class Figures:
    """The figures for one group, or for all groups together (``group`` None)."""

    group: Group | None
    stories: int
    answered: int
    median: timedelta | None
    p90: timedelta | None
    within_target: float | None  # 0..1; None when no outcome is known yet
    unanswered_now: int
    overdue_now: int


@dataclass(frozen=True)
class _Row:
    group_id: int
    started_at: datetime
    due_at: datetime
    answered_at: datetime | None


def percentile(values: Sequence[T], share: float) -> T | None:
    """The value below which ``share`` of ``values`` lie, interpolating linearly between the
    two nearest ranks (the "inclusive" method); None for no values. Works on durations and on
    plain numbers alike."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def _summarise(
    group: Group | None, period: list[_Row], open_rows: list[_Row], now: datetime
) -> Figures:
    times = [row.answered_at - row.started_at for row in period if row.answered_at is not None]
    known = [row for row in period if row.answered_at is not None or row.due_at <= now]
    in_time = [
        row for row in known if row.answered_at is not None and row.answered_at <= row.due_at
    ]
    return Figures(
        group=group,
        stories=len(period),
        answered=len(times),
        median=percentile(times, 0.5),
        p90=percentile(times, 0.9),
        within_target=len(in_time) / len(known) if known else None,
        unanswered_now=len(open_rows),
        overdue_now=sum(1 for row in open_rows if row.due_at <= now),
    )


def _rows(condition: sa.ColumnElement[bool], group_ids: list[int]) -> list[_Row]:
    result = db.session.execute(
        sa.select(
            Story.group_id,
            ResponseWatch.started_at,
            ResponseWatch.due_at,
            ResponseWatch.answered_at,
        )
        .join(ResponseWatch.story)
        .where(Story.status == PostStatus.PUBLISHED.value, Story.group_id.in_(group_ids), condition)
    ).all()
    return [_Row(*row) for row in result]


def visible_groups(actor: Actor) -> list[Group]:
    """The groups whose figures the actor may see, by name; raises NotAllowed for none."""
    allowed = permissions.response_figure_group_ids(actor)
    query = sa.select(Group).where(permissions.listed_groups_filter(actor)).order_by(Group.name)
    if allowed is not None:
        if not allowed:
            raise NotAllowed
        query = sa.select(Group).where(Group.id.in_(allowed)).order_by(Group.name)
    # Research content stays inside its group, in figures too.
    query = query.where(Group.kind != GroupKind.RESEARCH.value)
    return list(db.session.execute(query).scalars())


def compute(
    groups: Iterable[Group], start: datetime, end: datetime
) -> tuple[Figures, list[Figures]]:
    """Overall and per-group figures for clocks started in ``[start, end)``; the "now" counts
    (unanswered, overdue) do not depend on the period."""
    chosen = list(groups)
    ids = [group.id for group in chosen]
    now = clock.utcnow()
    period = _rows(sa.and_(ResponseWatch.started_at >= start, ResponseWatch.started_at < end), ids)
    open_rows = _rows(ResponseWatch.answered_at.is_(None), ids)
    period_by: dict[int, list[_Row]] = defaultdict(list)
    open_by: dict[int, list[_Row]] = defaultdict(list)
    for row in period:
        period_by[row.group_id].append(row)
    for row in open_rows:
        open_by[row.group_id].append(row)
    overall = _summarise(None, period, open_rows, now)
    per_group = [_summarise(g, period_by[g.id], open_by[g.id], now) for g in chosen]
    return overall, per_group


def for_actor(actor: Actor, start: datetime, end: datetime) -> tuple[Figures, list[Figures]]:
    """The figures the actor may see for ``[start, end)``; raises NotAllowed for none."""
    return compute(visible_groups(actor), start, end)
