"""Minimal data: no IP address anywhere in the database, and old records purged on time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask import Flask

from app import clock, retention
from app.accounts.models import AuthSession, DeviceMark, RecoveryCode
from app.extensions import db
from app.groups.models import GroupRole
from app.notifications.models import Notification
from app.stories.models import StoryRead
from tests.support import PASSWORD, Factory, Visitor

_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IP_NAMES = ("ip", "ip_address", "remote_addr", "client_ip", "forwarded_for", "x_forwarded")


def test_no_ip_address_is_stored_anywhere(app: Flask, make: Factory, visitor: Visitor):
    group = make.group()
    story = make.story(group, title="Een verhaal", body="Over de nacht van de inbraak.")
    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Real-IP": "198.51.100.7"}
    environ = {"REMOTE_ADDR": "192.0.2.44"}
    answer = visitor.client.post(
        "/registreren",
        data={
            "csrf_token": visitor.csrf_token("/registreren"),
            "pseudonym": "Nieuw Lid",
            "password": PASSWORD,
            "email": "",
        },
        headers=forwarded,
        environ_base=environ,
    )
    assert answer.status_code == 302
    visitor.logout()
    member = make.user("Schrijver")
    make.membership(member, group, GroupRole.MEMBER)
    logged_in = visitor.client.post(
        "/inloggen",
        data={
            "csrf_token": visitor.csrf_token("/inloggen"),
            "pseudonym": "Schrijver",
            "password": PASSWORD,
        },
        headers=forwarded,
        environ_base=environ,
    )
    assert logged_in.status_code == 302
    token = visitor.csrf_token(f"/verhalen/{story.id}")
    replied = visitor.client.post(
        f"/verhalen/{story.id}/reageren",
        data={"csrf_token": token, "body": "Sterkte, ik herken dit."},
        headers=forwarded,
        environ_base=environ,
    )
    shared = visitor.client.post(
        f"/groepen/{group.slug}/verhaal-delen",
        data={"csrf_token": token, "title": "Mijn verhaal", "body": "Het gebeurde in mei."},
        headers=forwarded,
        environ_base=environ,
    )
    assert replied.status_code == 302 and shared.status_code == 302
    visitor.client.get(f"/verhalen/{story.id}", headers=forwarded, environ_base=environ)

    with app.app_context():
        inspector = sa.inspect(db.engine)
        for table in inspector.get_table_names():
            columns = inspector.get_columns(table)
            names = [c["name"] for c in columns]
            assert not any(n.lower() in _IP_NAMES for n in names), (table, names)
            for row in db.session.execute(sa.text(f'SELECT * FROM "{table}"')):  # noqa: S608
                for name, value in zip(names, row, strict=True):
                    if isinstance(value, str | dict | list):
                        assert not _IPV4.search(str(value)), (table, name, value)


def test_old_records_are_purged_and_recent_ones_kept(app: Flask, make: Factory):
    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    member = make.user()
    story = make.story(make.group())
    with app.app_context():
        old_read = Notification(
            user_id=member.id,
            kind="reply",
            created_at=now - timedelta(days=120),
            read_at=now - timedelta(days=100),
        )
        recent_read = Notification(
            user_id=member.id,
            kind="reply",
            created_at=now - timedelta(days=20),
            read_at=now - timedelta(days=10),
        )
        ancient_unread = Notification(
            user_id=member.id, kind="reply", created_at=now - timedelta(days=400)
        )
        fresh_unread = Notification(
            user_id=member.id, kind="reply", created_at=now - timedelta(days=1)
        )
        db.session.add_all([old_read, recent_read, ancient_unread, fresh_unread])
        db.session.add_all(
            [
                StoryRead(story_id=story.id, reader_key="a" * 64, day=date(2025, 1, 1)),
                StoryRead(story_id=story.id, reader_key="b" * 64, day=date(2026, 5, 30)),
                DeviceMark(
                    user_id=member.id,
                    token_hash="c" * 64,
                    first_seen_on=date(2025, 1, 1),
                    last_seen_on=date(2025, 6, 1),
                ),
                DeviceMark(
                    user_id=member.id,
                    token_hash="d" * 64,
                    first_seen_on=date(2026, 5, 1),
                    last_seen_on=date(2026, 5, 31),
                ),
                AuthSession(
                    token_hash="e" * 64,
                    user_id=member.id,
                    created_at=now - timedelta(days=40),
                    last_seen_at=now - timedelta(days=35),
                    expires_at=now - timedelta(days=5),
                ),
                AuthSession(
                    token_hash="f" * 64,
                    user_id=member.id,
                    created_at=now,
                    last_seen_at=now,
                    expires_at=now + timedelta(days=5),
                ),
                RecoveryCode(
                    user_id=member.id, code_hash="g" * 64, used_at=now - timedelta(days=40)
                ),
                RecoveryCode(user_id=member.id, code_hash="h" * 64),
            ]
        )
        db.session.commit()
        kept_ids = {recent_read.id, fresh_unread.id}

        with clock.frozen(now):
            removed = retention.purge(clock.utcnow())
        assert removed["read_notifications"] == 1 and removed["old_notifications"] == 1
        assert set(db.session.execute(sa.select(Notification.id)).scalars()) == kept_ids
        assert [r.reader_key[0] for r in db.session.execute(sa.select(StoryRead)).scalars()] == [
            "b"
        ]
        assert [d.token_hash[0] for d in db.session.execute(sa.select(DeviceMark)).scalars()] == [
            "d"
        ]
        assert [s.token_hash[0] for s in db.session.execute(sa.select(AuthSession)).scalars()] == [
            "f"
        ]
        assert [c.code_hash[0] for c in db.session.execute(sa.select(RecoveryCode)).scalars()] == [
            "h"
        ]


def test_logs_hold_no_address_no_pseudonym_and_no_words_of_a_post(
    app: Flask, make: Factory, visitor: Visitor, caplog
):
    import logging

    caplog.set_level(logging.DEBUG)
    group = make.group()
    writer = make.user("Verborgen Schrijver")
    make.membership(writer, group, GroupRole.MEMBER)
    environ = {"REMOTE_ADDR": "192.0.2.44"}
    token = visitor.csrf_token("/inloggen")
    visitor.client.post(
        "/inloggen",
        data={"csrf_token": token, "pseudonym": "Verborgen Schrijver", "password": PASSWORD},
        environ_base=environ,
    )
    token = visitor.csrf_token(f"/groepen/{group.slug}")
    shared = visitor.client.post(
        f"/groepen/{group.slug}/verhaal-delen",
        data={
            "csrf_token": token,
            "title": "Wat mij overkwam",
            "body": "Mijn buurman sloeg mij in de gang.",
            "anonymous": "y",
        },
        environ_base=environ,
    )
    assert shared.status_code == 302
    visitor.client.get(shared.location, environ_base=environ)
    visitor.client.get("/zoeken?q=buurman+gang", environ_base=environ)
    visitor.client.post("/inloggen", data={"pseudonym": "x"}, environ_base=environ)  # no CSRF
    for secret in ("192.0.2.44", "Verborgen Schrijver", "sloeg mij", "buurman"):
        assert secret not in caplog.text, secret
