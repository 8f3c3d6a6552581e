"""What the index knows about a story or reply, read fresh from the database.

A post is searchable while it is published (a reply also needs its story to be readable).
Everything else (held, removed, deleted, or a reply to a removed story) has no document, and
the index writer takes it out. The author's pseudonym is part of a document only when the
post is shown under that name; for anonymous posts neither the name nor the account is in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app import clock, markup
from app.accounts.models import AccountStatus
from app.extensions import db
from app.stories.models import PostStatus, Reply, Story

STORY, REPLY = "story", "reply"
# Replies stay readable under the tombstone of a story its writer deleted.
_READABLE_STORY = (PostStatus.PUBLISHED.value, PostStatus.DELETED.value)
# Marks a highlighted term in text on its way out of an engine; never part of stored text.
MARK_START, MARK_END = "\x02", "\x03"
_MARKS = str.maketrans({MARK_START: None, MARK_END: None})


@dataclass(frozen=True)
class SearchDocument:
    """One searchable post, as both engines index it."""

    kind: str
    story_id: int
    reply_id: int | None
    group_id: int
    group_name: str
    theme: str
    visibility: str
    published_at: datetime
    title: str
    body: str
    warnings: tuple[str, ...]
    author_id: int | None
    author_name: str | None

    @property
    def key(self) -> str:
        return key_of(self.kind, self.reply_id if self.kind == REPLY else self.story_id)


def key_of(kind: str, target_id: int | None) -> str:
    """The document key of a story or reply: ``s12`` or ``r34``."""
    return f"{'s' if kind == STORY else 'r'}{target_id}"


def clean(text: str) -> str:
    """Text as it may enter an index: no control characters, no highlight marks."""
    return markup.clean_text(text).translate(_MARKS)


def _author(post: Story | Reply) -> tuple[int | None, str | None]:
    # A deleted account's posts say "Voormalig lid": its name is not findable either.
    if post.anonymous or post.author is None or post.author.status == AccountStatus.DELETED:
        return None, None
    return post.author.id, post.author.pseudonym


def story_document(story: Story) -> SearchDocument | None:
    """The document for ``story``, or None when it should not be findable."""
    if story.status != PostStatus.PUBLISHED.value or story.published_at is None:
        return None
    author_id, author_name = _author(story)
    return SearchDocument(
        kind=STORY,
        story_id=story.id,
        reply_id=None,
        group_id=story.group_id,
        group_name=story.group.name,
        theme=story.group.theme,
        visibility=story.group.visibility,
        published_at=clock.as_utc(story.published_at),
        title=clean(story.title),
        body=clean(markup.text_of(story.body_html)),
        warnings=tuple(story.content_warnings or ()),
        author_id=author_id,
        author_name=author_name,
    )


def reply_document(reply: Reply) -> SearchDocument | None:
    """The document for ``reply``, or None when it should not be findable. A reply carries
    its story's content warnings: readers who filter those out do not meet it either."""
    story = reply.story
    if reply.status != PostStatus.PUBLISHED.value or story.status not in _READABLE_STORY:
        return None
    author_id, author_name = _author(reply)
    return SearchDocument(
        kind=REPLY,
        story_id=story.id,
        reply_id=reply.id,
        group_id=story.group_id,
        group_name=story.group.name,
        theme=story.group.theme,
        visibility=story.group.visibility,
        published_at=clock.as_utc(reply.created_at),
        title="",
        body=clean(markup.text_of(reply.body_html)),
        warnings=tuple(story.content_warnings or ()),
        author_id=author_id,
        author_name=author_name,
    )


def load(keys: Iterable[tuple[str, int]]) -> dict[str, SearchDocument | None]:
    """The current document for each ``(kind, id)``; None for posts that should not be found
    (including posts that no longer exist)."""
    wanted = set(keys)
    story_ids = sorted(i for kind, i in wanted if kind == STORY)
    reply_ids = sorted(i for kind, i in wanted if kind == REPLY)
    found: dict[str, SearchDocument | None] = {key_of(k, i): None for k, i in wanted}
    if story_ids:
        for story in db.session.execute(
            sa.select(Story)
            .where(Story.id.in_(story_ids))
            .options(joinedload(Story.group), joinedload(Story.author))
        ).scalars():
            found[key_of(STORY, story.id)] = story_document(story)
    if reply_ids:
        for reply in db.session.execute(
            sa.select(Reply)
            .where(Reply.id.in_(reply_ids))
            .options(joinedload(Reply.author), joinedload(Reply.story).joinedload(Story.group))
        ).scalars():
            found[key_of(REPLY, reply.id)] = reply_document(reply)
    return found


def everything(batch: int = 1000) -> Iterator[list[SearchDocument]]:
    """Every searchable document, in batches, for a rebuild."""
    for model, kind in ((Story, STORY), (Reply, REPLY)):
        last = 0
        while True:
            ids = list(
                db.session.execute(
                    sa.select(model.id).where(model.id > last).order_by(model.id).limit(batch)
                ).scalars()
            )
            if not ids:
                break
            last = ids[-1]
            docs = [doc for doc in load((kind, i) for i in ids).values() if doc is not None]
            # End the read between batches: a rebuild must not hold one snapshot for minutes.
            db.session.commit()
            if docs:
                yield docs


def count_posts() -> int:
    """How many stories and replies there are (an upper bound for a rebuild's progress)."""
    stories = db.session.execute(sa.select(sa.func.count(Story.id))).scalar_one()
    replies = db.session.execute(sa.select(sa.func.count(Reply.id))).scalar_one()
    return int(stories) + int(replies)
