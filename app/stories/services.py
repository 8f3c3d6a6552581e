"""Stories and replies: publishing them, and reading them back for one reader.

Every list and every look-up goes through :mod:`app.permissions`; a story the reader may not
see answers ``NotFound``, never "forbidden", so its existence stays hidden.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app import clock, markup, permissions
from app.accounts.models import User
from app.database import unit_of_work
from app.errors import NotAllowed, NotFound, ValidationFailed
from app.extensions import db
from app.groups.models import Group, GroupRole, Membership, Visibility
from app.permissions import Actor
from app.stories.models import PostStatus, Reply, Story

TITLE_MAX = 150
BODY_MAX = 20_000
FEED_PAGE_SIZE = 20
FEED_PAGE_MAX = 100

_SPACES = re.compile(r"\s+")
_CURSOR = re.compile(r"([0-9]{1,17})-([0-9]{1,18})")
_MAX_ID = 2**63 - 1
_MAX_MICROSECONDS = 253_402_300_799 * 1_000_000  # the last moment of the year 9999
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class FeedCursor:
    """Where a page of the feed stops: the last story's publication moment and id."""

    published_at: datetime
    story_id: int

    @property
    def token(self) -> str:
        """The cursor as it travels in a URL (``?voor=…``)."""
        micro = (clock.as_utc(self.published_at) - _EPOCH) // _ONE_MICROSECOND
        return f"{micro}-{self.story_id}"

    @classmethod
    def from_token(cls, token: str) -> FeedCursor:
        """Read a cursor from a URL; raises ValueError for anything that is not one."""
        match = _CURSOR.fullmatch(token.strip())
        if match is None:
            raise ValueError("not a feed cursor")
        micro, story_id = int(match.group(1)), int(match.group(2))
        if micro > _MAX_MICROSECONDS or not 0 < story_id <= _MAX_ID:
            raise ValueError("feed cursor out of range")
        return cls(published_at=_EPOCH + micro * _ONE_MICROSECOND, story_id=story_id)


@dataclass(frozen=True)
class FeedPage:
    """One page of stories, newest first, and the cursor for the next (older) page."""

    stories: list[Story]
    next_cursor: FeedCursor | None


def _checked_title(title: str) -> str:
    clean = _SPACES.sub(" ", markup.clean_text(title)).strip()
    if not clean:
        raise ValidationFailed(_("Geef je verhaal een titel."), field="title")
    if len(clean) > TITLE_MAX:
        raise ValidationFailed(
            _("Maak de titel wat korter: hoogstens %(max)d tekens.", max=TITLE_MAX), field="title"
        )
    return clean


def _checked_body(body: str) -> str:
    clean = markup.clean_text(body).strip()
    if not clean:
        raise ValidationFailed(_("Je bericht is nog leeg."), field="body")
    if len(clean) > BODY_MAX:
        raise ValidationFailed(
            _(
                "Je bericht is te lang: hoogstens %(max)d tekens. Je kunt het verdelen over "
                "een verhaal en een reactie.",
                max=BODY_MAX,
            ),
            field="body",
        )
    return clean


def publish_story(
    author: User, group: Group, title: str, body: str, anonymous: bool = False
) -> Story:
    """Publish a story in ``group``; raises NotAllowed (not a member) or ValidationFailed."""
    if not permissions.can_post_in_group(author, group):
        raise NotAllowed(_("Je kunt een verhaal delen in groepen waar je lid van bent."))
    clean_title = _checked_title(title)
    source = _checked_body(body)
    now = clock.utcnow()
    with unit_of_work() as session:
        story = Story(
            group_id=group.id,
            author_id=author.id,
            anonymous=anonymous,
            title=clean_title,
            body_source=source,
            body_html=markup.render(source),
            status=PostStatus.PUBLISHED.value,
            created_at=now,
            published_at=now,
            reply_count=0,
        )
        session.add(story)
    return story


def add_reply(author: User, story: Story, body: str, anonymous: bool = False) -> Reply:
    """Reply to a published story; raises NotFound, NotAllowed (not a member) or
    ValidationFailed."""
    group = db.session.get(Group, story.group_id)
    if group is None or story.status != PostStatus.PUBLISHED.value:
        raise NotFound()
    if not permissions.can_read_group(author, group):
        raise NotFound()
    if not permissions.can_post_in_group(author, group):
        raise NotAllowed(_("Je kunt reageren in groepen waar je lid van bent."))
    source = _checked_body(body)
    with unit_of_work() as session:
        reply = Reply(
            story_id=story.id,
            author_id=author.id,
            anonymous=anonymous,
            body_source=source,
            body_html=markup.render(source),
            status=PostStatus.PUBLISHED.value,
            created_at=clock.utcnow(),
        )
        session.add(reply)
        # Counted in SQL so that two replies at the same moment both count.
        session.execute(
            sa.update(Story)
            .where(Story.id == story.id)
            .values(reply_count=Story.reply_count + 1)
            .execution_options(synchronize_session=False)
        )
    return reply


