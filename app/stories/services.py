"""Stories and replies: publishing them, and reading them back for one reader.

Every list and every look-up goes through :mod:`app.permissions`; a story the reader may not
see answers ``NotFound``, never "forbidden", so its existence stays hidden. Editing and
deleting live in :mod:`app.stories.writing`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app import clock, markup, permissions, screening
from app.accounts.models import AccountStatus, SiteRole, User
from app.blocks import services as blocks
from app.database import unit_of_work
from app.errors import NotAllowed, NotFound, ValidationFailed
from app.extensions import db
from app.groups.models import Group, GroupKind, GroupRole, Membership, Visibility
from app.permissions import Actor
from app.stories import content_warnings, follows, reply_pages, visibility
from app.stories.models import ContentWarning, PostStatus, Reply, Story

P = TypeVar("P", Story, Reply)

TITLE_MAX = 150
BODY_MAX = 20_000
NOTE_MAX = 200
FEED_PAGE_SIZE = 20
FEED_PAGE_MAX = 100

# Site roles whose replies carry the team badge everywhere; researchers only in research groups.
_TEAM_ROLES = frozenset({SiteRole.MODERATOR, SiteRole.CONTENT_MANAGER, SiteRole.ADMIN})
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


def checked_title(title: str) -> str:
    """The title as it will be stored; raises ValidationFailed (field ``title``)."""
    clean = _SPACES.sub(" ", markup.clean_text(title)).strip()
    if not clean:
        raise ValidationFailed(_("Geef je verhaal een titel."), field="title")
    if len(clean) > TITLE_MAX:
        raise ValidationFailed(
            _("Maak de titel wat korter: hoogstens %(max)d tekens.", max=TITLE_MAX), field="title"
        )
    return clean


def checked_body(body: str) -> str:
    """The body source as it will be stored; raises ValidationFailed (field ``body``)."""
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


def checked_warnings(values: Iterable[str]) -> list[str]:
    """Known warning categories in their fixed order; raises ValidationFailed otherwise."""
    chosen = set(values)
    known = [warning.value for warning in ContentWarning]
    if not chosen.issubset(known):
        raise ValidationFailed(
            _("Kies alleen uit de onderwerpen in de lijst."), field="content_warnings"
        )
    return [value for value in known if value in chosen]


def checked_note(note: str) -> str:
    """The writer's own warning words, on one line; raises ValidationFailed (field
    ``content_warning_note``)."""
    clean = _SPACES.sub(" ", markup.clean_text(note)).strip()
    if len(clean) > NOTE_MAX:
        raise ValidationFailed(
            _("Maak de toelichting wat korter: hoogstens %(max)d tekens.", max=NOTE_MAX),
            field="content_warning_note",
        )
    return clean


def _check_may_post(author: User, group: Group, refusal: str) -> None:
    if permissions.is_silenced(author) and author.silenced_until is not None:
        raise NotAllowed(
            _(
                "Je kunt tot %(until)s alleen lezen. Dat heeft een moderator besloten; je "
                "hebt daarover een bericht gekregen. Je tekst staat er nog.",
                until=format_datetime(clock.as_utc(author.silenced_until), "short"),
            )
        )
    if not permissions.can_post_in_group(author, group):
        raise NotAllowed(refusal)
    if not author.has_accepted_house_rules:
        raise NotAllowed(_("Lees en accepteer eerst de huisregels. Daarna kun je meedoen."))


@dataclass(frozen=True)
class Saved(Generic[P]):
    """A story or reply as saved, and what its writer should hear about it: that it waits
    for a moderator (``held``), and where to find help right now (``crisis``)."""

    post: P
    held: bool = False
    crisis: bool = False


def share_story(
    author: User,
    group: Group,
    title: str,
    body: str,
    anonymous: bool = False,
    warnings: Iterable[str] = (),
    warning_note: str = "",
    post_anyway: bool = False,
) -> Saved[Story]:
    """Share a story in ``group`` after screening, and let its writer follow it.

    Raises NotAllowed (not a member, house rules not accepted) or ValidationFailed (with the
    field at fault; ``screening.Blocked`` and ``screening.NeedsConfirmation`` among them).
    """
    _check_may_post(author, group, _("Je kunt een verhaal delen in groepen waar je lid van bent."))
    draft = screening.Draft(
        author,
        group,
        screening.ContentKind.STORY,
        checked_title(title),
        checked_body(body),
        post_anyway=post_anyway,
    )
    chosen = checked_warnings(warnings)
    note = checked_note(warning_note)
    screener = screening.screener()
    result = screener.screen(draft)
    held = result.verdict is screening.Verdict.HOLD
    now = clock.utcnow()
    with unit_of_work() as session:
        story = Story(
            group_id=group.id,
            author_id=author.id,
            anonymous=anonymous,
            title=result.title,
            body_source=result.body,
            body_html=markup.render(result.body),
            status=PostStatus.HELD.value if held else PostStatus.PUBLISHED.value,
            created_at=now,
            published_at=None if held else now,
            reply_count=0,
            content_warnings=chosen,
            content_warning_note=note,
        )
        session.add(story)
        session.flush()
        follows.follow(author, story)
        if not held:
            visibility.show_story(story, group)
        screener.record(draft, result, story.id, None)
    return Saved(story, held=held, crisis=result.crisis)


def publish_story(
    author: User,
    group: Group,
    title: str,
    body: str,
    anonymous: bool = False,
    warnings: Iterable[str] = (),
    warning_note: str = "",
) -> Story:
    """Share a story and return it; see ``share_story``."""
    return share_story(author, group, title, body, anonymous, warnings, warning_note).post


def post_reply(
    author: User, story: Story, body: str, anonymous: bool = False, post_anyway: bool = False
) -> Saved[Reply]:
    """Reply to a published story after screening; raises NotFound, NotAllowed (not a
    member) or ValidationFailed."""
    group = db.session.get(Group, story.group_id)
    if group is None or story.status != PostStatus.PUBLISHED.value:
        raise NotFound()
    if not permissions.can_read_group(author, group):
        raise NotFound()
    _check_may_post(author, group, _("Je kunt reageren in groepen waar je lid van bent."))
    if story.replies_closed_at is not None:
        raise NotAllowed(_("Onder dit verhaal kan niet meer worden gereageerd."))
    if blocks.shuts_out(author, story):
        # Neutral on purpose: nobody is told that they were blocked.
        raise NotAllowed(_("Reageren kan hier op dit moment niet."))
    draft = screening.Draft(
        author,
        group,
        screening.ContentKind.REPLY,
        "",
        checked_body(body),
        post_anyway=post_anyway,
    )
    screener = screening.screener()
    result = screener.screen(draft)
    held = result.verdict is screening.Verdict.HOLD
    # Rendered before the unit of work: on SQLite other writers wait while it runs.
    body_html = markup.render(result.body)
    with unit_of_work() as session:
        reply = Reply(
            story_id=story.id,
            author_id=author.id,
            anonymous=anonymous,
            body_source=result.body,
            body_html=body_html,
            status=PostStatus.HELD.value,
            created_at=clock.utcnow(),
        )
        session.add(reply)
        if held:
            session.flush()
        else:
            # show_reply's flush inserts it as published: one INSERT, not an INSERT and an
            # UPDATE each followed by the flush listeners (dashboard, search outbox).
            visibility.show_reply(reply)
        screener.record(draft, result, story.id, reply.id)
    return Saved(reply, held=held, crisis=result.crisis)


def add_reply(author: User, story: Story, body: str, anonymous: bool = False) -> Reply:
    """Reply to a story and return the reply; see ``post_reply``."""
    return post_reply(author, story, body, anonymous).post


def groups_to_share_in(actor: Actor | None) -> list[Group]:
    """The actor's groups they may share a story in, by name."""
    own = list(permissions.group_roles(actor))
    if not own:
        return []
    groups = db.session.execute(
        sa.select(Group).where(Group.id.in_(own)).order_by(Group.name)
    ).scalars()
    return [group for group in groups if permissions.can_post_in_group(actor, group)]


