"""A member as moderators see them: account, recent posts (anonymous ones too), earlier
queue items, notes, and other accounts that share their e-mail address.

The page can reveal who wrote anonymous posts, so every view is written to the audit log.
E-mail addresses never leave this module: members are handed out as :class:`Member`, which
has no address.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app import clock
from app.accounts import devices
from app.accounts.models import User
from app.audit import services as audit
from app.database import unit_of_work
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.permissions import Actor
from app.stories.models import Reply, Story
from moderation import history
from moderation.models import ModerationItem, ModeratorNote, TargetType
from moderation.queue import check_moderator

HISTORY_LIMIT = 20
NOTE_MAX = 5000
LINKED_LIMIT = 50


@dataclass(frozen=True)
class Member:
    """What moderators may see of an account: never its e-mail address."""

    id: int
    pseudonym: str
    role: str
    status: str
    created_at: datetime
    silenced_until: datetime | None
    suspended_until: datetime | None

    @classmethod
    def of(cls, user: User) -> Member:
        return cls(
            id=user.id,
            pseudonym=user.pseudonym,
            role=user.role,
            status=user.status,
            created_at=user.created_at,
            silenced_until=user.silenced_until,
            suspended_until=user.suspended_until,
        )


@dataclass
class MemberOverview:
    """Everything on a member's page for moderators."""

    member: Member
    stories: list[Story] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    items: list[ModerationItem] = field(default_factory=list)
    notes: list[ModeratorNote] = field(default_factory=list)
    # Other accounts with the same e-mail address: perhaps one person behind several.
    same_email: list[Member] = field(default_factory=list)
    # Other accounts that logged in from the same browser (the device cookie).
    same_device: list[Member] = field(default_factory=list)


def _member(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound
    return user


def _same_email(user: User) -> list[Member]:
    if not user.email_key:
        return []
    others = db.session.execute(
        sa.select(User)
        .where(User.email_key == user.email_key, User.id != user.id)
        .order_by(User.created_at, User.id)
        .limit(LINKED_LIMIT)
    ).scalars()
    return [Member.of(other) for other in others]


def overview(actor: Actor, user_id: int) -> MemberOverview:
    """The member's page for a moderator; the view is audited first, as it can show who
    wrote anonymous posts. Raises NotAllowed (not a moderator) or NotFound."""
    moderator = check_moderator(actor)
    user = _member(user_id)
    with unit_of_work():
        audit.record(
            moderator,
            "moderation.member_viewed",
            TargetType.USER.value,
            user.id,
        )
    result = MemberOverview(
        member=Member.of(user),
        same_email=_same_email(user),
        same_device=[Member.of(other) for other in devices.sharing_a_device(user.id)][
            :LINKED_LIMIT
        ],
    )
    result.stories = history.recent_stories(user.id, HISTORY_LIMIT)
    result.replies = history.recent_replies(user.id, HISTORY_LIMIT)
    result.items = list(
        db.session.execute(
            sa.select(ModerationItem)
            .where(ModerationItem.subject_user_id == user.id)
            .options(selectinload(ModerationItem.signals))
            .order_by(ModerationItem.created_at.desc(), ModerationItem.id.desc())
            .limit(HISTORY_LIMIT)
        ).scalars()
    )
    result.notes = list(
        db.session.execute(
            sa.select(ModeratorNote)
            .where(ModeratorNote.about_user_id == user.id)
            .order_by(ModeratorNote.created_at, ModeratorNote.id)
        ).scalars()
    )
    return result


def add_note(actor: Actor, user_id: int, body: str) -> ModeratorNote:
    """Add a note about a member for moderators, and audit it. Raises NotAllowed, NotFound
    or ValidationFailed (an empty note)."""
    moderator = check_moderator(actor)
    user = _member(user_id)
    text = body.replace("\x00", "").strip()[:NOTE_MAX]
    if not text:
        raise ValidationFailed(_("Je notitie is nog leeg."), field="body")
    with unit_of_work():
        note = ModeratorNote(
            about_user_id=user.id,
            author_id=moderator.id,
            author_name=moderator.pseudonym,
            body=text,
            created_at=clock.utcnow(),
        )
        db.session.add(note)
        db.session.flush()
        audit.record(
            moderator,
            "moderation.member_note_added",
            TargetType.USER.value,
            user.id,
            details={"note": note.id},
        )
    return note
