"""Who reaches a study's pages, and research content never showing outside its group:
not in search for others, feeds, the sitemap, figures or socket rooms. Moderators do get
crisis items from research groups in their queue."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app import permissions
from app.accounts.models import SiteRole, User
from app.extensions import db
from app.groups.models import GroupRole
from app.guarantee import figures
from app.realtime import access
from app.realtime.rooms import Room
from app.search import current_engine, indexer
from app.search import service as search
from app.stories.services import feed_group_ids
from tests.research.conftest import StudyKit
from tests.support import Visitor

ROLES = (
    "visitor",
    "member_elsewhere",
    "moderator",
    "other_researcher",
    "waiting_member",
    "participant",
    "researcher",
    "admin",
)
TOOLS = ("programma", "uitnodigingen", "deelname", "toestemmingstekst", "export.csv", "export.json")


@pytest.fixture
def people(kit: StudyKit, make) -> dict[str, User]:
    other_group = make.group()
    member_elsewhere = make.user()
    make.membership(member_elsewhere, other_group)
    other_researcher = make.user(role=SiteRole.RESEARCHER)
    with kit.app.test_request_context():
        from app.research import services

        services.start_study(
            "Een ander onderzoek",
            "",
            "Andere uitleg",
            actor=db.session.get(User, other_researcher.id),
        )
    waiting = make.user()
    with kit.app.app_context():
        make.membership(waiting, kit.group())
    return {
        "member_elsewhere": member_elsewhere,
        "moderator": make.user(role=SiteRole.MODERATOR),
        "other_researcher": other_researcher,
        "waiting_member": waiting,
        "participant": kit.participant(),
        "researcher": kit.researcher,
        "admin": make.user(role=SiteRole.ADMIN),
    }


def _as(kit: StudyKit, people: dict[str, User], role: str) -> Visitor:
    visitor = Visitor(kit.app.test_client())
    if role != "visitor":
        visitor.login(people[role])
    return visitor


@pytest.mark.parametrize("role", ROLES)
def test_researcher_tools_answer_each_role_as_expected(kit, people, role):
    kit.opened(kit.plan(1))
    visitor = _as(kit, people, role)
    expected = {
        "visitor": 302,
        "researcher": 200,
        "admin": 200,
        # They know the study exists (they were invited) but the tools are not theirs.
        "participant": 403,
        "waiting_member": 403,
    }.get(role, 404)
    for tool in TOOLS:
        status = visitor.get(f"/onderzoek/{kit.slug}/{tool}").status_code
        assert status == expected, f"{role} on {tool}: {status}"
    refused = 302 if role == "visitor" else expected
    posted = visitor.post(f"/onderzoek/{kit.slug}/programma/1/herinnering")
    assert posted.status_code == (302 if expected == 200 else refused)


@pytest.mark.parametrize("role", ROLES)
def test_study_content_answers_each_role_as_expected(kit, people, role):
    prompt = kit.opened(kit.plan(1))
    visitor = _as(kit, people, role)
    readers = {"participant", "researcher", "admin"}
    story = visitor.get(f"/verhalen/{prompt.story_id}").status_code
    assert story == (200 if role in readers else 404), role
    page = visitor.get(f"/onderzoek/{kit.slug}/dag/1").status_code
    expected = 200 if role in readers else 302 if role == "visitor" else 404
    assert page == expected, role


def test_the_research_group_stays_out_of_search_scope_for_everyone_outside_it(kit, people):
    with kit.app.test_request_context():
        for role in ("member_elsewhere", "moderator", "other_researcher", "waiting_member"):
            actor = db.session.get(User, people[role].id)
            permissions.forget_group_roles()
            scope = set(db.session.execute(feed_group_ids(actor)).scalars())
            assert kit.group_id not in scope, role
        actor = db.session.get(User, people["participant"].id)
        permissions.forget_group_roles()
        assert kit.group_id in set(db.session.execute(feed_group_ids(actor)).scalars())


def test_search_finds_a_response_only_for_those_in_the_study(kit, people):
    prompt = kit.opened(kit.plan(1))
    kit.make.reply(
        SimpleNamespace(id=prompt.story_id), people["participant"], body="Vlierbessensap hielp."
    )
    with kit.app.app_context():
        indexer.run_once(current_engine(kit.app))
    with kit.app.test_request_context():
        for role, found in (("member_elsewhere", False), ("participant", True)):
            actor = db.session.get(User, people[role].id)
            permissions.forget_group_roles()
            outcome = search.search(actor, {"q": "vlierbessensap"})
            assert bool(outcome.results) is found, role


def test_withdrawn_responses_are_not_found_by_the_other_participants(kit, people):
    prompt = kit.opened(kit.plan(1))
    leaving = kit.participant()
    kit.make.reply(SimpleNamespace(id=prompt.story_id), leaving, body="Vlierbessensap hielp.")
    with kit.app.app_context():
        indexer.run_once(current_engine(kit.app))
    _as(kit, {"p": leaving}, "p").post(f"/onderzoek/{kit.slug}/terugtrekken")
    with kit.app.test_request_context():
        actor = db.session.get(User, people["participant"].id)
        assert search.search(actor, {"q": "vlierbessensap"}).results == []


def test_research_content_stays_out_of_the_sitemap_feeds_and_figures(kit, people, client):
    prompt = kit.opened(kit.plan(1))
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert f"/verhalen/{prompt.story_id}<" not in sitemap
    assert kit.slug not in sitemap
    assert client.get(f"/groepen/{kit.slug}/feed.xml").status_code == 404
    with kit.app.test_request_context():
        admin = db.session.get(User, people["admin"].id)
        assert kit.group_id not in {group.id for group in figures.visible_groups(admin)}
    dashboard = _as(kit, people, "admin").get("/reactiegarantie").get_data(as_text=True)
    assert "Vraag van dag 1" not in dashboard


def test_socket_rooms_follow_the_study_rules(kit, people):
    prompt = kit.opened(kit.plan(1))
    with kit.app.test_request_context():
        for role, allowed in (
            ("participant", True),
            ("researcher", True),
            ("waiting_member", False),
            ("moderator", False),
            ("other_researcher", False),
        ):
            actor = db.session.get(User, people[role].id)
            permissions.forget_group_roles()
            assert access.may_join(actor, Room("group", kit.group_id)) is allowed, role
            assert access.may_join(actor, Room("story", prompt.story_id)) is allowed, role


def test_the_study_appears_in_the_group_list_only_for_its_people(kit, people):
    for role, listed in (("member_elsewhere", False), ("participant", True)):
        page = _as(kit, people, role).get("/groepen").get_data(as_text=True)
        assert ("Tien dagen meedenken" in page) is listed, role


def test_moderators_get_a_crisis_item_from_a_research_group(kit, people):
    prompt = kit.opened(kit.plan(1))
    participant = _as(kit, people, "participant")
    response = participant.post(
        f"/verhalen/{prompt.story_id}/reageren", {"body": "Ik wil niet meer leven."}
    )
    assert response.status_code == 302
    queue = _as(kit, people, "moderator").get("/moderatie/")
    assert queue.status_code == 200
    with kit.app.app_context():
        from moderation.models import ModerationItem

        items = db.session.execute(sa.select(ModerationItem)).scalars().all()
        assert [item.group_id for item in items] == [kit.group_id]


def test_a_research_group_manager_is_a_researcher_of_that_study_only(kit, people):
    with kit.app.test_request_context():
        other = db.session.get(User, people["other_researcher"].id)
        assert not permissions.can_run_study(other, kit.group())
        assert permissions.role_in(kit.researcher, kit.group()) is GroupRole.MANAGER
