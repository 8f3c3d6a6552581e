"""Content warnings: writers name what their story is about, readers choose what they see."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask

from app.accounts.models import User
from app.extensions import db
from app.groups.models import Group
from app.stories.models import Story
from tests.support import Factory, Visitor


def _warned_story(
    app: Flask, make: Factory, group: Group, title: str, warnings: list[str], note: str = ""
) -> Story:
    story = make.story(group, title=title, body=f"Inhoud van {title}.")
    with app.app_context():
        db.session.execute(
            sa.update(Story)
            .where(Story.id == story.id)
            .values(content_warnings=warnings, content_warning_note=note)
        )
        db.session.commit()
    return story


def _reader(make: Factory, visitor: Visitor, group: Group) -> User:
    reader = make.user()
    make.membership(reader, group)
    visitor.login(reader)
    return reader


def test_a_story_with_warnings_names_them_and_keeps_the_body_folded(
    app: Flask, make: Factory, visitor: Visitor
):
    group = make.group()
    story = _warned_story(
        app, make, group, "Die nacht", ["violence", "injury"], note="over het ziekenhuis"
    )
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    folded = re.search(
        r'<details class="content-warning">\s*<summary>(.*?)</summary>(.*?)</details>',
        page,
        re.S,
    )
    assert folded is not None
    summary, inside = folded.groups()
    assert "Let op: dit verhaal gaat over" in summary
    assert "geweld, letsel" in summary and "over het ziekenhuis" in summary
    assert "Inhoud van Die nacht." in inside
    assert page.count("Inhoud van Die nacht.") == 1


def test_a_story_without_warnings_is_shown_open(app: Flask, make: Factory, visitor: Visitor):
    story = make.story(make.group(), body="Gewoon te lezen.")
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert "content-warning" not in page and "Gewoon te lezen." in page


def test_the_writer_chooses_warnings_and_a_note_when_sharing(
    app: Flask, make: Factory, visitor: Visitor
):
    group = make.group(slug="cw-delen")
    _reader(make, visitor, group)
    form = visitor.get("/groepen/cw-delen/verhaal-delen").get_data(as_text=True)
    for label in ("seksueel geweld", "dood en zelfdoding", "misbruik van kinderen"):
        assert label in form
    response = visitor.post(
        "/groepen/cw-delen/verhaal-delen",
        {
            "title": "Titel",
            "body": "Tekst.",
            "warnings": ["domestic_abuse", "self_harm"],
            "warning_note": "  mijn   woorden ",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        story = db.session.execute(sa.select(Story)).scalar_one()
        assert story.content_warnings == ["self_harm", "domestic_abuse"]
        assert story.content_warning_note == "mijn woorden"


def test_an_unknown_warning_or_a_long_note_comes_back_with_the_text(
    make: Factory, visitor: Visitor
):
    group = make.group(slug="cw-fout")
    _reader(make, visitor, group)
    for extra, message in (
        ({"warnings": ["weather"]}, "Kies alleen uit de onderwerpen"),
        ({"warning_note": "n" * 201}, "Maak de toelichting wat korter"),
    ):
        response = visitor.post(
            "/groepen/cw-fout/verhaal-delen", {"title": "Titel", "body": "Blijft staan.", **extra}
        )
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert message in page and "Blijft staan." in page


def test_a_reader_who_hides_a_category_no_longer_sees_such_stories_in_lists(
    app: Flask, make: Factory, visitor: Visitor
):
    group = make.group(slug="cw-filter")
    _warned_story(app, make, group, "Over geweld", ["violence"])
    _warned_story(app, make, group, "Over seksueel geweld", ["sexual_violence"])
    make.story(group, title="Zonder melding")
    reader = _reader(make, visitor, group)
    prefs = visitor.get("/voorkeuren/lezen")
    assert prefs.status_code == 200 and "niet tonen" in prefs.get_data(as_text=True)
    response = visitor.post("/voorkeuren/lezen", {"violence": "hide", "injury": "collapse"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, reader.id).warning_filters == {"violence": "hide"}
    for path in ("/", "/groepen/cw-filter"):
        page = visitor.get(path).get_data(as_text=True)
        assert "Over geweld" not in page
        # "violence" must not hide "sexual_violence": whole categories only.
        assert "Over seksueel geweld" in page and "Zonder melding" in page
    visitor.logout()
    assert "Over geweld" in visitor.get("/").get_data(as_text=True)


def test_a_hidden_story_opened_directly_asks_first_and_shows_on_request(
    app: Flask, make: Factory, visitor: Visitor
):
    group = make.group()
    story = _warned_story(app, make, group, "Zelfbeschadiging", ["self_harm"])
    _reader(make, visitor, group)
    visitor.post("/voorkeuren/lezen", {"self_harm": "hide"})
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert "Je hebt gekozen zulke verhalen niet te tonen" in page
    assert "Inhoud van Zelfbeschadiging." not in page
    assert 'name="toch-tonen" value="1"' in page
    shown = visitor.get(f"/verhalen/{story.id}?toch-tonen=1").get_data(as_text=True)
    assert "Inhoud van Zelfbeschadiging." in shown
    assert '<details class="content-warning">' in shown


def test_reading_preferences_refuse_unknown_choices_and_need_a_login(
    make: Factory, visitor: Visitor
):
    assert visitor.get("/voorkeuren/lezen").status_code == 302
    visitor.login(make.user())
    assert visitor.post("/voorkeuren/lezen", {"violence": "explode"}).status_code == 422
    assert "Je leesvoorkeuren aanpassen" in visitor.get("/account").get_data(as_text=True)


def test_a_list_shows_the_warning_instead_of_an_excerpt(
    app: Flask, make: Factory, visitor: Visitor
):
    group = make.group(slug="cw-lijst")
    _warned_story(app, make, group, "Het verlies", ["death_and_suicide"])
    for path in ("/", "/groepen/cw-lijst"):
        page = visitor.get(path).get_data(as_text=True)
        assert "Het verlies" in page and "dood en zelfdoding" in page
        assert "Inhoud van Het verlies." not in page
