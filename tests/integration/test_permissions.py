"""permissions.py on a real database: who may see, read, join and decide, and the list filter."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app import permissions
from app.accounts.models import SiteRole, User
from app.extensions import db
from app.groups.models import Group, GroupRole, Visibility
from tests.support import Factory

ROLES = ["visitor", "non_member", "member", "ambassador", "manager", "moderator", "admin"]


class Visitor:
    is_authenticated = False


def _actor(role: str, group: Group, make: Factory) -> User | Visitor:
    if role == "visitor":
        return Visitor()
    site = {"moderator": SiteRole.MODERATOR, "admin": SiteRole.ADMIN}
    user = make.user(role=site.get(role, SiteRole.MEMBER))
    group_role = {
        "member": GroupRole.MEMBER,
        "ambassador": GroupRole.AMBASSADOR,
        "manager": GroupRole.MANAGER,
    }
    if role in group_role:
        make.membership(user, group, group_role[role])
    return db.session.get(User, user.id)


# Who may decide on the join requests of a closed group.
DECIDES = {
    "visitor": False,
    "non_member": False,
    "member": False,
    "ambassador": True,
    "manager": True,
    "moderator": True,
    "admin": True,
}


@pytest.mark.parametrize("role", ROLES)
def test_who_decides_join_requests_of_a_closed_group(ctx, make: Factory, role: str):
    group = make.group(Visibility.CLOSED)
    actor = _actor(role, group, make)
    assert permissions.can_decide_join_requests(actor, group) is DECIDES[role]


@pytest.mark.parametrize("role", ["moderator", "admin", "non_member"])
def test_nobody_outside_a_hidden_group_decides_for_it(ctx, make: Factory, role: str):
    group = make.group(Visibility.HIDDEN)
    assert not permissions.can_decide_join_requests(_actor(role, group, make), group)


@pytest.mark.parametrize(
    ("visibility", "joins", "asks"),
    [
        (Visibility.PUBLIC, True, False),
        (Visibility.CLOSED, False, True),
        (Visibility.HIDDEN, False, False),
    ],
)
def test_how_an_outsider_may_become_a_member(
    ctx, make: Factory, visibility: Visibility, joins: bool, asks: bool
):
    group = make.group(visibility)
    outsider = _actor("non_member", group, make)
    assert permissions.can_join_directly(outsider, group) is joins
    assert permissions.can_request_to_join(outsider, group) is asks
    assert not permissions.can_join_directly(Visitor(), group)
    assert not permissions.can_request_to_join(Visitor(), group)


@pytest.mark.parametrize("role", ["member", "manager"])
def test_members_can_neither_join_nor_ask_again(ctx, make: Factory, role: str):
    for visibility in (Visibility.PUBLIC, Visibility.CLOSED):
        group = make.group(visibility)
        actor = _actor(role, group, make)
        permissions.forget_group_roles()
        assert not permissions.can_join_directly(actor, group)
        assert not permissions.can_request_to_join(actor, group)


@pytest.mark.parametrize(
    ("role", "sees_hidden"),
    [("visitor", False), ("non_member", False), ("member", True), ("moderator", False)],
)
def test_lists_show_public_and_closed_groups_and_only_ones_own_hidden_groups(
    ctx, make: Factory, role: str, sees_hidden: bool
):
    public = make.group(Visibility.PUBLIC)
    closed = make.group(Visibility.CLOSED)
    hidden = make.group(Visibility.HIDDEN)
    actor = _actor(role, hidden, make)
    permissions.forget_group_roles()
    listed = set(
        db.session.execute(
            sa.select(Group.id).where(permissions.listed_groups_filter(actor))
        ).scalars()
    )
    assert {public.id, closed.id} <= listed
    assert (hidden.id in listed) is sees_hidden


def test_as_user_tells_visitors_from_members(ctx, make: Factory):
    user = db.session.get(User, make.user().id)
    assert permissions.as_user(user) is user
    assert permissions.as_user(Visitor()) is None
    assert permissions.as_user(None) is None
