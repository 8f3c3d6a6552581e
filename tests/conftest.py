"""Fixtures: a database built by the migrations once per run, and per test a fresh app whose
work is rolled back afterwards.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from hypothesis import HealthCheck, settings
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app
from app.config import TestConfig
from app.extensions import db
from tests.support import Factory, Visitor

# No per-example deadline: a busy CI machine must not turn slowness into a failure.
settings.register_profile(
    "project", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.load_profile("project")

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def _reset_postgres(url: str) -> None:
    """Empty the test database so that the migrations run from nothing."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of a database built from empty by the migrations, shared by the whole run."""
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    instance = tmp_path_factory.mktemp("migrated")
    config = TestConfig(instance, url or None)
    if config.SQLALCHEMY_DATABASE_URI.startswith("postgresql"):
        _reset_postgres(config.SQLALCHEMY_DATABASE_URI)
    app = create_app(config)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return str(config.SQLALCHEMY_DATABASE_URI)


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """A fresh app per test; everything it writes is rolled back at the end."""
    application = create_app(TestConfig(tmp_path, database_url))
    with application.app_context():
        engine = db.engine
    # No app context stays pushed: each request gets its own, as in production.
    connection = engine.connect()
    outer = connection.begin()
    original_session = db.session
    db.session = scoped_session(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    )
    try:
        yield application
    finally:
        db.session.remove()
        db.session = original_session
        outer.rollback()
        connection.close()
        engine.dispose()


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """A request context for tests that call services directly."""
    with app.test_request_context():
        yield


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def make(app: Flask) -> Factory:
    """Factories that make test data in one line: ``make.user()``, ``make.group()``, …"""
    return Factory(app)


@pytest.fixture
def visitor(client: FlaskClient) -> Visitor:
    """Someone using the site through the test client, with CSRF tokens handled for them."""
    return Visitor(client)


@pytest.fixture(scope="session")
def naughty_strings() -> list[str]:
    """The Big List of Naughty Strings from ../shared/data, or a skip when it is absent."""
    import json

    path = SHARED_DATA / "blns" / "blns.json"
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared hostile-string corpus is not beside the repo")
    strings = json.loads(path.read_text(encoding="utf-8"))
    return [s for s in strings if isinstance(s, str)]
