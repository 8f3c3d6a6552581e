"""Deciding a queue item: approve (publish or keep), or remove. Each decision is written to
the audit log and the writer hears the outcome with the reason.

Two moderators deciding the same item at once: the item's version is checked, so the second
gets a Conflict instead of a second action.
"""

from __future__ import annotations

from enum import StrEnum

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from app import clock
from app.audit import services as audit
from app.database import unit_of_work
from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.groups.models import Group
from app.notifications import kinds
from app.notifications.services import notify
from app.permissions import Actor
from app.stories import visibility
from app.stories.models import PostStatus, Reply, Story
from moderation.models import ItemStatus, ModerationItem, TargetType
from moderation.queue import check_moderator

REASON_MAX = 2000


class Decision(StrEnum):
    APPROVE = "approve"  # publish held content, or keep reported content as it is
    REMOVE = "remove"  # take the content out of view


def _publish(story: Story | None, reply: Reply | None) -> None:
    if reply is not None and reply.status == PostStatus.HELD.value:
        visibility.show_reply(reply)
    elif reply is None and story is not None and story.status == PostStatus.HELD.value:
        group = db.session.get(Group, story.group_id)
        assert group is not None
        visibility.show_story(story, group)


def _remove(story: Story | None, reply: Reply | None) -> None:
    if reply is not None:
        if reply.status in (PostStatus.PUBLISHED.value, PostStatus.HELD.value):
            visibility.hide_reply(reply, PostStatus.REMOVED)
    elif story is not None and story.status in (PostStatus.PUBLISHED.value, PostStatus.HELD.value):
        visibility.hide_story(story, PostStatus.REMOVED)


def decide(actor: Actor, item_id: int, version: int, decision: str, reason: str) -> ModerationItem:
    """Decide an open item as of ``version`` (the version the moderator saw).

    Raises NotAllowed (not a moderator), NotFound, ValidationFailed (unknown decision, or a
    removal without a reason) or Conflict (decided or changed by someone else meanwhile).
    """
    moderator = check_moderator(actor)
    try:
        chosen = Decision(decision)
    except ValueError:
        raise ValidationFailed(_("Kies wat je besluit."), field="decision") from None
    why = reason.replace("\x00", "").strip()[:REASON_MAX]
    if chosen is Decision.REMOVE and not why:
        raise ValidationFailed(
            _("Schrijf kort waarom. De schrijver krijgt deze reden te lezen."), field="reason"
        )
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
    story, reply = _content(item)
    try:
        with unit_of_work():
            if chosen is Decision.APPROVE:
                _publish(story, reply)
            else:
                _remove(story, reply)
            item.status = ItemStatus.DECIDED.value
            item.decision = chosen.value
            item.reason = why
            item.decided_at = clock.utcnow()
            item.decided_by_id = moderator.id
            item.decided_by_name = moderator.pseudonym
            audit.record(
                moderator,
                f"moderation.{chosen.value}",
                "moderation_item",
                item.id,
                group_id=item.group_id,
                reason=why,
                details={"target_type": item.target_type, "target_id": item.target_id},
            )
            _tell_writer(item, chosen, why, story, reply)
            _tell_reporters(item, chosen)
    except StaleDataError:
        db.session.rollback()
        raise Conflict(
            _("Een andere moderator heeft hier net over beslist. Bekijk het opnieuw.")
        ) from None
    return item


def _content(item: ModerationItem) -> tuple[Story | None, Reply | None]:
    if item.target_type == TargetType.REPLY.value:
        reply = db.session.get(Reply, item.target_id)
        return (reply.story if reply else None), reply
    if item.target_type == TargetType.STORY.value:
        return db.session.get(Story, item.target_id), None
    return None, None


def _tell_reporters(item: ModerationItem, chosen: Decision) -> None:
    """Members who reported the item hear the outcome (never who wrote it, nothing more)."""
    reporters = sorted(
        {signal.reporter_id for signal in item.signals if signal.reporter_id is not None}
    )
    kind = kinds.REPORT_UPHELD if chosen is Decision.REMOVE else kinds.REPORT_NOT_UPHELD
    for reporter_id in reporters:
        notify(reporter_id, kind, {})


def _tell_writer(
    item: ModerationItem, chosen: Decision, why: str, story: Story | None, reply: Reply | None
) -> None:
    post = reply if reply is not None else story
    if post is None or post.author_id is None or story is None:
        return
    group = db.session.get(Group, story.group_id)
    name = group.name if group else ""
    if chosen is Decision.APPROVE:
        was_held = any(signal.kind in ("held", "identifying", "crisis") for signal in item.signals)
        if was_held:
            notify(
                post.author_id,
                kinds.POST_APPROVED,
                {"group": name},
                url_for("stories.show", story_id=story.id),
            )
        return
    notify(post.author_id, kinds.POST_REMOVED, {"group": name, "reason": why})
