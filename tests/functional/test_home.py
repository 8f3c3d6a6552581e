"""The home page: a welcome and public stories for visitors, the feed for members."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import Flask

from app import clock
from app.accounts.models import SiteRole
from app.extensions import db
from app.groups.models import Visibility
from app.stories.models import Story
from tests.support import Factory, Visitor

_STORY_LINK = re.compile(r'<a href="/verhalen/(\d+)">')
_OLDER_LINK = re.compile(r'href="/\?voor=([^"]+)" rel="next"')


def _home(visitor: Visitor, query: str = "") -> str:
    response = visitor.get("/" + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_visitor_is_welcomed_and_can_read_public_stories(make: Factory, visitor: Visitor):
    story = make.story(make.group(name="Fraude en oplichting"), title="Hoi mam")
    page = _home(visitor)
    assert "Je staat er niet alleen voor" in page
    assert "schuilnaam" in page
    assert f'<a href="/verhalen/{story.id}">Hoi mam</a>' in page
    assert "Fraude en oplichting" in page


def test_a_visitor_never_sees_closed_or_hidden_group_stories(make: Factory, visitor: Visitor):
    make.story(make.group(Visibility.CLOSED), title="Besloten titel")
    make.story(make.group(Visibility.HIDDEN), title="Verborgen titel")
    page = _home(visitor)
    assert "Besloten titel" not in page
    assert "Verborgen titel" not in page


def test_a_member_sees_stories_of_their_own_closed_group(make: Factory, visitor: Visitor):
    mine, other = make.group(Visibility.CLOSED), make.group(Visibility.CLOSED)
    make.story(mine, title="Uit mijn groep")
    make.story(other, title="Uit een andere besloten groep")
    make.story(make.group(), title="Uit een open groep")
    member = make.user()
    make.membership(member, mine)
    visitor.login(member)
    page = _home(visitor)
    assert "Uit mijn groep" in page
    assert "Uit een open groep" in page
    assert "Uit een andere besloten groep" not in page
    assert "Je staat er niet alleen voor" not in page


def test_a_moderators_home_page_is_not_every_closed_group(make: Factory, visitor: Visitor):
    make.story(make.group(Visibility.CLOSED), title="Besloten titel")
    visitor.login(make.user(role=SiteRole.MODERATOR))
    assert "Besloten titel" not in _home(visitor)


def _card(page: str, title: str) -> str:
    return next(card for card in page.split("<article") if title in card)


def test_an_unanswered_story_invites_a_reply(app: Flask, make: Factory, visitor: Visitor):
    group = make.group()
    make.story(group, title="Nog stil")
    answered = make.story(group, title="Al beantwoord")
    make.reply(answered)
    with app.app_context():
        db.session.execute(sa.update(Story).where(Story.id == answered.id).values(reply_count=1))
        db.session.commit()
    page = _home(visitor)
    assert "nog geen reactie" in _card(page, "Nog stil").lower()
    assert "nog geen reactie" not in _card(page, "Al beantwoord").lower()
    assert "1 reactie" in _card(page, "Al beantwoord")

    member = make.user()
    make.membership(member, group)
    visitor.login(member)
    invitation = "Een paar woorden van jou kunnen veel betekenen"
    page = _home(visitor)
    assert invitation in _card(page, "Nog stil")
    assert invitation not in _card(page, "Al beantwoord")


def test_an_anonymous_story_card_says_anonymous_member(make: Factory, visitor: Visitor):
    make.story(make.group(), make.user("Verborgen Naam"), anonymous=True)
    page = _home(visitor)
    assert "Anoniem lid" in page
    assert "Verborgen Naam" not in page


def test_older_stories_follow_without_gaps_or_duplicates(make: Factory, visitor: Visitor):
    group = make.group()
    author = make.user()
    made = []
    with clock.frozen(datetime(2024, 4, 1, tzinfo=UTC)) as moving:
        for number in range(45):
            made.append(make.story(group, author, title=f"Verhaal nummer {number}"))
            if number % 4 == 0:  # some stories share the same moment
                moving.advance(minutes=1)
    expected = [
        story.id for story in sorted(made, key=lambda s: (s.published_at, s.id), reverse=True)
    ]
    seen: list[int] = []
    query = ""
    pages = 0
    while True:
        page = _home(visitor, query)
        pages += 1
        seen.extend(int(found) for found in _STORY_LINK.findall(page))
        older = _OLDER_LINK.search(page)
        if older is None:
            break
        assert "Naar de nieuwste verhalen" in page or pages == 1
        query = "?voor=" + older.group(1)
    assert pages == 3
    assert seen == expected


@pytest.mark.parametrize(
    "cursor",
    [
        "kapot",
        "-1",
        "1-0",
        "99999999999999999-1",
        "1-9999999999999999999999",
        "1-2-3",
        "%00",
        "x" * 5000,
        "1e9-1",
        "253402300799000001-1",
    ],
)
def test_a_bad_cursor_gives_the_first_page_not_an_error(
    make: Factory, visitor: Visitor, cursor: str
):
    make.story(make.group(), title="Het nieuwste verhaal")
    response = visitor.get("/", query_string={"voor": cursor})
    assert response.status_code == 200
    assert "Het nieuwste verhaal" in response.get_data(as_text=True)


def test_a_cursor_past_the_last_story_says_there_is_nothing_older(visitor: Visitor):
    page = _home(visitor, "?voor=1-1")
    assert "Er zijn geen oudere verhalen meer." in page
    assert "Naar de nieuwste verhalen" in page
