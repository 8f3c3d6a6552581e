"""Whatever a client sends, the answer is a clear error in the envelope, never a 500."""

from __future__ import annotations

import pytest


@pytest.fixture
def writer(api, world):
    api.use_token(world.people["member"])
    return f"/groups/{world.groups['public'].slug}/stories"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"{", "malformed_json"),
        (b"\xff\xfe{}", "malformed_json"),
        (b'{"title": NaN, "body": "x"}', "malformed_json"),
        (b'{"title": "\\ud800", "body": "x"}', "malformed_json"),
        (b"[]", "invalid"),
        (b'{"title": 5, "body": "x"}', "invalid"),
        (b'{"title": "x", "body": "y", "wie": "ik"}', "invalid"),
        (b'{"title": "x"}', "invalid"),
        (b'{"title": "x", "body": "y", "anonymous": "ja"}', "invalid"),
        (b'{"title": "x", "body": "y", "content_warnings": ["eng"]}', "invalid"),
    ],
)
def test_a_body_that_cannot_be_used_answers_422_with_a_dutch_message(api, writer, raw, code):
    response = api.post(writer, data=raw, content_type="application/json")
    assert response.status_code == 422
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]


def test_an_unknown_field_is_named_in_the_answer(api, writer):
    response = api.post(writer, {"title": "x", "body": "y", "wie": "ik"})
    assert response.json["error"]["field"] == "wie"
    assert "wie" in response.json["error"]["message"]


def test_a_body_that_is_not_json_answers_415(api, writer):
    response = api.post(writer, data="title=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415


def test_a_body_over_the_limit_answers_413_before_it_is_read(api, writer):
    huge = b'{"title": "x", "body": "' + b"a" * 300_000 + b'"}'
    response = api.post(writer, data=huge, content_type="application/json")
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"


def test_nul_characters_are_dropped_rather_than_stored(api, writer):
    response = api.post(writer, {"title": "Hal\x00lo", "body": "Te\x00kst"})
    assert response.status_code == 201
    assert response.json["story"]["title"] == "Hallo"


def test_a_story_too_long_for_the_service_names_the_field(api, writer):
    response = api.post(writer, {"title": "x" * 151, "body": "Tekst"})
    assert response.status_code == 422
    assert response.json["error"]["field"] == "title"


def test_an_id_beyond_what_the_database_holds_is_simply_not_found(api):
    assert api.get(f"/stories/{2**31}").status_code == 404
    assert api.get(f"/stories/{2**64}").status_code == 404
    assert api.get(f"/notifications?before={2**40}").status_code in (401, 422)
    assert api.get("/stories/0").status_code == 404


def test_an_address_or_method_the_api_does_not_have_answers_in_json_even_without_login(api):
    """No CSRF complaint about a write that has no view to write to: 404 and 405 say so."""
    missing = api.put("/bestaat-niet", {})
    assert missing.status_code == 404
    assert missing.json["error"]["code"] == "not_found"
    wrong = api.put("/groups", {})
    assert wrong.status_code == 405
    assert wrong.json["error"]["code"] == "method_not_allowed"


def test_a_garbled_query_answers_422(api, world):
    slug = world.groups["public"].slug
    assert api.get(f"/groups/{slug}/stories?limit=veel").status_code == 422
    assert api.get(f"/groups/{slug}/stories?limit=1000").status_code == 422
    assert api.get("/search").status_code == 422


def test_the_openapi_document_describes_every_operation_and_its_page_shows_them(api):
    document = api.get("/openapi.json").json
    assert document["openapi"].startswith("3.1")
    operations = {
        f"{method.upper()} {path}"
        for path, methods in document["paths"].items()
        for method in methods
    }
    assert {
        "POST /session",
        "DELETE /session",
        "POST /accounts",
        "GET /groups",
        "GET /groups/{slug}",
        "POST /groups/{slug}/join",
        "GET /groups/{slug}/stories",
        "POST /groups/{slug}/stories",
        "GET /stories/{story_id}",
        "PATCH /stories/{story_id}",
        "DELETE /stories/{story_id}",
        "GET /stories/{story_id}/replies",
        "POST /stories/{story_id}/replies",
        "PUT /stories/{story_id}/reactions/{kind}",
        "DELETE /stories/{story_id}/reactions/{kind}",
        "GET /notifications",
        "GET /search",
        "POST /reports",
        "PATCH /replies/{reply_id}",
        "DELETE /replies/{reply_id}",
        "PUT /replies/{reply_id}/reactions/{kind}",
        "DELETE /replies/{reply_id}/reactions/{kind}",
        "GET /guarantee/queue",
        "POST /guarantee/claims",
        "DELETE /guarantee/claims/{story_id}",
        "PUT /stories/{story_id}/follow",
        "DELETE /stories/{story_id}/follow",
        "POST /groups/{slug}/leave",
        "DELETE /groups/{slug}/join-request",
        "GET /groups/{slug}/join-requests",
        "POST /groups/{slug}/join-requests/{request_id}/decision",
        "POST /house-rules/accept",
        "GET /moderation/queue",
        "GET /moderation/items/{item_id}",
        "POST /moderation/items/{item_id}/decision",
    } <= operations
    page = api.get("/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert "/api/v1/groups/{slug}/stories" in text
