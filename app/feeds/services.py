"""What public feeds may show: public groups and the published stories in them, nothing else.

Closed and hidden groups never appear here; their stories are not findable from outside.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app import markup
from app.accounts.models import AccountStatus
from app.errors import NotFound
from app.extensions import db
from app.groups.models import Group, Visibility
from app.stories.models import PostStatus, Story

FEED_SIZE = 30
SITEMAP_MAX_STORIES = 45_000
SUMMARY_CHARS = 300


@dataclass(frozen=True)
class Entry:
    """One story as a public feed shows it: no more than a visitor sees on the page."""

    story_id: int
    title: str
    author: str
    published: datetime
    updated: datetime
    summary: str


def _public_stories() -> sa.Select[Story]:
    return (
        sa.select(Story)
        .join(Group, Group.id == Story.group_id)
        .where(
            Group.visibility == Visibility.PUBLIC.value,
            Story.status == PostStatus.PUBLISHED.value,
            Story.published_at.is_not(None),
            Story.deleted_at.is_(None),
        )
    )


def public_groups() -> list[Group]:
    """Every public group, by name."""
    return list(
        db.session.execute(
            sa.select(Group).where(Group.visibility == Visibility.PUBLIC.value).order_by(Group.name)
        ).scalars()
    )


def public_story_dates() -> list[tuple[int, int, datetime]]:
    """(story id, group id, last changed) for the published stories of public groups."""
    changed = sa.func.coalesce(Story.edited_at, Story.published_at)
    rows = db.session.execute(
        _public_stories()
        .with_only_columns(Story.id, Story.group_id, changed)
        .order_by(Story.published_at.desc(), Story.id.desc())
        .limit(SITEMAP_MAX_STORIES)
    ).all()
    return [(story_id, group_id, moment) for story_id, group_id, moment in rows]


def public_group(slug: str) -> Group:
    """The public group with this slug; raises NotFound for any other (closed, hidden, none)."""
    group = db.session.execute(sa.select(Group).where(Group.slug == slug)).scalar_one_or_none()
    if group is None or group.visibility != Visibility.PUBLIC.value:
        raise NotFound()
    return group


def _author(story: Story) -> str:
    # The pseudonym of an anonymous writer never leaves the server, not even in a feed.
    if story.anonymous:
        return _("Anoniem lid")
    if story.author is None or story.author.status == AccountStatus.DELETED.value:
        return _("Voormalig lid")
    return story.author.pseudonym


def group_entries(group: Group, limit: int = FEED_SIZE) -> list[Entry]:
    """The newest published stories of a public group as feed entries."""
    stories = db.session.execute(
        _public_stories()
        .where(Story.group_id == group.id)
        .options(joinedload(Story.author))
        .order_by(Story.published_at.desc(), Story.id.desc())
        .limit(limit)
    ).scalars()
    entries = []
    for story in stories:
        assert story.published_at is not None
        if story.content_warnings:
            # A feed reader shows text without the page's fold: say there is a warning instead.
            summary = _(
                "Dit verhaal heeft een inhoudswaarschuwing. Lees het op de site als je daar "
                "ruimte voor hebt."
            )
        else:
            summary = markup.excerpt(markup.text_of(story.body_html), SUMMARY_CHARS)
        entries.append(
            Entry(
                story_id=story.id,
                title=story.title,
                author=_author(story),
                published=story.published_at,
                updated=story.edited_at or story.published_at,
                summary=summary,
            )
        )
    return entries
