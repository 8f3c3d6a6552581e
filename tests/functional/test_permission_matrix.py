"""Who reaches which staff page: one table, every role.

Only moderators (and admins) reach moderation; only admins the audit log; ambassadors see
what the response guarantee needs and nothing of moderation.
"""

from __future__ import annotations

import pytest
from flask import Flask

from app.accounts.models import SiteRole
from app.groups.models import GroupRole
from tests.support import Factory, Visitor

ROLES = ("visitor", "member", "ambassador", "content_manager", "moderator", "admin")

# path → the roles that get 200; everyone else 403, and visitors are sent to log in (302).
PAGES = {
    "/moderatie/": {"moderator", "admin"},
    "/moderatie/instellingen": {"moderator", "admin"},
    "/moderatie/cijfers": {"moderator", "admin"},
    "/beheer/logboek": {"admin"},
    "/beheer/logboek.csv": {"admin"},
    "/wachtrij": {"ambassador"},
    "/reactiegarantie": {"content_manager", "moderator", "admin"},
    "/reactiegarantie/cijfers": {"ambassador", "content_manager", "moderator", "admin"},
    "/beheer/groepen": {"admin"},
    "/beheer/cijfers": {"content_manager", "admin"},
    "/beheer/cijfers/per-groep.csv": {"content_manager", "admin"},
}


@pytest.fixture
def people(app: Flask, make: Factory) -> dict:
    group = make.group()
    member, ambassador = make.user(), make.user()
    make.membership(member, group)
    make.membership(ambassador, group, GroupRole.AMBASSADOR)
    return {
        "member": member,
        "ambassador": ambassador,
        "content_manager": make.user(role=SiteRole.CONTENT_MANAGER),
        "moderator": make.user(role=SiteRole.MODERATOR),
        "admin": make.user(role=SiteRole.ADMIN),
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_staff_page_answers_each_role_as_the_table_says(app, people, client, role):
    visitor = Visitor(client)
    if role != "visitor":
        visitor.login(people[role])
    for path, allowed in PAGES.items():
        status = visitor.get(path).status_code
        expected = 302 if role == "visitor" else 200 if role in allowed else 403
        assert status == expected, f"{role} on {path}: {status}, expected {expected}"


@pytest.mark.parametrize("role", ["member", "ambassador", "content_manager"])
def test_nobody_but_moderators_changes_anything_in_moderation(app, people, client, role):
    visitor = Visitor(client)
    visitor.login(people[role])
    for path, data in [
        ("/moderatie/woorden", {"phrase": "x", "action": "block"}),
        ("/moderatie/redenen", {"title": "x", "body": "y"}),
        ("/moderatie/instellingen", {"new_member_held_posts": "0"}),
        ("/moderatie/items/1/besluit", {"decision": "approve", "version": "1"}),
        ("/moderatie/items/1/notitie", {"body": "x"}),
        ("/moderatie/items/1/oppakken", {}),
        ("/moderatie/leden/1/notitie", {"body": "x"}),
    ]:
        assert visitor.post(path, data).status_code == 403, path
