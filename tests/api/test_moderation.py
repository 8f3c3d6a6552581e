"""The review queue through the API: the same services and rules as the moderation pages.

Only moderators, and only in a login that passed the second step (never by token); the
writer of an anonymous post is named to moderators in an item, as on its page, and to nobody
else anywhere; a stale version answers 409; the writer gets a statement of reasons.
"""

from __future__ import annotations

import pyotp
import pytest
import sqlalchemy as sa

from app import clock
from app.accounts.models import SiteRole, User
from app.audit.models import AuditEntry
from app.extensions import db
from app.stories.models import PostStatus, Story
from tests.api.conftest import ROLES
from tests.support import PASSWORD


@pytest.fixture
def anonymous_item(app, make, new_api, world):
    """An anonymous story by "Stille Wolk" in the public group, reported by the member."""
    group = world.groups["public"]
    writer = make.user("Stille Wolk")
    make.membership(writer, group)
    story = make.story(group, writer, title="Niemand weet het", anonymous=True)
    reporter = new_api()
    reporter.login(world.people["member"])
    body = {"target_type": "story", "target_id": story.id, "reason": "hurtful"}
    assert reporter.post("/reports", body).status_code == 201
    moderator = new_api()
    moderator.login(world.people["moderator"])
    return writer, story, moderator.get("/moderation/queue").json["items"][0]


def test_a_moderator_sees_who_wrote_an_anonymous_story_as_the_item_page_shows(
    app, api, world, anonymous_item
):
    writer, story, item = anonymous_item
    api.login(world.people["moderator"])
    shown = api.get(f"/moderation/items/{item['id']}").json
    assert shown["author"] == {"id": writer.id, "pseudonym": writer.pseudonym}
    assert shown["content"]["anonymous"] is True
    assert shown["content"]["id"] == story.id
    assert shown["content"]["story_title"] == "Niemand weet het"
    page = api.client.get(f"/moderatie/items/{item['id']}").get_data(as_text=True)
    assert writer.pseudonym in page  # the page names them too: the API mirrors it
    with app.app_context():
        looks = db.session.execute(
            sa.select(AuditEntry).where(AuditEntry.action == "moderation.identity_viewed")
        ).scalars()
        assert any(look.details.get("item") == item["id"] for look in looks)


@pytest.mark.parametrize("role", ROLES)
def test_nobody_else_ever_learns_who_wrote_it(api, world, anonymous_item, role):
    writer, story, item = anonymous_item
    api.as_role(role, world.people)
    answers = [
        api.get("/moderation/queue"),
        api.get(f"/moderation/items/{item['id']}") if role != "moderator" else None,
        api.post(
            f"/moderation/items/{item['id']}/decision",
            {"version": item["version"], "decision": "approve"},
        ),
        api.get(f"/stories/{story.id}"),
        api.get(f"/groups/{world.groups['public'].slug}/stories"),
    ]
    for response in filter(None, answers):
        assert writer.pseudonym not in response.get_data(as_text=True), response.request.path


def test_the_queue_lists_no_content_and_no_writer(api, world, reported):
    api.login(world.people["moderator"])
    queue = api.get("/moderation/queue").json
    assert queue["open"] == 3
    first = queue["items"][0]
    assert first["signals"] == ["report"] and first["priority"] == "normal"
    assert set(first) >= {"id", "version", "due_at", "overdue", "url"}
    assert world.people["writer"].pseudonym not in str(queue)
    assert api.get("/moderation/queue?kind=crisis").json["items"] == []
    assert len(api.get("/moderation/queue?kind=report").json["items"]) == 3
    assert api.get("/moderation/queue?kind=boos").status_code == 422


def test_a_token_never_carries_a_moderators_powers(api, world, reported):
    api.use_token(world.people["moderator"], "write")
    item = reported["public"]
    assert api.get("/moderation/queue").status_code == 403
    assert api.get(f"/moderation/items/{item['id']}").status_code == 403
    decided = api.post(
        f"/moderation/items/{item['id']}/decision",
        {"version": item["version"], "decision": "approve"},
    )
    assert decided.status_code == 403


