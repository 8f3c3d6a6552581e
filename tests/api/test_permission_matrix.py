"""Every endpoint's answer for each kind of person on public, closed and hidden groups: the
API allows exactly what the pages allow, answers 404 where the pages hide that something
exists, 403 where they say "not for you", and 401 to visitors who must log in."""

from __future__ import annotations

import pytest

from tests.api.conftest import ROLES, VISIBILITIES, WITH_MANAGER

# role → expected status per visibility (public, closed, hidden)
SEE_GROUP = {
    "visitor": (200, 200, 404),
    "member": (200, 200, 200),
    "other": (200, 200, 404),
    "ambassador": (200, 200, 200),
    "moderator": (200, 200, 404),
}
LIST_STORIES = {
    "visitor": (200, 401, 404),
    "member": (200, 200, 200),
    "other": (200, 403, 404),
    "ambassador": (200, 200, 200),
    "moderator": (200, 200, 404),
}
READ_STORY = {
    "visitor": (200, 404, 404),
    "member": (200, 200, 200),
    "other": (200, 404, 404),
    "ambassador": (200, 200, 200),
    "moderator": (200, 200, 404),
}
SHARE_STORY = {
    "visitor": (401, 401, 401),
    "member": (201, 201, 201),
    "other": (403, 403, 404),
    "ambassador": (201, 201, 201),
    "moderator": (403, 403, 404),
}
REPLY = {
    "visitor": (401, 401, 401),
    "member": (201, 201, 201),
    "other": (403, 404, 404),
    "ambassador": (201, 201, 201),
    "moderator": (403, 403, 404),
}
REACT = {
    "visitor": (401, 401, 401),
    "member": (200, 200, 200),
    "other": (403, 404, 404),
    "ambassador": (200, 200, 200),
    "moderator": (403, 403, 404),
}
EDIT_OTHERS_REPLY = {
    "visitor": (401, 401, 401),
    "member": (403, 403, 403),
    "other": (403, 404, 404),
    "ambassador": (403, 403, 403),
    "moderator": (403, 403, 404),
}
CLAIM = {
    "visitor": (401, 401, 401),
    "member": (403, 403, 403),
    "other": (403, 404, 404),
    "ambassador": (201, 201, 201),
    "moderator": (403, 403, 404),
}
# The review queue is for moderators, whatever group the content is in (as its pages).
MODERATE = {
    "visitor": (401, 401, 401),
    "member": (403, 403, 403),
    "other": (403, 403, 403),
    "ambassador": (403, 403, 403),
    "moderator": (200, 200, 200),
}
JOIN = {
    "visitor": (401, 401, 401),
    "member": (200, 200, 200),
    "other": (200, 202, 404),
    "ambassador": (200, 200, 200),
    "moderator": (200, 202, 404),
}

# The page actions added later; "manager" is each group's only manager.
FOLLOW = {
    "visitor": (401, 401, 401),
    "member": (200, 200, 200),
    "other": (200, 404, 404),
    "ambassador": (200, 200, 200),
    "moderator": (200, 200, 404),
    "manager": (200, 200, 200),
}
RELEASE = {
    "visitor": (401, 401, 401),
    "member": (403, 403, 403),
    "other": (403, 404, 404),
    "ambassador": (204, 204, 204),
    "moderator": (403, 403, 404),
    "manager": (403, 403, 403),
}
# Managers and ambassadors decide; moderators too, for a closed group (as the pages).
DECIDE = {
    "visitor": (401, 401, 401),
    "member": (403, 403, 403),
    "other": (403, 403, 404),
    "ambassador": (200, 200, 200),
    "moderator": (403, 200, 404),
    "manager": (200, 200, 200),
}
WITHDRAW = {
    "visitor": (401, 401, 401),
    "member": (204, 204, 204),
    "other": (204, 204, 404),
    "ambassador": (204, 204, 204),
    "moderator": (204, 204, 404),
    "manager": (204, 204, 204),
}
# The only manager may not leave (409): someone else must be made manager first.
LEAVE = {
    "visitor": (401, 401, 401),
    "member": (200, 200, 200),
    "other": (200, 200, 404),
    "ambassador": (200, 200, 200),
    "moderator": (200, 200, 404),
    "manager": (409, 409, 409),
}


