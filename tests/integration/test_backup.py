"""``flask backup`` and ``flask restore``: every story comes back, and only into an empty
database at the backup's revision."""

from __future__ import annotations

import io
import json
import os
import secrets
import zipfile
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner
from flask_migrate import downgrade, upgrade

from app import clock, create_app
from app.backup.archive import (
    LEFT_OUT,
    ArchiveError,
    backed_up_tables,
    restore_backup,
    write_backup,
)
from app.config import TestConfig
from app.database import unit_of_work
from app.extensions import db
from app.groups import management
from app.groups.models import GroupRole
from app.stories import services
from app.stories.models import PostStatus, Story
from moderation.models import ItemStatus, ModerationItem
from tests.support import Factory

pytestmark = pytest.mark.usefixtures("ctx")

HOSTILE = '\'); DROP TABLE stories; --\u2028<script>alert("x")</script>\r\n\t\\ {}\u202e ${7*7}'
STORY_COLUMNS = (
    Story.id,
    Story.title,
    Story.body_source,
    Story.anonymous,
    Story.status,
    Story.author_id,
    Story.group_id,
    Story.published_at,
)

MakeApp = Callable[..., Flask]


@pytest.fixture
def empty_app(tmp_path: Path) -> Iterator[MakeApp]:
    """Makes a second app on an empty database built by the migrations (SQLite unless given
    another URL); made after the test's data, since a new app takes over the shared
    extensions."""
    made: list[Flask] = []

    def make_app(url: str | None = None) -> Flask:
        instance = tmp_path / f"tweede-{len(made)}"
        instance.mkdir()
        second = create_app(TestConfig(instance, url or f"sqlite:///{instance / 'leeg.db'}"))
        made.append(second)
        with second.app_context():
            upgrade()
        return second

    yield make_app
    for second in made:
        with second.app_context():
            db.engine.dispose()


def _community(make: Factory) -> None:
    """A small community: accents, emoji, newlines, a hostile string, an anonymous and a
    held story, replies, an audit entry and an appeal that refers to an earlier item."""
    manager = make.user("beheerder-één")
    member = make.user("lid-ümit")
    group = make.group(name="Groep café ☕")
    make.membership(manager, group, GroupRole.MANAGER)
    make.membership(member, group)
    management.set_role(group, member.id, GroupRole.AMBASSADOR.value, actor=manager)
    first = make.story(
        group, member, title="Één dag 🌧️", body="Regel één\nRegel twee 👩‍👩‍👧\n\nÉn nog één."
    )
    make.story(group, member, title=HOSTILE[:40], body=HOSTILE)
    make.story(group, member, title="Zonder naam", anonymous=True)
    make.story(group, member, title="Wacht nog", status=PostStatus.HELD)
    services.publish_story(
        member, group, "Met waarschuwing", "Het was zwaar.", warnings=["violence"]
    )
    make.reply(first, manager, body="Sterkte ❤️\nEcht waar.")
    make.reply(first, member, body=HOSTILE, anonymous=True)
    with unit_of_work() as session:
        item = ModerationItem(
            target_type="story",
            target_id=first.id,
            due_at=clock.utcnow(),
            status=ItemStatus.DECIDED.value,
            decided_at=clock.utcnow(),
            decided_by_id=manager.id,
        )
        session.add(item)
        session.flush()
        session.add(
            ModerationItem(
                target_type="story",
                target_id=first.id,
                due_at=clock.utcnow() + timedelta(days=1),
                appeal_of_id=item.id,
            )
        )


def _stories(connection: sa.Connection | Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in connection.execute(sa.select(*STORY_COLUMNS).order_by(Story.id))]


