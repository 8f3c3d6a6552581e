"""Periods of whole days in Amsterdam time, as the figure pages and the audit log take them
from the address (``?van=2026-01-01&tot=2026-01-31``, both days included)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app import clock

# date.fromisoformat reads years 1 to 9999; the day after 9999-12-31 does not exist.
_FIRST_DAY = date(1900, 1, 1)
_LAST_DAY = date(9998, 12, 31)


def parse_day(raw: str | None) -> date | None:
    """A day written as YYYY-MM-DD, or None for anything else (never an error)."""
    try:
        day = date.fromisoformat((raw or "").strip()[:10])
    except ValueError:
        return None
    return day if _FIRST_DAY <= day <= _LAST_DAY else None


def start_of(day: date) -> datetime:
    """The first moment of ``day`` in Amsterdam."""
    return datetime.combine(day, time.min, tzinfo=clock.AMSTERDAM)


@dataclass(frozen=True)
class Period:
    """From the start of ``since`` to the end of ``until`` (Amsterdam days)."""

    since: date
    until: date

    @property
    def start(self) -> datetime:
        return start_of(self.since)

    @property
    def end(self) -> datetime:
        return start_of(self.until + timedelta(days=1))


def from_args(args: Mapping[str, str], default_days: int = 30) -> Period:
    """The period asked for in ``van`` and ``tot``; the last ``default_days`` days up to today
    for what is missing or garbled; the two swapped when given the wrong way round."""
    today = clock.local(clock.utcnow()).date()
    until = parse_day(args.get("tot")) or today
    since = parse_day(args.get("van")) or until - timedelta(days=default_days - 1)
    if since > until:
        since, until = until, since
    return Period(since, until)
