"""Counting "stories read": one read per reader per story per day, without IP addresses.

A reader is a keyed hash: of the account id for members, and of a random id in a small
first-party cookie for visitors. Nothing else about the reader is kept.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import threading
from collections.abc import Callable
from datetime import date

import sqlalchemy as sa
from flask import Response, current_app, request
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app import clock
from app.database import unit_of_work
from app.stories.models import Story, StoryRead

log = logging.getLogger(__name__)

VISITOR_COOKIE = "lezer"
VISITOR_COOKIE_MAX_AGE = 365 * 24 * 60 * 60
_VISITOR_ID = re.compile(r"[A-Za-z0-9_-]{22,64}")
_BOTS = ("bot", "crawler", "spider")


def reader_key(subject: str) -> str:
    """The keyed hash that stands for one reader (``u:<id>`` or ``v:<cookie id>``)."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, subject.encode(), hashlib.sha256).hexdigest()


def today() -> date:
    """The reading day, in the community's own time zone."""
    return clock.local(clock.utcnow()).date()


def _already_read(story_id: int, key: str, day: date) -> sa.ColumnElement[bool]:
    return (
        sa.select(StoryRead.id)
        .where(StoryRead.story_id == story_id, StoryRead.reader_key == key, StoryRead.day == day)
        .exists()
    )


def record(story_id: int, key: str, day: date) -> bool:
    """Count one read of a story by ``key`` on ``day``; False when it was already counted.

    Runs in its own unit of work. A second read that same day changes nothing; when two reads
    race, the unique constraint refuses one and its increment is rolled back with it.
    """
    already = _already_read(story_id, key, day)
    try:
        with unit_of_work() as session:
            counted = session.execute(
                sa.update(Story)
                .where(Story.id == story_id, ~already)
                .values(read_count=Story.read_count + 1)
                .execution_options(synchronize_session=False)
            )
            if not getattr(counted, "rowcount", 0):
                return False
            session.add(StoryRead(story_id=story_id, reader_key=key, day=day))
    except IntegrityError:
        return False
    return True


class RecentReads:
    """The reads this process counted today. Another read of the same story by the same reader
    that day changes nothing, so it needs no write: a reader going through the pages of a
    long thread, or reloading, would otherwise start a write on every page."""

    LIMIT = 100_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._day: date | None = None
        self._seen: set[tuple[int, str]] = set()

    def counted(self, story_id: int, key: str, day: date) -> bool:
        """Whether this process already counted this read."""
        with self._lock:
            return self._day == day and (story_id, key) in self._seen

    def remember(self, story_id: int, key: str, day: date) -> None:
        """Note a read that is now counted in the database."""
        with self._lock:
            if self._day != day or len(self._seen) >= self.LIMIT:
                self._day, self._seen = day, set()
            self._seen.add((story_id, key))


def recent_reads() -> RecentReads:
    """This app's memory of reads counted today (one per app, so per database)."""
    recent = current_app.extensions.get("recent_reads")
    if recent is None:
        recent = current_app.extensions.setdefault("recent_reads", RecentReads())
    return recent


def _is_bot(user_agent: str) -> bool:
    agent = user_agent.lower()
    return any(word in agent for word in _BOTS)


def count_after_response(story: Story) -> Callable[[Response], Response]:
    """Make a callback for ``after_this_request`` that counts this read once the page is made.

    Bots and the story's own writer are not counted. Counting never makes the page fail: an
    error is logged and the page goes out as it is.
    """
    story_id = story.id
    author_id = story.author_id
    user_id: int | None = current_user.id if current_user.is_authenticated else None
    cookie_id = request.cookies.get(VISITOR_COOKIE, "")
    # Bots and HEAD requests (link checkers, previews) have not read anything.
    skip = request.method != "GET" or _is_bot(request.headers.get("User-Agent", ""))

    def _count(response: Response) -> Response:
        if skip or response.status_code != 200:
            return response
        if user_id is not None and user_id == author_id:
            return response
        try:
            if user_id is not None:
                key = reader_key(f"u:{user_id}")
            else:
                visitor = cookie_id if _VISITOR_ID.fullmatch(cookie_id) else ""
                if not visitor:
                    visitor = secrets.token_urlsafe(16)
                    response.set_cookie(
                        VISITOR_COOKIE,
                        visitor,
                        max_age=VISITOR_COOKIE_MAX_AGE,
                        secure=bool(current_app.config.get("COOKIE_SECURE", True)),
                        httponly=True,
                        samesite="Lax",
                    )
                key = reader_key(f"v:{visitor}")
            day, recent = today(), recent_reads()
            if not recent.counted(story_id, key, day):
                record(story_id, key, day)
                recent.remember(story_id, key, day)
        except Exception:
            log.exception("could not count a read of story %s", story_id)
        return response

    return _count
