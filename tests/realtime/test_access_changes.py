"""Rooms are checked again when access changes: a page open before the change hears nothing
afterwards from rooms its reader may no longer be in, and learns that it changed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from app.accounts.models import SiteRole
from app.database import unit_of_work
from app.extensions import db
from app.groups import exclusions
from app.groups.models import Group, GroupRole, Visibility
from app.notifications.services import notify
from app.realtime import events
from moderation.models import ModerationItem
from tests.support import Factory


@pytest.fixture
def closed(make: Factory):
    """A closed group with a story by Schrijver, and members Lid and Blijft watching it."""
    group = make.group(Visibility.CLOSED, slug="besloten")
    writer, leaving, staying = make.user("Schrijver"), make.user("Lid"), make.user("Blijft")
    for person in (writer, leaving, staying):
        make.membership(person, group)
    story = make.story(group, writer, title="Alleen voor ons")
    return group, story, writer, leaving, staying


def _reply(person, story_id: int, body: str = "Ik ben er voor je.") -> None:
    answer = person.http.post(f"/verhalen/{story_id}/reageren", {"body": body})
    assert answer.status_code == 302, answer.get_data(as_text=True)


def test_a_member_who_leaves_a_closed_group_hears_nothing_more_from_it(open_page, closed):
    group, story, writer, leaving, staying = closed
    page, other = open_page(leaving), open_page(staying)
    assert page.join(f"story:{story.id}") and page.join(f"group:{group.id}")
    assert other.join(f"story:{story.id}")

    page.http.post(f"/groepen/{group.slug}/verlaten")

    assert page.events("access_changed") == [{}]
    assert other.events() == []  # nobody else is told anything
    _reply(open_page(writer), story.id)
    assert page.events() == []
    assert len(other.events("reply")) == 1
    assert not page.join(f"story:{story.id}")  # joining again is refused too


def test_leaving_a_public_group_keeps_what_anyone_may_read(open_page, make: Factory):
    group = make.group()
    writer, member = make.user(), make.user()
    make.membership(writer, group)
    make.membership(member, group)
    story = make.story(group, writer)
    page = open_page(member)
    assert page.join(f"story:{story.id}")

    page.http.post(f"/groepen/{group.slug}/verlaten")
    page.events()
    _reply(open_page(writer), story.id)

    assert len(page.events("reply")) == 1


def test_a_member_kept_out_by_moderators_leaves_the_groups_rooms(open_page, closed, app):
    group, story, writer, leaving, _staying = closed
    page = open_page(leaving)
    assert page.join(f"story:{story.id}")
    with app.test_request_context(), unit_of_work():
        exclusions.exclude(group, leaving.id, by=writer)

    _reply(open_page(writer), story.id)

    assert page.events("reply") == []


def test_blocking_the_writer_takes_the_page_out_of_their_story(open_page, make: Factory):
    group = make.group()
    writer, reader, other = make.user("Geblokt"), make.user(), make.user()
    for person in (writer, reader, other):
        make.membership(person, group)
    story = make.story(group, writer)
    page = open_page(reader)
    assert page.join(f"story:{story.id}")

    page.http.post(f"/blokkeren/{writer.id}")
    assert page.heard() == ["access_changed"]
    _reply(open_page(other), story.id)

    assert page.heard() == []


def test_an_ambassador_made_member_again_leaves_the_queue_room(open_page, make: Factory):
    group = make.group(slug="samen-rol")
    manager, ambassador, writer = make.user(), make.user(), make.user()
    make.membership(manager, group, GroupRole.MANAGER)
    make.membership(ambassador, group, GroupRole.AMBASSADOR)
    make.membership(writer, group)
    queue_page = open_page(ambassador)
    assert queue_page.join(f"ambassadors:{group.id}")

    open_page(manager).http.post(
        f"/groepen/samen-rol/beheer/leden/{ambassador.id}/rol", {"role": "member"}
    )
    open_page(writer).http.post(
        "/groepen/samen-rol/verhaal-delen", {"title": "Vandaag", "body": "Het was zwaar."}
    )

    assert queue_page.heard() == ["access_changed"]  # and no ambassador_queue


def test_a_banned_member_loses_every_room_only_members_may_be_in(
    open_page, closed, app: Flask, make: Factory
):
    _group, story, writer, leaving, _staying = closed
    page = open_page(writer)
    assert page.join(f"story:{story.id}")
    open_page(leaving).http.post(f"/melden/verhaal/{story.id}", {"reason": "hurtful"})
    with app.app_context():
        item = db.session.execute(sa.select(ModerationItem)).scalar_one()
        item_id, version = item.id, item.version
    page.events()

    open_page(make.user(role=SiteRole.MODERATOR)).http.post(
        f"/moderatie/items/{item_id}/besluit",
        {
            "version": str(version),
            "decision": "approve",
            "member_action": "ban",
            "reason": "Herhaald kwetsend.",
        },
    )
    assert "access_changed" in page.heard()
    with app.test_request_context(), unit_of_work():
        notify(writer.id, "moderation.report_received", {})
    _reply(open_page(leaving), story.id)

    assert page.heard() == []


def test_logging_out_everywhere_empties_the_other_devices_rooms(open_page, make: Factory, app):
    member = make.user()
    other_device, this_device = open_page(member), open_page(member)

    this_device.http.post("/account/overal-uitloggen")
    with app.test_request_context(), unit_of_work():
        notify(member.id, "moderation.report_received", {})

    assert other_device.events("notification") == []
    assert len(this_device.events("notification")) == 1


def test_a_story_moved_to_a_closed_group_leaves_its_outside_readers(
    open_page, app: Flask, make: Factory
):
    public, closed = make.group(slug="open-groep"), make.group(Visibility.CLOSED, slug="dicht")
    writer, reporter = make.user(), make.user()
    make.membership(writer, public)
    make.membership(writer, closed)
    make.membership(reporter, public)
    story = make.story(public, writer)
    visitor = open_page()
    assert visitor.join(f"story:{story.id}")
    open_page(reporter).http.post(f"/melden/verhaal/{story.id}", {"reason": "other"})
    with app.app_context():
        item = db.session.execute(sa.select(ModerationItem)).scalar_one()
        item_id, version = item.id, item.version
    writer_page = open_page(writer)
    assert writer_page.join(f"story:{story.id}")

    open_page(make.user(role=SiteRole.MODERATOR)).http.post(
        f"/moderatie/items/{item_id}/besluit",
        {"version": str(version), "decision": "move", "reason": "Past beter.", "group": "dicht"},
    )
    assert visitor.heard() == ["story_changed", "access_changed"]
    _reply(writer_page, story.id)

    assert visitor.heard() == []
    assert len(writer_page.events("reply")) == 1  # a member of the new group stays


def test_a_group_that_closes_its_doors_checks_every_open_page(open_page, make: Factory, app):
    group = make.group()
    writer = make.user()
    make.membership(writer, group)
    story = make.story(group, writer)
    visitor, member = open_page(), open_page(writer)
    assert visitor.join(f"group:{group.id}") and member.join(f"group:{group.id}")
    assert visitor.join(f"story:{story.id}") and member.join(f"story:{story.id}")

    # No screen changes a group's visibility yet; whoever adds one publishes this with it.
    with app.test_request_context(), unit_of_work():
        db.session.get(Group, group.id).visibility = Visibility.CLOSED.value
        events.publish_room_access_changed(None)
    _reply(member, story.id)

    assert visitor.events("reply") == []
    assert len(member.events("reply")) == 1


def test_a_deleted_account_leaves_every_room_its_pages_were_in(open_page, closed):
    from tests.support import PASSWORD

    _group, story, writer, leaving, _staying = closed
    page = open_page(leaving)
    assert page.join(f"story:{story.id}")
    other_tab = open_page(leaving)
    assert other_tab.join(f"story:{story.id}")

    answer = page.http.post(
        "/account/verwijderen", {"mode": "bewaren", "password": PASSWORD, "confirm": "y"}
    )
    assert answer.status_code == 200

    _reply(open_page(writer), story.id)
    assert other_tab.events("reply") == []
    assert not other_tab.join(f"story:{story.id}")
