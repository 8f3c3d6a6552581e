"""Reading the groups area: finding a group, the group list, the viewer's state, stories."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa

from app import permissions
from app.accounts.models import User
from app.errors import NotFound
from app.extensions import db
from app.groups import themes
from app.groups.models import Group, JoinRequest, JoinRequestStatus, Membership
from app.permissions import Actor


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


# The statements of every group page, built once: building and keying them cost about as
# much as running them.
_BY_SLUG = sa.select(Group).where(Group.slug == sa.bindparam("slug"))
_MEMBER_COUNT = (
    sa.select(sa.func.count())
    .select_from(Membership)
    .where(Membership.group_id == sa.bindparam("group_id"))
)


def find_group(slug: str, *, actor: Actor | None) -> Group:
    """Return the group with ``slug``; raises NotFound when absent or hidden from the actor."""
    group = db.session.execute(_BY_SLUG, {"slug": slug}).scalar_one_or_none()
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
    # A member's state does not depend on a request, so members are spared the query.
    pending = (
        user is not None
        and not permissions.is_member(user, group)
        and pending_request(group, user) is not None
    )
    return _state(actor, group, pending)


def member_count(group: Group) -> int:
    """How many members ``group`` has."""
    count = db.session.execute(_MEMBER_COUNT, {"group_id": group.id}).scalar_one()
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