def test_a_moderator_needs_the_second_step_as_on_the_pages(app, api, new_api, world, reported):
    app.config["STAFF_TWO_FACTOR"] = True
    moderator = world.people["moderator"]
    api.login(moderator)
    assert api.get("/moderation/queue").status_code == 403
    secret = pyotp.random_base32()
    with app.app_context():
        user = db.session.get(User, moderator.id)
        user.totp_secret, user.totp_enabled_at = secret, clock.utcnow()
        db.session.commit()
    verified = new_api()
    code = pyotp.TOTP(secret).now()
    body = {"pseudonym": moderator.pseudonym, "password": PASSWORD, "code": code}
    response = verified.post("/session", body)
    assert response.status_code == 201, response.json
    verified.headers["X-CSRF-Token"] = response.json["csrf_token"]
    assert verified.get("/moderation/queue").status_code == 200


def test_deciding_on_a_stale_version_answers_409(api, make, new_api, world, reported):
    item = reported["public"]
    api.login(world.people["moderator"])
    second = new_api()
    second.login(make.user(role=SiteRole.MODERATOR))
    path = f"/moderation/items/{item['id']}/decision"
    first = api.post(path, {"version": item["version"], "decision": "approve"})
    assert first.status_code == 200
    assert first.json["decided"]["decision"] == "approve"
    again = second.post(path, {"version": item["version"], "decision": "remove", "reason": "x"})
    assert again.status_code == 409
    assert again.json["error"]["code"] == "conflict" and again.json["error"]["message"]


def test_a_removal_needs_a_reason_and_the_writer_gets_a_statement(
    app, api, new_api, world, reported
):
    item = reported["public"]
    api.login(world.people["moderator"])
    path = f"/moderation/items/{item['id']}/decision"
    missing = api.post(path, {"version": item["version"], "decision": "remove"})
    assert missing.status_code == 422 and missing.json["error"]["field"] == "reason"
    days = api.post(
        path,
        {
            "version": item["version"],
            "decision": "remove",
            "reason": "Dit noemt iemand.",
            "member_action": "suspend",
            "days": 4000,
        },
    )
    assert days.status_code == 422 and days.json["error"]["field"] == "days"
    done = api.post(
        path, {"version": item["version"], "decision": "remove", "reason": "Dit noemt iemand."}
    )
    assert done.status_code == 200, done.json
    assert done.json["decided"]["reason"] == "Dit noemt iemand."
    assert world.people["writer"].pseudonym not in done.get_data(as_text=True)
    with app.app_context():
        story = db.session.get(Story, world.stories["public"].id)
        assert story.status == PostStatus.REMOVED.value
    writer = new_api()
    writer.login(world.people["writer"])
    links = [note["link"] for note in writer.get("/notifications").json["items"]]
    assert any(f"/besluiten/{item['id']}" in link for link in links)


def test_an_item_that_is_not_there_is_not_found_for_moderators_only(api, world, reported):
    api.login(world.people["moderator"])
    assert api.get("/moderation/items/999999").status_code == 404
    api.login(world.people["member"])
    assert api.get("/moderation/items/999999").status_code == 403


def test_an_admin_is_a_moderator_too(api, make, reported):
    api.login(make.user(role=SiteRole.ADMIN))
    assert api.get("/moderation/queue").status_code == 200


def test_a_decision_by_cookie_without_the_csrf_token_is_refused(api, world, reported):
    item = reported["public"]
    api.login(world.people["moderator"])
    api.headers.pop("X-CSRF-Token")
    refused = api.post(
        f"/moderation/items/{item['id']}/decision",
        {"version": item["version"], "decision": "approve"},
    )
    assert refused.status_code == 403 and refused.json["error"]["code"] == "csrf"
