"""Counting "stories read": one read per reader per day, visitors included, no IP addresses."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask

from app import clock
from app.accounts.models import SiteRole
from app.extensions import db
from app.stories import reads
from app.stories.models import Story, StoryRead
from tests.functional.test_stories_queries import counted_queries
from tests.support import Factory, Visitor

MORNING = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


def _read_count(app: Flask, story: Story) -> int:
    with app.app_context():
        return db.session.execute(
            sa.select(Story.read_count).where(Story.id == story.id)
        ).scalar_one()


def _rows(app: Flask, story: Story) -> list[StoryRead]:
    with app.app_context():
        rows = list(
            db.session.execute(sa.select(StoryRead).where(StoryRead.story_id == story.id))
            .scalars()
            .all()
        )
        db.session.expunge_all()
        return rows


def test_a_member_reading_twice_on_one_day_counts_once(app, make: Factory, visitor: Visitor):
    story = make.story(make.group())
    visitor.login(make.user())
    with clock.frozen(MORNING) as time:
        assert visitor.get(f"/verhalen/{story.id}").status_code == 200
        time.advance(hours=10)
        visitor.get(f"/verhalen/{story.id}")
    assert _read_count(app, story) == 1
    assert len(_rows(app, story)) == 1


def test_reading_again_the_same_day_writes_nothing(app, make: Factory, visitor: Visitor):
    """Paging through a long thread is many views of one story: only the first one writes."""
    story = make.story(make.group())
    visitor.login(make.user())
    visitor.get(f"/verhalen/{story.id}")
    with counted_queries(app) as statements:
        assert visitor.get(f"/verhalen/{story.id}?pagina=2").status_code == 200
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert writes == []
    assert _read_count(app, story) == 1


def test_a_member_reading_again_the_next_day_counts_again(app, make: Factory, visitor: Visitor):
    story = make.story(make.group())
    visitor.login(make.user())
    with clock.frozen(MORNING) as time:
        visitor.get(f"/verhalen/{story.id}")
        time.advance(days=1)
        visitor.get(f"/verhalen/{story.id}")
    assert _read_count(app, story) == 2


def test_the_reading_day_is_the_day_in_amsterdam(app, make: Factory, visitor: Visitor):
    story = make.story(make.group())
    visitor.login(make.user())
    # 22:30 and 23:30 UTC in March are 23:30 and 00:30 in Amsterdam: two different days.
    with clock.frozen(datetime(2026, 3, 10, 22, 30, tzinfo=UTC)) as time:
        visitor.get(f"/verhalen/{story.id}")
        time.advance(hours=1)
        visitor.get(f"/verhalen/{story.id}")
    assert _read_count(app, story) == 2


def test_two_visitors_count_twice_and_each_once(app, make: Factory):
    story = make.story(make.group())
    first, second = app.test_client(), app.test_client()
    with clock.frozen(MORNING):
        for client in (first, second, first, second):
            assert client.get(f"/verhalen/{story.id}").status_code == 200
    assert _read_count(app, story) == 2


def test_the_visitor_cookie_is_small_first_party_and_http_only(app, make: Factory, client):
    story = make.story(make.group())
    response = client.get(f"/verhalen/{story.id}")
    cookie = next(
        value
        for value in response.headers.getlist("Set-Cookie")
        if value.startswith(reads.VISITOR_COOKIE + "=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" in cookie
    assert "Max-Age=31536000" in cookie
    assert "Domain" not in cookie


def test_the_writer_reading_their_own_story_is_not_counted(app, make: Factory, visitor: Visitor):
    writer = make.user()
    story = make.story(make.group(), author=writer)
    visitor.login(writer)
    visitor.get(f"/verhalen/{story.id}")
    assert _read_count(app, story) == 0


def test_bots_and_link_checkers_are_not_counted(app, make: Factory, client):
    story = make.story(make.group())
    for agent in ["Googlebot/2.1", "SomeCrawler 1.0", "Baiduspider"]:
        client.get(f"/verhalen/{story.id}", headers={"User-Agent": agent})
    client.head(f"/verhalen/{story.id}")
    assert _read_count(app, story) == 0
    assert _rows(app, story) == []


def test_no_ip_address_is_stored_for_a_read(app, make: Factory, visitor: Visitor, client):
    story = make.story(make.group())
    address = "127.0.0.1"
    client.get(f"/verhalen/{story.id}", environ_base={"REMOTE_ADDR": address})
    member = make.user()
    member_client = app.test_client()
    Visitor(member_client).login(member)
    member_client.get(f"/verhalen/{story.id}", environ_base={"REMOTE_ADDR": address})
    rows = _rows(app, story)
    assert len(rows) == 2
    plain_hashes = {
        getattr(hashlib, name)(address.encode()).hexdigest() for name in ("md5", "sha1", "sha256")
    }
    keyed = hmac.new(
        app.config["SECRET_KEY"].encode(), address.encode(), hashlib.sha256
    ).hexdigest()
    for row in rows:
        for column in StoryRead.__table__.columns:
            value = str(getattr(row, column.key))
            assert address not in value
            assert value not in plain_hashes
            assert value != keyed
    with app.app_context():
        member_key = reads.reader_key(f"u:{member.id}")
    assert member_key in {row.reader_key for row in rows}


def test_a_failing_count_never_breaks_the_page(app, make: Factory, client, monkeypatch):
    story = make.story(make.group())

    def broken(*_args: object) -> bool:
        raise RuntimeError("database went away")

    monkeypatch.setattr(reads, "record", broken)
    response = client.get(f"/verhalen/{story.id}")
    assert response.status_code == 200
    assert "Mijn verhaal" in response.get_data(as_text=True)


def test_the_read_count_is_shown_to_a_moderator_not_to_a_member(
    app, make: Factory, visitor: Visitor
):
    group = make.group()
    story = make.story(group)
    with app.app_context():
        db.session.execute(sa.update(Story).where(Story.id == story.id).values(read_count=41))
        db.session.commit()
    member = make.user()
    make.membership(member, group)
    visitor.login(member)
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert "keer gelezen" not in page
    visitor.logout()
    visitor.login(make.user(role=SiteRole.MODERATOR))
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert "42 keer gelezen" in page


def test_a_read_counted_at_the_same_moment_elsewhere_counts_once(
    app, make: Factory, visitor: Visitor, monkeypatch
):
    story = make.story(make.group())
    visitor.login(make.user())
    with clock.frozen(MORNING):
        visitor.get(f"/verhalen/{story.id}")
        # The second request does not see the first one's row yet: the database refuses the
        # copy, and the increment made with it is rolled back.
        monkeypatch.setattr(reads, "_already_read", lambda *_args: sa.false())
        assert visitor.get(f"/verhalen/{story.id}").status_code == 200
    assert _read_count(app, story) == 1
    assert len(_rows(app, story)) == 1
