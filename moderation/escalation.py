"""No report sits unseen: overdue queue items remind the moderators, and if they stay
overdue as long again, the admins. Run every minute by ``flask worker``; like the response
guarantee, each step is one conditional update, so several workers never repeat it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import InstrumentedAttribute

from app.accounts.models import AccountStatus, SiteRole, User
from app.database import mark_once, unit_of_work
from app.extensions import db
from app.notifications import kinds
from app.notifications.services import notify
from moderation.actions import lift_ended_suspensions
from moderation.items import TARGET_TIMES
from moderation.models import ItemStatus, ModerationItem

BATCH = 200


def _still_waiting(now: datetime) -> sa.ColumnElement[bool]:
    """Moderators were reminded at least one more target time ago, per priority."""
    return sa.or_(
        *(
            sa.and_(
                ModerationItem.priority == priority.value,
                ModerationItem.moderators_told_at <= now - target,
            )
            for priority, target in TARGET_TIMES.items()
        )
    )


def _mark(
    step: InstrumentedAttribute[Any], due_now: sa.ColumnElement[bool], now: datetime
) -> list[int]:
    still_open = sa.and_(ModerationItem.status == ItemStatus.OPEN.value, due_now)
    return mark_once(step, ModerationItem.id, still_open, now, BATCH)


def _people(*roles: SiteRole) -> list[int]:
    return list(
        db.session.execute(
            sa.select(User.id)
            .where(
                User.role.in_([role.value for role in roles]),
                User.status == AccountStatus.ACTIVE.value,
            )
            .order_by(User.id)
        ).scalars()
    )


def escalate(now: datetime) -> dict[str, int]:
    """One round: remind moderators of items past their target, admins of items overdue as
    long again; lift suspensions that ended."""
    with unit_of_work():
        overdue = _mark(ModerationItem.moderators_told_at, ModerationItem.due_at <= now, now)
        moderators = _people(SiteRole.MODERATOR, SiteRole.ADMIN) if overdue else []
        for item_id in overdue:
            link = url_for("moderation.item", item_id=item_id)
            for user_id in moderators:
                notify(user_id, kinds.ITEM_OVERDUE, {}, link)
    with unit_of_work():
        very_late = _mark(ModerationItem.admins_told_at, _still_waiting(now), now)
        admins = _people(SiteRole.ADMIN) if very_late else []
        for item_id in very_late:
            link = url_for("moderation.item", item_id=item_id)
            for user_id in admins:
                notify(user_id, kinds.ITEM_VERY_OVERDUE, {}, link)
    with unit_of_work():
        lifted = lift_ended_suspensions()
    return {"reminded": len(overdue), "escalated": len(very_late), "suspensions_lifted": lifted}
