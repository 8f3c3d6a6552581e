"""Changing what was written: editing and deleting one's own stories and replies, and a
reader's choices about content warnings.

An edit first keeps the old text as a ``Revision`` (for moderators only). A delete leaves a
tombstone: the text and its earlier versions are removed, because the writer asked for that,
while the story's replies stay readable under it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app import clock, markup, permissions
from app.accounts.models import User
from app.database import unit_of_work
from app.errors import NotAllowed, NotFound, ValidationFailed
from app.extensions import db
from app.guarantee import clocks
from app.stories import content_warnings
from app.stories.models import ContentWarning, PostStatus, Reply, Revision, Story
from app.stories.services import checked_body, checked_note, checked_title, checked_warnings

# What a deleted story's title column holds; pages show their own translated text instead.
TOMBSTONE_TITLE = "[verwijderd]"


def _check_writer(actor: User, author_id: int | None) -> None:
    if not actor.is_active or author_id is None or author_id != actor.id:
        raise NotAllowed(_("Alleen de schrijver kan dit aanpassen."))


def own_story(actor: User, story_id: int) -> Story:
    """The published story ``story_id`` that ``actor`` wrote; raises NotFound (absent, or
    unreadable to them) or NotAllowed (someone else's)."""
    story = db.session.execute(
        sa.select(Story).where(Story.id == story_id).options(joinedload(Story.group))
    ).scalar_one_or_none()
    if story is None or story.status != PostStatus.PUBLISHED.value:
        raise NotFound()
    # A writer keeps their own text even after leaving a closed group.
    if story.author_id != actor.id and not permissions.can_read_group(actor, story.group):
        raise NotFound()
    _check_writer(actor, story.author_id)
    return story


def own_reply(actor: User, reply_id: int) -> Reply:
    """The published reply ``reply_id`` that ``actor`` wrote; raises NotFound or NotAllowed."""
    reply = db.session.execute(
        sa.select(Reply)
        .where(Reply.id == reply_id)
        .options(joinedload(Reply.story).joinedload(Story.group))
    ).scalar_one_or_none()
    if reply is None or reply.status != PostStatus.PUBLISHED.value:
        raise NotFound()
    if reply.author_id != actor.id and not permissions.can_read_group(actor, reply.story.group):
        raise NotFound()
    _check_writer(actor, reply.author_id)
    return reply


def edit_story(
    actor: User,
    story_id: int,
    title: str,
    body: str,
    warnings: Iterable[str] = (),
    warning_note: str = "",
) -> Story:
    """Change one's own story, keeping the old text as a revision; raises NotFound,
    NotAllowed or ValidationFailed."""
    story = own_story(actor, story_id)
    clean_title = checked_title(title)
    source = checked_body(body)
    chosen = checked_warnings(warnings)
    note = checked_note(warning_note)
    with unit_of_work() as session:
        session.add(
            Revision(
                story_id=story.id,
                title=story.title,
                body_source=story.body_source,
                created_at=clock.utcnow(),
                editor_id=actor.id,
            )
        )
        story.title = clean_title
        story.body_source = source
        story.body_html = markup.render(source)
        story.content_warnings = chosen
        story.content_warning_note = note
        story.edited_at = clock.utcnow()
    return story


def edit_reply(actor: User, reply_id: int, body: str) -> Reply:
    """Change one's own reply, keeping the old text as a revision; raises NotFound,
    NotAllowed or ValidationFailed."""
    reply = own_reply(actor, reply_id)
    source = checked_body(body)
    with unit_of_work() as session:
        session.add(
            Revision(
                reply_id=reply.id,
                body_source=reply.body_source,
                created_at=clock.utcnow(),
                editor_id=actor.id,
            )
        )
        reply.body_source = source
        reply.body_html = markup.render(source)
        reply.edited_at = clock.utcnow()
    return reply


def delete_story(actor: User, story_id: int) -> Story:
    """Delete one's own story: its text and revisions go, a tombstone without a writer stays
    so the replies keep their place; raises NotFound or NotAllowed."""
    story = own_story(actor, story_id)
    with unit_of_work() as session:
        session.execute(sa.delete(Revision).where(Revision.story_id == story.id))
        story.status = PostStatus.DELETED.value
        story.deleted_at = clock.utcnow()
        story.title = TOMBSTONE_TITLE
        story.body_source = ""
        story.body_html = ""
        story.content_warnings = []
        story.content_warning_note = ""
        story.author_id = None
        story.anonymous = True
    return story


def delete_reply(actor: User, reply_id: int) -> Reply:
    """Delete one's own reply: its text and revisions go, a tombstone stays in the thread;
    raises NotFound or NotAllowed."""
    reply = own_reply(actor, reply_id)
    with unit_of_work() as session:
        session.execute(sa.delete(Revision).where(Revision.reply_id == reply.id))
        reply.status = PostStatus.DELETED.value
        reply.deleted_at = clock.utcnow()
        reply.body_source = ""
        reply.body_html = ""
        reply.author_id = None
        reply.anonymous = True
        # Counted in SQL, like adding, so reply_count keeps meaning "visible replies".
        session.execute(
            sa.update(Story)
            .where(Story.id == reply.story_id, Story.reply_count > 0)
            .values(reply_count=Story.reply_count - 1)
            .execution_options(synchronize_session=False)
        )
        clocks.refresh_answer(reply.story_id)
    return reply


def set_warning_filters(actor: User, choices: Mapping[str, str]) -> dict[str, str]:
    """Store per category whether the reader wants it folded or not shown; raises
    ValidationFailed for unknown categories or choices."""
    known = {warning.value for warning in ContentWarning}
    allowed = {choice.value for choice in content_warnings.FilterChoice}
    if not set(choices).issubset(known) or not set(choices.values()).issubset(allowed):
        raise ValidationFailed(_("Kies per onderwerp een van de twee mogelijkheden."))
    # Only "hide" needs remembering: folding is what everyone gets by default.
    filters = {
        category: choice
        for category, choice in sorted(choices.items())
        if choice == content_warnings.FilterChoice.HIDE.value
    }
    with unit_of_work() as session:
        user = session.get(User, actor.id)
        if user is None:
            raise NotFound()
        user.warning_filters = filters
    return filters
