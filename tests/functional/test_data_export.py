"""A member downloads everything the server holds about them, and nothing of anyone else."""

from __future__ import annotations

import io
import json
import zipfile

import sqlalchemy as sa
from flask import Flask

from app import clock
from app.accounts import data_export
from app.accounts.models import DataExport
from app.blocks.models import MemberBlock
from app.extensions import db
from app.groups.models import GroupRole
from app.stories.models import Follow, Reaction, Revision
from tests.support import Factory, Visitor


def _scene(app: Flask, make: Factory):
    group = make.group(name="Kring na inbraak")
    me = make.user("Mijzelf", email="ik@example.org")
    other = make.user("Buurvrouw Els")
    make.membership(me, group, GroupRole.MEMBER)
    mine = make.story(group, author=me, title="Mijn nacht", body="Mijn eigen woorden hier.")
    anonymous = make.story(group, author=me, title="Anoniem verteld", body="Geheim verhaal.")
    theirs = make.story(group, author=other, title="Haar verhaal", body="Woorden van Els.")
    make.reply(theirs, author=me, body="Mijn reactie aan Els.")
    make.reply(mine, author=other, body="Reactie van Els op mij.")
    with app.app_context():
        from app.stories.models import Story

        db.session.get(Story, anonymous.id).anonymous = True
        db.session.add_all(
            [
                Reaction(user_id=me.id, story_id=theirs.id, kind="heart"),
                Reaction(user_id=other.id, story_id=mine.id, kind="heart"),
                Follow(user_id=me.id, story_id=theirs.id),
                MemberBlock(blocker_id=me.id, blocked_id=other.id),
                Revision(
                    story_id=mine.id,
                    title="Mijn nacht",
                    body_source="Eerste versie.",
                    editor_id=me.id,
                ),
            ]
        )
        db.session.commit()
    return me, other


def _download(visitor: Visitor) -> zipfile.ZipFile:
    asked = visitor.post("/account/mijn-gegevens")
    assert asked.status_code == 302
    page = visitor.get("/account/mijn-gegevens").get_data(as_text=True)
    link = page.split('href="/account/mijn-gegevens/', 1)[1].split('"', 1)[0]
    answer = visitor.get(f"/account/mijn-gegevens/{link}")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/zip"
    assert "no-store" in answer.headers["Cache-Control"]
    return zipfile.ZipFile(io.BytesIO(answer.data))


def test_the_export_holds_every_kind_of_own_record_and_nothing_of_others(
    app: Flask, make: Factory, visitor: Visitor
):
    me, _other = _scene(app, make)
    visitor.login(me)
    archive = _download(visitor)
    assert sorted(archive.namelist()) == ["gegevens.json", "overzicht.html"]
    raw = archive.read("gegevens.json").decode()
    data = json.loads(raw)
    assert (
        data["profile"]["pseudonym"] == "Mijzelf" and data["profile"]["email"] == "ik@example.org"
    )
    assert {s["title"] for s in data["stories"]} == {"Mijn nacht", "Anoniem verteld"}
    assert [s["anonymous"] for s in data["stories"] if s["title"] == "Anoniem verteld"] == [True]
    assert data["stories"][0]["earlier_versions"][0]["text"] == "Eerste versie."
    assert [r["text"] for r in data["replies"]] == ["Mijn reactie aan Els."]
    assert len(data["reactions"]) == 1 and len(data["follows"]) == 1
    assert len(data["blocks"]) == 1 and len(data["memberships"]) == 1
    assert data["logins"] and data["notifications"] is not None
    for everything in (raw, archive.read("overzicht.html").decode()):
        assert "Buurvrouw Els" not in everything
        assert "Woorden van Els" not in everything and "Reactie van Els op mij" not in everything
    overview = archive.read("overzicht.html").decode()
    assert "Mijn eigen woorden hier." in overview and "<script" not in overview


def test_hostile_text_in_the_overview_is_only_text(app: Flask, make: Factory, visitor: Visitor):
    me = make.user("Schrijver")
    make.story(
        make.group(),
        author=me,
        title="<script>alert(1)</script>",
        body="<img src=x onerror=alert(1)>",
    )
    visitor.login(me)
    overview = _download(visitor).read("overzicht.html").decode()
    assert "<script>alert(1)" not in overview and "&lt;script&gt;" in overview
    assert "<img src=x" not in overview


def test_only_the_owner_can_download_a_file(app: Flask, make: Factory, visitor: Visitor):
    me, other = _scene(app, make)
    visitor.login(me)
    _download(visitor)
    with app.app_context():
        export_id = db.session.execute(sa.select(DataExport.id)).scalar_one()
    intruder = Visitor(app.test_client())
    intruder.login(other)
    assert intruder.get(f"/account/mijn-gegevens/{export_id}/bestand").status_code == 404
    assert (
        Visitor(app.test_client()).get(f"/account/mijn-gegevens/{export_id}/bestand").status_code
        == 302
    )


def test_a_large_account_is_prepared_by_the_worker_and_files_expire(
    app: Flask, make: Factory, visitor: Visitor, monkeypatch
):
    from datetime import timedelta

    from app.notifications.models import Notification

    monkeypatch.setattr(data_export, "INLINE_LIMIT", 0)
    me, _other = _scene(app, make)
    visitor.login(me)
    visitor.post("/account/mijn-gegevens")
    assert "wordt klaargemaakt" in visitor.get("/account/mijn-gegevens").get_data(as_text=True)
    with app.test_request_context():
        assert data_export.prepare_waiting(clock.utcnow()) == {"prepared": 1, "removed": 0}
        told = (
            db.session.execute(sa.select(Notification.kind).where(Notification.user_id == me.id))
            .scalars()
            .all()
        )
        assert "account.data_export_ready" in told
    archive = _download(visitor)
    assert "gegevens.json" in archive.namelist()
    with app.test_request_context():
        later = clock.utcnow() + timedelta(days=data_export.EXPORT_DAYS + 1)
        assert data_export.prepare_waiting(later)["removed"] == 2
        assert db.session.execute(sa.select(DataExport)).first() is None
