"""Opening queue items and adding signals to them. Signals about the same content merge into
its one open item; its priority is the most urgent of its signals.

Everything here works inside the caller's unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app import clock
from app.extensions import db
from app.realtime import events
from app.stories.models import Reply, Story
from moderation.models import ItemSignal, ItemStatus, ModerationItem, Priority, TargetType

# How long an item may wait for a decision, per priority.
TARGET_TIMES = {
    Priority.CRISIS: timedelta(hours=1),
    Priority.IDENTIFYING: timedelta(hours=4),
    Priority.NORMAL: timedelta(hours=24),
}


@dataclass(frozen=True)
class Subject:
    """What an item is about: a story, a reply or a member, with where it lives and who wrote
    it, and a snapshot of its text as it is now."""

    target_type: TargetType
    target_id: int
    group_id: int | None
    user_id: int | None
    title: str = ""
    body: str = ""


def _open_item(subject: Subject) -> ModerationItem | None:
    return db.session.execute(
        sa.select(ModerationItem).where(
            ModerationItem.target_type == subject.target_type.value,
            ModerationItem.target_id == subject.target_id,
            ModerationItem.status == ItemStatus.OPEN.value,
        )
    ).scalar_one_or_none()


def add_signal(
    subject: Subject,
    kind: str,
    priority: Priority,
    *,
    category: str = "",
    note: str = "",
    reporter_id: int | None = None,
    contact_email: str = "",
) -> tuple[ModerationItem, bool]:
    """Add a signal to the subject's open item, opening one when there is none; returns the
    item and whether it was new. A more urgent signal moves the item up (and its target time
    forward)."""
    now = clock.utcnow()
    item = _open_item(subject)
    created = False
    if item is None:
        candidate = ModerationItem(
            target_type=subject.target_type.value,
            target_id=subject.target_id,
            group_id=subject.group_id,
            subject_user_id=subject.user_id,
            priority=priority.value,
            status=ItemStatus.OPEN.value,
            created_at=now,
            due_at=now + TARGET_TIMES[priority],
        )
        try:
            # Two signals at once: the unique index on open items lets one of them open it.
            with db.session.begin_nested():
                db.session.add(candidate)
            item, created = candidate, True
        except IntegrityError:
            item = _open_item(subject)
            assert item is not None
    if not created and priority.value < item.priority:
        item.priority = priority.value
        item.due_at = min(clock.as_utc(item.due_at), now + TARGET_TIMES[priority])
    db.session.add(
        ItemSignal(
            item=item,
            kind=kind,
            category=category,
            note=note,
            reporter_id=reporter_id,
            contact_email=contact_email,
            snapshot_title=subject.title,
            snapshot_body=subject.body,
            created_at=now,
        )
    )
    db.session.flush()
    events.publish_moderation_queue(item.id)
    return item, created


def content_of(item: ModerationItem) -> tuple[Story | None, Reply | None]:
    """The story an item is about, or the reply and its story; (None, None) for a member or
    content that no longer exists."""
    if item.target_type == TargetType.STORY.value:
        return db.session.get(Story, item.target_id), None
    if item.target_type == TargetType.REPLY.value:
        reply = db.session.get(Reply, item.target_id)
        return (reply.story if reply else None), reply
    return None, None
