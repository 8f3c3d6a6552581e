"""Reports from members and notices from visitors: what they may report, how a report joins
the content's one open queue item, and when enough trusted reporters take content out of view
until a moderator has looked.

Reporters stay unknown to the writer: nothing here tells the writer anything. A visitor's
notice keeps only what they typed (and an e-mail address if they chose to leave one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app import markup, permissions
from app.accounts.models import AccountStatus, User
from app.audit import services as audit
from app.database import unit_of_work
from app.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from app.extensions import db
from app.notifications import kinds
from app.notifications.services import notify
from app.permissions import Actor
from app.stories import visibility
from app.stories.models import PostStatus, Reply, Story
from moderation import settings
from moderation.actions import ContentAction
from moderation.items import Subject, add_signal
from moderation.models import (
    ItemSignal,
    ItemStatus,
    ModerationItem,
    Priority,
    SignalKind,
    TargetType,
)

REPORT_REASONS: dict[str, LazyString] = {
    "identifying": _l("Persoonlijke gegevens"),
    "concern": _l("Zorgen om iemand"),
    "hurtful": _l("Kwetsend of ongepast"),
    "spam": _l("Spam of reclame"),
    "unwanted_person": _l("Dader of ongewenste persoon in de groep"),
    "other": _l("Iets anders"),
}
_PRIORITIES = {"concern": Priority.CRISIS, "identifying": Priority.IDENTIFYING}

NOTE_MAX = 1000
EXPLANATION_MIN = 10
EXPLANATION_MAX = 2000
EMAIL_MAX = 254

# A reporter's weight: one to start, a quarter more for each earlier report a moderator
# upheld, a quarter less for each one they did not, within these bounds.
WEIGHT_START = 1.0
WEIGHT_STEP = 0.25
WEIGHT_MIN = 0.25
WEIGHT_MAX = 3.0

# A reply stays readable under the tombstone of a story its writer deleted.
_THREAD_SHOWN = (PostStatus.PUBLISHED.value, PostStatus.DELETED.value)


@dataclass(frozen=True)
class Target:
    """What is being reported, as the report pages show it: the story it is (or is under),
    and its title, or the member's pseudonym."""

    target_type: TargetType
    target_id: int
    story_id: int | None
    title: str


@dataclass(frozen=True)
class _Located:
    subject: Subject
    target: Target
    post: Story | Reply | None


def _story(actor: Actor | None, story_id: int) -> _Located:
    story = db.session.execute(
        sa.select(Story).where(Story.id == story_id).options(joinedload(Story.group))
    ).scalar_one_or_none()
    if story is None or story.status != PostStatus.PUBLISHED.value:
        raise NotFound
    if not permissions.can_read_group(actor, story.group):
        raise NotFound
    subject = Subject(
        TargetType.STORY, story.id, story.group_id, story.author_id, story.title, story.body_source
    )
    return _Located(subject, Target(TargetType.STORY, story.id, story.id, story.title), story)


def _reply(actor: Actor | None, reply_id: int) -> _Located:
    reply = db.session.execute(
        sa.select(Reply)
        .where(Reply.id == reply_id)
        .options(joinedload(Reply.story).joinedload(Story.group))
    ).scalar_one_or_none()
    if reply is None or reply.status != PostStatus.PUBLISHED.value:
        raise NotFound
    story = reply.story
    if story.status not in _THREAD_SHOWN or not permissions.can_read_group(actor, story.group):
        raise NotFound
    subject = Subject(
        TargetType.REPLY, reply.id, story.group_id, reply.author_id, "", reply.body_source
    )
    return _Located(subject, Target(TargetType.REPLY, reply.id, story.id, story.title), reply)


def _member(user_id: int) -> _Located:
    user = db.session.get(User, user_id)
    if user is None or user.status == AccountStatus.DELETED.value:
        raise NotFound
    subject = Subject(TargetType.USER, user.id, None, user.id, user.pseudonym, "")
    return _Located(subject, Target(TargetType.USER, user.id, None, user.pseudonym), None)


