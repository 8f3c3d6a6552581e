"""Starting a story's response clock and keeping its "answered" moment true.

Both work inside the caller's unit of work, so a story and its clock, or a reply and the
answer it gives, are committed together.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app import clock
from app.extensions import db
from app.groups.models import Group
from app.guarantee.models import ResponseWatch
from app.stories.models import PostStatus, Reply, Story


def first_answer(story_id: Any, author_id: Any) -> sa.ScalarSelect[Any]:
    """When the story's first visible reply by someone other than its writer was posted, as a
    (correlatable) scalar subquery."""
    by_someone_else = sa.or_(
        Reply.author_id.is_(None), author_id.is_(None), Reply.author_id != author_id
    )
    return (
        sa.select(sa.func.min(Reply.created_at))
        .where(
            Reply.story_id == story_id,
            Reply.status == PostStatus.PUBLISHED.value,
            by_someone_else,
        )
        .scalar_subquery()
    )


def watch_values(story_id: int, started_at: datetime, target_minutes: int) -> dict[str, Any]:
    """The columns of a new clock for a story that became visible at ``started_at``."""
    target = max(1, target_minutes)
    return {
        "story_id": story_id,
        "started_at": started_at,
        "target_minutes": target,
        "half_at": started_at + timedelta(minutes=target / 2),
        "due_at": started_at + timedelta(minutes=target),
    }


def insert_watches(rows: list[dict[str, Any]]) -> None:
    """Insert clocks, skipping stories that already have one (another worker may be faster)."""
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    insert = postgres_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(ResponseWatch).values(rows).on_conflict_do_nothing()
    db.session.execute(statement)


def start_clock(story: Story, group: Group) -> None:
    """Start the story's response clock now that it is visible (no-op when it runs already)."""
    if story.status != PostStatus.PUBLISHED.value:
        return
    started = story.published_at or clock.utcnow()
    insert_watches([watch_values(story.id, started, group.response_target_minutes)])


def _refresh_answer_statement() -> sa.Update:
    story_id: sa.BindParameter[int] = sa.bindparam("answered_story_id", type_=sa.Integer)
    author = sa.select(Story.author_id).where(Story.id == story_id).scalar_subquery()
    return (
        sa.update(ResponseWatch)
        .where(ResponseWatch.story_id == story_id)
        .values(answered_at=first_answer(story_id, author))
        .execution_options(synchronize_session=False)
    )


# Built once: building it took twice as long as running it, and it runs for every reply.
_REFRESH_ANSWER = _refresh_answer_statement()


def refresh_answer(story_id: int) -> None:
    """Recompute when the story was first answered, after a reply came, went or was hidden."""
    db.session.execute(_REFRESH_ANSWER, {"answered_story_id": story_id})
