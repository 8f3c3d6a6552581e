"""Logging in through the API, the CSRF token on cookie writes, and personal access tokens
made on the account page."""

from __future__ import annotations

import re

from app.accounts.models import SiteRole
from app.groups.models import GroupRole
from tests.support import Visitor

_TOKEN = re.compile(r"lgt_[A-Za-z0-9_\-]+")


def test_logging_in_gives_the_session_cookie_and_a_csrf_token(api, make):
    user = make.user()
    response = api.login(user)
    assert response.json["user"]["pseudonym"] == user.pseudonym
    assert response.json["csrf_token"]
    assert api.get("/session").json["user"]["id"] == user.id


def test_a_wrong_password_is_refused_with_401_and_a_dutch_message(api, make):
    user = make.user()
    response = api.post("/session", {"pseudonym": user.pseudonym, "password": "verkeerd!!"})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_credentials"
    assert "wachtwoord" in response.json["error"]["message"]


def test_the_message_is_in_english_when_the_client_asks_for_it(api, make):
    user = make.user()
    response = api.post(
        "/session",
        {"pseudonym": user.pseudonym, "password": "verkeerd!!"},
        headers={"Accept-Language": "en"},
    )
    assert "password" in response.json["error"]["message"]


def test_a_cookie_write_without_the_csrf_token_is_refused(api, make):
    group = make.group()
    user = make.user()
    make.membership(user, group)
    api.login(user)
    api.headers.pop("X-CSRF-Token")
    response = api.post(f"/groups/{group.slug}/stories", {"title": "Hoi", "body": "Tekst"})
    assert response.status_code == 403
    assert response.json["error"]["code"] == "csrf"


def test_a_cookie_write_with_the_csrf_token_goes_through(api, make):
    group = make.group()
    user = make.user()
    make.membership(user, group)
    api.login(user)
    response = api.post(f"/groups/{group.slug}/stories", {"title": "Hoi", "body": "Tekst"})
    assert response.status_code == 201


def test_logging_out_ends_the_session(api, make):
    api.login(make.user())
    assert api.delete("/session").status_code == 204
    assert api.get("/session").status_code == 401


def test_registering_logs_the_new_member_in(api):
    response = api.post(
        "/accounts", {"pseudonym": "zonnebloem", "password": "fiets wolk pannenkoek"}
    )
    assert response.status_code == 201
    assert response.json["user"]["house_rules_accepted"] is False
    assert api.get("/session").status_code == 200


def test_a_weak_password_at_registration_names_the_field(api):
    response = api.post("/accounts", {"pseudonym": "zonnebloem", "password": "kort"})
    assert response.status_code == 422
    assert response.json["error"]["field"] == "password"


def test_a_write_token_writes_without_a_csrf_token(api, make):
    group = make.group()
    user = make.user()
    make.membership(user, group)
    api.use_token(user, "write")
    response = api.post(f"/groups/{group.slug}/stories", {"title": "Hoi", "body": "Tekst"})
    assert response.status_code == 201
    assert api.get("/session").json == {
        "user": {
            "id": user.id,
            "pseudonym": user.pseudonym,
            "role": "member",
            "house_rules_accepted": True,
        },
        "csrf_token": None,
        "by_token": True,
    }


def test_a_read_token_reads_but_may_not_write(api, make):
    group = make.group()
    user = make.user()
    make.membership(user, group)
    story = make.story(group)
    api.use_token(user, "read")
    assert api.get(f"/stories/{story.id}").status_code == 200
    refused = api.put(f"/stories/{story.id}/reactions/support")
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "read_only_token"


def test_an_unknown_or_garbled_token_answers_401(api):
    for header in ("Bearer lgt_bestaatniet", "Bearer", "Basic abc"):
        response = api.get("/groups", headers={"Authorization": header})
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_token_made_and_revoked_on_the_account_page_stops_working(app, client, api, make):
    user = make.user()
    visitor = Visitor(client)
    visitor.login(user)
    page = visitor.post("/account/sleutels", {"name": "Mijn app", "scope": "read"})
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    secret = _TOKEN.search(page.get_data(as_text=True)).group(0)
    account = visitor.get("/account").get_data(as_text=True)
    assert "Mijn app" in account and secret not in account
    program = {"Authorization": f"Bearer {secret}"}
    assert api.get("/session", headers=program).status_code == 200
    token_id = re.search(r"/account/sleutels/(\d+)/intrekken", account).group(1)
    assert visitor.post(f"/account/sleutels/{token_id}/intrekken").status_code == 302
    assert api.get("/session", headers=program).status_code == 401


def test_nobody_revokes_another_members_token(client, api, make):
    owner, someone = make.user(), make.user()
    api.use_token(owner)
    with api.app.app_context():
        from app.accounts.models import PersonalAccessToken
        from app.extensions import db

        token_id = db.session.query(PersonalAccessToken.id).scalar()
    visitor = Visitor(client)
    visitor.login(someone)
    assert visitor.post(f"/account/sleutels/{token_id}/intrekken").status_code == 404
    assert api.get("/session").status_code == 200


def test_a_token_never_carries_staff_powers(api, make, world):
    moderator = world.people["moderator"]
    api.use_token(moderator, "read")
    closed_story = world.stories["closed"]
    # By session a moderator reads closed groups; by token they are a member like any other.
    assert api.get(f"/stories/{closed_story.id}").status_code == 404


def test_only_a_hash_of_the_token_is_stored(api, make):
    secret = api.use_token(make.user())
    with api.app.app_context():
        from app.accounts.models import PersonalAccessToken
        from app.extensions import db

        stored = db.session.query(PersonalAccessToken).one()
    assert secret not in (stored.token_hash, stored.name)


def test_an_ambassador_by_token_is_still_an_ambassador_in_their_group(api, make):
    group = make.group()
    ambassador = make.user(role=SiteRole.MEMBER)
    make.membership(ambassador, group, GroupRole.AMBASSADOR)
    api.use_token(ambassador)
    assert api.get(f"/groups/{group.slug}").json["state"] == "member"