def _locate(actor: Actor | None, target_type: TargetType, target_id: int) -> _Located:
    if target_type is TargetType.STORY:
        return _story(actor, target_id)
    if target_type is TargetType.REPLY:
        return _reply(actor, target_id)
    if permissions.as_user(actor) is None:
        raise NotFound
    return _member(target_id)


def _reporter(actor: Actor | None) -> User:
    user = permissions.as_user(actor)
    if user is None:
        raise NotAllowed(_("Log in om iets te melden."))
    if not user.is_active:
        raise NotAllowed(_("Je account kan op dit moment niets melden."))
    return user


def find_target(actor: Actor | None, target_type: TargetType, target_id: int) -> Target:
    """What a member would report; raises NotFound when they cannot read it, it is not
    published (or the member is unknown or deleted), and for visitors asking about members."""
    return _locate(actor, target_type, target_id).target


def find_public_target(target_type: TargetType, target_id: int) -> Target:
    """What a visitor would send a notice about: a published story or reply in a public
    group; raises NotFound for anything else."""
    if target_type is TargetType.USER:
        raise NotFound
    return _locate(None, target_type, target_id).target


def checked_reason(reason: str) -> str:
    """The reason category; raises ValidationFailed (field ``reason``) unless it is known."""
    if reason not in REPORT_REASONS:
        raise ValidationFailed(_("Kies wat er aan de hand is."), field="reason")
    return reason


def checked_note(note: str) -> str:
    """A member's optional note; raises ValidationFailed (field ``note``) when too long."""
    clean = markup.clean_text(note).strip()
    if len(clean) > NOTE_MAX:
        raise ValidationFailed(
            _("Maak je toelichting wat korter: hoogstens %(max)d tekens.", max=NOTE_MAX),
            field="note",
        )
    return clean


def checked_explanation(explanation: str) -> str:
    """A visitor's explanation; raises ValidationFailed (field ``explanation``)."""
    clean = markup.clean_text(explanation).strip()
    if len(clean) < EXPLANATION_MIN:
        raise ValidationFailed(
            _(
                "Vertel in een paar woorden wat er aan de hand is (minstens %(min)d tekens).",
                min=EXPLANATION_MIN,
            ),
            field="explanation",
        )
    if len(clean) > EXPLANATION_MAX:
        raise ValidationFailed(
            _("Maak je uitleg wat korter: hoogstens %(max)d tekens.", max=EXPLANATION_MAX),
            field="explanation",
        )
    return clean


def checked_email(email: str) -> str:
    """An optional e-mail address, normalised; "" when left empty. Raises ValidationFailed
    (field ``email``) for anything that is not an address."""
    text = email.replace("\x00", "").strip()
    if not text:
        return ""
    refusal = ValidationFailed(
        _("Dit lijkt geen e-mailadres. Laat het vak leeg als je geen antwoord wilt."),
        field="email",
    )
    if len(text) > EMAIL_MAX:
        raise refusal
    try:
        normalised = validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        raise refusal from None
    if len(normalised) > EMAIL_MAX:
        raise refusal
    return str(normalised)


def _already_reported(subject: Subject, reporter_id: int) -> bool:
    found = db.session.execute(
        sa.select(ItemSignal.id)
        .join(ModerationItem, ItemSignal.item_id == ModerationItem.id)
        .where(
            ModerationItem.target_type == subject.target_type.value,
            ModerationItem.target_id == subject.target_id,
            ModerationItem.status == ItemStatus.OPEN.value,
            ItemSignal.kind == SignalKind.REPORT.value,
            ItemSignal.reporter_id == reporter_id,
        )
        .limit(1)
    ).first()
    return found is not None