def _contents(connection: sa.Connection | Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every backed-up table, in primary-key order."""
    return {
        table.name: [
            tuple(row)
            for row in connection.execute(sa.select(table).order_by(*table.primary_key.columns))
        ]
        for table in backed_up_tables()
    }


def _counts(connection: sa.Connection | Any) -> dict[str, int]:
    return {
        table.name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        for table in db.metadata.sorted_tables
    }


def _source_revision() -> str:
    return str(db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar())


def test_a_backup_restores_every_story_and_row_into_an_empty_database(
    make: Factory, tmp_path: Path, empty_app: MakeApp
):
    _community(make)
    stories, contents = _stories(db.session), _contents(db.session)
    written = write_backup(tmp_path / "kopie.zip")

    second = empty_app()
    with second.app_context():
        restored = restore_backup(tmp_path / "kopie.zip")
        with db.engine.connect() as connection:
            assert _stories(connection) == stories
            assert _contents(connection) == contents
            counts = _counts(connection)

    assert len(stories) == 5
    assert any(HOSTILE in row for row in stories)
    assert contents["audit_entries"] and contents["notifications"]
    assert restored == written
    assert restored.revision == _source_revision()
    assert restored.rows == {name: len(rows) for name, rows in contents.items()}
    assert restored.total == sum(len(rows) for rows in contents.values())
    assert all(counts[name] == 0 for name in LEFT_OUT)


def test_the_archive_holds_a_manifest_and_one_json_lines_file_per_table(
    make: Factory, tmp_path: Path
):
    _community(make)
    path = tmp_path / "kopie.zip"
    summary = write_backup(path)

    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = set(archive.namelist())
        story_lines = archive.read("tables/stories.jsonl").decode("utf-8").splitlines()
        compression = {info.compress_type for info in archive.infolist()}
    assert manifest["format"] == 1
    assert manifest["revision"] == _source_revision()
    assert manifest["engine"] == db.session.get_bind().dialect.name
    assert manifest["created_at"].endswith("+00:00")
    assert manifest["tables"] == dict(summary.rows)
    assert list(manifest["tables"]) == [table.name for table in backed_up_tables()]
    assert names == {"manifest.json"} | {f"tables/{name}.jsonl" for name in summary.rows}
    assert compression == {zipfile.ZIP_DEFLATED}
    first = json.loads(story_lines[0])
    assert first["title"] == "Één dag 🌧️"
    assert first["published_at"].endswith("+00:00")
    assert len(story_lines) == 5
    assert os.stat(path).st_mode & 0o077 == 0


def test_a_second_restore_into_the_now_filled_database_is_refused(
    make: Factory, tmp_path: Path, empty_app: MakeApp
):
    _community(make)
    write_backup(tmp_path / "kopie.zip")
    second = empty_app()
    with second.app_context():
        restore_backup(tmp_path / "kopie.zip")
        with pytest.raises(ArchiveError, match="De database is niet leeg: herstel kan alleen"):
            restore_backup(tmp_path / "kopie.zip")
        with db.engine.connect() as connection:
            assert len(_stories(connection)) == 5


def test_a_restore_into_a_database_at_another_revision_is_refused(
    make: Factory, tmp_path: Path, empty_app: MakeApp
):
    _community(make)
    write_backup(tmp_path / "kopie.zip")
    revision = _source_revision()
    second = empty_app()
    with second.app_context():
        downgrade(revision="-1")
        with pytest.raises(ArchiveError) as refused:
            restore_backup(tmp_path / "kopie.zip")
    assert f"de reservekopie op versie {revision}" in refused.value.message
    assert "flask db upgrade" in refused.value.message


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda good: b"dit is geen zip", "geen bruikbare reservekopie"),
        (lambda good: good[: len(good) // 2], "geen bruikbare reservekopie"),
        (lambda good: _replaced(good, "manifest.json", b"{niet af"), "geen bruikbare"),
        (lambda good: _replaced(good, "manifest.json", b'{"format": 9}'), "formaat 9"),
        (lambda good: _replaced(good, "manifest.json", None), "manifest.json ontbreekt"),
        (lambda good: _replaced(good, "tables/stories.jsonl", b'{"id": 1'), "geen bruikbare"),
        (lambda good: _replaced(good, "tables/replies.jsonl", b'{"wie": 1}\n'), "replies"),
        (lambda good: _replaced(good, "tables/replies.jsonl", None), "geen bruikbare"),
        (lambda good: _replaced(good, "tables/replies.jsonl", b""), "aantal rijen"),
    ],
)
def test_a_damaged_archive_is_refused_and_restores_nothing(
    make: Factory,
    tmp_path: Path,
    empty_app: MakeApp,
    damage: Callable[[bytes], bytes],
    message: str,
):
    _community(make)
    write_backup(tmp_path / "kopie.zip")
    damaged = tmp_path / "beschadigd.zip"
    damaged.write_bytes(damage((tmp_path / "kopie.zip").read_bytes()))
    second = empty_app()
    with second.app_context():
        with pytest.raises(ArchiveError, match=message):
            restore_backup(damaged)
        with db.engine.connect() as connection:
            assert set(_counts(connection).values()) == {0}


def test_a_missing_archive_is_explained(tmp_path: Path):
    with pytest.raises(ArchiveError, match="bestaat niet"):
        restore_backup(tmp_path / "nergens.zip")


def test_a_backup_into_a_missing_folder_is_explained(tmp_path: Path):
    with pytest.raises(ArchiveError, match=r"Kan .* niet schrijven"):
        write_backup(tmp_path / "nergens" / "kopie.zip")


def test_the_commands_back_up_and_restore_with_a_dutch_summary(
    make: Factory, runner: FlaskCliRunner, tmp_path: Path, empty_app: MakeApp
):
    _community(make)
    path = tmp_path / "kopie.zip"

    made = runner.invoke(args=["backup", str(path)])
    missing = runner.invoke(args=["restore", str(tmp_path / "nergens.zip")])
    second = empty_app()
    with second.app_context():
        restored = second.test_cli_runner().invoke(args=["restore", str(path)])
        refused = second.test_cli_runner().invoke(args=["restore", str(path)])

    assert made.exit_code == 0, made.output
    assert "Reservekopie gemaakt: " in made.output
    assert f"tabellen in {path}" in made.output
    assert "SECRET_KEY" in made.output
    assert refused.exit_code == 1
    assert "De database is niet leeg" in refused.output
    assert "Traceback" not in refused.output
    assert missing.exit_code == 1
    assert "bestaat niet" in missing.output
    assert restored.exit_code == 0, restored.output
    assert "Hersteld: " in restored.output
    assert "flask search reindex" in restored.output
    assert "SECRET_KEY" in restored.output


def test_a_table_larger_than_one_batch_comes_back_whole_and_counts_read_the_dutch_way(
    make: Factory, runner: FlaskCliRunner, tmp_path: Path, empty_app: MakeApp
):
    group = make.group()
    author = make.user()
    with unit_of_work() as session:
        session.add_all(
            Story(
                group_id=group.id,
                author_id=author.id,
                title=f"Verhaal {number}",
                body_source=f"Tekst {number}",
                body_html=f"<p>Tekst {number}</p>",
                status=PostStatus.PUBLISHED.value,
                created_at=clock.utcnow(),
                published_at=clock.utcnow(),
            )
            for number in range(2_345)
        )
    stories = _stories(db.session)

    made = runner.invoke(args=["backup", str(tmp_path / "kopie.zip")])
    second = empty_app()
    with second.app_context():
        restore_backup(tmp_path / "kopie.zip")
        with db.engine.connect() as connection:
            assert _stories(connection) == stories

    assert made.exit_code == 0, made.output
    assert "Reservekopie gemaakt: 2.3" in made.output


def _replaced(archive: bytes, name: str, content: bytes | None) -> bytes:
    """``archive`` with member ``name`` holding ``content`` instead (None: left out)."""
    target = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as old, zipfile.ZipFile(target, "w") as new:
        for member in old.namelist():
            if member != name:
                new.writestr(member, old.read(member))
            elif content is not None:
                new.writestr(member, content)
    return target.getvalue()


# --- PostgreSQL: a restore into a fresh database of its own -------------------------------


@pytest.fixture
def fresh_postgres(database_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the test server, dropped afterwards."""
    server = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    name = f"lotgenoten_backup_test_{secrets.token_hex(4)}"
    with server.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()


@pytest.mark.postgres
@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").strip(),
    reason="TEST_DATABASE_URL is not set: this restores into a fresh PostgreSQL database",
)
def test_after_a_postgres_restore_new_rows_get_fresh_ids(
    make: Factory, tmp_path: Path, fresh_postgres: str, empty_app: MakeApp
):
    _community(make)
    write_backup(tmp_path / "kopie.zip")
    highest = db.session.execute(sa.select(sa.func.max(Story.id))).scalar_one()
    second = empty_app(fresh_postgres)

    with second.app_context():
        restore_backup(tmp_path / "kopie.zip")
        with db.engine.begin() as connection:
            story = connection.execute(sa.select(Story).order_by(Story.id).limit(1)).one()
            new_id = connection.execute(
                sa.insert(Story)
                .values(
                    group_id=story.group_id,
                    author_id=story.author_id,
                    title="Na het herstel",
                    body_source="Nieuw",
                    body_html="<p>Nieuw</p>",
                    status=PostStatus.PUBLISHED.value,
                    created_at=clock.utcnow(),
                )
                .returning(Story.id)
            ).scalar_one()
            behind = [
                table.name
                for table in db.metadata.sorted_tables
                if _sequence_behind(connection, table)
            ]

    assert new_id > highest
    assert behind == []


def _sequence_behind(connection: sa.Connection, table: sa.Table) -> bool:
    """Whether the next id of ``table``'s sequence is one that is already taken."""
    key = list(table.primary_key.columns)
    if len(key) != 1 or not isinstance(key[0].type, sa.Integer):
        return False
    sequence = connection.execute(
        sa.select(sa.func.pg_get_serial_sequence(table.name, key[0].name))
    ).scalar()
    if sequence is None:
        return False
    following = connection.execute(sa.select(sa.func.nextval(sequence))).scalar_one()
    highest = connection.execute(sa.select(sa.func.max(key[0]))).scalar()
    return highest is not None and following <= highest
