"""The Volgen / Niet meer volgen button on the story page."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.groups.models import Visibility
from app.stories.models import Follow
from tests.support import Factory, Visitor


def _follows(app: Flask, story_id: int) -> int:
    with app.app_context():
        return db.session.execute(
            sa.select(sa.func.count()).select_from(Follow).filter_by(story_id=story_id)
        ).scalar_one()


def test_a_member_follows_and_unfollows_a_story(app, make: Factory, visitor: Visitor):
    story = make.story(make.group())
    visitor.login(make.user())
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert ">Volgen</button>" in page
    response = visitor.post(f"/verhalen/{story.id}/volgen")
    assert response.status_code == 302
    visitor.post(f"/verhalen/{story.id}/volgen")
    assert _follows(app, story.id) == 1
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert ">Niet meer volgen</button>" in page
    visitor.post(f"/verhalen/{story.id}/niet-meer-volgen")
    assert _follows(app, story.id) == 0


def test_a_visitor_sees_no_follow_button_and_must_log_in(app, make: Factory, visitor: Visitor):
    story = make.story(make.group())
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert "Volgen</button>" not in page
    response = visitor.post(f"/verhalen/{story.id}/volgen")
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]
    assert _follows(app, story.id) == 0


def test_a_story_one_may_not_read_cannot_be_followed(app, make: Factory, visitor: Visitor):
    story = make.story(make.group(Visibility.CLOSED))
    visitor.login(make.user())
    assert visitor.post(f"/verhalen/{story.id}/volgen").status_code == 404
    assert _follows(app, story.id) == 0
