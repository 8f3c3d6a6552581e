"""Writing index changes to the outbox, in the same transaction as the change itself.

A listener on every session notices, at flush time, each story, reply, group or pseudonym
whose searchable facts changed, and adds an outbox entry through the same connection. So no
code path can forget to tell search, and a change is never committed without its entry.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from app import clock
from app.accounts.models import User
from app.groups.models import Group
from app.search.models import SearchOutboxEntry
from app.stories.models import Reply, Story

# Kinds of entry: one post, a story with all its replies, a whole group, one member's posts.
STORY, REPLY, THREAD, GROUP, AUTHOR = "story", "reply", "thread", "group", "author"

_STORY_OWN_FIELDS = ("title", "body_html", "anonymous", "author_id", "published_at")
# What a story shares with its replies' documents: whether they can be read, and warnings.
_STORY_THREAD_FIELDS = ("status", "group_id", "content_warnings")
_REPLY_FIELDS = ("body_html", "status", "anonymous", "author_id", "story_id")
_GROUP_FIELDS = ("name", "theme", "visibility")
_USER_FIELDS = ("pseudonym", "status")

WAKE_KEY = "search_outbox_written"


def _changed(obj: Any, fields: tuple[str, ...]) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _entries_for(session: Session) -> set[tuple[str, int]]:
    entries: set[tuple[str, int]] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        new_or_gone = obj in session.new or obj in session.deleted
        if isinstance(obj, Story):
            if new_or_gone or _changed(obj, _STORY_THREAD_FIELDS):
                entries.add((THREAD, obj.id))
            elif _changed(obj, _STORY_OWN_FIELDS):
                entries.add((STORY, obj.id))
        elif isinstance(obj, Reply):
            if new_or_gone or _changed(obj, _REPLY_FIELDS):
                entries.add((REPLY, obj.id))
        elif isinstance(obj, Group):
            if not new_or_gone and _changed(obj, _GROUP_FIELDS):
                entries.add((GROUP, obj.id))
        elif isinstance(obj, User) and not new_or_gone and _changed(obj, _USER_FIELDS):
            entries.add((AUTHOR, obj.id))
    return entries


@event.listens_for(Session, "after_flush")
def _write_outbox(session: Session, _context: Any) -> None:
    entries = _entries_for(session)
    if not entries:
        return
    now = clock.utcnow()
    session.connection().execute(
        sa.insert(SearchOutboxEntry.__table__),
        [
            {"kind": kind, "target_id": target_id, "created_at": now}
            for kind, target_id in sorted(entries)
        ],
    )
    session.info[WAKE_KEY] = True


def enqueue(kind: str, target_id: int) -> None:
    """Ask for one entry by hand, in the current transaction (for changes made in bulk SQL,
    which the listener cannot see)."""
    from app.extensions import db

    db.session.execute(
        sa.insert(SearchOutboxEntry.__table__).values(
            kind=kind, target_id=target_id, created_at=clock.utcnow()
        )
    )
    db.session.info[WAKE_KEY] = True
