"""The replies of a story in pages, and where one reply is among them.

A story can gather hundreds of replies; the story page shows them oldest first, fifty at a
time. Which replies a reader sees decides both the pages and a reply's place on them: the
published ones, the tombstones of deleted ones and the reader's own replies that wait for a
moderator. Every link to one reply goes through its permalink (``stories.reply_at``), which
works out the page when it is followed.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import joinedload

from app import permissions
from app.extensions import db
from app.permissions import Actor
from app.stories.models import PostStatus, Reply, Story

REPLIES_PER_PAGE = 50
_SHOWN = (PostStatus.PUBLISHED.value, PostStatus.DELETED.value)


@dataclass(frozen=True)
class ReplyPage:
    """One page of a story's replies as one reader sees them."""

    replies: list[Reply]
    number: int
    count: int  # the replies on all pages together, tombstones and own held ones included
    published: int  # the published ones among them: the heading's count

    @property
    def pages(self) -> int:
        """How many pages there are; at least one, even without replies."""
        return max(1, -(-self.count // REPLIES_PER_PAGE))

    def numbers(self) -> list[int | None]:
        """The page numbers to offer: the first, the last and two around this one; ``None``
        stands for the numbers left out between them."""
        wanted = {1, self.pages, *range(self.number - 2, self.number + 3)}
        shown: list[int | None] = []
        for number in range(1, self.pages + 1):
            if number in wanted:
                shown.append(number)
            elif shown[-1] is not None:
                shown.append(None)
        return shown


def shown_to(story_id: int, actor: Actor | None) -> sa.ColumnElement[bool]:
    """The replies of the story that the reader sees in its thread."""
    shown: sa.ColumnElement[bool] = Reply.status.in_(_SHOWN)
    user = permissions.as_user(actor)
    if user is not None:
        own_held = sa.and_(Reply.status == PostStatus.HELD.value, Reply.author_id == user.id)
        shown = sa.or_(shown, own_held)
    return sa.and_(Reply.story_id == story_id, shown)


def page_of(story: Story, actor: Actor | None, number: int | None) -> ReplyPage:
    """Page ``number`` of the story's replies with their authors loaded; a number that is
    missing, below one or past the last page gives the first or the last page."""
    number = max(1, number or 1)
    replies = _replies(story, actor, number)
    if number == 1 and len(replies) < REPLIES_PER_PAGE:
        # Everything is on this page: no need to count (most stories).
        published = sum(1 for reply in replies if reply.status == PostStatus.PUBLISHED.value)
        return ReplyPage(replies, 1, len(replies), published)
    count, published = _counts(story, actor)
    last = max(1, -(-count // REPLIES_PER_PAGE))
    if number > last:
        number = last
        replies = _replies(story, actor, number)
    return ReplyPage(replies, number, count, published)


def page_number(reply: Reply, actor: Actor | None) -> int:
    """The page on which the reader finds ``reply`` (or where it was, when it is no longer
    shown to them)."""
    before = db.session.execute(
        sa.select(sa.func.count(Reply.id)).where(
            shown_to(reply.story_id, actor),
            sa.tuple_(Reply.created_at, Reply.id) < sa.tuple_(reply.created_at, reply.id),
        )
    ).scalar_one()
    return before // REPLIES_PER_PAGE + 1


def location(reply: Reply, actor: Actor | None) -> str:
    """The story page at ``reply``, on the page the reader finds it."""
    return url_for(
        "stories.show",
        story_id=reply.story_id,
        pagina=page_number(reply, actor),
        _anchor=f"reactie-{reply.id}",
    )


def permalink(reply_id: int, *, external: bool = False) -> str:
    """The lasting address of one reply; it leads to the page the reply is on."""
    return url_for("stories.reply_at", reply_id=reply_id, _external=external)


def _replies(story: Story, actor: Actor | None, number: int) -> list[Reply]:
    return list(
        db.session.execute(
            sa.select(Reply)
            .where(shown_to(story.id, actor))
            .options(joinedload(Reply.author))
            .order_by(Reply.created_at, Reply.id)
            .offset((number - 1) * REPLIES_PER_PAGE)
            .limit(REPLIES_PER_PAGE)
        ).scalars()
    )


def _counts(story: Story, actor: Actor | None) -> tuple[int, int]:
    published = sa.func.sum(sa.case((Reply.status == PostStatus.PUBLISHED.value, 1), else_=0))
    row = db.session.execute(
        sa.select(sa.func.count(Reply.id), published).where(shown_to(story.id, actor))
    ).one()
    return int(row[0]), int(row[1] or 0)
