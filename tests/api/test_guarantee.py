"""The response guarantee through the API: an ambassador's queue and taking a story on, as
the queue page shows and allows them."""

from __future__ import annotations

import pytest

from app import clock
from app.groups.models import GroupRole
from app.guarantee import ladder


@pytest.fixture
def second_ambassador(make, world):
    person = make.user("Bram")
    make.membership(person, world.groups["public"], GroupRole.AMBASSADOR)
    return person


def _start_clocks(app):
    with app.test_request_context():
        while ladder.start_missing_clocks(clock.utcnow()):
            pass


def test_the_queue_shows_waiting_stories_with_their_time_left(api, clocks):
    api.login(clocks.people["ambassador"])
    items = api.get("/guarantee/queue").json["items"]
    assert {item["story"]["id"] for item in items} == {s.id for s in clocks.stories.values()}
    first = items[0]
    assert first["seconds_left"] > 0 and first["overdue"] is False
    assert first["claimed_by"] is None
    assert first["story"]["url"].endswith(f"/verhalen/{first['story']['id']}")


def test_claiming_shows_who_took_it_on_and_refuses_a_second_ambassador(
    api, new_api, clocks, second_ambassador
):
    story_id = clocks.stories["public"].id
    api.login(clocks.people["ambassador"])
    claimed = api.post("/guarantee/claims", {"story_id": story_id})
    assert claimed.status_code == 201
    assert claimed.json["story_id"] == story_id and claimed.json["message"]
    items = api.get("/guarantee/queue").json["items"]
    mine = next(item for item in items if item["story"]["id"] == story_id)
    assert mine["claimed_by"] == {"pseudonym": clocks.people["ambassador"].pseudonym, "you": True}
    assert api.post("/guarantee/claims", {"story_id": story_id}).status_code == 201  # extends

    other = new_api()
    other.login(second_ambassador)
    theirs = other.get("/guarantee/queue").json["items"][0]
    assert theirs["story"]["id"] == story_id
    assert theirs["claimed_by"]["you"] is False
    refused = other.post("/guarantee/claims", {"story_id": story_id})
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "conflict"
    assert clocks.people["ambassador"].pseudonym in refused.json["error"]["message"]


def test_an_anonymous_story_in_the_queue_does_not_name_its_writer(app, api, make, world):
    writer = make.user("Stille Wolk")
    make.membership(writer, world.groups["closed"])
    story = make.story(world.groups["closed"], writer, title="Zonder naam", anonymous=True)
    _start_clocks(app)
    api.login(world.people["ambassador"])
    response = api.get("/guarantee/queue")
    shown = next(i for i in response.json["items"] if i["story"]["id"] == story.id)
    assert shown["story"]["author"] is None and shown["story"]["anonymous"] is True
    assert writer.pseudonym not in response.get_data(as_text=True)


def test_an_ambassadors_own_story_is_not_in_their_queue(app, api, make, world):
    ambassador = world.people["ambassador"]
    own = make.story(world.groups["public"], ambassador, title="Van mezelf")
    _start_clocks(app)
    api.login(ambassador)
    listed = {i["story"]["id"] for i in api.get("/guarantee/queue").json["items"]}
    assert own.id not in listed


def test_an_ambassador_by_token_works_the_queue_too(api, clocks):
    api.use_token(clocks.people["ambassador"])
    assert api.get("/guarantee/queue").status_code == 200
    claim = {"story_id": clocks.stories["hidden"].id}
    assert api.post("/guarantee/claims", claim).status_code == 201


def test_a_claim_on_a_story_that_is_not_there_or_garbled(api, clocks):
    api.login(clocks.people["ambassador"])
    assert api.post("/guarantee/claims", {"story_id": 999_999}).status_code == 404
    garbled = api.post("/guarantee/claims", {"story_id": "3"})
    assert garbled.status_code == 422 and garbled.json["error"]["field"] == "story_id"
    assert api.post("/guarantee/claims", {}).status_code == 422


def test_a_claim_by_cookie_without_the_csrf_token_is_refused(api, clocks):
    api.login(clocks.people["ambassador"])
    api.headers.pop("X-CSRF-Token")
    refused = api.post("/guarantee/claims", {"story_id": clocks.stories["public"].id})
    assert refused.status_code == 403 and refused.json["error"]["code"] == "csrf"