def reporter_weights(user_ids: Iterable[int]) -> dict[int, float]:
    """Each reporter's weight from their reports on decided items, in one grouped query."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    upheld = sa.func.count(
        # Any action on the content upholds the report; approving it as it is does not.
        sa.distinct(
            sa.case(
                (
                    ModerationItem.decision.not_in(["", ContentAction.APPROVE.value]),
                    ModerationItem.id,
                )
            )
        )
    )
    not_upheld = sa.func.count(
        sa.distinct(
            sa.case((ModerationItem.decision == ContentAction.APPROVE.value, ModerationItem.id))
        )
    )
    rows = db.session.execute(
        sa.select(ItemSignal.reporter_id, upheld, not_upheld)
        .join(ModerationItem, ItemSignal.item_id == ModerationItem.id)
        .where(
            ItemSignal.kind == SignalKind.REPORT.value,
            ItemSignal.reporter_id.in_(ids),
            ModerationItem.status == ItemStatus.DECIDED.value,
        )
        .group_by(ItemSignal.reporter_id)
    ).all()
    weights = dict.fromkeys(ids, WEIGHT_START)
    for reporter_id, up, down in rows:
        if reporter_id is not None:
            raw = WEIGHT_START + WEIGHT_STEP * (up - down)
            weights[reporter_id] = min(WEIGHT_MAX, max(WEIGHT_MIN, raw))
    return weights


def reporter_weight(user_id: int) -> float:
    """How much one member's reports count towards hiding content before review."""
    return reporter_weights([user_id])[user_id]


def _report_weight(item: ModerationItem) -> float:
    reporters = db.session.execute(
        sa.select(ItemSignal.reporter_id)
        .where(
            ItemSignal.item_id == item.id,
            ItemSignal.kind == SignalKind.REPORT.value,
            ItemSignal.reporter_id.is_not(None),
        )
        .distinct()
    ).scalars()
    return sum(reporter_weights(r for r in reporters if r is not None).values())


def _hide_when_weighty(item: ModerationItem, post: Story | Reply | None) -> None:
    """Take published content out of view once its reporters together weigh enough."""
    if post is None:
        return
    # Two reports at the same moment: the second waits here for the first, then counts both.
    db.session.execute(
        sa.select(ModerationItem.id).where(ModerationItem.id == item.id).with_for_update()
    )
    db.session.refresh(post)
    if post.status != PostStatus.PUBLISHED.value:
        return
    weight = _report_weight(item)
    if weight < float(settings.value(settings.HIDE_AT_REPORT_WEIGHT)):
        return
    if isinstance(post, Story):
        visibility.hide_story(post, PostStatus.HELD)
    else:
        visibility.hide_reply(post, PostStatus.HELD)
    audit.record(
        None,
        "moderation.hidden_after_reports",
        "moderation_item",
        item.id,
        group_id=item.group_id,
        details={"target_type": item.target_type, "target_id": item.target_id, "weight": weight},
    )


def report_content(
    actor: Actor | None, target_type: TargetType, target_id: int, reason: str, note: str = ""
) -> ModerationItem:
    """A member reports a story, reply or member; returns the open item it joined.

    Raises NotAllowed (not logged in or not active), NotFound (cannot read it, not
    published, unknown member), ValidationFailed (``reason`` or ``note``) or Conflict (this
    member already reported it and it is still open).
    """
    reporter = _reporter(actor)
    located = _locate(reporter, target_type, target_id)
    category = checked_reason(reason)
    text = checked_note(note)
    with unit_of_work():
        if _already_reported(located.subject, reporter.id):
            raise Conflict(_("Je hebt dit al gemeld. Een moderator kijkt ernaar."))
        item, _created = add_signal(
            located.subject,
            SignalKind.REPORT.value,
            _PRIORITIES.get(category, Priority.NORMAL),
            category=category,
            note=text,
            reporter_id=reporter.id,
        )
        _hide_when_weighty(item, located.post)
        notify(reporter.id, kinds.REPORT_RECEIVED, {})
    return item


def file_notice(
    target_type: TargetType, target_id: int, reason: str, explanation: str, email: str = ""
) -> ModerationItem:
    """A visitor's notice about a story or reply in a public group; returns the open item
    it joined. Nothing about the visitor is kept but their words and the address they left.

    Raises NotFound (not a published story or reply in a public group) or ValidationFailed
    (``reason``, ``explanation`` or ``email``).
    """
    if target_type is TargetType.USER:
        raise NotFound
    located = _locate(None, target_type, target_id)
    category = checked_reason(reason)
    text = checked_explanation(explanation)
    address = checked_email(email)
    with unit_of_work():
        item, _created = add_signal(
            located.subject,
            SignalKind.NOTICE.value,
            _PRIORITIES.get(category, Priority.NORMAL),
            category=category,
            note=text,
            contact_email=address,
        )
    return item
