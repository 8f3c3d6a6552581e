"""The page actions the API gained later: following a story, giving a claim back, leaving a
group, deciding on and withdrawing requests to join, and accepting the house rules. Each
goes through the service the page uses, so it allows and tells exactly what the page does."""

from __future__ import annotations

import pytest

from app.groups.models import GroupRole
from tests.support import PASSWORD

# --- following a story ----------------------------------------------------------------------


def test_a_follower_hears_of_new_replies_until_they_stop_following(api, new_api, world):
    story = world.stories["closed"]
    api.login(world.people["member"])
    followed = api.put(f"/stories/{story.id}/follow")
    assert followed.status_code == 200
    assert followed.json["following"] is True and followed.json["message"]
    assert api.put(f"/stories/{story.id}/follow").status_code == 200  # again does no harm

    replier = new_api()
    replier.login(world.people["ambassador"])
    assert replier.post(f"/stories/{story.id}/replies", {"body": "Sterkte."}).status_code == 201
    assert api.get("/notifications").json["unread"] == 1

    stopped = api.delete(f"/stories/{story.id}/follow")
    assert stopped.status_code == 200 and stopped.json["following"] is False
    assert replier.post(f"/stories/{story.id}/replies", {"body": "Nog eens."}).status_code == 201
    assert api.get("/notifications").json["unread"] == 1


def test_following_an_anonymous_story_does_not_name_its_writer(api, make, world):
    writer = make.user("Stille Wolk")
    make.membership(writer, world.groups["public"])
    story = make.story(world.groups["public"], writer, anonymous=True)
    api.login(world.people["other"])
    response = api.put(f"/stories/{story.id}/follow")
    assert response.status_code == 200
    assert writer.pseudonym not in response.get_data(as_text=True)
    assert set(response.json) == {"story_id", "following", "message"}


# --- giving a claim back --------------------------------------------------------------------


def test_an_ambassador_gives_a_claim_back_so_another_can_take_it(api, new_api, make, clocks):
    story_id = clocks.stories["public"].id
    second = make.user("Bram")
    make.membership(second, clocks.groups["public"], GroupRole.AMBASSADOR)
    api.login(clocks.people["ambassador"])
    assert api.post("/guarantee/claims", {"story_id": story_id}).status_code == 201

    other = new_api()
    other.login(second)
    assert other.post("/guarantee/claims", {"story_id": story_id}).status_code == 409
    # Giving back a claim that is not yours changes nothing.
    assert other.delete(f"/guarantee/claims/{story_id}").status_code == 204
    assert other.post("/guarantee/claims", {"story_id": story_id}).status_code == 409

    assert api.delete(f"/guarantee/claims/{story_id}").status_code == 204
    waiting = api.get("/guarantee/queue").json["items"]
    assert next(i for i in waiting if i["story"]["id"] == story_id)["claimed_by"] is None
    assert other.post("/guarantee/claims", {"story_id": story_id}).status_code == 201


def test_giving_back_a_claim_on_a_story_that_is_not_there(api, clocks):
    api.login(clocks.people["ambassador"])
    assert api.delete("/guarantee/claims/999999").status_code == 404
    assert api.delete("/guarantee/claims/0").status_code == 404
    assert api.delete("/guarantee/claims/drie").status_code == 404


# --- leaving a group ------------------------------------------------------------------------


def test_leaving_a_hidden_group_puts_it_out_of_sight(api, world):
    slug = world.groups["hidden"].slug
    api.login(world.people["member"])
    left = api.post(f"/groups/{slug}/leave")
    assert left.status_code == 200
    assert left.json["may_see"] is False
    assert world.groups["hidden"].name in left.json["message"]
    assert api.get(f"/groups/{slug}").status_code == 404


def test_leaving_a_public_group_keeps_it_in_sight_and_twice_does_no_harm(api, world):
    slug = world.groups["public"].slug
    api.login(world.people["member"])
    assert api.post(f"/groups/{slug}/leave").json["may_see"] is True
    assert api.post(f"/groups/{slug}/leave").status_code == 200
    assert api.get(f"/groups/{slug}").json["state"] == "can_join"


def test_the_only_manager_is_asked_to_hand_over_first(api, make, world, manager):
    slug = world.groups["closed"].slug
    api.login(manager)
    refused = api.post(f"/groups/{slug}/leave")
    assert refused.status_code == 409
    assert "beheerder" in refused.json["error"]["message"]
    make.membership(make.user(), world.groups["closed"], GroupRole.MANAGER)
    assert api.post(f"/groups/{slug}/leave").status_code == 200


# --- requests to join -----------------------------------------------------------------------


