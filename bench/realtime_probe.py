"""The server under test of ``bench.realtime``: the community app as ``app:create_app()``
builds it, plus a clock that notes when each new reply was committed.

    BENCH_COMMIT_LOG=commits.txt gunicorn -w 1 --threads N 'bench.realtime_probe:create_app()'

Each line of ``BENCH_COMMIT_LOG`` reads ``<reply id> <story id> <time.time()>``. The time is
taken in SQLAlchemy's ``after_commit`` event, in a listener placed before the app's own
after-commit work (which sends the realtime events, ``app.database.after_commit``): the
reply's latency in the benchmark runs from its commit to the moment a client hears of it.
Nothing else in the app changes.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

import app as community
from app.stories.models import Reply

_NEW_REPLIES = "bench_new_replies"


def create_app() -> Flask:
    """The community app; with ``BENCH_COMMIT_LOG`` set, it notes the commit time of replies."""
    application = community.create_app()
    path = os.environ.get("BENCH_COMMIT_LOG")
    if path:
        note_reply_commits(path)
    return application


def note_reply_commits(path: str) -> None:
    """Append ``<reply id> <story id> <commit time>`` to ``path`` for every reply committed."""
    lock = threading.Lock()
    log = open(path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 (open as long as the process)

    def remember(session: Session, _context: Any) -> None:
        # Ids are known after the flush; after the commit the rows are expired.
        new = [(row.id, row.story_id) for row in session.new if isinstance(row, Reply)]
        if new:
            session.info.setdefault(_NEW_REPLIES, []).extend(new)

    def note(session: Session) -> None:
        replies = session.info.pop(_NEW_REPLIES, None)
        if not replies:
            return
        committed = time.time()
        lines = "".join(f"{reply} {story} {committed:.6f}\n" for reply, story in replies)
        with lock:
            log.write(lines)

    def forget(session: Session, _previous: Any) -> None:
        session.info.pop(_NEW_REPLIES, None)

    event.listen(Session, "after_flush", remember)
    # insert=True: before app.database's listener, which sends the events.
    event.listen(Session, "after_commit", note, insert=True)
    event.listen(Session, "after_soft_rollback", forget)