def _expect(table, role, visibility):
    return table[role][VISIBILITIES.index(visibility)]


@pytest.mark.parametrize("role", ROLES)
def test_reading_answers_each_role_as_the_pages_do(api, world, role):
    api.as_role(role, world.people)
    for visibility in VISIBILITIES:
        slug = world.groups[visibility].slug
        story_id = world.stories[visibility].id
        checks = [
            (f"/groups/{slug}", SEE_GROUP),
            (f"/groups/{slug}/stories", LIST_STORIES),
            (f"/stories/{story_id}", READ_STORY),
            (f"/stories/{story_id}/replies", READ_STORY),
        ]
        for path, table in checks:
            status = api.get(path).status_code
            expected = _expect(table, role, visibility)
            assert status == expected, f"{role} GET {path} ({visibility}): {status}"


@pytest.mark.parametrize("role", ROLES)
def test_writing_answers_each_role_as_the_pages_do(api, world, role):
    api.as_role(role, world.people)
    for visibility in VISIBILITIES:
        slug = world.groups[visibility].slug
        story_id = world.stories[visibility].id
        shared = api.post(f"/groups/{slug}/stories", {"title": "Hoi", "body": "Mijn verhaal."})
        replied = api.post(f"/stories/{story_id}/replies", {"body": "Sterkte."})
        reacted = api.put(f"/stories/{story_id}/reactions/support")
        for what, response, table in [
            ("share", shared, SHARE_STORY),
            ("reply", replied, REPLY),
            ("react", reacted, REACT),
        ]:
            expected = _expect(table, role, visibility)
            assert response.status_code == expected, (
                f"{role} {what} ({visibility}): {response.status_code} {response.json}"
            )


@pytest.mark.parametrize("role", ROLES)
def test_joining_answers_each_role_as_the_pages_do(api, world, role):
    api.as_role(role, world.people)
    for visibility in VISIBILITIES:
        response = api.post(f"/groups/{world.groups[visibility].slug}/join")
        expected = _expect(JOIN, role, visibility)
        assert response.status_code == expected, f"{role} join {visibility}: {response.json}"


@pytest.mark.parametrize("role", ROLES)
def test_replies_are_changed_and_reacted_to_as_the_pages_allow(api, world, replies, role):
    api.as_role(role, world.people)
    for visibility in VISIBILITIES:
        reply_id = replies[visibility].id
        checks = [
            ("edit", api.patch(f"/replies/{reply_id}", {"body": "Van mij."}), EDIT_OTHERS_REPLY),
            ("delete", api.delete(f"/replies/{reply_id}"), EDIT_OTHERS_REPLY),
            ("react", api.put(f"/replies/{reply_id}/reactions/thanks"), REACT),
            ("unreact", api.delete(f"/replies/{reply_id}/reactions/thanks"), REACT),
        ]
        for what, response, table in checks:
            expected = _expect(table, role, visibility)
            assert response.status_code == expected, (
                f"{role} {what} reply ({visibility}): {response.status_code} {response.json}"
            )


@pytest.mark.parametrize("role", ROLES)
def test_the_ambassador_queue_and_claims_answer_as_the_pages_do(api, clocks, role):
    world = clocks
    api.as_role(role, world.people)
    queue = api.get("/guarantee/queue")
    expected = {"visitor": 401, "ambassador": 200}.get(role, 403)
    assert queue.status_code == expected, f"{role} queue: {queue.json}"
    listed = {item["story"]["id"] for item in queue.json.get("items", [])}
    for visibility in VISIBILITIES:
        story_id = world.stories[visibility].id
        assert (story_id in listed) is (role == "ambassador"), f"{role} sees {visibility}"
        claimed = api.post("/guarantee/claims", {"story_id": story_id})
        expected = _expect(CLAIM, role, visibility)
        assert claimed.status_code == expected, f"{role} claim {visibility}: {claimed.json}"