def test_a_manager_lets_a_requester_in_who_can_then_read(api, new_api, world, manager):
    slug = world.groups["closed"].slug
    requester = new_api()
    requester.login(world.people["other"])
    asked = requester.post(f"/groups/{slug}/join", {"motivation": "Het overkwam mij ook."})
    assert asked.status_code == 202

    api.login(manager)
    waiting = api.get(f"/groups/{slug}/join-requests").json["items"]
    assert [(w["pseudonym"], w["motivation"]) for w in waiting] == [
        (world.people["other"].pseudonym, "Het overkwam mij ook.")
    ]
    path = f"/groups/{slug}/join-requests/{waiting[0]['id']}/decision"
    decided = api.post(path, {"decision": "approve"})
    assert decided.status_code == 200
    assert decided.json["decision"] == "approve"
    assert world.people["other"].pseudonym in decided.json["message"]
    assert api.get(f"/groups/{slug}/join-requests").json["items"] == []
    assert requester.get(f"/groups/{slug}/stories").status_code == 200

    again = api.post(path, {"decision": "decline"})
    assert again.status_code == 409 and manager.pseudonym in again.json["error"]["message"]


def test_a_declined_requester_stays_outside(api, world, manager, waiting_requests):
    closed = world.groups["closed"]
    api.login(manager)
    request_id = waiting_requests["closed"].id
    path = f"/groups/{closed.slug}/join-requests/{request_id}/decision"
    declined = api.post(path, {"decision": "decline"})
    assert declined.status_code == 200 and declined.json["decision"] == "decline"
    api.login(world.people["requester"])
    assert api.get(f"/groups/{closed.slug}/stories").status_code == 403


def test_a_request_of_another_group_is_not_found_there(api, world, manager, waiting_requests):
    api.login(manager)
    other_request = waiting_requests["public"].id
    path = f"/groups/{world.groups['closed'].slug}/join-requests/{other_request}/decision"
    assert api.post(path, {"decision": "approve"}).status_code == 404


def test_a_withdrawn_request_is_gone_from_the_list_and_cannot_be_decided(
    api, new_api, world, manager, waiting_requests
):
    slug = world.groups["closed"].slug
    requester = new_api()
    requester.login(world.people["requester"])
    assert requester.delete(f"/groups/{slug}/join-request").status_code == 204
    assert requester.delete(f"/groups/{slug}/join-request").status_code == 204  # no harm

    api.login(manager)
    assert api.get(f"/groups/{slug}/join-requests").json["items"] == []
    path = f"/groups/{slug}/join-requests/{waiting_requests['closed'].id}/decision"
    refused = api.post(path, {"decision": "approve"})
    assert refused.status_code == 409 and refused.json["error"]["message"]


@pytest.mark.parametrize(
    "body",
    [{}, {"decision": "misschien"}, {"decision": True}, {"decision": "approve", "reden": "x"}],
)
def test_a_decision_that_cannot_be_read_names_the_field(
    api, world, manager, waiting_requests, body
):
    api.login(manager)
    path = (
        f"/groups/{world.groups['closed'].slug}/join-requests/"
        f"{waiting_requests['closed'].id}/decision"
    )
    refused = api.post(path, body)
    assert refused.status_code == 422
    assert refused.json["error"]["field"] in {"decision", "reden"}
    assert api.get(f"/groups/{world.groups['closed'].slug}/join-requests").json["items"]


def test_a_decision_that_is_no_json_answers_415(api, world, manager, waiting_requests):
    api.login(manager)
    path = (
        f"/groups/{world.groups['closed'].slug}/join-requests/"
        f"{waiting_requests['closed'].id}/decision"
    )
    refused = api.post(path, data="decision=approve", content_type="text/plain")
    assert refused.status_code == 415


# --- the house rules ------------------------------------------------------------------------


def test_a_member_registered_through_the_api_posts_after_accepting_the_house_rules(api, world):
    registered = api.post("/accounts", {"pseudonym": "NieuwLid", "password": PASSWORD})
    assert registered.status_code == 201
    assert registered.json["user"]["house_rules_accepted"] is False
    api.headers["X-CSRF-Token"] = registered.json["csrf_token"]
    slug = world.groups["public"].slug
    assert api.post(f"/groups/{slug}/join").status_code == 200
    story = {"title": "Hoi", "body": "Mijn verhaal."}

    refused = api.post(f"/groups/{slug}/stories", story)
    assert refused.status_code == 403
    assert "huisregels" in refused.json["error"]["message"]

    accepted = api.post("/house-rules/accept")
    assert accepted.status_code == 200
    assert accepted.json["house_rules_accepted"] is True
    assert accepted.json["url"].endswith("/huisregels")
    assert api.get("/session").json["user"]["house_rules_accepted"] is True
    assert api.post(f"/groups/{slug}/stories", story).status_code == 201


def test_accepting_the_house_rules_by_cookie_needs_the_csrf_token(api, world):
    api.login(world.people["member"])
    api.headers.pop("X-CSRF-Token")
    refused = api.post("/house-rules/accept")
    assert refused.status_code == 403 and refused.json["error"]["code"] == "csrf"


def test_a_read_only_token_may_not_accept_the_house_rules(api, world):
    api.use_token(world.people["member"], scope="read")
    refused = api.post("/house-rules/accept")
    assert refused.status_code == 403 and refused.json["error"]["code"] == "read_only_token"
