"""Warnings about risky set-ups, printed once when the server starts."""

from __future__ import annotations

import logging

from flask import Flask

log = logging.getLogger(__name__)

SQLITE_MULTIPROCESS_WARNING = (
    "SQLite is the embedded default for ONE server process. This set-up runs %d processes "
    "(WEB_CONCURRENCY) on SQLite: SQLite before 3.51.3 can corrupt a WAL database when "
    "processes write and checkpoint at the same time. Use PostgreSQL (DATABASE_URL) instead."
)


def check_process_model(app: Flask, processes: int) -> list[str]:
    """Return (and log) warnings for a server about to run ``processes`` worker processes."""
    warnings: list[str] = []
    uri = str(app.config["SQLALCHEMY_DATABASE_URI"])
    if uri.startswith("sqlite") and processes > 1:
        warnings.append(SQLITE_MULTIPROCESS_WARNING % processes)
    if processes > 1 and not app.config.get("SOCKETIO_MESSAGE_QUEUE"):
        warnings.append(
            "Several processes without SOCKETIO_MESSAGE_QUEUE: live updates will only reach "
            "people connected to the same process. Set SOCKETIO_MESSAGE_QUEUE=redis://…"
        )
    if not app.config.get("MAIL_SERVER") and not app.config.get("DEMO_MODE") and not app.testing:
        log.info("MAIL_SERVER is not set: e-mail is printed to the console.")
    for warning in warnings:
        log.warning(warning)
    return warnings


def init_app(app: Flask) -> None:
    """Check the process model the server was started with."""
    if not app.testing:
        check_process_model(app, int(app.config.get("PROCESSES_HINT", 1)))
