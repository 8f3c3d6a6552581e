"""``flask worker``: the background jobs that must run while nobody is looking.

Areas register periodic jobs here (``register``); the worker runs each of them every minute.
Jobs are written to be safe with several workers at once, so production may run one per
machine. A failing job is logged and tried again next round; it never stops the others.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from app import clock
from app.extensions import db

log = logging.getLogger(__name__)

_JOBS_KEY = "worker_jobs"
_COMPANIONS_KEY = "worker_companions"


class Companion(Protocol):
    """Work that runs beside the rounds for as long as the worker runs (a thread)."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


@dataclass(frozen=True)
class Job:
    """A periodic job: a name for the log, and work that takes the current moment."""

    name: str
    run: Callable[[datetime], Mapping[str, int]]


def register(app: Flask, job: Job) -> None:
    """Add ``job`` to the worker's round."""
    app.extensions.setdefault(_JOBS_KEY, []).append(job)


def register_companion(app: Flask, make: Callable[[Flask], Companion]) -> None:
    """Start ``make(app)`` beside the rounds when the worker runs continuously (not with
    ``--once``), e.g. the search index writer, which must not wait a minute."""
    app.extensions.setdefault(_COMPANIONS_KEY, []).append(make)


def jobs(app: Flask) -> list[Job]:
    """The registered jobs, in the order they run."""
    return list(app.extensions.get(_JOBS_KEY, []))


def run_round(app: Flask) -> dict[str, Mapping[str, int] | None]:
    """Run every job once; a job that fails is logged and reported as None."""
    outcome: dict[str, Mapping[str, int] | None] = {}
    for job in jobs(app):
        # A request context lets jobs build links for notifications, as pages do.
        with app.test_request_context("/"):
            try:
                outcome[job.name] = job.run(clock.utcnow())
            except Exception:
                db.session.rollback()
                log.exception("worker job %s failed; trying again next round", job.name)
                outcome[job.name] = None
            finally:
                db.session.remove()
    return outcome


@click.command("worker")
@click.option("--once", is_flag=True, help="Run every job one time and stop.")
@click.option("--interval", default=60.0, show_default=True, help="Seconds between rounds.")
@with_appcontext
def worker(once: bool, interval: float) -> None:
    """Run the background jobs (the response guarantee, among others) every minute."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    names = ", ".join(job.name for job in jobs(app)) or "geen"
    click.echo(f" * Achtergrondtaken ({names}) elke {interval:g} seconden")
    companions = [] if once else [make(app) for make in app.extensions.get(_COMPANIONS_KEY, [])]
    stopping = _stop_on_signals()
    for companion in companions:
        companion.start()
    try:
        while not stopping.is_set():
            started = time.monotonic()
            for name, done in run_round(app).items():
                if done and any(done.values()):
                    log.info("worker %s: %s", name, dict(done))
            if once:
                return
            stopping.wait(max(1.0, interval - (time.monotonic() - started)))
        click.echo(" * Achtergrondtaken gestopt")
    finally:
        for companion in companions:
            companion.stop()


def _stop_on_signals() -> threading.Event:
    """An event set by SIGTERM or SIGINT: the worker finishes the round it is in (so no job
    stops halfway through a transaction) and then stops, as process managers expect."""
    stopping = threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda _signum, _frame: stopping.set())
    return stopping
