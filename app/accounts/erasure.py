"""Deleting an account (GDPR erasure), by the member or by staff for a request received
elsewhere.

The member chooses: their stories and replies go (tombstones keep the threads readable), or
they stay as "Voormalig lid" with no link to them. Either way the account and everything
that is only theirs (logins, memberships, reactions, follows, notifications, blocks, codes,
data files) is deleted; their pseudonym is removed wherever the server wrote it down (staff
name columns, other people's notifications, moderators' notes about them), and reserved for
``PSEUDONYM_RESERVED_DAYS`` so nobody can pass for them. The search index follows through the
outbox, and open pages lose the login with its sessions.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from flask import current_app

from app import clock
from app.accounts import pseudonyms
from app.accounts.models import DataExport, ReservedPseudonym, User
from app.database import unit_of_work
from app.errors import NotFound
from app.extensions import db
from app.notifications import kinds
from app.notifications.models import Notification
from app.realtime import events
from app.stories import writing
from app.stories.models import PostStatus, Reply, Story

# What staff names and notifications say instead of a deleted pseudonym.
FORMER_MEMBER = "Voormalig lid"


class Mode(StrEnum):
    """What happens to the member's stories and replies."""

    REMOVE_POSTS = "verwijderen"
    KEEP_POSTS = "bewaren"


def reservation_key(pseudonym: str) -> str:
    """The stored form of a reserved pseudonym: a hash of its folded form."""
    return hashlib.sha256(pseudonyms.key_for(pseudonym).encode()).hexdigest()


def is_reserved(pseudonym: str) -> bool:
    """Tell whether ``pseudonym`` belonged to an account deleted not long ago."""
    until = db.session.execute(
        sa.select(ReservedPseudonym.reserved_until).where(
            ReservedPseudonym.key_hash == reservation_key(pseudonym)
        )
    ).scalar_one_or_none()
    return until is not None and clock.as_utc(until) > clock.utcnow()


def delete_account(user_id: int, mode: Mode) -> None:
    """Delete the account and what is only theirs; raises NotFound for an unknown account."""
    from app.accounts.data_export import export_path

    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound
    pseudonym = user.pseudonym
    files = [
        export_path(e)
        for e in db.session.execute(
            sa.select(DataExport).where(DataExport.user_id == user.id)
        ).scalars()
    ]
    with unit_of_work() as session:
        _their_posts(user, mode)
        _forget_name(session, user, pseudonym)
        key = reservation_key(pseudonym)
        session.execute(sa.delete(ReservedPseudonym).where(ReservedPseudonym.key_hash == key))
        days = int(current_app.config["PSEUDONYM_RESERVED_DAYS"])
        session.add(
            ReservedPseudonym(key_hash=key, reserved_until=clock.utcnow() + timedelta(days=days))
        )
        # Everything only theirs goes with the row (ON DELETE CASCADE); links to what stays
        # (tombstones, decisions, records of others) are cut (ON DELETE SET NULL).
        session.execute(sa.delete(User).where(User.id == user.id))
        # Their open pages leave every room they were in (and their own) once this commits.
        events.publish_access_changed(user_id)
    for path in files:
        path.unlink(missing_ok=True)


def _their_posts(user: User, mode: Mode) -> None:
    stories = db.session.execute(sa.select(Story).where(Story.author_id == user.id)).scalars()
    replies = db.session.execute(sa.select(Reply).where(Reply.author_id == user.id)).scalars()
    if mode is Mode.REMOVE_POSTS:
        for reply in list(replies):
            if reply.deleted_at is None:
                writing.erase_reply(reply)
            reply.author_id = None
        for story in list(stories):
            if story.status != PostStatus.DELETED.value:
                writing.erase_story(story)
            story.author_id = None
        _forget_reported_copies(user)
    else:
        # Unlinked through the ORM, so the search index hears of every post.
        for post in [*stories, *replies]:
            post.author_id = None
    db.session.flush()


def _forget_reported_copies(user: User) -> None:
    """Moderators kept a copy of reported posts; the member's words go with the posts."""
    from moderation.models import ItemSignal, ModerationItem

    about_them = sa.select(ModerationItem.id).where(ModerationItem.subject_user_id == user.id)
    db.session.execute(
        sa.update(ItemSignal)
        .where(ItemSignal.item_id.in_(about_them))
        .values(snapshot_title="", snapshot_body="")
    )


def _forget_name(session: Any, user: User, pseudonym: str) -> None:
    """Remove the pseudonym wherever it was written down as a name."""
    from moderation.models import ItemSignal, ModerationItem, ModeratorNote

    # Staff names kept beside their decisions ("decided_by_name" and the like).
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if column.name.endswith("_name") and isinstance(column.type, sa.String):
                session.execute(
                    sa.update(table).where(column == pseudonym).values({column.name: FORMER_MEMBER})
                )
    # Other members' notifications that name them.
    named = session.execute(
        sa.select(Notification).where(sa.cast(Notification.data, sa.Text).contains(pseudonym))
    ).scalars()
    for notification in named:
        kind = kinds.KINDS.get(notification.kind)
        if kind is None:
            continue
        data = dict(notification.data or {})
        for field in kind.names:
            if data.get(field) == pseudonym:
                data[field] = None
        notification.data = data
    # Moderators' words about them, and the contact address of their reports.
    for model, text, about in (
        (ModeratorNote, ModeratorNote.body, ModeratorNote.about_user_id),
        (ModerationItem, ModerationItem.reason, ModerationItem.subject_user_id),
    ):
        session.execute(
            sa.update(model)
            .where(about == user.id)
            .values({text.key: sa.func.replace(text, pseudonym, FORMER_MEMBER)})
        )
    session.execute(
        sa.update(ItemSignal).where(ItemSignal.reporter_id == user.id).values(contact_email="")
    )
