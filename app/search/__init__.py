"""Full-text search over stories and replies: one interface (:mod:`app.search.engine`), two
engines (Whoosh on disk, the default; PostgreSQL with ``SEARCH_BACKEND=postgres``).

Changes reach the index through a durable outbox written in the same transaction as the
change (:mod:`app.search.outbox`) and applied by one writer (:mod:`app.search.indexer`).
What a searcher may find is decided in the query itself (:mod:`app.search.service`).
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app

from app.search.engine import SearchEngine

_ENGINE_KEY = "search_engine"
BACKENDS = ("whoosh", "postgres")


def make_engine(app: Flask) -> SearchEngine:
    """The engine the configuration asks for."""
    backend = app.config["SEARCH_BACKEND"]
    if backend == "postgres":
        from app.search.postgres_engine import PostgresEngine

        return PostgresEngine()
    from app.search.whoosh_engine import WhooshEngine

    return WhooshEngine(app.config["SEARCH_INDEX_DIR"], app.config["SEARCH_BUILD_MEMORY_MB"])


def current_engine(app: Flask | None = None) -> SearchEngine:
    """This application's search engine."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    engine: SearchEngine = app.extensions[_ENGINE_KEY]
    return engine


def init_app(app: Flask) -> None:
    """Choose the engine, and register the search page, ``flask search`` and the writer."""
    from app.search import cli, indexer, outbox
    from app.search.routes import bp
    from app.worker import Job, register, register_companion

    backend = app.config["SEARCH_BACKEND"]
    if backend not in BACKENDS:
        raise ValueError(f"SEARCH_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}")
    if backend == "postgres" and not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgres"):
        raise ValueError("SEARCH_BACKEND=postgres needs DATABASE_URL to point at PostgreSQL")
    assert outbox.WAKE_KEY  # the outbox listener is registered on import
    app.extensions[_ENGINE_KEY] = make_engine(app)
    app.register_blueprint(bp)
    app.cli.add_command(cli.search_cli)
    register(app, Job("zoeken", lambda now: _round(app, now)))
    if app.config["SEARCH_WRITER"] != "web":
        register_companion(app, lambda app: indexer.BackgroundWriter(app, current_engine(app)))


def _round(app: Flask, now: datetime) -> dict[str, int]:
    """The worker's minute round: apply what waits (should the writer thread be stuck) and
    forget entries applied more than a day ago."""
    from app.search import indexer

    applied = indexer.run_once(current_engine(app))
    return {"bijgewerkt": applied, "opgeruimd": indexer.purge_applied(now)}
