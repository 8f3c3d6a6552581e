"""What a member wrote lately, anonymous posts included: for moderators only."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.stories.models import Reply, Story

HISTORY_LIMIT = 10


def recent_stories(user_id: int, limit: int = HISTORY_LIMIT) -> list[Story]:
    """The member's newest stories, with their groups."""
    return list(
        db.session.execute(
            sa.select(Story)
            .where(Story.author_id == user_id)
            .options(joinedload(Story.group))
            .order_by(Story.created_at.desc(), Story.id.desc())
            .limit(limit)
        ).scalars()
    )


def recent_replies(user_id: int, limit: int = HISTORY_LIMIT) -> list[Reply]:
    """The member's newest replies, with their stories and groups."""
    return list(
        db.session.execute(
            sa.select(Reply)
            .where(Reply.author_id == user_id)
            .options(joinedload(Reply.story).joinedload(Story.group))
            .order_by(Reply.created_at.desc(), Reply.id.desc())
            .limit(limit)
        ).scalars()
    )
