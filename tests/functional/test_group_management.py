"""Group managers: assigning ambassadors (audited), the guarantee settings, their overview."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app import clock
from app.accounts.models import SiteRole
from app.audit.models import AuditEntry
from app.extensions import db
from app.groups.models import Group, GroupRole, Membership
from app.notifications import kinds
from app.notifications.models import Notification
from tests.support import Factory, Visitor


@pytest.fixture
def group_with_manager(make: Factory) -> tuple[Group, object, object]:
    group = make.group(name="Verkeersslachtoffers", slug="verkeer")
    manager, member = make.user("Mira"), make.user("Noor")
    make.membership(manager, group, GroupRole.MANAGER)
    make.membership(member, group)
    return group, manager, member


def _role(app: Flask, group: Group, user) -> str:
    with app.app_context():
        return db.session.execute(
            sa.select(Membership.role).filter_by(group_id=group.id, user_id=user.id)
        ).scalar_one()


def _audit(app: Flask) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.id)).scalars())


def test_a_manager_makes_a_member_ambassador_and_it_is_logged(app, group_with_manager, visitor):
    group, manager, member = group_with_manager
    visitor.login(manager)
    response = visitor.post(
        f"/groepen/verkeer/beheer/leden/{member.id}/rol", {"role": "ambassador"}
    )
    assert response.status_code == 302
    assert _role(app, group, member) == "ambassador"
    [entry] = _audit(app)
    assert (entry.actor_name, entry.action, entry.target_id, entry.group_id) == (
        "Mira",
        "group.ambassador_assigned",
        member.id,
        group.id,
    )
    assert entry.details == {"from": "member", "to": "ambassador"}
    with app.app_context():
        kinds_sent = db.session.execute(
            sa.select(Notification.kind).filter_by(user_id=member.id)
        ).scalars()
        assert list(kinds_sent) == [kinds.AMBASSADOR_ASSIGNED]
    visitor.post(f"/groepen/verkeer/beheer/leden/{member.id}/rol", {"role": "member"})
    assert _role(app, group, member) == "member"
    assert [e.action for e in _audit(app)] == ["group.ambassador_assigned", "group.role_removed"]


def test_only_managers_and_admins_assign_roles(app, group_with_manager, make, visitor):
    group, _manager, member = group_with_manager
    ambassador = make.user()
    make.membership(ambassador, group, GroupRole.AMBASSADOR)
    visitor.login(ambassador)
    path = f"/groepen/verkeer/beheer/leden/{member.id}/rol"
    assert visitor.post(path, {"role": "ambassador"}).status_code == 403
    assert visitor.get("/groepen/verkeer/beheer").status_code == 403
    assert _role(app, group, member) == "member"
    visitor.logout()
    visitor.login(make.user(role=SiteRole.ADMIN))
    assert visitor.post(path, {"role": "ambassador"}).status_code == 302
    assert _role(app, group, member) == "ambassador"


def test_the_last_manager_cannot_step_down(app, group_with_manager, visitor):
    group, manager, _member = group_with_manager
    visitor.login(manager)
    page = visitor.post(
        f"/groepen/verkeer/beheer/leden/{manager.id}/rol", {"role": "member"}, follow_redirects=True
    )
    assert "minstens één beheerder" in page.get_data(as_text=True)
    assert _role(app, group, manager) == "manager"
    assert _audit(app) == []


def test_an_unknown_role_is_refused_kindly(app, group_with_manager, visitor):
    group, manager, member = group_with_manager
    visitor.login(manager)
    page = visitor.post(
        f"/groepen/verkeer/beheer/leden/{member.id}/rol", {"role": "koning"}, follow_redirects=True
    )
    assert page.status_code == 200
    assert "Kies een rol uit de lijst." in page.get_data(as_text=True)
    assert _role(app, group, member) == "member"


def test_the_response_target_can_be_changed_and_is_logged(app, group_with_manager, visitor):
    group, manager, _member = group_with_manager
    visitor.login(manager)
    response = visitor.post(
        "/groepen/verkeer/beheer/reactiegarantie", {"target_hours": "12", "claim_minutes": "45"}
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Group, group.id)
        assert (saved.response_target_minutes, saved.claim_minutes) == (720, 45)
    [entry] = _audit(app)
    assert entry.action == "group.guarantee_changed"
    assert entry.details["to"] == {"target_minutes": 720, "claim_minutes": 45}


@pytest.mark.parametrize("hours", ["0", "1000", "twaalf", ""])
def test_an_impossible_target_gives_the_form_back(app, group_with_manager, visitor, hours):
    group, manager, _member = group_with_manager
    visitor.login(manager)
    page = visitor.post(
        "/groepen/verkeer/beheer/reactiegarantie", {"target_hours": hours, "claim_minutes": "45"}
    )
    assert page.status_code == 422
    assert 'value="45"' in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Group, group.id).response_target_minutes == 24 * 60


def test_the_overview_points_at_groups_without_an_active_ambassador(
    app, group_with_manager, make: Factory, client
):
    group, manager, _member = group_with_manager
    served = make.group(name="Met ambassadeur")
    make.membership(manager, served, GroupRole.MANAGER)
    ambassador = make.user()
    make.membership(ambassador, served, GroupRole.AMBASSADOR)
    make.membership(make.user(), group, GroupRole.AMBASSADOR)  # never logged in: not active
    Visitor(app.test_client()).login(ambassador)
    visitor = Visitor(client)
    visitor.login(manager)
    html = visitor.get("/beheer/groepen").get_data(as_text=True)
    verkeer = html[html.index("Verkeersslachtoffers") :]
    assert "Geen actieve ambassadeur" in verkeer[: verkeer.index("</tr>")]
    served_row = html[html.index("Met ambassadeur") :]
    assert "Geen actieve ambassadeur" not in served_row[: served_row.index("</tr>")]


def test_an_ambassador_away_for_long_no_longer_counts_as_active(app, make: Factory, client):
    group = make.group(name="Stil")
    manager, ambassador = make.user(), make.user()
    make.membership(manager, group, GroupRole.MANAGER)
    make.membership(ambassador, group, GroupRole.AMBASSADOR)
    with clock.frozen(clock.utcnow() - timedelta(days=40)):
        Visitor(app.test_client()).login(ambassador, remember=True)
    visitor = Visitor(client)
    visitor.login(manager)
    assert "Geen actieve ambassadeur" in visitor.get("/beheer/groepen").get_data(as_text=True)


def test_members_cannot_see_the_overview(group_with_manager, visitor):
    visitor.login(group_with_manager[2])
    assert visitor.get("/beheer/groepen").status_code == 403


def test_the_audit_log_cannot_be_changed_or_emptied(app, group_with_manager, visitor):
    _group, manager, member = group_with_manager
    visitor.login(manager)
    visitor.post(f"/groepen/verkeer/beheer/leden/{member.id}/rol", {"role": "ambassador"})
    with app.app_context():
        for statement in (
            sa.update(AuditEntry).values(reason="weggepoetst"),
            sa.delete(AuditEntry),
        ):
            with (
                pytest.raises(sa.exc.DBAPIError, match="append-only"),
                db.session.begin_nested(),
            ):
                db.session.execute(statement)
        assert len(_audit(app)) == 1
