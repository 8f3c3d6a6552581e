"""The groups services on a real database: joining, leaving, requests and decisions.

Factories end their own session, so each test makes its rows first and then loads them.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app import permissions
from app.accounts.models import SiteRole, User
from app.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from app.extensions import db
from app.groups import queries, services
from app.groups.models import (
    Group,
    GroupRole,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Visibility,
)
from app.notifications.models import Notification
from app.stories import services as story_services
from tests.support import Factory


def _load(user: User) -> User:
    return db.session.get(User, user.id)


def _group(group: Group) -> Group:
    return db.session.get(Group, group.id)


def _count(model: type, **filters: object) -> int:
    return db.session.execute(
        sa.select(sa.func.count()).select_from(model).filter_by(**filters)
    ).scalar_one()


def test_joining_is_seen_at_once_within_the_same_request(ctx, make: Factory):
    user_row, group_row = make.user(), make.group(Visibility.PUBLIC)
    user, group = _load(user_row), _group(group_row)
    assert not permissions.is_member(user, group)  # fills the request's cache
    services.join(group, actor=user)
    assert permissions.is_member(user, group)


def test_joining_twice_is_harmless(ctx, make: Factory):
    user_row, group_row = make.user(), make.group()
    user, group = _load(user_row), _group(group_row)
    first = services.join(group, actor=user)
    second = services.join(group, actor=user)
    assert first.id == second.id
    assert _count(Membership, user_id=user.id) == 1


def test_a_closed_group_is_not_joined_directly(ctx, make: Factory):
    user_row, group_row = make.user(), make.group(Visibility.CLOSED)
    user = _load(user_row)
    with pytest.raises(NotAllowed):
        services.join(_group(group_row), actor=user)
    assert _count(Membership, user_id=user.id) == 0


def test_a_hidden_group_does_not_admit_to_existing(ctx, make: Factory):
    user_row, group_row = make.user(), make.group(Visibility.HIDDEN)
    user, hidden = _load(user_row), _group(group_row)
    with pytest.raises(NotFound):
        services.join(hidden, actor=user)
    with pytest.raises(NotFound):
        services.request_to_join(hidden, "", actor=user)
    with pytest.raises(NotFound):
        queries.find_group(hidden.slug, actor=user)


def test_leaving_when_not_a_member_is_harmless(ctx, make: Factory):
    user_row, group_row = make.user(), make.group()
    services.leave(_group(group_row), actor=_load(user_row))


def test_the_last_manager_is_told_why_they_cannot_leave(ctx, make: Factory):
    manager = make.user()
    group = make.group()
    make.membership(manager, group, GroupRole.MANAGER)
    with pytest.raises(services.LastManager, match="enige beheerder"):
        services.leave(_group(group), actor=_load(manager))
    assert _count(Membership, user_id=manager.id) == 1


def test_a_second_request_returns_the_pending_one(ctx, make: Factory):
    user_row, group_row = make.user(), make.group(Visibility.CLOSED)
    user, group = _load(user_row), _group(group_row)
    first = services.request_to_join(group, "Eerste", actor=user)
    second = services.request_to_join(group, "Tweede", actor=user)
    assert first.id == second.id
    assert _count(JoinRequest, user_id=user.id) == 1


def test_members_do_not_ask_to_join(ctx, make: Factory):
    user = make.user()
    group = make.group(Visibility.CLOSED)
    make.membership(user, group)
    with pytest.raises(Conflict):
        services.request_to_join(_group(group), "", actor=_load(user))


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("  Hallo  ", "Hallo"),
        ("een\r\ntwee\rdrie", "een\ntwee\ndrie"),
        ("nul\x00byte", "nulbyte"),
        (None, ""),
        ("x" * 500, "x" * 500),
        ("a\r\n" * 200, ("a\n" * 200).strip()),
    ],
)
def test_motivations_are_tidied(raw: str | None, kept: str):
    assert services.clean_motivation(raw) == kept


def test_a_motivation_over_500_characters_is_refused(ctx):
    with pytest.raises(ValidationFailed) as refused:
        services.clean_motivation("x" * 501)
    assert refused.value.field == "motivation"


def test_deciding_copies_the_deciders_name_and_admits_once(ctx, make: Factory):
    requester = make.user()
    group = make.group(Visibility.CLOSED)
    decider = make.user("Moderator Mia", role=SiteRole.MODERATOR)
    request_id = services.request_to_join(_group(group), "", actor=_load(requester)).id
    # Already let in some other way meanwhile: approving must not make a second membership.
    make.membership(requester, group)

    decided = services.decide(_group(group), request_id, approve=True, actor=_load(decider))

    assert decided.status == JoinRequestStatus.APPROVED.value
    assert decided.decided_by_name == "Moderator Mia"
    assert _count(Membership, user_id=requester.id) == 1
    assert _count(Notification, user_id=requester.id) == 1


def test_a_plain_member_may_not_see_the_requests(ctx, make: Factory):
    member = make.user()
    group = make.group(Visibility.CLOSED)
    make.membership(member, group)
    with pytest.raises(NotAllowed):
        services.pending_requests(_group(group), actor=_load(member))


def test_a_failed_decision_leaves_no_trace(ctx, make: Factory):
    manager = make.user()
    group = make.group(Visibility.CLOSED)
    make.membership(manager, group, GroupRole.MANAGER)
    requester = make.user()
    request_id = services.request_to_join(_group(group), "", actor=_load(requester)).id
    services.decide(_group(group), request_id, approve=False, actor=_load(manager))
    notifications_before = _count(Notification)
    with pytest.raises(Conflict):
        services.decide(_group(group), request_id, approve=True, actor=_load(manager))
    assert _count(Notification) == notifications_before
    assert _count(Membership, group_id=group.id) == 1


def test_the_group_page_never_shows_an_anonymous_authors_name(client, make: Factory):
    author = make.user("Herkenbaar Iemand")
    group_row = make.group()
    make.story(group_row, author=author, title="Anoniem gedeeld", anonymous=True)
    page = client.get(f"/groepen/{group_row.slug}").get_data(as_text=True)
    assert "Anoniem gedeeld" in page
    assert "Herkenbaar Iemand" not in page
    make.story(group_row, author=author, title="Met naam gedeeld")
    assert "Herkenbaar Iemand" in client.get(f"/groepen/{group_row.slug}").get_data(as_text=True)


def test_a_closed_groups_stories_are_refused_to_outsiders(ctx, make: Factory):
    group_row = make.group(Visibility.CLOSED)
    with pytest.raises(NotFound):
        story_services.group_stories(None, _group(group_row))
