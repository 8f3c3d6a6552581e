"""Two workers climbing the ladder at the same moment tell everyone exactly once.

The workers run in threads with apps, engines and connections of their own, against a
database of their own (committed data, as in production): on PostgreSQL when
TEST_DATABASE_URL is set, and on a SQLite file always.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from app import clock, create_app
from app.accounts.models import SiteRole, User
from app.config import TestConfig
from app.extensions import db
from app.groups.models import Group, GroupRole, Membership
from app.guarantee import ladder
from app.guarantee.models import ResponseWatch
from app.notifications import kinds
from app.notifications.models import Notification
from app.stories.models import Story

START = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
STORIES = 40
AMBASSADORS = 3


def _postgres_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL", "").strip() or None


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of this test's own, built by the migrations."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'workers.db'}"
        return
    server = _postgres_url()
    if server is None:
        pytest.skip("TEST_DATABASE_URL is not set: no PostgreSQL to race two workers on")
    name = f"lotgenoten_workers_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield str(sa.make_url(server).set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _app(url: str, instance: Path) -> Flask:
    instance.mkdir(exist_ok=True)
    return create_app(TestConfig(instance, url))


def _fill(app: Flask) -> None:
    with app.app_context():
        upgrade()
        group = Group(slug="samen", name="Samen", theme="geweld", visibility="public")
        db.session.add(group)
        people = [
            User(pseudonym=name, pseudonym_key=name, password_hash="x", role=role.value)
            for name, role in [
                ("schrijver", SiteRole.MEMBER),
                ("moderator", SiteRole.MODERATOR),
                ("inhoud", SiteRole.CONTENT_MANAGER),
            ]
            + [(f"ambassadeur{i}", SiteRole.MEMBER) for i in range(AMBASSADORS)]
        ]
        db.session.add_all(people)
        db.session.flush()
        for person in people[3:]:
            db.session.add(
                Membership(group_id=group.id, user_id=person.id, role=GroupRole.AMBASSADOR.value)
            )
        for number in range(STORIES):
            db.session.add(
                Story(
                    group_id=group.id,
                    author_id=people[0].id,
                    title=f"Verhaal {number}",
                    body_source="x",
                    body_html="<p>x</p>",
                    published_at=START,
                    created_at=START,
                )
            )
        db.session.commit()
        db.engine.dispose()


def _race(apps: list[Flask], now: datetime) -> list[BaseException]:
    barrier = threading.Barrier(len(apps))
    errors: list[BaseException] = []

    def climb(app: Flask) -> None:
        try:
            with app.test_request_context("/"):
                barrier.wait(timeout=30)
                ladder.climb(now)
                db.session.remove()
        except BaseException as error:  # reported to the test below
            errors.append(error)

    threads = [threading.Thread(target=climb, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_two_workers_at_once_send_each_reminder_exactly_once(database: str, tmp_path: Path):
    _fill(_app(database, tmp_path / "setup"))
    workers = [_app(database, tmp_path / f"worker{i}") for i in range(2)]
    with clock.frozen(START + timedelta(hours=25)):
        for _round in range(3):
            assert _race(workers, clock.utcnow()) == []
    with workers[0].app_context():
        watches = db.session.execute(sa.select(sa.func.count()).select_from(ResponseWatch))
        assert watches.scalar_one() == STORIES
        rows = db.session.execute(
            sa.select(User.pseudonym, Notification.kind, Notification.link).join(
                User, User.id == Notification.user_id
            )
        ).all()
        db.session.remove()
    for app in workers:
        with app.app_context():
            db.engine.dispose()
    sent = Counter(rows)
    assert sent and set(sent.values()) == {1}, "a reminder went out twice"
    per_person = Counter((name, kind) for name, kind, _link in rows)
    expected = {(f"ambassadeur{i}", kinds.STORY_WAITING): STORIES for i in range(AMBASSADORS)}
    expected[("moderator", kinds.STORY_OVERDUE)] = STORIES
    expected[("inhoud", kinds.STORY_OVERDUE)] = STORIES
    assert dict(per_person) == expected
