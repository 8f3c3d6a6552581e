"""A reply or story that changes or goes while its page is open: the page hears which one
(ids only) and fetches the reply list again, which then shows what a reload would."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from app.accounts.models import SiteRole
from app.extensions import db
from moderation.models import ModerationItem
from tests.support import Factory


@pytest.fixture
def thread(make: Factory):
    """A public story by Schrijver with a reply by Lid Lotte, in a group both belong to."""
    group = make.group()
    writer, member = make.user("Schrijver"), make.user("Lid Lotte")
    make.membership(writer, group)
    make.membership(member, group)
    story = make.story(group, writer, title="Na de inbraak", body="Het was een gewone avond.")
    reply = make.reply(story, member, body="Ik herken dit zo.")
    return group, story, reply, writer, member


def _listed(person, story_id: int):
    return person.http.get(f"/verhalen/{story_id}/reacties")


def _moderation_item(app: Flask) -> tuple[int, int]:
    with app.app_context():
        item = db.session.execute(sa.select(ModerationItem)).scalar_one()
        return item.id, item.version


# --- replies ----------------------------------------------------------------------------------


def test_an_edited_reply_is_fetched_anew_by_open_pages(open_page, thread):
    _group, story, reply, _writer, member = thread
    reader = open_page()
    assert reader.join(f"story:{story.id}")

    edited = open_page(member).http.post(
        f"/reacties/{reply.id}/bewerken", {"body": "Ik herken dit, en ik denk aan je."}
    )

    assert edited.status_code == 302, edited.get_data(as_text=True)
    assert reader.events("reply_changed") == [{"story_id": story.id, "reply_id": reply.id}]
    listed = _listed(reader, story.id).get_data(as_text=True)
    assert "ik denk aan je" in listed
    assert "Ik herken dit zo." not in listed


def test_a_reply_its_writer_deletes_leaves_open_pages(open_page, thread):
    _group, story, reply, _writer, member = thread
    reader = open_page()
    assert reader.join(f"story:{story.id}")

    open_page(member).http.post(f"/reacties/{reply.id}/verwijderen")

    assert reader.events("reply_changed") == [{"story_id": story.id, "reply_id": reply.id}]
    listed = _listed(reader, story.id).get_data(as_text=True)
    assert "Ik herken dit zo." not in listed
    assert "Deze reactie is verwijderd door de schrijver." in listed
    assert 'data-heading="Reacties"' in listed  # no longer counted


def test_a_reply_a_moderator_removes_disappears_from_open_pages(
    open_page, thread, app, make: Factory
):
    _group, story, reply, writer, _member = thread
    reader = open_page()
    assert reader.join(f"story:{story.id}")
    open_page(writer).http.post(
        f"/melden/reactie/{reply.id}", {"reason": "hurtful", "note": "Dit vond ik naar."}
    )
    item_id, version = _moderation_item(app)
    moderator = open_page(make.user("Mod", role=SiteRole.MODERATOR))
    reader.events()

    moderator.http.post(
        f"/moderatie/items/{item_id}/besluit",
        {"version": str(version), "decision": "remove", "reason": "Kwetsend."},
    )

    assert reader.events("reply_changed") == [{"story_id": story.id, "reply_id": reply.id}]
    listed = _listed(reader, story.id).get_data(as_text=True)
    assert f'id="reactie-{reply.id}"' not in listed
    assert "Ik herken dit zo." not in listed


def test_a_reply_a_moderator_redacts_is_fetched_anew(open_page, thread, app, make: Factory):
    _group, story, reply, writer, _member = thread
    open_page(writer).http.post(
        f"/melden/reactie/{reply.id}", {"reason": "identifying", "note": "Een naam."}
    )
    item_id, version = _moderation_item(app)
    reader = open_page()
    assert reader.join(f"story:{story.id}")

    open_page(make.user("Mod", role=SiteRole.MODERATOR)).http.post(
        f"/moderatie/items/{item_id}/besluit",
        {
            "version": str(version),
            "decision": "redact",
            "reason": "Een naam eruit.",
            "new_text": "Ik herken dit.",
        },
    )

    assert reader.events("reply_changed") == [{"story_id": story.id, "reply_id": reply.id}]
    assert "Ik herken dit.</p>" in _listed(reader, story.id).get_data(as_text=True)


def test_pages_of_other_stories_hear_nothing_of_a_changed_reply(open_page, thread, make):
    group, _story, reply, _writer, member = thread
    other = make.story(group, title="Een ander verhaal")
    reader = open_page()
    assert reader.join(f"story:{other.id}")

    open_page(member).http.post(f"/reacties/{reply.id}/verwijderen")

    assert reader.events() == []


# --- the story itself -------------------------------------------------------------------------


def test_an_edited_story_tells_its_open_pages(open_page, thread):
    _group, story, _reply, writer, _member = thread
    reader = open_page()
    assert reader.join(f"story:{story.id}")

    edited = open_page(writer).http.post(
        f"/verhalen/{story.id}/bewerken",
        {"title": "Na de inbraak", "body": "Het was een gewone avond. Nu weet ik meer."},
    )

    assert edited.status_code == 302, edited.get_data(as_text=True)
    assert reader.events("story_changed") == [{"story_id": story.id}]
    assert 'data-story-state="published"' in _listed(reader, story.id).get_data(as_text=True)
    page = reader.http.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert "data-live-story-notice hidden" in page
    assert 'data-changed="Dit verhaal is aangepast."' in page
    assert 'data-gone="Dit verhaal is niet meer te zien."' in page


def test_a_story_its_writer_deletes_is_gone_from_open_pages(open_page, thread):
    _group, story, _reply, writer, _member = thread
    reader = open_page()
    assert reader.join(f"story:{story.id}")

    open_page(writer).http.post(f"/verhalen/{story.id}/verwijderen")

    assert reader.events("story_changed") == [{"story_id": story.id}]
    listed = _listed(reader, story.id).get_data(as_text=True)
    assert 'data-story-state="deleted"' in listed  # the page hides the story's text
    assert "Ik herken dit zo." in listed  # the replies stay readable


def test_a_story_a_moderator_removes_is_gone_for_open_pages(open_page, thread, app, make):
    _group, story, _reply, _writer, member = thread
    reader = open_page()
    assert reader.join(f"story:{story.id}")
    moderator = open_page(make.user("Mod", role=SiteRole.MODERATOR))
    open_page(member).http.post(f"/melden/verhaal/{story.id}", {"reason": "hurtful"})
    item_id, version = _moderation_item(app)
    reader.events()

    moderator.http.post(
        f"/moderatie/items/{item_id}/besluit",
        {"version": str(version), "decision": "remove", "reason": "Kwetsend."},
    )

    assert reader.events("story_changed") == [{"story_id": story.id}]
    assert _listed(reader, story.id).status_code == 404


def test_a_closed_story_tells_its_open_pages(open_page, thread, app, make):
    _group, story, _reply, _writer, member = thread
    open_page(member).http.post(f"/melden/verhaal/{story.id}", {"reason": "hurtful"})
    item_id, version = _moderation_item(app)
    reader = open_page(member)
    assert reader.join(f"story:{story.id}")

    open_page(make.user("Mod", role=SiteRole.MODERATOR)).http.post(
        f"/moderatie/items/{item_id}/besluit",
        {"version": str(version), "decision": "close", "reason": "Genoeg gezegd."},
    )

    assert reader.events("story_changed") == [{"story_id": story.id}]
    page = reader.http.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert "Onder dit verhaal kan niet meer worden gereageerd" in page
