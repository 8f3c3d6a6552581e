"""Deciding a queue item: what happens to the content and to its writer, with a reason.

Each decision is written to the audit log; the writer gets a statement of reasons (what, why,
which rule, how to appeal) and reporters hear the outcome. Two moderators deciding the same
item at once: the item's version is checked, so the second gets a Conflict instead of a
second action. An appeal is decided by another moderator than the one who decided first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from app import clock
from app.accounts import mail
from app.accounts.models import User
from app.audit import services as audit
from app.database import after_commit, unit_of_work
from app.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from app.extensions import db
from app.groups.models import Group
from app.notifications import kinds
from app.notifications.services import notify
from app.permissions import Actor
from app.realtime import events
from app.stories.models import Reply, Story
from moderation import actions
from moderation.actions import ContentAction, MemberAction
from moderation.items import content_of
from moderation.models import (
    ItemStatus,
    ModerationItem,
    ReasonTemplate,
    SignalKind,
)
from moderation.queue import check_moderator

REASON_MAX = 2000
_NEEDS_REASON = frozenset({ContentAction.REMOVE, ContentAction.REDACT, ContentAction.MOVE})


@dataclass(frozen=True)
class Choice:
    """What the moderator decided, as sent by the form."""

    content: str
    reason: str = ""
    template_id: int | None = None
    member: str = ""
    days: int | None = None
    new_text: str = ""
    group_slug: str = ""


def _reason_and_rule(choice: Choice) -> tuple[str, str]:
    reason = choice.reason.replace("\x00", "").strip()[:REASON_MAX]
    rule = ""
    if choice.template_id:
        template = db.session.get(ReasonTemplate, choice.template_id)
        if template is None:
            raise ValidationFailed(_("Kies een reden uit de lijst."), field="template_id")
        rule = template.rule
        reason = reason or template.body
    return reason, rule


class SameModerator(NotAllowed):
    """The moderator who made a decision may not decide the appeal against it."""


def _check_appeal(item: ModerationItem, moderator: User) -> None:
    if item.appeal_of is not None and item.appeal_of.decided_by_id == moderator.id:
        raise SameModerator(
            _("Over een bezwaar beslist een andere moderator dan wie het eerste besluit nam.")
        )


def decide(actor: Actor, item_id: int, version: int, choice: Choice) -> ModerationItem:
    """Decide an open item as of ``version`` (the version the moderator saw).

    Raises NotAllowed (not a moderator; or the same moderator deciding an appeal), NotFound,
    ValidationFailed (unknown choice, a missing reason, odd days) or Conflict (decided or
    changed by someone else meanwhile).
    """
    moderator = check_moderator(actor)
    try:
        content_action = ContentAction(choice.content)
        member_action = MemberAction(choice.member)
    except ValueError:
        raise ValidationFailed(_("Kies wat je besluit."), field="decision") from None
    reason, rule = _reason_and_rule(choice)
    if (content_action in _NEEDS_REASON or member_action is not MemberAction.NONE) and not reason:
        raise ValidationFailed(
            _("Schrijf kort waarom. De schrijver krijgt deze reden te lezen."), field="reason"
        )
    days = actions.checked_days(member_action, choice.days)
    item = db.session.get(ModerationItem, item_id)
    if item is None:
        raise NotFound
    db.session.refresh(item)
    if item.status != ItemStatus.OPEN.value or item.version != version:
        raise Conflict(
            _(
                "%(name)s heeft hier net iets mee gedaan. Bekijk het opnieuw voordat je besluit.",
                name=item.decided_by_name or _("Een andere moderator"),
            )
        )
    _check_appeal(item, moderator)
    story, reply = content_of(item)
    target_group = None
    if content_action is ContentAction.MOVE:
        target_group = db.session.query(Group).filter_by(slug=choice.group_slug).one_or_none()
    member = db.session.get(User, item.subject_user_id) if item.subject_user_id else None
    try:
        with unit_of_work():
            _act(content_action, story, reply, choice, moderator, target_group)
            if content_action is ContentAction.KEEP_OUT:
                actions.keep_out(item.group_id, member, moderator)
            granted = item.appeal_of is not None and content_action is ContentAction.APPROVE
            if granted and member is not None and member_action is MemberAction.NONE:
                # The appeal is granted: what the first decision did to the account goes too.
                actions.lift(member)
            until = None
            if member is not None and member_action is not MemberAction.NONE:
                actions.apply_to_member(member, member_action, days)
                until = clock.utcnow() + timedelta(days=days) if days else None
            item.status = ItemStatus.DECIDED.value
            item.decision = content_action.value
            item.member_action = member_action.value
            item.member_action_until = until
            item.reason = reason
            item.rule = rule
            item.decided_at = clock.utcnow()
            item.decided_by_id = moderator.id
            item.decided_by_name = moderator.pseudonym
            audit.record(
                moderator,
                f"moderation.{content_action.value}",
                "moderation_item",
                item.id,
                group_id=item.group_id,
                reason=reason,
                details={
                    "target_type": item.target_type,
                    "target_id": item.target_id,
                    "member_action": member_action.value,
                    "days": days,
                    "rule": rule,
                    "moved_to": target_group.slug if target_group else None,
                },
            )
            if content_action is not ContentAction.KEEP_OUT:
                # Kept out at a confidential request: telling them could endanger who asked.
                _tell_writer(item, content_action, member_action, story, reply)
            _tell_reporters(item, content_action)
            events.publish_moderation_queue(item.id)
    except StaleDataError:
        db.session.rollback()
        raise Conflict(
            _("Een andere moderator heeft hier net over beslist. Bekijk het opnieuw.")
        ) from None
    return item


def _act(
    action: ContentAction,
    story: Story | None,
    reply: Reply | None,
    choice: Choice,
    moderator: User,
    target_group: Group | None,
) -> None:
    if action is ContentAction.APPROVE:
        actions.publish(story, reply)
    elif action is ContentAction.REMOVE:
        actions.remove(story, reply)
    elif action is ContentAction.REDACT:
        actions.redact(story, reply, choice.new_text, moderator)
    elif action is ContentAction.MOVE:
        actions.move(story if reply is None else None, target_group)
    elif action is ContentAction.CLOSE:
        actions.close(story)


def _tell_reporters(item: ModerationItem, action: ContentAction) -> None:
    """Members who reported the item hear the outcome (never who wrote it, nothing more)."""
    reporters = sorted(
        {signal.reporter_id for signal in item.signals if signal.reporter_id is not None}
    )
    upheld = action is not ContentAction.APPROVE
    kind = kinds.REPORT_UPHELD if upheld else kinds.REPORT_NOT_UPHELD
    for reporter_id in reporters:
        notify(reporter_id, kind, {})
    for signal in item.signals:
        if signal.contact_email:
            _mail_outcome(signal.contact_email, upheld)
            # Used once, for the outcome; then it goes.
            signal.contact_email = ""


def _mail_outcome(address: str, upheld: bool) -> None:
    """Tell a visitor who sent a notice what came of it, once the decision is committed."""
    body = render_template(
        "moderation/email/notice_outcome.txt",
        upheld=upheld,
        site_name=current_app.config["SITE_NAME"],
    )
    subject = _("Over je melding bij %(site)s", site=current_app.config["SITE_NAME"])
    after_commit(lambda: mail.send(mail.Mail(to=address, subject=subject, body=body)))


def _tell_writer(
    item: ModerationItem,
    action: ContentAction,
    member_action: MemberAction,
    story: Story | None,
    reply: Reply | None,
) -> None:
    if item.subject_user_id is None:
        return
    group = db.session.get(Group, story.group_id) if story is not None else None
    name = group.name if group else ""
    if action is ContentAction.APPROVE and member_action is MemberAction.NONE:
        was_held = any(
            signal.kind
            in (SignalKind.HELD.value, SignalKind.IDENTIFYING.value, SignalKind.CRISIS.value)
            for signal in item.signals
        )
        if was_held and story is not None:
            notify(
                item.subject_user_id,
                kinds.POST_APPROVED,
                {"group": name},
                url_for("stories.show", story_id=story.id),
            )
        return
    link = url_for("statements.show", item_id=item.id)
    if story is None:
        notify(item.subject_user_id, kinds.DECISION_ON_ACCOUNT, {}, link)
    else:
        notify(item.subject_user_id, kinds.DECISION_ON_POST, {"group": name}, link)
