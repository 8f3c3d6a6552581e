"""Fixtures for search: the contract suite runs once per engine (PostgreSQL only when the
suite runs on it), and helpers that bring the index up to date and search as someone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from app import permissions
from app.accounts.models import User
from app.search import current_engine, indexer, service
from app.search.engine import SearchEngine
from app.search.postgres_engine import PostgresEngine

Found = list[tuple[str, int]]


@pytest.fixture(params=["whoosh", "postgres"])
def engine(request: pytest.FixtureRequest, app: Flask, database_url: str) -> SearchEngine:
    """The engine under test, installed in ``app``."""
    if request.param == "postgres":
        if not database_url.startswith("postgresql"):
            pytest.skip("PostgreSQL full-text search needs TEST_DATABASE_URL (PostgreSQL)")
        app.config["SEARCH_BACKEND"] = "postgres"
        app.extensions["search_engine"] = PostgresEngine()
    return current_engine(app)


@pytest.fixture
def index(app: Flask, engine: SearchEngine) -> Callable[[], int]:
    """Bring the index up to date, as the background writer would."""

    def run() -> int:
        with app.app_context():
            return indexer.run_once(engine)

    return run


@pytest.fixture
def find(app: Flask, engine: SearchEngine) -> Callable[..., Found]:
    """Search as ``actor`` (a visitor when None): ``find("inbraak", member, groep=...)``
    returns ``[("story", id), ("reply", id), …]`` in the order shown."""

    def run(q: str, actor: User | None = None, **args: str) -> Found:
        with app.test_request_context():
            permissions.forget_group_roles()
            outcome = service.search(actor, {"q": q, **args})
            assert not outcome.unavailable
            return [
                (r.kind, r.reply.id if r.reply is not None else r.story.id) for r in outcome.results
            ]

    return run
