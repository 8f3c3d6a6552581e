"""The review queue as moderators see it: open items, most urgent first, and one item with
its full context."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from app import clock, permissions
from app.accounts.models import User
from app.audit import services as audit
from app.audit.models import AuditEntry
from app.database import unit_of_work
from app.errors import Conflict, NotAllowed, NotFound
from app.extensions import db
from app.groups.models import Group
from app.permissions import Actor
from app.stories.models import Reply, Revision, Story
from moderation import history
from moderation.items import content_of
from moderation.models import ItemStatus, ModerationItem, ModeratorNote

QUEUE_LIMIT = 200
HISTORY_LIMIT = 10


def check_moderator(actor: Actor) -> User:
    """The moderator behind ``actor``; raises NotAllowed for anyone else."""
    if not permissions.is_moderator(actor):
        raise NotAllowed
    user = permissions.as_user(actor)
    assert user is not None
    return user


def open_count_for(actor: Actor) -> int:
    """How many items wait for a decision, for a moderator; raises NotAllowed otherwise."""
    check_moderator(actor)
    return open_count()


def open_items(actor: Actor, kind: str = "") -> list[ModerationItem]:
    """Open items: crisis first, then identifying details, then the rest; oldest first
    within a priority. ``kind`` keeps only items with a signal of that kind."""
    check_moderator(actor)
    query = (
        sa.select(ModerationItem)
        .where(ModerationItem.status == ItemStatus.OPEN.value)
        .options(selectinload(ModerationItem.signals))
        .order_by(ModerationItem.priority, ModerationItem.created_at, ModerationItem.id)
        .limit(QUEUE_LIMIT)
    )
    if kind:
        query = query.where(ModerationItem.signals.any(kind=kind))
    return list(db.session.execute(query).scalars())


def open_count() -> int:
    """How many items wait for a decision."""
    return int(
        db.session.execute(
            sa.select(sa.func.count())
            .select_from(ModerationItem)
            .where(ModerationItem.status == ItemStatus.OPEN.value)
        ).scalar_one()
    )


@dataclass
class ItemContext:
    """Everything a moderator needs to decide an item."""

    item: ModerationItem
    story: Story | None
    reply: Reply | None
    author: User | None
    revisions: list[Revision]
    recent_stories: list[Story] = field(default_factory=list)
    recent_replies: list[Reply] = field(default_factory=list)
    earlier_items: list[ModerationItem] = field(default_factory=list)
    notes: list[ModeratorNote] = field(default_factory=list)
    actions: list[AuditEntry] = field(default_factory=list)


def _anonymous(story: Story | None, reply: Reply | None) -> bool:
    post: Any = reply if reply is not None else story
    return bool(post is not None and post.anonymous)


def item_context(actor: Actor, item_id: int) -> ItemContext:
    """One item with its content, revisions, the writer's recent posts, earlier items about
    them, notes and actions. Seeing who wrote an anonymous post is itself logged."""
    moderator = check_moderator(actor)
    item = db.session.get(ModerationItem, item_id)
    if item is None:
        raise NotFound
    story, reply = content_of(item)
    author = db.session.get(User, item.subject_user_id) if item.subject_user_id else None
    revisions_of = (
        Revision.reply_id == reply.id
        if reply is not None
        else Revision.story_id == (story.id if story else -1)
    )
    revisions = list(
        db.session.execute(sa.select(Revision).where(revisions_of).order_by(Revision.id)).scalars()
    )
    context = ItemContext(item, story, reply, author, revisions)
    if author is not None:
        context.recent_stories = history.recent_stories(author.id)
        context.recent_replies = history.recent_replies(author.id)
        context.earlier_items = list(
            db.session.execute(
                sa.select(ModerationItem)
                .where(
                    ModerationItem.subject_user_id == author.id,
                    ModerationItem.id != item.id,
                    ModerationItem.status == ItemStatus.DECIDED.value,
                )
                .order_by(ModerationItem.decided_at.desc())
                .limit(HISTORY_LIMIT)
            ).scalars()
        )
    context.notes = list(
        db.session.execute(
            sa.select(ModeratorNote)
            .where(
                sa.or_(
                    ModeratorNote.item_id == item.id,
                    ModeratorNote.about_user_id == (author.id if author else -1),
                )
            )
            .order_by(ModeratorNote.id)
        ).scalars()
    )
    context.actions = list(
        db.session.execute(
            sa.select(AuditEntry)
            .where(AuditEntry.target_type == "moderation_item", AuditEntry.target_id == item.id)
            .order_by(AuditEntry.id)
        ).scalars()
    )
    if author is not None and _anonymous(story, reply):
        with unit_of_work():
            audit.record(
                moderator,
                "moderation.identity_viewed",
                item.target_type,
                item.target_id,
                group_id=item.group_id,
                details={"item": item.id},
            )
    return context


def add_note(actor: Actor, item_id: int, body: str) -> ModeratorNote:
    """Add a moderator note to an item; raises NotAllowed, NotFound or ValueError (empty)."""
    moderator = check_moderator(actor)
    text = body.replace("\x00", "").strip()[:5000]
    if not text:
        raise ValueError("empty note")
    item = db.session.get(ModerationItem, item_id)
    if item is None:
        raise NotFound
    with unit_of_work():
        note = ModeratorNote(
            item_id=item.id,
            author_id=moderator.id,
            author_name=moderator.pseudonym,
            body=text,
            created_at=clock.utcnow(),
        )
        db.session.add(note)
    return note


CLAIM_FOR = timedelta(minutes=30)


def claim(actor: Actor, item_id: int) -> ModerationItem:
    """Claim an open item for half an hour; raises NotAllowed, NotFound or Conflict (another
    moderator has it)."""
    moderator = check_moderator(actor)
    item = db.session.get(ModerationItem, item_id)
    if item is None or item.status != ItemStatus.OPEN.value:
        raise NotFound
    now = clock.utcnow()
    with unit_of_work() as session:
        result = session.execute(
            sa.update(ModerationItem)
            .where(
                ModerationItem.id == item_id,
                ModerationItem.status == ItemStatus.OPEN.value,
                sa.or_(
                    ModerationItem.claimed_by_id.is_(None),
                    ModerationItem.claimed_by_id == moderator.id,
                    ModerationItem.claimed_at <= now - CLAIM_FOR,
                ),
            )
            .values(claimed_by_id=moderator.id, claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) != 1:
            raise Conflict(_("Een andere moderator heeft dit net opgepakt."))
    db.session.refresh(item)
    return item


def groups_to_move_to() -> list[Group]:
    """Every group, by name, for moving a story."""
    return list(db.session.execute(sa.select(Group).order_by(Group.name)).scalars())


@dataclass(frozen=True)
class PostHistory:
    """A story as moderators see it over time: who wrote it, and every earlier version of it
    and of its replies."""

    story: Story
    author: User | None
    story_revisions: list[Revision]
    replies: list[tuple[Reply, list[Revision]]]


def post_history(actor: Actor, story_id: int) -> PostHistory:
    """The story's writer and revisions, and its replies' revisions, for moderators; seeing
    who wrote an anonymous story is logged. Raises NotAllowed or NotFound."""
    moderator = check_moderator(actor)
    story = db.session.get(Story, story_id)
    if story is None or not permissions.can_read_group(moderator, story.group):
        raise NotFound
    author = db.session.get(User, story.author_id) if story.author_id else None
    revisions = list(
        db.session.execute(
            sa.select(Revision).where(Revision.story_id == story.id).order_by(Revision.id)
        ).scalars()
    )
    replies = list(
        db.session.execute(
            sa.select(Reply)
            .where(Reply.story_id == story.id)
            .options(joinedload(Reply.author))
            .order_by(Reply.id)
        ).scalars()
    )
    reply_revisions: dict[int, list[Revision]] = {reply.id: [] for reply in replies}
    if replies:
        for revision in db.session.execute(
            sa.select(Revision)
            .where(Revision.reply_id.in_(list(reply_revisions)))
            .order_by(Revision.id)
        ).scalars():
            assert revision.reply_id is not None
            reply_revisions[revision.reply_id].append(revision)
    if story.anonymous or any(reply.anonymous for reply in replies):
        with unit_of_work():
            audit.record(
                moderator,
                "moderation.identity_viewed",
                "story",
                story.id,
                group_id=story.group_id,
                details={"page": "history"},
            )
    return PostHistory(
        story, author, revisions, [(reply, reply_revisions[reply.id]) for reply in replies]
    )