@pytest.mark.parametrize("role", ROLES)
def test_the_review_queue_answers_only_moderators(api, world, reported, role):
    api.as_role(role, world.people)
    queue = api.get("/moderation/queue")
    assert queue.status_code == _expect(MODERATE, role, "public"), f"{role} queue"
    listed = {item["id"] for item in queue.json.get("items", [])}
    for visibility in VISIBILITIES:
        item = reported[visibility]
        assert (item["id"] in listed) is (role == "moderator")
        expected = _expect(MODERATE, role, visibility)
        shown = api.get(f"/moderation/items/{item['id']}")
        decided = api.post(
            f"/moderation/items/{item['id']}/decision",
            {"version": item["version"], "decision": "approve"},
        )
        for what, response in [("item", shown), ("decision", decided)]:
            assert response.status_code == expected, (
                f"{role} {what} ({visibility}): {response.status_code} {response.json}"
            )


@pytest.mark.parametrize("role", WITH_MANAGER)
def test_the_later_page_actions_answer_each_role_as_the_pages_do(
    api, clocks, manager, waiting_requests, role
):
    world = clocks
    api.as_role(role, world.people)
    for visibility in VISIBILITIES:
        slug = world.groups[visibility].slug
        story_id = world.stories[visibility].id
        request_id = waiting_requests[visibility].id
        checks = [
            ("follow", api.put(f"/stories/{story_id}/follow"), FOLLOW),
            ("unfollow", api.delete(f"/stories/{story_id}/follow"), FOLLOW),
            ("release", api.delete(f"/guarantee/claims/{story_id}"), RELEASE),
            ("requests", api.get(f"/groups/{slug}/join-requests"), DECIDE),
            (
                "decide",
                api.post(
                    f"/groups/{slug}/join-requests/{request_id}/decision", {"decision": "approve"}
                ),
                DECIDE,
            ),
            ("withdraw", api.delete(f"/groups/{slug}/join-request"), WITHDRAW),
            # Last: after leaving, a hidden group is out of sight.
            ("leave", api.post(f"/groups/{slug}/leave"), LEAVE),
        ]
        for what, response, table in checks:
            expected = _expect(table, role, visibility)
            assert response.status_code == expected, (
                f"{role} {what} ({visibility}): {response.status_code} {response.json}"
            )


@pytest.mark.parametrize("role", ROLES)
def test_accepting_the_house_rules_needs_only_a_login(api, world, role):
    api.as_role(role, world.people)
    expected = 401 if role == "visitor" else 200
    assert api.post("/house-rules/accept").status_code == expected


def test_a_hidden_group_is_not_listed_for_those_outside_it(api, world):
    api.login(world.people["other"])
    slugs = {group["slug"] for group in api.get("/groups").json["items"]}
    assert world.groups["public"].slug in slugs
    assert world.groups["closed"].slug in slugs
    assert world.groups["hidden"].slug not in slugs


def test_a_hidden_and_a_missing_group_answer_exactly_alike(api, world):
    api.login(world.people["other"])
    hidden = api.get(f"/groups/{world.groups['hidden'].slug}")
    missing = api.get("/groups/bestaat-niet")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json == missing.json


def test_every_error_is_json_in_the_envelope_never_a_page(api, world):
    for response in [
        api.get("/groups/bestaat-niet"),
        api.post("/groups/x/stories", {"title": "x", "body": "y"}),
        api.get("/bestaat-niet"),
        api.delete("/groups"),
    ]:
        assert response.mimetype == "application/json"
        assert set(response.json["error"]) >= {"code", "message"}
