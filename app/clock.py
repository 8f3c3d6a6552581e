"""The one clock the application reads time from.

Everything stores UTC. Tests move time with :func:`frozen` instead of sleeping.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

_frozen_at: datetime | None = None


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    if _frozen_at is not None:
        return _frozen_at
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Attach UTC to a naive datetime read from the database."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def local(moment: datetime) -> datetime:
    """Convert a stored UTC moment to Europe/Amsterdam time for display."""
    return as_utc(moment).astimezone(AMSTERDAM)


@contextmanager
def frozen(at: datetime) -> Iterator[Mover]:
    """Freeze the clock at ``at`` (UTC) for the duration of the block; yields a mover."""
    global _frozen_at
    previous = _frozen_at
    _frozen_at = as_utc(at)
    try:
        yield Mover()
    finally:
        _frozen_at = previous


class Mover:
    """Moves a frozen clock forward."""

    def advance(self, **delta: float) -> datetime:
        """Move the frozen clock forward by ``timedelta(**delta)`` and return the new time."""
        global _frozen_at
        assert _frozen_at is not None, "the clock is not frozen"
        _frozen_at = _frozen_at + timedelta(**delta)
        return _frozen_at
