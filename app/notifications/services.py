"""Notifications for one member: adding them, counting the unread ones, reading them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app import clock
from app.accounts.models import User
from app.database import unit_of_work
from app.errors import NotFound
from app.extensions import db
from app.notifications import kinds
from app.notifications.models import Notification
from app.realtime import events

PAGE_SIZE = 30


@dataclass(frozen=True)
class Shown:
    """A notification as the reader sees it."""

    id: int
    text: str
    link: str
    created_at: datetime
    unread: bool


@dataclass(frozen=True)
class Page:
    """One page of notifications, newest first; ``older`` is the cursor to the next page."""

    items: list[Shown]
    older: int | None


def notify(user_id: int, kind: str, data: Mapping[str, Any], link: str = "") -> Notification:
    """Add a notification inside the caller's unit of work (no commit here).

    Raises ``kinds.UnknownKind`` for an unknown kind or data fields the kind does not declare.
    """
    kinds.check(kind, data)
    notification = Notification(user_id=user_id, kind=kind, data=dict(data), link=link)
    db.session.add(notification)
    events.publish_notification(user_id)
    return notification


def unread_count(user: User) -> int:
    """How many notifications ``user`` has not read yet."""
    count = db.session.execute(
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ).scalar_one()
    return int(count)


def mark_all_read(user: User) -> int:
    """Mark every unread notification of ``user`` as read; returns how many changed."""
    with unit_of_work() as session:
        result = session.execute(
            sa.update(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
            .values(read_at=clock.utcnow())
        )
    return int(getattr(result, "rowcount", 0) or 0)


def open_one(user: User, notification_id: int) -> str:
    """Mark one of the user's notifications as read and return its link ("" when none).

    Raises ``NotFound`` when it is not the user's (someone else's stays hidden).
    """
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise NotFound
    if notification.read_at is None:
        with unit_of_work():
            notification.read_at = clock.utcnow()
    return notification.link


@dataclass(frozen=True)
class Bell:
    """What the notification link in the header shows: the unread count, and the newest id
    (from which an open page asks for what it missed)."""

    unread: int
    latest_id: int


# Built once: the bell is on every page a member opens.
_BELL = sa.select(
    sa.func.count().filter(Notification.read_at.is_(None)),
    sa.func.coalesce(sa.func.max(Notification.id), 0),
).where(Notification.user_id == sa.bindparam("user_id"))


def bell(user: User) -> Bell:
    """The user's unread count and newest notification id, in one query."""
    unread, latest = db.session.execute(_BELL, {"user_id": user.id}).one()
    return Bell(unread=int(unread), latest_id=int(latest))


def since(user: User, after_id: int, limit: int = PAGE_SIZE) -> list[Shown]:
    """The user's notifications newer than id ``after_id``, newest first (at most ``limit``)."""
    rows = db.session.execute(
        sa.select(Notification)
        .where(Notification.user_id == user.id, Notification.id > after_id)
        .order_by(Notification.id.desc())
        .limit(limit)
    ).scalars()
    return [_shown(row) for row in rows]


def _shown(row: Notification) -> Shown:
    return Shown(
        id=row.id,
        text=kinds.text(row.kind, row.data or {}),
        link=row.link,
        created_at=row.created_at,
        unread=row.read_at is None,
    )


def for_user(user: User, before: int | None = None, limit: int = PAGE_SIZE) -> Page:
    """The user's notifications newest first, starting below id ``before`` (keyset)."""
    statement = sa.select(Notification).where(Notification.user_id == user.id)
    if before is not None:
        statement = statement.where(Notification.id < before)
    rows = list(
        db.session.execute(statement.order_by(Notification.id.desc()).limit(limit + 1)).scalars()
    )
    older = rows[limit - 1].id if len(rows) > limit else None
    return Page(items=[_shown(row) for row in rows[:limit]], older=older)
