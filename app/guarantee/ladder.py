"""The escalation ladder, climbed by the background worker every minute.

Each step is one conditional ``UPDATE … RETURNING`` that marks the step done only where it
was not done yet, with its notifications in the same transaction. On PostgreSQL a second
worker's update waits for the first one's row locks and then finds nothing left to do; on
SQLite writers take turns. So each step happens exactly once per story, however many workers
run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import InstrumentedAttribute, joinedload

from app import permissions
from app.accounts.models import AccountStatus, SiteRole, User
from app.database import mark_once, unit_of_work
from app.extensions import db
from app.groups.models import Group, GroupKind, GroupRole, Membership
from app.guarantee.clocks import first_answer, insert_watches, watch_values
from app.guarantee.models import ResponseWatch
from app.notifications import kinds
from app.notifications.services import notify
from app.realtime import events
from app.stories.models import PostStatus, Story

BATCH = 500
_STAFF_TOLD = (SiteRole.MODERATOR.value, SiteRole.CONTENT_MANAGER.value, SiteRole.ADMIN.value)


@dataclass(frozen=True)
class Climbed:
    """What one round of the ladder did."""

    clocks_started: int = 0
    ambassadors_told: int = 0
    overdue: int = 0
    claims_lapsed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "clocks_started": self.clocks_started,
            "ambassadors_told": self.ambassadors_told,
            "overdue": self.overdue,
            "claims_lapsed": self.claims_lapsed,
        }


def _visible_story_ids() -> sa.Select[Any]:
    return sa.select(Story.id).where(Story.status == PostStatus.PUBLISHED.value)


def start_missing_clocks(now: datetime, quietly: bool = False) -> int:
    """Give every visible story without a clock one, started at its publication.

    ``quietly`` marks the steps already due as done without telling anyone: for loading
    existing stories (the demo), where old stories must not set off a flood of messages.
    """
    with unit_of_work() as session:
        missing = session.execute(
            sa.select(
                Story.id,
                Story.published_at,
                Group.response_target_minutes,
                first_answer(Story.id, Story.author_id),
            )
            .join(Group, Group.id == Story.group_id)
            .outerjoin(ResponseWatch, ResponseWatch.story_id == Story.id)
            .where(
                ResponseWatch.story_id.is_(None),
                Story.status == PostStatus.PUBLISHED.value,
                Story.published_at.is_not(None),
                # Research content stays inside its group: no clock, no queue outside it.
                Group.kind != GroupKind.RESEARCH.value,
            )
            .order_by(Story.id)
            .limit(BATCH)
        ).all()
        rows = []
        for story_id, published_at, target, answered_at in missing:
            values = watch_values(story_id, published_at, target)
            values["answered_at"] = answered_at
            if quietly:
                values["ambassadors_told_at"] = now if values["half_at"] <= now else None
                values["overdue_at"] = now if values["due_at"] <= now else None
            rows.append(values)
        insert_watches(rows)
    return len(rows)


def _mark(
    step: InstrumentedAttribute[Any], moment: InstrumentedAttribute[Any], now: datetime
) -> list[int]:
    """Mark ``step`` done on every open clock whose ``moment`` has come; return their stories."""
    still_open = sa.and_(
        ResponseWatch.answered_at.is_(None),
        moment <= now,
        ResponseWatch.story_id.in_(_visible_story_ids()),
    )
    return mark_once(step, ResponseWatch.story_id, still_open, now, BATCH)


def _stories(story_ids: list[int]) -> list[Story]:
    if not story_ids:
        return []
    return list(
        db.session.execute(
            sa.select(Story)
            .where(Story.id.in_(story_ids))
            .options(joinedload(Story.group))
            .order_by(Story.id)
        ).scalars()
    )


def _ambassador_ids(group_id: int) -> list[int]:
    return list(
        db.session.execute(
            sa.select(Membership.user_id)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.group_id == group_id,
                Membership.role == GroupRole.AMBASSADOR.value,
                User.status == AccountStatus.ACTIVE.value,
            )
            .order_by(Membership.user_id)
        ).scalars()
    )


def _staff_to_tell() -> list[User]:
    return list(
        db.session.execute(
            sa.select(User)
            .where(User.role.in_(_STAFF_TOLD), User.status == AccountStatus.ACTIVE.value)
            .order_by(User.id)
        ).scalars()
    )


def tell_ambassadors(now: datetime) -> int:
    """Halfway to the target without a reply: every ambassador of the group hears of it."""
    with unit_of_work():
        stories = _stories(_mark(ResponseWatch.ambassadors_told_at, ResponseWatch.half_at, now))
        for story in stories:
            link = url_for("stories.show", story_id=story.id)
            for user_id in _ambassador_ids(story.group_id):
                if user_id == story.author_id:
                    continue
                notify(
                    user_id,
                    kinds.STORY_WAITING,
                    {"story": story.title, "group": story.group.name},
                    link,
                )
    return len(stories)


def escalate_overdue(now: datetime) -> int:
    """At the target without a reply: moderators and content managers who may see the group
    are told, and the story shows as overdue on their dashboard."""
    with unit_of_work():
        story_ids = _mark(ResponseWatch.overdue_at, ResponseWatch.due_at, now)
        stories = _stories(story_ids)
        targets = _targets(story_ids)
        staff = _staff_to_tell() if stories else []
        for story in stories:
            link = url_for("guarantee.dashboard", _anchor=f"verhaal-{story.id}")
            hours = max(1, round(targets[story.id] / 60))
            for user in staff:
                if user.id == story.author_id or not permissions.can_see_group(user, story.group):
                    continue
                notify(
                    user.id, kinds.STORY_OVERDUE, {"group": story.group.name, "hours": hours}, link
                )
            # The story now shows as overdue: open dashboards and queues reload.
            events.publish_ambassador_queue(story.group_id)
    return len(stories)


def _targets(story_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(ResponseWatch.story_id, ResponseWatch.target_minutes).where(
            ResponseWatch.story_id.in_(story_ids)
        )
    ).all()
    return {story_id: minutes for story_id, minutes in rows}


def lapse_claims(now: datetime) -> int:
    """Claims that ran out without a reply: the story returns to the queue."""
    lapsed = sa.and_(
        ResponseWatch.claimed_by_id.is_not(None), ResponseWatch.claim_expires_at <= now
    )
    with unit_of_work() as session:
        group_ids = session.execute(
            sa.select(Story.group_id)
            .join(ResponseWatch, ResponseWatch.story_id == Story.id)
            .where(lapsed)
            .distinct()
        ).scalars()
        for group_id in sorted(group_ids):
            events.publish_ambassador_queue(group_id)
        result = session.execute(
            sa.update(ResponseWatch)
            .where(lapsed)
            .values(claimed_by_id=None, claim_expires_at=None)
            .execution_options(synchronize_session=False)
        )
    return int(getattr(result, "rowcount", 0) or 0)


def climb(now: datetime) -> Climbed:
    """One round of the ladder: start missing clocks, tell ambassadors, escalate, lapse."""
    return Climbed(
        clocks_started=start_missing_clocks(now),
        ambassadors_told=tell_ambassadors(now),
        overdue=escalate_overdue(now),
        claims_lapsed=lapse_claims(now),
    )
