"""Every error answers with a friendly Dutch page, or JSON when JSON was asked for."""

import pytest

from app.errors import Conflict, NotAllowed, NotFound


@pytest.fixture
def failing_app(app):
    @app.get("/test/boom")
    def boom():
        raise RuntimeError("something broke")

    @app.get("/test/forbidden")
    def forbidden():
        raise NotAllowed()

    @app.get("/test/hidden")
    def hidden():
        raise NotFound()

    @app.get("/test/conflict")
    def conflict():
        raise Conflict()

    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/bestaat-niet", 404, "bestaat niet"),
        ("/test/hidden", 404, "bestaat niet"),
        ("/test/forbidden", 403, "geen toegang"),
        ("/test/conflict", 409, "Iemand anders"),
        ("/test/boom", 500, "Het ligt niet aan jou"),
    ],
)
def test_errors_get_a_friendly_dutch_page(failing_app, path, status, words):
    response = failing_app.test_client().get(path)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert words in page
    assert "Traceback" not in page and "something broke" not in page


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/bestaat-niet", 404, "not_found"),
        ("/test/forbidden", 403, "forbidden"),
        ("/test/boom", 500, "server_error"),
    ],
)
def test_errors_are_json_for_clients_that_ask_for_json(failing_app, path, status, code):
    response = failing_app.test_client().get(path, headers={"Accept": "application/json"})
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert response.get_json()["error"]["message"]


def test_an_oversized_request_gets_413_in_dutch(client, app):
    body = "x" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    response = client.post("/inloggen", data={"pseudonym": body})
    assert response.status_code == 413
    assert "te groot" in response.get_data(as_text=True)


def test_a_wrong_method_is_answered_kindly(client):
    response = client.delete("/inloggen")
    assert response.status_code in (400, 405)
    assert "<html" in response.get_data(as_text=True)


def test_non_utf8_form_input_does_not_break_the_server(client):
    response = client.post(
        "/inloggen",
        data=b"pseudonym=%FF%FE%80&password=%C3%28",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code < 500


def test_a_bad_percent_encoding_in_the_path_does_not_break_the_server(client):
    assert client.get("/groepen/%FF%FE").status_code < 500
