"""Staff pages that update while open: the moderators' menu badge and the overdue dashboard
of the response guarantee."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import Flask

from app import clock
from app.accounts.models import SiteRole
from app.extensions import db
from app.guarantee import ladder
from app.stories.models import Story
from tests.support import Factory

START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def group_with_story(make: Factory):
    group = make.group(slug="samen-staf")
    writer, reader = make.user("Schrijver"), make.user("Lezer")
    make.membership(writer, group)
    make.membership(reader, group)
    return group, writer, reader


# --- the moderators' menu badge ---------------------------------------------------------------


def test_a_report_raises_the_badge_on_a_moderators_open_page(
    open_page, group_with_story, make: Factory
):
    group, writer, reader = group_with_story
    story = make.story(group, writer)
    moderator = open_page(make.user(role=SiteRole.MODERATOR))
    page = moderator.http.get("/").get_data(as_text=True)
    assert 'data-moderation-count="/moderatie/open"' in page
    assert "data-moderation-badge hidden" in page
    assert moderator.http.get("/moderatie/open").get_json() == {"open": 0, "label": "0 open"}

    open_page(reader).http.post(f"/melden/verhaal/{story.id}", {"reason": "hurtful"})

    assert len(moderator.events("moderation_queue")) == 1
    assert moderator.http.get("/moderatie/open").get_json() == {"open": 1, "label": "1 open"}


def test_only_moderators_may_ask_how_many_items_are_open(open_page, make: Factory):
    member = open_page(make.user())
    assert member.http.get("/moderatie/open").status_code in (403, 404)
    assert "data-moderation-count" not in member.http.get("/").get_data(as_text=True)
    assert open_page().http.get("/moderatie/open").status_code == 302  # to the login


# --- the overdue dashboard ------------------------------------------------------------------


def test_the_dashboard_asks_for_its_room_and_only_staff_may_join_it(open_page, make: Factory):
    content = open_page(make.user(role=SiteRole.CONTENT_MANAGER))
    page = content.http.get("/reactiegarantie").get_data(as_text=True)
    assert 'data-live-rooms="guarantee"' in page
    assert 'data-live-region="ambassador_queue"' in page
    assert content.join("guarantee")
    assert open_page(make.user(role=SiteRole.MODERATOR)).join("guarantee")
    assert not open_page(make.user()).join("guarantee")
    assert not open_page().join("guarantee")


def test_an_open_dashboard_reloads_when_a_story_passes_its_target_and_when_it_is_answered(
    open_page, group_with_story, make: Factory, app: Flask
):
    group, writer, reader = group_with_story
    dashboard = open_page(make.user(role=SiteRole.CONTENT_MANAGER))
    assert dashboard.join("guarantee")
    with clock.frozen(START) as time:
        open_page(writer).http.post(
            "/groepen/samen-staf/verhaal-delen", {"title": "Alleen", "body": "Wie leest dit?"}
        )
        assert dashboard.events("ambassador_queue") == [{"group_id": group.id}]
        time.advance(hours=25)
        with app.test_request_context():
            assert ladder.climb(clock.utcnow()).overdue == 1
        assert dashboard.events("ambassador_queue") == [{"group_id": group.id}]
        listed = dashboard.http.get("/reactiegarantie").get_data(as_text=True)
        assert "Alleen" in listed

        with app.app_context():
            story_id = db.session.execute(
                sa.select(Story.id).where(Story.title == "Alleen")
            ).scalar_one()
        open_page(reader).http.post(f"/verhalen/{story_id}/reageren", {"body": "Ik lees mee."})

    assert dashboard.events("ambassador_queue") == [{"group_id": group.id}]
    assert "Er zijn nu geen verhalen over de tijd." in dashboard.http.get(
        "/reactiegarantie"
    ).get_data(as_text=True)
