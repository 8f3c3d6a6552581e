"""Changing, deleting and reacting to replies through the API, as the story page allows."""

from __future__ import annotations

import pytest


@pytest.fixture
def anonymous_reply(make, world):
    return make.reply(world.stories["public"], world.people["writer"], anonymous=True)


def test_the_writer_changes_their_reply_and_the_thread_shows_it(api, world, replies):
    api.login(world.people["writer"])
    reply_id = replies["closed"].id
    changed = api.patch(f"/replies/{reply_id}", {"body": "Anders gezegd: sterkte."})
    assert changed.status_code == 200, changed.json
    assert changed.json["reply"]["body_html"] == "<p>Anders gezegd: sterkte.</p>"
    assert changed.json["reply"]["edited_at"] and changed.json["held"] is False
    listed = api.get(f"/stories/{world.stories['closed'].id}/replies").json["items"]
    assert "Anders gezegd" in next(i for i in listed if i["id"] == reply_id)["body_html"]


def test_the_writer_deletes_their_reply_and_a_tombstone_stays(api, world, replies):
    api.use_token(world.people["writer"])
    reply_id = replies["public"].id
    assert api.delete(f"/replies/{reply_id}").status_code == 204
    listed = api.get(f"/stories/{world.stories['public'].id}/replies").json["items"]
    gone = next(i for i in listed if i["id"] == reply_id)
    assert gone["status"] == "deleted" and gone["body_html"] == "" and gone["author"] is None
    assert api.delete(f"/replies/{reply_id}").status_code == 404
    assert api.patch(f"/replies/{reply_id}", {"body": "Toch"}).status_code == 404


def test_changing_an_anonymous_reply_keeps_the_name_out(api, world, anonymous_reply):
    writer = world.people["writer"]
    api.login(writer)
    changed = api.patch(f"/replies/{anonymous_reply.id}", {"body": "Nog steeds anoniem."})
    assert changed.status_code == 200
    assert changed.json["reply"]["own"] is True and changed.json["reply"]["author"] is None
    assert writer.pseudonym not in changed.get_data(as_text=True)
    reacted = api.put(f"/replies/{anonymous_reply.id}/reactions/strength")
    assert writer.pseudonym not in reacted.get_data(as_text=True)


def test_reactions_on_a_reply_round_trip(api, world, replies):
    api.login(world.people["member"])
    reply_id = replies["hidden"].id
    given = api.put(f"/replies/{reply_id}/reactions/recognition").json
    assert given["counts"]["recognition"] == 1 and given["given"] == ["recognition"]
    assert api.put(f"/replies/{reply_id}/reactions/recognition").json["counts"]["recognition"] == 1
    taken = api.delete(f"/replies/{reply_id}/reactions/recognition").json
    assert taken["counts"]["recognition"] == 0 and taken["given"] == []
    assert api.put(f"/replies/{reply_id}/reactions/boos").status_code == 404


def test_a_reply_edit_the_service_refuses_names_the_field(api, world, replies):
    api.login(world.people["writer"])
    reply_id = replies["public"].id
    empty = api.patch(f"/replies/{reply_id}", {"body": "   "})
    assert empty.status_code == 422 and empty.json["error"]["field"] == "body"
    assert api.patch(f"/replies/{reply_id}", {}).status_code == 422
