"""Reading the groups area: finding a group, the group list, the viewer's state, stories."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa

from app import permissions
from app.accounts.models import User
from app.errors import NotAllowed, NotFound
from app.extensions import db
from app.groups import themes
from app.groups.models import Group, JoinRequest, JoinRequestStatus, Membership
from app.permissions import Actor
from app.stories.models import PostStatus, Story

STORIES_PER_PAGE = 20
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


class ViewerState(StrEnum):
    """Where the viewer stands with a group; decides which buttons they get."""

    MEMBER = "member"
    PENDING = "pending"  # a request to join is waiting for a decision
    CAN_JOIN = "can_join"  # public: one click
    CAN_REQUEST = "can_request"  # closed: ask first
    VISITOR = "visitor"  # not logged in
    INVITE_ONLY = "invite_only"  # hidden and not a member (an admin looking)


@dataclass(frozen=True)
class Listing:
    """A group as the group list shows it."""

    group: Group
    member_count: int
    state: ViewerState


@dataclass(frozen=True)
class ThemeSection:
    """The listed groups of one theme."""

    theme: str
    label: str
    listings: list[Listing]


@dataclass(frozen=True)
class StoryItem:
    """A published story in a group's list. ``author`` is None when anonymous or gone."""

    id: int
    title: str
    author: str | None
    anonymous: bool
    published_at: datetime
    reply_count: int


@dataclass(frozen=True)
class StoryPage:
    """One page of a group's stories, newest first; ``older`` is the ``?voor=`` cursor."""

    items: list[StoryItem]
    older: str | None


def find_group(slug: str, *, actor: Actor | None) -> Group:
    """Return the group with ``slug``; raises NotFound when absent or hidden from the actor."""
    group = db.session.execute(sa.select(Group).where(Group.slug == slug)).scalar_one_or_none()
    if group is None or not permissions.can_see_group(actor, group):
        raise NotFound
    return group


def pending_request(group: Group, user: User) -> JoinRequest | None:
    """The user's request to join ``group`` that still waits for a decision, if any."""
    return db.session.execute(
        sa.select(JoinRequest)
        .where(
            JoinRequest.group_id == group.id,
            JoinRequest.user_id == user.id,
            JoinRequest.status == JoinRequestStatus.PENDING.value,
        )
        .order_by(JoinRequest.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def _state(actor: Actor | None, group: Group, pending: bool) -> ViewerState:
    if permissions.as_user(actor) is None:
        return ViewerState.VISITOR
    if permissions.is_member(actor, group):
        return ViewerState.MEMBER
    if pending:
        return ViewerState.PENDING
    if permissions.can_join_directly(actor, group):
        return ViewerState.CAN_JOIN
    if permissions.can_request_to_join(actor, group):
        return ViewerState.CAN_REQUEST
    return ViewerState.INVITE_ONLY


def viewer_state(group: Group, *, actor: Actor | None) -> ViewerState:
    """Where ``actor`` stands with ``group``: member, waiting, may join, may ask, …"""
    user = permissions.as_user(actor)
    pending = user is not None and pending_request(group, user) is not None
    return _state(actor, group, pending)


def member_count(group: Group) -> int:
    """How many members ``group`` has."""
    count = db.session.execute(
        sa.select(sa.func.count()).select_from(Membership).where(Membership.group_id == group.id)
    ).scalar_one()
    return int(count)


def _pending_group_ids(actor: Actor | None) -> set[int]:
    user = permissions.as_user(actor)
    if user is None:
        return set()
    rows = db.session.execute(
        sa.select(JoinRequest.group_id).where(
            JoinRequest.user_id == user.id,
            JoinRequest.status == JoinRequestStatus.PENDING.value,
        )
    ).scalars()
    return set(rows)


def listed_groups(actor: Actor | None) -> list[ThemeSection]:
    """The groups the actor may see in lists, by theme, with member counts and their state."""
    counts = (
        sa.select(Membership.group_id, sa.func.count().label("members"))
        .group_by(Membership.group_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Group, sa.func.coalesce(counts.c.members, 0))
        .outerjoin(counts, counts.c.group_id == Group.id)
        .where(permissions.listed_groups_filter(actor))
        .order_by(Group.name, Group.id)
    ).all()
    pending = _pending_group_ids(actor)
    listings = sorted(
        (
            Listing(group, int(members), _state(actor, group, group.id in pending))
            for group, members in rows
        ),
        key=lambda listing: (themes.theme_order(listing.group.theme), listing.group.theme),
    )
    return [
        ThemeSection(theme, themes.theme_label(theme), list(items))
        for theme, items in itertools.groupby(listings, key=lambda listing: listing.group.theme)
    ]


def make_cursor(published_at: datetime, story_id: int) -> str:
    """The ``?voor=`` value that continues a story list after this story."""
    return f"{(published_at - _EPOCH) // _MICROSECOND}-{story_id}"


def parse_cursor(raw: str | None) -> tuple[datetime, int] | None:
    """Read a ``?voor=`` value; None (the first page) when it is missing or garbled."""
    micros, _, story_id = (raw or "").partition("-")
    if not (micros.isdigit() and story_id.isdigit() and len(micros) < 19 and len(story_id) < 19):
        return None
    return _EPOCH + int(micros) * _MICROSECOND, int(story_id)


def stories_page(group: Group, *, actor: Actor | None, before: str | None = None) -> StoryPage:
    """The group's published stories newest first, keyset-paged by (published_at, id).

    Raises NotFound when the group is hidden from the actor, NotAllowed when they may not read.
    """
    if not permissions.can_see_group(actor, group):
        raise NotFound
    if not permissions.can_read_group(actor, group):
        raise NotAllowed
    statement = (
        sa.select(
            Story.id,
            Story.title,
            Story.anonymous,
            Story.published_at,
            Story.reply_count,
            User.pseudonym,
        )
        .outerjoin(User, User.id == Story.author_id)
        .where(
            Story.group_id == group.id,
            Story.status == PostStatus.PUBLISHED.value,
            Story.published_at.is_not(None),
        )
    )
    cursor = parse_cursor(before)
    if cursor is not None:
        moment, story_id = cursor
        statement = statement.where(
            sa.or_(
                Story.published_at < moment,
                sa.and_(Story.published_at == moment, Story.id < story_id),
            )
        )
    rows = db.session.execute(
        statement.order_by(Story.published_at.desc(), Story.id.desc()).limit(STORIES_PER_PAGE + 1)
    ).all()
    items = [
        StoryItem(
            id=row.id,
            title=row.title,
            # Decided here, not in a template, so an anonymous author's name never reaches one.
            author=None if row.anonymous else row.pseudonym,
            anonymous=row.anonymous,
            published_at=row.published_at,
            reply_count=row.reply_count,
        )
        for row in rows[:STORIES_PER_PAGE]
    ]
    older = None
    if len(rows) > STORIES_PER_PAGE:
        last = items[-1]
        older = make_cursor(last.published_at, last.id)
    return StoryPage(items=items, older=older)


def pending_count(group: Group) -> int:
    """How many requests to join ``group`` wait for a decision."""
    count = db.session.execute(
        sa.select(sa.func.count())
        .select_from(JoinRequest)
        .where(
            JoinRequest.group_id == group.id,
            JoinRequest.status == JoinRequestStatus.PENDING.value,
        )
    ).scalar_one()
    return int(count)
