"""Hostile input through the writing forms: never a server error, never a running script."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.stories.models import Reply, Story
from tests.support import Factory, Visitor

_OWN_SCRIPTS = re.compile(
    r'<script src="/static/(js/[a-z-]+|vendor/socket\.io/socket\.io\.min)\.js" defer></script>'
)


def _assert_no_script(page: str) -> None:
    assert "<script" not in _OWN_SCRIPTS.sub("", page).lower()


def _writer(app: Flask, make: Factory, visitor: Visitor, slug: str) -> str:
    app.config["RATELIMIT_ENABLED"] = False
    group = make.group(slug=slug)
    writer = make.user()
    make.membership(writer, group)
    make.story(group, title="Doelwit")
    visitor.login(writer)
    return visitor.csrf_token()


def _target(app: Flask) -> int:
    with app.app_context():
        return db.session.execute(sa.select(Story.id).where(Story.title == "Doelwit")).scalar_one()


def test_every_naughty_string_goes_through_the_share_form_safely(
    app: Flask, make: Factory, visitor: Visitor, naughty_strings: list[str]
):
    token = _writer(app, make, visitor, "naughty")
    published = 0
    for text in naughty_strings:
        response = visitor.client.post(
            "/groepen/naughty/verhaal-delen",
            data={"csrf_token": token, "title": text[:150], "body": text, "warning_note": text},
        )
        assert response.status_code in (302, 422), (text, response.status_code)
        page = response.get_data(as_text=True)
        if response.status_code == 302:
            published += 1
            page = visitor.get(response.headers["Location"]).get_data(as_text=True)
        _assert_no_script(page)
    assert published > len(naughty_strings) // 2
    home = visitor.get("/groepen/naughty")
    assert home.status_code == 200
    _assert_no_script(home.get_data(as_text=True))


def test_every_naughty_string_goes_through_the_reply_form_safely(
    app: Flask, make: Factory, visitor: Visitor, naughty_strings: list[str]
):
    token = _writer(app, make, visitor, "naughty-reply")
    story_id = _target(app)
    for text in naughty_strings:
        response = visitor.client.post(
            f"/verhalen/{story_id}/reageren", data={"csrf_token": token, "body": text}
        )
        assert response.status_code in (302, 422), (text, response.status_code)
        _assert_no_script(response.get_data(as_text=True))
    page = visitor.get(f"/verhalen/{story_id}")
    assert page.status_code == 200
    _assert_no_script(page.get_data(as_text=True))


def test_bytes_that_are_not_utf8_do_not_break_the_form(app: Flask, make: Factory, visitor: Visitor):
    token = _writer(app, make, visitor, "bytes")
    body = b"csrf_token=" + token.encode() + b"&title=caf\xe9+\xff\xfe&body=%ff%fe%00+tekst"
    response = visitor.client.post(
        "/groepen/bytes/verhaal-delen",
        data=body,
        content_type="application/x-www-form-urlencoded",
    )
    # Werkzeug drops a form it cannot decode, so it comes back as an expired form.
    assert response.status_code in (302, 400, 422)
    assert "<html" in response.get_data(as_text=True)
    with app.app_context():
        for story in db.session.execute(sa.select(Story)).scalars():
            assert "\x00" not in story.title + story.body_source


def test_nul_bytes_are_taken_out_before_saving(app: Flask, make: Factory, visitor: Visitor):
    token = _writer(app, make, visitor, "nul")
    response = visitor.client.post(
        "/groepen/nul/verhaal-delen",
        data={"csrf_token": token, "title": "a\x00b", "body": "c\x00d", "warning_note": "e\x00f"},
    )
    assert response.status_code == 302
    with app.app_context():
        story = db.session.execute(sa.select(Story).where(Story.title != "Doelwit")).scalar_one()
        assert (story.title, story.body_source, story.content_warning_note) == ("ab", "cd", "ef")


def test_a_body_larger_than_the_upload_limit_gets_the_too_large_page(
    app: Flask, make: Factory, visitor: Visitor
):
    token = _writer(app, make, visitor, "groot")
    response = visitor.client.post(
        "/groepen/groot/verhaal-delen",
        data={"csrf_token": token, "title": "Groot", "body": "x" * (600 * 1024)},
    )
    assert response.status_code == 413
    assert "te groot" in response.get_data(as_text=True)


def test_a_reply_over_the_length_limit_comes_back_intact(
    app: Flask, make: Factory, visitor: Visitor
):
    token = _writer(app, make, visitor, "lang")
    body = "woord " * 3400
    response = visitor.client.post(
        f"/verhalen/{_target(app)}/reageren", data={"csrf_token": token, "body": body}
    )
    assert response.status_code == 422
    assert "Je bericht is te lang" in response.get_data(as_text=True)
    assert body.strip() in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count(Reply.id))).scalar_one() == 0
