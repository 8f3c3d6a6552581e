"""What ``/healthz`` checks: the database, Redis (when configured), the search index and the
worker's heartbeat. Each check says ok or not and a short reason, never personal data."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

import redis as redis_client
import sqlalchemy as sa
from flask import current_app

from app import clock
from app.database import unit_of_work
from app.extensions import db
from app.health.models import WorkerBeat

# A worker beats every round (a minute by default); three missed rounds is a problem.
BEAT_LATE_AFTER = timedelta(minutes=3)
# Beats of workers gone for a day are forgotten.
BEAT_FORGOTTEN_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Check:
    """One part of the installation: ``ok`` None means not configured (and not needed)."""

    name: str
    ok: bool | None
    detail: str

    def as_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "detail": self.detail}


def worker_name() -> str:
    """This process, as the heartbeat names it."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def beat(now: datetime) -> None:
    """Record that this worker finished a round (and forget long-gone workers)."""
    name = worker_name()
    with unit_of_work() as session:
        found = session.get(WorkerBeat, name)
        if found is None:
            session.add(WorkerBeat(worker=name, beat_at=now))
        else:
            found.beat_at = now
        session.execute(
            sa.delete(WorkerBeat).where(WorkerBeat.beat_at < now - BEAT_FORGOTTEN_AFTER)
        )


def database() -> Check:
    try:
        db.session.execute(sa.text("SELECT 1")).scalar_one()
    except sa.exc.SQLAlchemyError as error:
        db.session.rollback()
        return Check("database", False, type(error).__name__)
    return Check("database", True, db.engine.dialect.name)


def _redis_urls() -> list[str]:
    config = current_app.config
    urls = [config.get("SOCKETIO_MESSAGE_QUEUE") or "", config.get("RATELIMIT_STORAGE_URI") or ""]
    return sorted({url for url in urls if url.startswith(("redis://", "rediss://"))})


def redis() -> Check:
    urls = _redis_urls()
    if not urls:
        return Check("redis", None, "niet ingesteld")
    for url in urls:
        try:
            client = redis_client.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
            client.ping()
            client.close()
        except redis_client.RedisError as error:
            return Check("redis", False, type(error).__name__)
    return Check("redis", True, "bereikbaar")


def search_index() -> Check:
    from app import search
    from app.search import indexer

    try:
        engine = search.current_engine()
        ready = engine.is_ready()
        waiting = indexer.pending_count()
    except Exception as error:  # any engine failure is a health answer, not a crash
        db.session.rollback()
        return Check("search", False, type(error).__name__)
    detail = f"{engine.name}, {waiting} wijzigingen wachten"
    return Check("search", ready, detail if ready else f"{engine.name} wordt opnieuw opgebouwd")


def worker(now: datetime) -> Check:
    try:
        last = db.session.execute(sa.select(sa.func.max(WorkerBeat.beat_at))).scalar_one()
    except sa.exc.SQLAlchemyError as error:
        db.session.rollback()
        return Check("worker", False, type(error).__name__)
    if last is None:
        return Check("worker", False, "nog nooit een ronde gedaan")
    age = now - clock.as_utc(last)
    seconds = max(0, int(age.total_seconds()))
    return Check("worker", age <= BEAT_LATE_AFTER, f"laatste ronde {seconds} s geleden")


def run_all() -> list[Check]:
    """Every check, in a fixed order."""
    now = clock.utcnow()
    return [database(), redis(), search_index(), worker(now)]
