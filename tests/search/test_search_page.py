"""The search page as people use it: a box on every page, safe highlights, and answers
(never an error page) to whatever is typed."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from app.search import current_engine, indexer
from tests.support import Factory, Visitor


def _index(app: Flask) -> None:
    with app.app_context():
        indexer.run_once(current_engine(app))


@pytest.mark.parametrize("path", ["/", "/groepen", "/inloggen"])
def test_every_page_has_a_search_box(visitor: Visitor, path: str):
    html = visitor.get(path).get_data(as_text=True)
    assert re.search(
        r'<form class="site-search" role="search" method="get" action="/zoeken">', html
    )
    assert 'name="q"' in html


def test_results_highlight_the_words_and_link_to_the_story(make: Factory, app, visitor):
    group = make.group(name="Na een inbraak")
    story = make.story(group, title="Inbraak in de nacht", body="Ze kwamen binnen in de nacht.")
    reply = make.reply(story, body="Bij ons was de inbraak overdag.")
    _index(app)
    page = visitor.get("/zoeken?q=inbraak")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "2 berichten gevonden" in html
    assert "<mark>Inbraak</mark> in de nacht" in html
    assert f'href="/reacties/{reply.id}"' in html
    assert "Reactie op" in html
    assert '<meta name="robots" content="noindex">' in html


def test_highlights_cannot_inject_html(make: Factory, app, visitor):
    group = make.group()
    make.story(
        group,
        title="<img src=x onerror=alert(1)> inbraak",
        body="inbraak &lt;script&gt;alert(1)&lt;/script&gt; \x02kapot\x03",
    )
    _index(app)
    html = visitor.get("/zoeken?q=inbraak+img+script").get_data(as_text=True)
    results = html.split('class="search-outcome"')[1]
    assert "<img" not in results and "<script" not in results
    assert "&lt;<mark>img</mark> src=x onerror=alert(1)&gt; <mark>inbraak</mark>" in results
    assert "\x02" not in html and "\x03" not in html


def test_the_query_is_shown_back_escaped(visitor: Visitor):
    html = visitor.get('/zoeken?q="><script>alert(1)</script>').get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&#34;&gt;&lt;script&gt;" in html or "&quot;&gt;&lt;script&gt;" in html


def test_a_story_with_a_content_warning_shows_no_snippet(make: Factory, app, visitor):
    from app.database import unit_of_work
    from app.extensions import db
    from app.stories.models import Story

    group = make.group()
    story = make.story(group, title="Wat er gebeurde", body="Het geweld in detail beschreven.")
    with app.app_context(), unit_of_work():
        db.session.get(Story, story.id).content_warnings = ["violence"]
    _index(app)
    html = visitor.get("/zoeken?q=geweld+gebeurde").get_data(as_text=True)
    assert f"/verhalen/{story.id}" in html
    assert "in detail beschreven" not in html
    assert "Let op: dit verhaal gaat over" in html


def test_nothing_found_gives_gentle_tips(app, visitor: Visitor):
    _index(app)
    html = visitor.get("/zoeken?q=zeldzaamwoord").get_data(as_text=True)
    assert "Niets gevonden" in html
    assert "Probeer minder woorden" in html


def test_filters_and_pages_keep_the_question(make: Factory, app, visitor):
    group = make.group(theme="fraude")
    for n in range(12):
        make.story(group, title=f"Oplichting {n}", body="Via de telefoon.")
    _index(app)
    html = visitor.get(f"/zoeken?q=oplichting&groep={group.slug}&volgorde=nieuwste").get_data(
        as_text=True
    )
    assert "12 berichten gevonden" in html
    assert "Pagina 1 van 2" in html
    assert f"/zoeken?q=oplichting&amp;groep={group.slug}&amp;volgorde=nieuwste&amp;pagina=2" in html
    second = visitor.get(f"/zoeken?q=oplichting&groep={group.slug}&volgorde=nieuwste&pagina=2")
    assert second.get_data(as_text=True).count('class="story-card search-result"') == 2
    beyond = visitor.get("/zoeken?q=oplichting&pagina=9999")
    assert beyond.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "*:*",
        "title:geheim",
        '"onafgesloten',
        'a" b" "c',
        "((((",
        "OR AND NOT",
        "-",
        '-"',
        "\\",
        "x" * 5000,
        "%00",
        "\u202e\ufeff",
        "' OR 1=1 --",
        "<>&;|!:*()[]{}^~?",
        "inbraak:*",
        "a:b:c:d",
        "🙂 verhaal 🙂",
    ],
)
def test_query_syntax_abuse_is_answered_calmly(make: Factory, app, visitor, query: str):
    make.story(make.group(), title="Een verhaal", body="Gewoon een verhaal.")
    _index(app)
    page = visitor.get("/zoeken", query_string={"q": query})
    assert page.status_code == 200
    assert "Zoeken lukt op dit moment even niet" not in page.get_data(as_text=True)


def test_the_big_list_of_naughty_strings_never_breaks_search(
    make: Factory, app, naughty_strings: list[str]
):
    from app.search import service

    make.story(make.group(), title="Een verhaal", body="Gewoon een verhaal.")
    _index(app)
    with app.test_request_context():
        for text in naughty_strings:
            outcome = service.search(None, {"q": text, "groep": text, "thema": text, "van": text})
            assert not outcome.unavailable, text


def test_invalid_utf8_and_nul_in_the_address_are_answered(visitor: Visitor):
    assert visitor.client.get("/zoeken?q=%ff%fe%fd").status_code == 200
    refused = visitor.client.get("/zoeken?q=a%00b")
    assert refused.status_code == 400
    assert "<html" in refused.get_data(as_text=True)


def test_searching_too_often_gets_a_friendly_wait(app, visitor: Visitor, monkeypatch):
    from app.search import routes

    monkeypatch.setattr(routes, "SEARCH_PER_CLIENT", "2 per minute")
    for _ in range(2):
        assert visitor.get("/zoeken?q=rust").status_code == 200
    page = visitor.get("/zoeken?q=rust")
    assert page.status_code == 429
    assert "Je zoekt heel vaak achter elkaar" in page.get_data(as_text=True)


def test_a_reply_under_a_deleted_story_names_no_tombstone_marker(make: Factory, app, visitor):
    from app.stories import writing

    group = make.group()
    writer = make.user()
    make.membership(writer, group)
    story = make.story(group, writer, title="Weg", body="Straks verwijderd.")
    make.reply(story, body="Deze troostende reactie blijft staan.")
    with app.test_request_context():
        writing.delete_story(writer, story.id)
    _index(app)
    html = visitor.get("/zoeken?q=troostende").get_data(as_text=True)
    assert "Verwijderd verhaal" in html
    assert "[verwijderd]" not in html
