"""Database wiring: engine tuning per dialect, the write unit of work, after-commit work.

SQLite is the embedded default for one server process. It runs in WAL mode with a busy
timeout, and write units of work start with ``BEGIN IMMEDIATE`` so that two writers queue
for the lock instead of failing halfway with ``database is locked``; within one process they
queue on a lock of their own first, which is fairer and quicker than SQLite's busy waiting.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.extensions import db

log = logging.getLogger(__name__)

_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)
_AFTER_COMMIT_KEY = "after_commit"
# Reentrant: a unit of work that (wrongly) opens another in the same thread must fail loudly
# (see ``unit_of_work``), not hang.
_SQLITE_WRITERS = threading.RLock()


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and always returned as an aware UTC datetime."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; use app.clock.utcnow()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def normalise_database_url(url: str) -> str:
    """Make ``postgres://`` and ``postgresql://`` URLs use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _tune_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite so BEGIN and SAVEPOINT behave.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


def init_app(app: Flask) -> None:
    """Tune the engine for its dialect and run queued after-commit work."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _tune_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def is_sqlite() -> bool:
    """Tell whether the current application runs on SQLite."""
    return db.engine.dialect.name == "sqlite"


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """Run one write transaction and commit it; roll back and re-raise on any error.

    Any read transaction still open is ended first, so that on SQLite the write starts
    with ``BEGIN IMMEDIATE`` and waits for the lock instead of failing on upgrade.
    """
    session = db.session()
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("unsaved changes outside a unit of work")
        session.commit()
    # SQLite lets one writer in at a time and makes the others poll with growing sleeps, which
    # left some writers waiting seconds under load; threads of this process queue here instead.
    sqlite = session.get_bind().dialect.name == "sqlite"
    turn = _SQLITE_WRITERS if sqlite else contextlib.nullcontext()
    token = _write_intent.set(True)
    try:
        with turn:
            yield session
            session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        _write_intent.reset(token)


def after_commit(work: Callable[[], None]) -> None:
    """Queue ``work`` to run once the current transaction has committed (dropped on rollback)."""
    session = db.session()
    session.info.setdefault(_AFTER_COMMIT_KEY, []).append(work)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    queued = session.info.pop(_AFTER_COMMIT_KEY, [])
    for work in queued:
        try:
            work()
        except Exception:
            log.exception("after-commit work failed")


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_commit(session: Session, _previous_transaction: Any) -> None:
    session.info.pop(_AFTER_COMMIT_KEY, None)


def mark_once(
    step: InstrumentedAttribute[Any],
    key: InstrumentedAttribute[Any],
    still_due: sa.ColumnElement[bool],
    now: datetime,
    batch: int,
) -> list[int]:
    """Set ``step`` to ``now`` on at most ``batch`` rows where it is still empty and
    ``still_due`` holds, and return their ``key`` values, sorted.

    One conditional ``UPDATE … RETURNING`` that checks again what it changes: on PostgreSQL
    a second worker waits for the first one's row locks and then finds those rows done; on
    SQLite writers take turns. So a step happens once per row, however many workers run.
    """
    model = step.class_
    due = sa.select(key).where(step.is_(None), still_due).order_by(key).limit(batch)
    result = db.session.execute(
        sa.update(model)
        .where(key.in_(due), step.is_(None), still_due)
        .values({step.key: now})
        .returning(key)
        .execution_options(synchronize_session=False)
    )
    return sorted(result.scalars())


def json_mentions(column: sa.orm.QueryableAttribute[Any], text: str) -> sa.ColumnElement[bool]:
    """Rows whose JSON value holds ``text`` somewhere, as written or as JSON escapes it (an
    accented name is stored as ``\\u00eb``)."""
    escaped = json.dumps(text)[1:-1]
    as_text = sa.cast(column, sa.Text)
    return sa.or_(
        as_text.contains(text, autoescape=True), as_text.contains(escaped, autoescape=True)
    )