def feed_group_ids(actor: Actor | None) -> sa.Select[tuple[int]]:
    """Groups whose stories appear in the actor's feed: readable, and public or their own.

    Moderators and admins may read more groups, but their home page stays a member's view.
    """
    in_feed: sa.ColumnElement[bool] = Group.visibility == Visibility.PUBLIC.value
    own = list(permissions.group_roles(actor))
    if own:
        in_feed = sa.or_(in_feed, Group.id.in_(own))
    return permissions.readable_group_ids(actor).where(in_feed)


def _without_hidden_warnings(actor: Actor | None) -> sa.ColumnElement[bool]:
    """Stories that carry none of the warnings the reader asked not to be shown."""
    user = permissions.as_user(actor)
    hidden = content_warnings.hidden_categories(user.warning_filters if user else None)
    if not hidden:
        return sa.true()
    # The list is stored as JSON text; a quoted value matches one whole category only.
    as_text = sa.func.coalesce(sa.cast(Story.content_warnings, sa.Text), "")
    return sa.and_(*(as_text.not_like(f'%"{category}"%') for category in sorted(hidden)))


def _stories_page(
    actor: Actor | None, in_scope: sa.ColumnElement[bool], before: FeedCursor | None, limit: int
) -> FeedPage:
    """Published stories matching ``in_scope``, newest first, keyset-paged, without the ones
    the reader filtered out by their content warnings or by blocking their named writer."""
    limit = max(1, min(limit, FEED_PAGE_MAX))
    query = (
        sa.select(Story)
        .where(
            Story.status == PostStatus.PUBLISHED.value,
            Story.published_at.is_not(None),
            in_scope,
            _without_hidden_warnings(actor),
            blocks.not_blocked_filter(actor, Story.author_id, Story.anonymous),
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
    return _stories_page(actor, Story.group_id.in_(feed_group_ids(actor)), before, limit)


def group_stories(
    actor: Actor | None, group: Group, before: FeedCursor | None = None, limit: int = FEED_PAGE_SIZE
) -> FeedPage:
    """A group's newest published stories; raises NotFound when the actor may not read them."""
    if not permissions.can_read_group(actor, group):
        raise NotFound
    return _stories_page(actor, Story.group_id == group.id, before, limit)


def cursor_from_token(token: str | None) -> FeedCursor | None:
    """Read a ``?voor=`` value; None (the first page) when it is missing or garbled."""
    if not token:
        return None
    try:
        return FeedCursor.from_token(token)
    except ValueError:
        # An old or mangled link: show the newest stories rather than an error.
        return None


_SHOWN = (PostStatus.PUBLISHED.value, PostStatus.DELETED.value)


def story_for_reader(actor: Actor | None, story_id: int) -> Story:
    """Return a story the actor may read: published, or the tombstone of one its writer
    deleted (its replies stay readable); raises NotFound otherwise, also for a named story by
    a member the actor blocked."""
    # The reader's blocks come along: the story page has a tight query budget.
    query = (
        sa.select(Story)
        .where(Story.id == story_id)
        .options(joinedload(Story.group), joinedload(Story.author))
    )
    rows = db.session.execute(blocks.with_blocks(actor, query)).all()
    story: Story | None = blocks.first_with_blocks(actor, rows)
    if story is None or not (story.status in _SHOWN or _sees_held(actor, story)):
        raise NotFound()
    if not permissions.can_read_group(actor, story.group):
        raise NotFound()
    if blocks.hides(actor, story):
        raise NotFound()
    return story


def reply_for_reader(actor: Actor | None, reply_id: int) -> Reply:
    """Return a reply whose story the actor may read, and that they see in its thread or saw
    there before a moderator took it away; raises NotFound otherwise."""
    reply = db.session.get(Reply, reply_id)
    if reply is None:
        raise NotFound()
    if not (reply.status in (*_SHOWN, PostStatus.REMOVED.value) or _sees_held(actor, reply)):
        raise NotFound()
    story_for_reader(actor, reply.story_id)
    return reply


def _sees_held(actor: Actor | None, post: Story | Reply) -> bool:
    """A post waiting for a moderator is seen by its writer (marked "in behandeling")."""
    user = permissions.as_user(actor)
    return post.status == PostStatus.HELD.value and user is not None and post.author_id == user.id


def replies_to(story: Story, actor: Actor | None = None) -> list[Reply]:
    """The replies to ``story`` as the thread shows them, oldest first, with their authors
    loaded: published ones, the tombstones of those their writers deleted, and the actor's
    own replies that wait for a moderator."""
    return list(
        db.session.execute(
            sa.select(Reply)
            .where(reply_pages.shown_to(story.id, actor))
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


def staff_among(group: Group, posts: Sequence[Story | Reply]) -> set[int]:
    """The ids of the named (not anonymous) writers of ``posts`` who speak for the team in
    ``group``: moderators, content managers and admins, and researchers in research groups.

    Read from the authors loaded with the posts, so it costs no query. An anonymous post never
    carries the badge: with so few staff, it would all but name the writer.
    """
    roles = set(_TEAM_ROLES)
    if group.kind == GroupKind.RESEARCH.value:
        roles.add(SiteRole.RESEARCHER)
    return {
        post.author.id
        for post in posts
        if not post.anonymous
        and post.author is not None
        and post.author.status != AccountStatus.DELETED.value
        and post.author.site_role in roles
    }
