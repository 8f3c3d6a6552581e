"""The statement of reasons a writer reads after a decision, and their appeal.

Only the person the decision is about sees it. An appeal goes back into the queue, where
another moderator than the first decides it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _

from app import clock
from app.accounts.models import User
from app.database import unit_of_work
from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.stories.models import Reply, Story
from moderation.items import TARGET_TIMES, Subject, add_signal, content_of
from moderation.models import ItemStatus, ModerationItem, Priority, SignalKind, TargetType

APPEAL_MIN, APPEAL_MAX = 10, 3000
APPEAL_WITHIN = timedelta(days=180)


@dataclass(frozen=True)
class Statement:
    """A decision as its subject reads it."""

    item: ModerationItem
    story: Story | None
    reply: Reply | None
    appeal: ModerationItem | None

    @property
    def may_appeal(self) -> bool:
        decided = self.item.decided_at
        return (
            self.appeal is None
            and self.item.appeal_of_id is None
            and decided is not None
            and clock.utcnow() - clock.as_utc(decided) <= APPEAL_WITHIN
        )


def _subject_item(user: User | None, item_id: int) -> ModerationItem:
    item = db.session.get(ModerationItem, item_id)
    # Whether a decision exists about someone else is nobody's business: NotFound.
    if (
        user is None
        or item is None
        or item.status != ItemStatus.DECIDED.value
        or item.subject_user_id != user.id
    ):
        raise NotFound
    return item


def _appeal_of(item: ModerationItem) -> ModerationItem | None:
    return (
        db.session.query(ModerationItem)
        .filter(ModerationItem.appeal_of_id == item.id)
        .order_by(ModerationItem.id.desc())
        .first()
    )


def statement(viewer: User | None, item_id: int) -> Statement:
    """The decision about the viewer's post or account; raises NotFound for anyone else.

    The viewer is the logged-in member, or a suspended member who proved who they are with
    their password and holds a decisions token (see ``app.accounts.services``).
    """
    item = _subject_item(viewer, item_id)
    story, reply = content_of(item)
    return Statement(item, story, reply, _appeal_of(item))


def about(viewer: User) -> list[ModerationItem]:
    """The decisions about the viewer's posts and account, newest first."""
    return list(
        db.session.query(ModerationItem)
        .filter(
            ModerationItem.subject_user_id == viewer.id,
            ModerationItem.status == ItemStatus.DECIDED.value,
            ModerationItem.appeal_of_id.is_(None),
        )
        .order_by(ModerationItem.decided_at.desc(), ModerationItem.id.desc())
        .limit(50)
    )


def appeal(viewer: User | None, item_id: int, text: str) -> ModerationItem:
    """Appeal a decision: it goes back into the queue. Raises NotFound, ValidationFailed
    (explanation too short or long) or Conflict (appealed already, or too late)."""
    shown = statement(viewer, item_id)
    clean = text.replace("\x00", "").strip()
    if len(clean) < APPEAL_MIN:
        raise ValidationFailed(
            _("Vertel in een paar zinnen waarom je het er niet mee eens bent."), field="text"
        )
    if len(clean) > APPEAL_MAX:
        raise ValidationFailed(
            _("Maak je uitleg wat korter: hoogstens %(max)d tekens.", max=APPEAL_MAX), field="text"
        )
    if not shown.may_appeal:
        raise Conflict(
            _("Je hebt al bezwaar gemaakt tegen dit besluit, of het is te lang geleden.")
        )
    item = shown.item
    post = shown.reply or shown.story
    subject = Subject(
        TargetType(item.target_type),
        item.target_id,
        item.group_id,
        item.subject_user_id,
        shown.story.title if shown.story and shown.reply is None else "",
        post.body_source if post is not None else "",
    )
    with unit_of_work():
        opened, _created = add_signal(
            subject, SignalKind.APPEAL.value, Priority.NORMAL, note=clean, reporter_id=None
        )
        opened.appeal_of_id = item.id
        opened.due_at = min(
            clock.as_utc(opened.due_at), clock.utcnow() + TARGET_TIMES[Priority.NORMAL]
        )
    return opened
