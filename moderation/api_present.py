"""Turning queue items into moderation API answers, with what the moderation pages show.

Only moderators reach these (the services check it first). An item shows who wrote its
content, also when it was posted anonymously, exactly as the item page does, and the service
writes that look to the audit log. Who reported is never shown, nor a notice's address.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask import url_for

from app import clock
from app.api.present import group_ref
from app.groups.models import Group
from app.stories import reply_pages
from app.stories.models import Reply, Story
from moderation import api_schemas as shapes
from moderation.models import ItemStatus, ModerationItem, Priority, ReasonTemplate
from moderation.queue import ItemContext

RECENT_TEXT = 120


def _priority(item: ModerationItem) -> shapes.PriorityName:
    return Priority(item.priority).name.lower()  # type: ignore[return-value]


def _claimer(item: ModerationItem) -> str | None:
    return item.claimed_by.pseudonym if item.claimed_by is not None else None


def queue_item(item: ModerationItem, now: datetime) -> shapes.QueueItemOut:
    """One open item as the queue page lists it: no content, no writer."""
    kinds = list(dict.fromkeys(signal.kind for signal in item.signals))
    return shapes.QueueItemOut(
        id=item.id,
        target_type=item.target_type,  # type: ignore[arg-type]
        priority=_priority(item),
        signals=kinds,  # type: ignore[arg-type]
        created_at=item.created_at,
        due_at=item.due_at,
        overdue=clock.as_utc(item.due_at) <= now,
        claimed_by=_claimer(item),
        version=item.version,
        url=url_for("moderation.item", item_id=item.id, _external=True),
    )


def queue(items: Sequence[ModerationItem], open_count: int) -> shapes.ModerationQueue:
    """The review queue, most urgent first."""
    now = clock.utcnow()
    return shapes.ModerationQueue(items=[queue_item(item, now) for item in items], open=open_count)


def _content(story: Story | None, reply: Reply | None) -> shapes.ContentOut | None:
    if story is None:
        return None
    post: Story | Reply = reply if reply is not None else story
    return shapes.ContentOut(
        type="reply" if reply is not None else "story",
        id=post.id,
        story_id=story.id,
        story_title=story.title,
        group=group_ref(story.group) if story.group is not None else None,
        body_html=post.body_html,
        body_source=post.body_source,
        status=post.status,  # type: ignore[arg-type]
        anonymous=post.anonymous,
        url=reply_pages.permalink(reply.id, external=True)
        if reply is not None
        else url_for("stories.show", story_id=story.id, _external=True),
    )


def decided(item: ModerationItem) -> shapes.DecidedOut:
    """What was decided, as the statement of reasons tells it."""
    return shapes.DecidedOut(
        decision=item.decision,
        member_action=item.member_action,
        member_action_until=item.member_action_until,
        reason=item.reason,
        rule=item.rule,
        decided_at=item.decided_at,
        decided_by_name=item.decided_by_name,
    )


def _recent(context: ItemContext) -> list[shapes.RecentPostOut]:
    stories = [
        shapes.RecentPostOut(
            type="story",
            id=story.id,
            created_at=story.created_at,
            text=story.title,
            status=story.status,  # type: ignore[arg-type]
        )
        for story in context.recent_stories
    ]
    replies = [
        shapes.RecentPostOut(
            type="reply",
            id=reply.id,
            created_at=reply.created_at,
            text=reply.body_source[:RECENT_TEXT],
            status=reply.status,  # type: ignore[arg-type]
        )
        for reply in context.recent_replies
    ]
    return stories + replies


def item(
    context: ItemContext, reasons: Sequence[ReasonTemplate], groups: Sequence[Group]
) -> shapes.ModerationItemOut:
    """One item with everything the item page shows to decide it."""
    found = context.item
    appeal = found.appeal_of
    story_only = context.story is not None and context.reply is None
    return shapes.ModerationItemOut(
        id=found.id,
        status=found.status,  # type: ignore[arg-type]
        target_type=found.target_type,  # type: ignore[arg-type]
        priority=_priority(found),
        created_at=found.created_at,
        due_at=found.due_at,
        version=found.version,
        claimed_by=_claimer(found),
        appeal_of=(
            shapes.AppealOut(
                item_id=appeal.id, decided_by_name=appeal.decided_by_name, reason=appeal.reason
            )
            if appeal is not None
            else None
        ),
        content=_content(context.story, context.reply),
        author=(
            shapes.ItemAuthorOut(id=context.author.id, pseudonym=context.author.pseudonym)
            if context.author is not None
            else None
        ),
        signals=[
            shapes.SignalOut(
                kind=signal.kind,  # type: ignore[arg-type]
                category=signal.category,
                note=signal.note,
                created_at=signal.created_at,
                snapshot_title=signal.snapshot_title,
                snapshot_body=signal.snapshot_body,
            )
            for signal in found.signals
        ],
        revisions=[
            shapes.RevisionOut(
                created_at=revision.created_at,
                title=revision.title,
                body_source=revision.body_source,
            )
            for revision in context.revisions
        ],
        notes=[
            shapes.NoteOut(author_name=note.author_name, created_at=note.created_at, body=note.body)
            for note in context.notes
        ],
        recent_posts=_recent(context),
        earlier_decisions=[
            shapes.EarlierDecisionOut(
                id=earlier.id,
                decided_at=earlier.decided_at,
                decision=earlier.decision,
                decided_by_name=earlier.decided_by_name,
                reason=earlier.reason,
            )
            for earlier in context.earlier_items
        ],
        reasons=[shapes.ReasonOut(id=reason.id, title=reason.title) for reason in reasons],
        move_to=[
            group_ref(group)
            for group in groups
            if story_only and context.story is not None and group.id != context.story.group_id
        ],
        decided=decided(found) if found.status == ItemStatus.DECIDED.value else None,
    )
