"""How moderation goes: items opened and decided in a period, how long a decision took per
priority, which decisions were taken and how often reports were upheld.

An item counts as opened when it came in during the period and as decided when it was
decided during the period; the time to a decision is from coming in to the decision, under
the priority the item had in the end.
"""

from __future__ import annotations

from collections import Counter
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.extensions import db
from app.guarantee.figures import percentile
from app.permissions import Actor
from moderation.actions import ContentAction
from moderation.models import ItemStatus, ModerationItem, Priority, SignalKind
from moderation.queue import check_moderator


@dataclass(frozen=True)
class DecisionTimes:
    """Time to a decision for the items of one priority (``priority`` None: all together)."""

    priority: Priority | None
    decided: int
    median: timedelta | None
    p90: timedelta | None


@dataclass(frozen=True)
class ModerationFigures:
    """The figures for ``[start, end)``."""

    start: datetime
    end: datetime
    opened: int
    decided: int
    times: list[DecisionTimes]  # one per priority, most urgent first
    overall: DecisionTimes
    decisions: dict[str, int]  # decision value ("approve", "remove") to count
    actions: dict[str, int]  # audit action ("moderation.…") to count, in the period
    reports_decided: int
    reports_upheld: int

    @property
    def upheld_share(self) -> float | None:
        """The share of decided reported items that were removed; None without any."""
        return self.reports_upheld / self.reports_decided if self.reports_decided else None


def _times(priority: Priority | None, spans: list[timedelta]) -> DecisionTimes:
    return DecisionTimes(priority, len(spans), percentile(spans, 0.5), percentile(spans, 0.9))


def figures(actor: Actor, start: datetime, end: datetime) -> ModerationFigures:
    """The moderation figures for ``[start, end)``; raises NotAllowed for non-moderators."""
    check_moderator(actor)
    in_period = sa.and_(ModerationItem.decided_at >= start, ModerationItem.decided_at < end)
    decided_rows = db.session.execute(
        sa.select(
            ModerationItem.priority,
            ModerationItem.created_at,
            ModerationItem.decided_at,
            ModerationItem.decision,
            ModerationItem.signals.any(kind=SignalKind.REPORT.value),
        ).where(ModerationItem.status == ItemStatus.DECIDED.value, in_period)
    ).all()
    opened = db.session.execute(
        sa.select(sa.func.count())
        .select_from(ModerationItem)
        .where(ModerationItem.created_at >= start, ModerationItem.created_at < end)
    ).scalar_one()
    action_rows = db.session.execute(
        sa.select(AuditEntry.action, sa.func.count())
        .where(
            AuditEntry.action.startswith("moderation.", autoescape=True),
            AuditEntry.created_at >= start,
            AuditEntry.created_at < end,
        )
        .group_by(AuditEntry.action)
        .order_by(AuditEntry.action)
    ).all()

    by_priority: dict[Priority, list[timedelta]] = {priority: [] for priority in Priority}
    every: list[timedelta] = []
    decisions: Counter[str] = Counter()
    reports_decided = reports_upheld = 0
    for priority, created_at, decided_at, decision, reported in decided_rows:
        assert decided_at is not None  # the period condition holds only for decided items
        span = max(decided_at - created_at, timedelta(0))
        every.append(span)
        with suppress(ValueError):  # a priority unknown to this version counts only overall
            by_priority[Priority(priority)].append(span)
        decisions[decision or "–"] += 1
        if reported:
            reports_decided += 1
            # Any action on the content upholds a report; approving it as it is does not.
            reports_upheld += decision not in ("", ContentAction.APPROVE.value)
    return ModerationFigures(
        start=start,
        end=end,
        opened=int(opened),
        decided=len(decided_rows),
        times=[_times(priority, spans) for priority, spans in sorted(by_priority.items())],
        overall=_times(None, every),
        decisions=dict(sorted(decisions.items())),
        actions={action: int(count) for action, count in action_rows},
        reports_decided=reports_decided,
        reports_upheld=reports_upheld,
    )
