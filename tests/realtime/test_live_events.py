"""Live events through the Socket.IO test client: what an open page hears, and what it never
may. Each event is caused the way a person causes it: through the pages."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from app.accounts.models import SiteRole
from app.database import unit_of_work
from app.extensions import db
from app.groups.models import GroupRole, JoinRequest, Visibility
from app.notifications.services import notify
from app.realtime import events
from tests.support import Factory

CRISIS = "Sinds die nacht wil ik niet meer leven. Ik weet het niet meer."


@pytest.fixture
def thread(make: Factory):
    """A public group with a story by Schrijver, and a member Lid who may reply."""
    group = make.group()
    writer, member = make.user("Schrijver"), make.user("Lid Lotte")
    make.membership(writer, group)
    make.membership(member, group)
    story = make.story(group, writer, title="Na de inbraak")
    return group, story, writer, member


def _reply(person, story_id: int, body: str = "Ik herken dit zo.", **extra: str):
    response = person.http.post(f"/verhalen/{story_id}/reageren", {"body": body, **extra})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


# --- a new reply on an open story page ------------------------------------------------------


def test_a_visitor_reading_a_public_story_hears_of_a_new_reply(open_page, thread):
    _group, story, _writer, member = thread
    reader = open_page()
    assert reader.join(f"story:{story.id}")
    replier = open_page(member)

    _reply(replier, story.id)

    [event] = reader.events("reply")
    assert event["story_id"] == story.id
    listed = reader.http.get(f"/verhalen/{story.id}/reacties").get_data(as_text=True)
    assert f'id="reactie-{event["reply_id"]}"' in listed
    assert "Ik herken dit zo." in listed


def test_an_anonymous_reply_reaches_the_page_without_its_writers_name(open_page, thread):
    _group, story, _writer, member = thread
    reader = open_page()
    assert reader.join(f"story:{story.id}")

    _reply(open_page(member), story.id, "Anoniem gezegd.", anonymous="y")

    [event] = reader.events("reply")
    sent = json.dumps(event)
    assert "Lid Lotte" not in sent
    assert str(member.id) not in sent.replace(str(event["reply_id"]), "").replace(str(story.id), "")
    listed = reader.http.get(f"/verhalen/{story.id}/reacties").get_data(as_text=True)
    assert "Anoniem gezegd." in listed
    assert "Anoniem lid" in listed
    assert "Lid Lotte" not in listed


def test_nothing_is_sent_for_work_that_was_rolled_back(open_page, thread, app):
    group, story, _writer, _member = thread
    reader = open_page()
    assert reader.join(f"group:{group.id}")
    with app.test_request_context(), pytest.raises(RuntimeError), unit_of_work():
        events.publish_story(story)
        raise RuntimeError("the transaction fails")
    assert reader.events() == []
    with app.test_request_context(), unit_of_work():
        events.publish_story(story)
        events.publish_story(story)  # twice in one unit of work: sent once
    assert reader.events("story") == [{"group_id": group.id, "story_id": story.id}]


def test_a_held_reply_is_not_announced_until_a_moderator_lets_it_through(
    open_page, thread, app, make: Factory
):
    _group, story, _writer, _member = thread
    newcomer = make.user("Nieuw")
    make.membership(newcomer, _group)
    app.config["MODERATION_NEW_MEMBER_HELD_POSTS"] = 1
    reader = open_page()
    assert reader.join(f"story:{story.id}")

    _reply(open_page(newcomer), story.id, "Mijn eerste reactie.")

    assert reader.events("reply") == []
    assert "Mijn eerste reactie." not in reader.http.get(f"/verhalen/{story.id}/reacties").get_data(
        as_text=True
    )


# --- reaction counts ----------------------------------------------------------------------


def test_reaction_counts_update_on_open_pages_without_saying_who(open_page, thread):
    _group, story, _writer, member = thread
    reader = open_page()
    assert reader.join(f"story:{story.id}")
    giver = open_page(member)

    giver.http.post(f"/verhalen/{story.id}/steun", {"soort": "support"})

    [event] = reader.events("reactions")
    assert event == {
        "story_id": story.id,
        "post": "story",
        "post_id": story.id,
        "counts": {"recognition": 0, "support": 1, "strength": 0, "thanks": 0},
    }
    giver.http.post(f"/verhalen/{story.id}/steun", {"soort": "support", "geven": "0"})
    [taken_back] = reader.events("reactions")
    assert taken_back["counts"]["support"] == 0


# --- the notification bell ------------------------------------------------------------------


def test_the_writer_hears_of_a_reply_on_their_story_on_any_open_page(
    open_page, thread, make: Factory
):
    _group, story, writer, member = thread
    writer_page = open_page(writer)  # on any page: their own room is joined on connect
    writer_page.http.post(f"/verhalen/{story.id}/volgen")  # as sharing a story does
    bystander = open_page(make.user())
    before = writer_page.http.get("/meldingen/sinds/0").get_json()

    _reply(open_page(member), story.id)

    assert len(writer_page.events("notification")) == 1
    assert bystander.events("notification") == []
    after = writer_page.http.get(f"/meldingen/sinds/{before['latest_id']}").get_json()
    assert after["unread"] == before["unread"] + 1
    [item] = after["items"]
    assert "reageerde op je verhaal" in item["text"]


def test_a_decided_join_request_rings_the_requesters_bell(open_page, make: Factory, app):
    group = make.group(Visibility.CLOSED)
    manager, requester = make.user("Beheerder"), make.user("Vraagt")
    make.membership(manager, group, GroupRole.MANAGER)
    asking = open_page(requester)
    asking.http.post(f"/groepen/{group.slug}/aanvraag", {"motivation": ""})
    asking.events()
    with app.app_context():
        request_id = db.session.execute(
            sa.select(JoinRequest.id).where(JoinRequest.group_id == group.id)
        ).scalar_one()

    open_page(manager).http.post(f"/groepen/{group.slug}/aanvragen/{request_id}/goedkeuren")

    assert len(asking.events("notification")) == 1
    latest = asking.http.get("/meldingen/sinds/0").get_json()
    assert "Welkom! Je bent nu lid van" in latest["items"][0]["text"]


def test_a_notification_in_the_worker_goes_to_that_member_only(open_page, make: Factory, app):
    one, other = make.user(), make.user()
    one_page, other_page = open_page(one), open_page(other)
    with app.test_request_context(), unit_of_work():
        notify(one.id, "moderation.report_received", {})
    assert len(one_page.events("notification")) == 1
    assert other_page.events() == []


# --- staff queues ---------------------------------------------------------------------------


def test_ambassadors_see_their_queue_change_when_a_story_is_shared(open_page, make: Factory):
    group = make.group(slug="samen-live")
    ambassador, writer = make.user("Amb"), make.user("Deelt")
    make.membership(ambassador, group, GroupRole.AMBASSADOR)
    make.membership(writer, group)
    on_queue = open_page(ambassador)
    assert on_queue.join(f"ambassadors:{group.id}")

    open_page(writer).http.post(
        "/groepen/samen-live/verhaal-delen", {"title": "Vandaag", "body": "Het was zwaar."}
    )

    assert on_queue.events("ambassador_queue") == [{"group_id": group.id}]


def test_a_crisis_post_alerts_moderators_on_duty_and_nobody_else(open_page, make: Factory):
    group = make.group(slug="crisis-live")
    writer, moderator, member = make.user(), make.user(role=SiteRole.MODERATOR), make.user()
    make.membership(writer, group)
    make.membership(member, group)
    on_duty, bystander = open_page(moderator), open_page(member)

    open_page(writer).http.post(
        "/groepen/crisis-live/verhaal-delen", {"title": "Die nacht", "body": CRISIS}
    )

    [alert] = on_duty.events("moderation_urgent")
    assert alert["link"] == f"/moderatie/items/{alert['item_id']}"
    assert bystander.events("moderation_urgent") == []
    assert bystander.events("moderation_queue") == []


# --- refusals ---------------------------------------------------------------------------------


def test_a_visitor_cannot_join_a_closed_group_or_its_stories(open_page, make: Factory):
    closed = make.group(Visibility.CLOSED)
    writer, member = make.user(), make.user()
    make.membership(writer, closed)
    make.membership(member, closed)
    story = make.story(closed, writer)
    visitor = open_page()

    assert not visitor.join(f"group:{closed.id}")
    assert not visitor.join(f"story:{story.id}")
    _reply(open_page(member), story.id, "Alleen voor leden.")
    assert visitor.events() == []


def test_a_member_of_the_closed_group_may_watch_its_stories(open_page, make: Factory):
    closed = make.group(Visibility.CLOSED)
    writer = make.user()
    make.membership(writer, closed)
    story = make.story(closed, writer)
    assert open_page(writer).join(f"story:{story.id}")
    assert open_page(writer).join(f"group:{closed.id}")


def test_a_member_cannot_join_another_members_room(open_page, make: Factory, app):
    snoop, other = make.user(), make.user()
    page = open_page(snoop)

    assert not page.join(f"user:{other.id}")
    with app.test_request_context(), unit_of_work():
        notify(other.id, "moderation.report_received", {})
    assert page.events() == []
    assert page.join(f"user:{snoop.id}")


def test_staff_rooms_are_for_their_role_only(open_page, make: Factory):
    group = make.group()
    member = make.user()
    make.membership(member, group)
    page = open_page(member)
    assert not page.join("moderators")
    assert not page.join(f"ambassadors:{group.id}")
    assert open_page(make.user(role=SiteRole.MODERATOR)).join("moderators")


def test_a_story_by_someone_the_reader_blocked_cannot_be_watched(open_page, make: Factory):
    group = make.group()
    writer, reader = make.user("Geblokt"), make.user()
    make.membership(writer, group)
    make.membership(reader, group)
    story = make.story(group, writer)
    page = open_page(reader)
    assert page.join(f"story:{story.id}")
    page.http.post(f"/blokkeren/{writer.id}")

    assert not open_page(reader).join(f"story:{story.id}")


def test_a_reply_by_someone_the_reader_blocked_arrives_folded(open_page, make: Factory, thread):
    _group, story, _writer, member = thread
    reader = make.user()
    make.membership(reader, _group)
    page = open_page(reader)
    page.http.post(f"/blokkeren/{member.id}")
    assert page.join(f"story:{story.id}")

    _reply(open_page(member), story.id, "Van iemand die je blokkeerde.")

    assert len(page.events("reply")) == 1
    listed = page.http.get(f"/verhalen/{story.id}/reacties").get_data(as_text=True)
    assert "Van iemand die je blokkeerde." not in listed
    assert "Je hebt dit lid geblokkeerd." in listed


@pytest.mark.parametrize(
    "room", ["", "story:abc", "story:0", "users:1", "moderators:1", "guarantee:1", 7, None]
)
def test_nonsense_room_names_are_refused(open_page, room):
    assert not open_page().join(room)
