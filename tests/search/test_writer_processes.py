"""The index writer for real: committed data in its own database, a writer thread that
starts right after a commit, and several processes writing and rebuilding at once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade

from app import create_app
from app.config import TestConfig
from app.extensions import db
from app.search import current_engine, indexer, service
from tests.support import Factory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on its own SQLite file whose writes really commit (no rollback)."""
    application = create_app(TestConfig(tmp_path))
    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _found(app: Flask, q: str) -> list[int]:
    with app.test_request_context():
        outcome = service.search(None, {"q": q})
        return [] if outcome.unavailable else [r.story.id for r in outcome.results]


def test_the_writer_thread_indexes_a_new_story_within_seconds(live_app: Flask):
    make = Factory(live_app)
    group = make.group()
    writer = indexer.BackgroundWriter(live_app, current_engine(live_app), interval=30.0)
    writer.start()
    try:
        deadline = time.monotonic() + 10
        while not current_engine(live_app).is_ready() and time.monotonic() < deadline:
            time.sleep(0.05)
        story = make.story(group, title="Direct vindbaar", body="Binnen een paar tellen.")
        # The commit wakes the writer: no waiting for its 30-second interval.
        deadline = time.monotonic() + 5
        while _found(live_app, "vindbaar") != [story.id]:
            assert time.monotonic() < deadline, "the story did not reach the index in 5 s"
            time.sleep(0.05)
    finally:
        writer.stop()
        writer.join(5)


def _flask(instance: Path, *args: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "FLASK_APP": "app",
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "test-secret-key-not-for-production",
        "DATABASE_URL": f"sqlite:///{instance / 'test.db'}",
        "PYTHONWARNINGS": "error::DeprecationWarning",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.slow
def test_processes_writing_and_rebuilding_at_once_never_fail(live_app: Flask, tmp_path: Path):
    make = Factory(live_app)
    group = make.group()
    stories = [make.story(group, title=f"Samen {n}", body="Tegelijk schrijven.") for n in range(30)]
    processes = [_flask(tmp_path, "search", "reindex")]
    processes += [_flask(tmp_path, "search", "apply") for _ in range(3)]
    processes.append(_flask(tmp_path, "search", "reindex"))
    for n in range(10):
        make.reply(stories[n], body=f"Reactie {n} tijdens het schrijven.")
        _found(live_app, "samen")  # this process searches meanwhile
    outputs = [process.communicate(timeout=120)[0] for process in processes]
    for process, output in zip(processes, outputs, strict=True):
        assert process.returncode == 0, output
        assert "LockError" not in output and "Traceback" not in output, output
    with live_app.app_context():
        indexer.run_once(current_engine(live_app))
    assert len(_found(live_app, "samen")) == 10
    with live_app.test_request_context():
        replies = service.search(None, {"q": "tijdens", "soort": "reacties"})
    assert replies.total == 10
