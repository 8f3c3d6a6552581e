"""The one index writer: applies the outbox to the index, rebuilds it, and runs in the
background (a thread in the web process for ``make run``, or in ``flask worker``).

Applying an entry means looking its posts up again and writing what the index should now
say, so entries may be applied more than once and in any grouping. An entry is marked applied
only after the index took the change: a crash in between means it is applied again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from app import clock
from app.database import unit_of_work
from app.extensions import db
from app.search import documents, outbox
from app.search.documents import REPLY, STORY, SearchDocument
from app.search.engine import ApplyChanges, SearchEngine
from app.search.models import SearchOutboxEntry
from app.stories.models import Reply, Story

log = logging.getLogger(__name__)

ENTRIES_PER_ROUND = 200
DOCUMENTS_PER_WRITE = 500
KEEP_APPLIED = timedelta(days=1)
# Applied entries newer than a rebuild's start (less this margin) are replayed into it.
REBUILD_MARGIN = timedelta(seconds=30)

# Set when a transaction wrote outbox entries, so a writer thread in this process starts now.
wake = threading.Event()


def _post_keys(entries: Sequence[tuple[str, int]]) -> Iterator[tuple[str, int]]:
    """The posts each entry is about."""
    for kind, target_id in entries:
        if kind in (STORY, REPLY):
            yield kind, target_id
            continue
        if kind == outbox.THREAD:
            yield STORY, target_id
            story_scope = Story.id == target_id
            reply_scope = Reply.story_id == target_id
        elif kind == outbox.GROUP:
            story_scope = Story.group_id == target_id
            reply_scope = Reply.story_id.in_(sa.select(Story.id).where(story_scope))
        elif kind == outbox.AUTHOR:
            story_scope = Story.author_id == target_id
            reply_scope = Reply.author_id == target_id
        else:
            log.warning("unknown search outbox entry %s", kind)
            continue
        for story_id in db.session.execute(sa.select(Story.id).where(story_scope)).scalars():
            yield STORY, story_id
        for reply_id in db.session.execute(sa.select(Reply.id).where(reply_scope)).scalars():
            yield REPLY, reply_id


def write_entries(entries: Sequence[tuple[str, int]], write: ApplyChanges) -> int:
    """Look up the posts of ``entries`` and hand their documents (or removals) to ``write``,
    a few hundred at a time; returns how many posts were written."""
    keys = sorted(set(_post_keys(entries)))
    for start in range(0, len(keys), DOCUMENTS_PER_WRITE):
        found = documents.load(keys[start : start + DOCUMENTS_PER_WRITE])
        present: list[SearchDocument] = [doc for doc in found.values() if doc is not None]
        write(present, sorted(key for key, doc in found.items() if doc is None))
    return len(keys)


def _mark_applied(engine: SearchEngine, ids: Sequence[int], now: datetime) -> None:
    update = (
        sa.update(SearchOutboxEntry)
        .where(SearchOutboxEntry.id.in_(ids), SearchOutboxEntry.applied_at.is_(None))
        .values(applied_at=now)
        .execution_options(synchronize_session=False)
    )
    if engine.transactional:
        db.session.execute(update)  # committed with the index change itself
    else:
        with unit_of_work():
            db.session.execute(update)


def apply_pending(engine: SearchEngine, limit: int = ENTRIES_PER_ROUND) -> int:
    """Apply up to ``limit`` waiting entries, oldest first; returns how many. Does nothing
    (0) while another process is the writer."""
    with engine.writing() as mine:
        if not mine:
            return 0
        rows = db.session.execute(
            sa.select(SearchOutboxEntry.id, SearchOutboxEntry.kind, SearchOutboxEntry.target_id)
            .where(SearchOutboxEntry.applied_at.is_(None))
            .order_by(SearchOutboxEntry.id)
            .limit(limit)
        ).all()
        if not rows:
            return 0
        write_entries([(row.kind, row.target_id) for row in rows], engine.apply)
        _mark_applied(engine, [row.id for row in rows], clock.utcnow())
        return len(rows)


def catch_up_all(engine: SearchEngine) -> int:
    """Apply everything that waits (used by tests, ``flask search apply`` and shutdown)."""
    total = 0
    while done := apply_pending(engine, limit=ENTRIES_PER_ROUND):
        total += done
    return total


def pending_count() -> int:
    """How many outbox entries wait to be applied."""
    return int(
        db.session.execute(
            sa.select(sa.func.count(SearchOutboxEntry.id)).where(
                SearchOutboxEntry.applied_at.is_(None)
            )
        ).scalar_one()
    )


def rebuild(
    engine: SearchEngine, progress: Callable[[int], None] = lambda _n: None, processes: int = 1
) -> int:
    """Build the whole index again from the database beside the one in use, replay what
    changed meanwhile, and swap. Returns the number of documents indexed."""
    started = clock.utcnow() - REBUILD_MARGIN

    def catch_up(write: ApplyChanges) -> None:
        rows = db.session.execute(
            sa.select(SearchOutboxEntry.id, SearchOutboxEntry.kind, SearchOutboxEntry.target_id)
            .where(
                sa.or_(
                    SearchOutboxEntry.applied_at.is_(None),
                    SearchOutboxEntry.applied_at >= started,
                )
            )
            .order_by(SearchOutboxEntry.id)
        ).all()
        write_entries([(row.kind, row.target_id) for row in rows], write)
        _mark_applied(engine, [row.id for row in rows], clock.utcnow())

    return engine.rebuild(documents.everything(), progress, catch_up, processes)


def purge_applied(now: datetime) -> int:
    """Forget entries applied more than a day ago."""
    with unit_of_work():
        result = db.session.execute(
            sa.delete(SearchOutboxEntry)
            .where(SearchOutboxEntry.applied_at < now - KEEP_APPLIED)
            .execution_options(synchronize_session=False)
        )
    return int(getattr(result, "rowcount", 0) or 0)


def run_once(engine: SearchEngine) -> int:
    """One round of the writer: rebuild a missing or unreadable index, then apply what
    waits. Returns how many entries (or, after a rebuild, documents) it handled."""
    if engine.needs_rebuild():
        log.warning("search index %s missing or unreadable: rebuilding it", engine.name)
        return rebuild(engine)
    return catch_up_all(engine)


class BackgroundWriter(threading.Thread):
    """Runs the writer every ``interval`` seconds, and at once after a commit in this
    process that wrote outbox entries."""

    def __init__(self, app: Flask, engine: SearchEngine, interval: float = 2.0) -> None:
        super().__init__(name="search-index-writer", daemon=True)
        self.app = app
        self.engine = engine
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            wake.clear()
            with self.app.app_context():
                try:
                    run_once(self.engine)
                except Exception:
                    db.session.rollback()
                    log.exception("search index writer failed; trying again shortly")
                finally:
                    db.session.remove()
            wake.wait(self.interval)

    def stop(self) -> None:
        self.stopped.set()
        wake.set()


@event.listens_for(Session, "after_commit")
def _wake_writer(session: Session) -> None:
    if session.info.pop(outbox.WAKE_KEY, False):
        wake.set()


@event.listens_for(Session, "after_soft_rollback")
def _forget_wake(session: Session, _previous_transaction: object) -> None:
    session.info.pop(outbox.WAKE_KEY, None)
