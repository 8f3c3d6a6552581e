"""On SQLite, concurrent writers queue for the lock instead of failing."""

import threading

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.accounts.models import User
from app.config import TestConfig
from app.database import after_commit, unit_of_work
from app.extensions import db


@pytest.fixture
def real_sqlite_app(tmp_path):
    """An app on its own migrated SQLite file, with real commits (no rollback wrapper)."""
    app = create_app(TestConfig(tmp_path, f"sqlite:///{tmp_path / 'writes.db'}"))
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def _add_users(app, prefix, count, errors):
    try:
        with app.app_context():
            for number in range(count):
                with unit_of_work() as session:
                    # A read before the write, as services do: under a plain deferred BEGIN
                    # the write would fail at once with "database is locked" whenever the
                    # other thread committed in between.
                    session.execute(sa.select(sa.func.count()).select_from(User)).scalar()
                    session.add(
                        User(
                            pseudonym=f"{prefix}{number}",
                            pseudonym_key=f"{prefix}{number}",
                            password_hash="x",
                        )
                    )
    except Exception as error:  # collected for the assertion in the main thread
        errors.append(error)


def test_two_writers_at_once_both_succeed(real_sqlite_app):
    errors: list[Exception] = []
    threads = [
        threading.Thread(target=_add_users, args=(real_sqlite_app, prefix, 25, errors))
        for prefix in ("a", "b")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with real_sqlite_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 50


def test_after_commit_work_runs_only_when_the_commit_succeeds(real_sqlite_app):
    done: list[str] = []
    with real_sqlite_app.app_context():
        with unit_of_work() as session:
            session.add(User(pseudonym="een", pseudonym_key="een", password_hash="x"))
            after_commit(lambda: done.append("committed"))
        assert done == ["committed"]
        with pytest.raises(RuntimeError), unit_of_work() as session:
            session.add(User(pseudonym="twee", pseudonym_key="twee", password_hash="x"))
            after_commit(lambda: done.append("rolled back"))
            raise RuntimeError("stop")
        assert done == ["committed"]
