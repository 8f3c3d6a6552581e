"""Which period the dashboard shows and what it is compared with, read from the address.

A period is a week (Monday to Sunday), a month, a quarter, a year, or custom days, always
whole days in Amsterdam time. It is compared with the period just before it: the previous
week, month, quarter or year, or as many days before a custom period. While a period is still
running it counts up to today, and so does the period it is compared with (up to the same day),
so that half a month is never set against a whole one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app import clock
from app.periods import Period, parse_day


class Kind(StrEnum):
    WEEK = "week"
    MONTH = "maand"
    QUARTER = "kwartaal"
    YEAR = "jaar"
    CUSTOM = "eigen"


# A custom period of more than this is cut short, so one request cannot ask for centuries.
MAX_CUSTOM_DAYS = 3 * 366


@dataclass(frozen=True)
class Choice:
    """The period shown, the period it is compared with, and the whole calendar period."""

    kind: Kind
    period: Period
    previous: Period
    # The calendar unit the period lies in (the same as ``period`` when it is over).
    whole: Period

    @property
    def running(self) -> bool:
        """Is the period still going on (does it end before its calendar end)?"""
        return self.period.until < self.whole.until

    def step(self, direction: int) -> date:
        """A day in the period before (-1) or after (+1) this one, for the arrows."""
        if direction < 0:
            return self.whole.since - timedelta(days=1)
        return self.whole.until + timedelta(days=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def calendar_period(kind: Kind, day: date) -> Period:
    """The week, month, quarter or year that ``day`` lies in."""
    if kind is Kind.WEEK:
        monday = day - timedelta(days=day.weekday())
        return Period(monday, monday + timedelta(days=6))
    if kind is Kind.MONTH:
        first = day.replace(day=1)
    elif kind is Kind.QUARTER:
        first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    else:
        first = date(day.year, 1, 1)
    months = {Kind.MONTH: 1, Kind.QUARTER: 3, Kind.YEAR: 12}[kind]
    return Period(first, _add_months(first, months) - timedelta(days=1))


def _previous_calendar(kind: Kind, whole: Period) -> Period:
    return calendar_period(kind, whole.since - timedelta(days=1))


def _clip(period: Period, last: date) -> Period:
    return Period(period.since, min(period.until, last))


def today() -> date:
    """Today in Amsterdam."""
    return clock.local(clock.utcnow()).date()


def choose(kind: Kind, day: date, since: date | None = None, until: date | None = None) -> Choice:
    """The choice for a calendar ``kind`` around ``day``, or custom days ``since``–``until``."""
    now = today()
    if kind is Kind.CUSTOM:
        until = until or now
        since = since or until - timedelta(days=29)
        if since > until:
            since, until = until, since
        since = max(since, until - timedelta(days=MAX_CUSTOM_DAYS - 1))
        whole = Period(since, until)
        length = (until - since).days + 1
        previous = Period(since - timedelta(days=length), since - timedelta(days=1))
        return Choice(kind, whole, previous, whole)
    whole = calendar_period(kind, day)
    period = _clip(whole, now) if whole.since <= now else whole
    previous_whole = _previous_calendar(kind, whole)
    previous = previous_whole
    if period.until < whole.until:
        # Running: compare with as many days of the previous period (never past its end).
        elapsed = (period.until - period.since).days
        previous = _clip(previous_whole, previous_whole.since + timedelta(days=elapsed))
    return Choice(kind, period, previous, whole)


def from_args(args: Mapping[str, str]) -> Choice:
    """The choice in ``periode``, ``dag``, ``van`` and ``tot``; the running month for anything
    missing or garbled (never an error)."""
    try:
        kind = Kind((args.get("periode") or "").strip())
    except ValueError:
        kind = Kind.MONTH
    if kind is Kind.CUSTOM:
        return choose(kind, today(), parse_day(args.get("van")), parse_day(args.get("tot")))
    return choose(kind, parse_day(args.get("dag")) or today())