def feed_group_ids(actor: Actor | None) -> sa.Select[tuple[int]]:
    """Groups whose stories appear in the actor's feed: readable, and public or their own.

    Moderators and admins may read more groups, but their home page stays a member's view.
    """
    in_feed: sa.ColumnElement[bool] = Group.visibility == Visibility.PUBLIC.value
    own = list(permissions.group_roles(actor))
    if own:
        in_feed = sa.or_(in_feed, Group.id.in_(own))
    return permissions.readable_group_ids(actor).where(in_feed)


def _stories_page(
    in_scope: sa.ColumnElement[bool], before: FeedCursor | None, limit: int
) -> FeedPage:
    """Published stories matching ``in_scope``, newest first, keyset-paged."""
    limit = max(1, min(limit, FEED_PAGE_MAX))
    query = (
        sa.select(Story)
        .where(
            Story.status == PostStatus.PUBLISHED.value,
            Story.published_at.is_not(None),
            in_scope,
        )
        .options(joinedload(Story.group), joinedload(Story.author))
        .order_by(Story.published_at.desc(), Story.id.desc())
        .limit(limit + 1)
    )
    if before is not None:
        query = query.where(
            sa.or_(
                Story.published_at < before.published_at,
                sa.and_(Story.published_at == before.published_at, Story.id < before.story_id),
            )
        )
    stories = list(db.session.execute(query).scalars())
    next_cursor = None
    if len(stories) > limit:
        stories = stories[:limit]
        last = stories[-1]
        assert last.published_at is not None
        next_cursor = FeedCursor(last.published_at, last.id)
    return FeedPage(stories=stories, next_cursor=next_cursor)


def recent_stories(
    actor: Actor | None, before: FeedCursor | None = None, limit: int = FEED_PAGE_SIZE
) -> FeedPage:
    """The newest published stories in the actor's feed, older than ``before`` when given."""
    return _stories_page(Story.group_id.in_(feed_group_ids(actor)), before, limit)


def group_stories(
    actor: Actor | None, group: Group, before: FeedCursor | None = None, limit: int = FEED_PAGE_SIZE
) -> FeedPage:
    """A group's newest published stories; raises NotFound when the actor may not read them."""
    if not permissions.can_read_group(actor, group):
        raise NotFound
    return _stories_page(Story.group_id == group.id, before, limit)


def cursor_from_token(token: str | None) -> FeedCursor | None:
    """Read a ``?voor=`` value; None (the first page) when it is missing or garbled."""
    if not token:
        return None
    try:
        return FeedCursor.from_token(token)
    except ValueError:
        # An old or mangled link: show the newest stories rather than an error.
        return None


def story_for_reader(actor: Actor | None, story_id: int) -> Story:
    """Return a published story the actor may read; raises NotFound otherwise."""
    story = db.session.execute(
        sa.select(Story)
        .where(Story.id == story_id)
        .options(joinedload(Story.group), joinedload(Story.author))
    ).scalar_one_or_none()
    if story is None or story.status != PostStatus.PUBLISHED.value:
        raise NotFound()
    if not permissions.can_read_group(actor, story.group):
        raise NotFound()
    return story


def replies_to(story: Story) -> list[Reply]:
    """The published replies to ``story``, oldest first, with their authors loaded."""
    return list(
        db.session.execute(
            sa.select(Reply)
            .where(Reply.story_id == story.id, Reply.status == PostStatus.PUBLISHED.value)
            .options(joinedload(Reply.author))
            .order_by(Reply.created_at, Reply.id)
        ).scalars()
    )


def ambassadors_among(group_id: int, posts: Sequence[Story | Reply]) -> set[int]:
    """The ids of the named (not anonymous) writers of ``posts`` who are ambassadors in the
    group; an anonymous post never says who wrote it, not even by a badge."""
    ids = {post.author_id for post in posts if post.author_id is not None and not post.anonymous}
    if not ids:
        return set()
    return set(
        db.session.execute(
            sa.select(Membership.user_id).where(
                Membership.group_id == group_id,
                Membership.role == GroupRole.AMBASSADOR.value,
                Membership.user_id.in_(ids),
            )
        ).scalars()
    )
