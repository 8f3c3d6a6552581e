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
import hmac
from datetime import timedelta
from enum import StrEnum

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app import clock, permissions
from app.accounts import pseudonyms
from app.accounts.models import DataExport, ReservedPseudonym, User
from app.audit import services as audit
from app.audit.models import AuditEntry
from app.database import json_mentions, unit_of_work
from app.errors import NotAllowed, NotFound, ValidationFailed
from app.extensions import db
from app.notifications import kinds
from app.notifications.models import Notification
from app.realtime import events
from app.stories import writing
from app.stories.models import PostStatus, Reply, Story
from moderation import member_data

# What staff names and notifications say instead of a deleted pseudonym.
FORMER_MEMBER = "Voormalig lid"


class Mode(StrEnum):
    """What happens to the member's stories and replies."""

    REMOVE_POSTS = "verwijderen"
    KEEP_POSTS = "bewaren"


def reservation_key(pseudonym: str) -> str:
    """The stored form of a reserved pseudonym: a keyed hash of its folded form, so the
    table cannot be read back by trying likely names."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    folded = pseudonyms.key_for(pseudonym).encode()
    return hmac.new(secret, b"reserved-pseudonym:" + folded, hashlib.sha256).hexdigest()


def is_reserved(pseudonym: str) -> bool:
    """Tell whether ``pseudonym`` belonged to an account deleted not long ago."""
    until = db.session.execute(
        sa.select(ReservedPseudonym.reserved_until).where(
            ReservedPseudonym.key_hash == reservation_key(pseudonym)
        )
    ).scalar_one_or_none()
    return until is not None and clock.as_utc(until) > clock.utcnow()


def delete_on_request(actor: User, pseudonym: str, mode: Mode, source: str) -> None:
    """An admin deletes an account for a request received another way (mail, phone); the
    audit log keeps that and how it came in, never whose account it was. Raises NotAllowed,
    ValidationFailed (field ``pseudonym``: unknown, or the admin's own account)."""
    from app.accounts.services import find_by_pseudonym

    if not permissions.is_admin(actor):
        raise NotAllowed
    user = find_by_pseudonym(pseudonym)
    if user is None:
        raise ValidationFailed(_("Er is geen account met deze schuilnaam."), field="pseudonym")
    if user.id == actor.id:
        raise ValidationFailed(
            _("Je eigen account verwijder je via Mijn account."), field="pseudonym"
        )
    with unit_of_work():
        audit.record(
            actor,
            "account.deleted_on_request",
            "user",
            None,
            reason=source,
            details={"posts": mode.value},
        )
    delete_account(user.id, mode)


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
        _forget_name(user, pseudonym, mode)
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
    else:
        # Unlinked through the ORM, so the search index hears of every post.
        for post in [*stories, *replies]:
            post.author_id = None
    db.session.flush()


def _forget_name(user: User, pseudonym: str, mode: Mode) -> None:
    """Remove the pseudonym wherever it was written down as a name."""
    # Staff names kept beside their decisions ("decided_by_name" and the like). The audit
    # log is the exception: the database refuses any change to it, and it names only the
    # staff who acted (accountability), never the member an entry is about.
    for table in db.metadata.sorted_tables:
        if table.name == AuditEntry.__tablename__:
            continue
        for column in table.columns:
            if column.name.endswith("_name") and isinstance(column.type, sa.String):
                db.session.execute(
                    sa.update(table).where(column == pseudonym).values({column.name: FORMER_MEMBER})
                )
    # Other members' notifications that name them.
    named = db.session.execute(
        sa.select(Notification).where(json_mentions(Notification.data, pseudonym))
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
    member_data.forget_member(
        user.id, pseudonym, FORMER_MEMBER, words_too=mode is Mode.REMOVE_POSTS
    )
