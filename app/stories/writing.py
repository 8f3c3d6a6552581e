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

from app import clock, markup, permissions, screening
from app.accounts.models import User
from app.database import unit_of_work
from app.errors import NotAllowed, NotFound, ValidationFailed
from app.extensions import db
from app.realtime import events
from app.stories import content_warnings, visibility
from app.stories.models import ContentWarning, PostStatus, Reply, Revision, Story
from app.stories.services import (
    Saved,
    checked_body,
    checked_note,
    checked_title,
    checked_warnings,
)

# What a deleted story's title column holds; pages show their own translated text instead.
TOMBSTONE_TITLE = "[verwijderd]"
# Writers may change or delete what is visible, and what still waits for a moderator.
_EDITABLE = (PostStatus.PUBLISHED.value, PostStatus.HELD.value)


def _check_writer(actor: User, author_id: int | None) -> None:
    if not actor.is_active or author_id is None or author_id != actor.id:
        raise NotAllowed(_("Alleen de schrijver kan dit aanpassen."))


def own_story(actor: User, story_id: int) -> Story:
    """The published story ``story_id`` that ``actor`` wrote; raises NotFound (absent, or
    unreadable to them) or NotAllowed (someone else's)."""
    story = db.session.execute(
        sa.select(Story).where(Story.id == story_id).options(joinedload(Story.group))
    ).scalar_one_or_none()
    if story is None or story.status not in _EDITABLE:
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
    if reply is None or reply.status not in _EDITABLE:
        raise NotFound()
    if reply.author_id != actor.id and not permissions.can_read_group(actor, reply.story.group):
        raise NotFound()
    _check_writer(actor, reply.author_id)
    return reply


def revise_story(
    actor: User,
    story_id: int,
    title: str,
    body: str,
    warnings: Iterable[str] = (),
    warning_note: str = "",
    post_anyway: bool = False,
) -> Saved[Story]:
    """Change one's own story after screening, keeping the old text as a revision; raises
    NotFound, NotAllowed or ValidationFailed. A held edit takes the story out of view until
    a moderator looked at it."""
    story = own_story(actor, story_id)
    group = story.group
    draft = screening.Draft(
        actor,
        group,
        screening.ContentKind.STORY,
        checked_title(title),
        checked_body(body),
        is_edit=True,
        post_anyway=post_anyway,
    )
    chosen = checked_warnings(warnings)
    note = checked_note(warning_note)
    screener = screening.screener()
    result = screener.screen(draft)
    held = result.verdict is screening.Verdict.HOLD
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
        story.title = result.title
        story.body_source = result.body
        story.body_html = markup.render(result.body)
        story.content_warnings = chosen
        story.content_warning_note = note
        story.edited_at = clock.utcnow()
        if held:
            visibility.hide_story(story, PostStatus.HELD)
        events.publish_story_changed(story)
        screener.record(draft, result, story.id, None)
    return Saved(story, held=held, crisis=result.crisis)


def edit_story(
    actor: User,
    story_id: int,
    title: str,
    body: str,
    warnings: Iterable[str] = (),
    warning_note: str = "",
) -> Story:
    """Change one's own story and return it; see ``revise_story``."""
    return revise_story(actor, story_id, title, body, warnings, warning_note).post


def revise_reply(actor: User, reply_id: int, body: str, post_anyway: bool = False) -> Saved[Reply]:
    """Change one's own reply after screening, keeping the old text as a revision; raises
    NotFound, NotAllowed or ValidationFailed."""
    reply = own_reply(actor, reply_id)
    story = reply.story
    draft = screening.Draft(
        actor,
        story.group,
        screening.ContentKind.REPLY,
        "",
        checked_body(body),
        is_edit=True,
        post_anyway=post_anyway,
    )
    screener = screening.screener()
    result = screener.screen(draft)
    held = result.verdict is screening.Verdict.HOLD
    with unit_of_work() as session:
        session.add(
            Revision(
                reply_id=reply.id,
                body_source=reply.body_source,
                created_at=clock.utcnow(),
                editor_id=actor.id,
            )
        )
        reply.body_source = result.body
        reply.body_html = markup.render(result.body)
        reply.edited_at = clock.utcnow()
        if held:
            visibility.hide_reply(reply, PostStatus.HELD)
        events.publish_reply_changed(reply)
        screener.record(draft, result, story.id, reply.id)
    return Saved(reply, held=held, crisis=result.crisis)


def edit_reply(actor: User, reply_id: int, body: str) -> Reply:
    """Change one's own reply and return it; see ``revise_reply``."""
    return revise_reply(actor, reply_id, body).post


def delete_story(actor: User, story_id: int) -> Story:
    """Delete one's own story: its text and revisions go, a tombstone without a writer stays
    so the replies keep their place; raises NotFound or NotAllowed."""
    story = own_story(actor, story_id)
    with unit_of_work():
        erase_story(story)
    return story


def erase_story(story: Story) -> None:
    """Blank a story into a tombstone inside the caller's unit of work (also used when an
    account is deleted with its posts)."""
    db.session.execute(sa.delete(Revision).where(Revision.story_id == story.id))
    story.status = PostStatus.DELETED.value
    story.deleted_at = clock.utcnow()
    story.title = TOMBSTONE_TITLE
    story.body_source = ""
    story.body_html = ""
    story.content_warnings = []
    story.content_warning_note = ""
    story.author_id = None
    story.anonymous = True
    events.publish_story_changed(story)


def delete_reply(actor: User, reply_id: int) -> Reply:
    """Delete one's own reply: its text and revisions go, a tombstone stays in the thread;
    raises NotFound or NotAllowed."""
    reply = own_reply(actor, reply_id)
    with unit_of_work():
        erase_reply(reply)
    return reply


def erase_reply(reply: Reply) -> None:
    """Blank a reply into a tombstone inside the caller's unit of work."""
    db.session.execute(sa.delete(Revision).where(Revision.reply_id == reply.id))
    reply.deleted_at = clock.utcnow()
    reply.body_source = ""
    reply.body_html = ""
    reply.author_id = None
    reply.anonymous = True
    # reply_count keeps meaning "visible replies"; the story may be waiting again.
    visibility.hide_reply(reply, PostStatus.DELETED)


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
