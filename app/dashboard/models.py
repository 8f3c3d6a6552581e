"""Daily aggregates the dashboard reads instead of scanning a year of rows.

Each day before today is counted once, per group, from the rows themselves, and recounted
whenever something on that day changes (and once a day regardless), so the aggregates say
what a count of the rows would say. Today is always counted live.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime
from app.extensions import db


class FigureDay(db.Model):  # type: ignore[name-defined]
    """How often something happened in a group on an Amsterdam day (stories, reads, …)."""

    __tablename__ = "figure_days"
    # Stored in key order on SQLite, so a range of days is read without a second lookup.
    __table_args__ = {"sqlite_with_rowid": False}

    # The dashboard asks for some figures over a range of days: that order, for the key.
    figure: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    count: Mapped[int] = mapped_column()


class ActivityDay(db.Model):  # type: ignore[name-defined]
    """That a member shared, replied or gave a support reaction in a group on a day: what
    "active members" counts. Goes with the account when it is deleted."""

    __tablename__ = "activity_days"
    # Stored in key order on SQLite, so a range of days is read without a second lookup.
    __table_args__ = {"sqlite_with_rowid": False}

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )


class ResponseDay(db.Model):  # type: ignore[name-defined]
    """The response times (seconds) of the clocks that started in a group on a day and were
    answered: what the median and 90th percentile are taken from. Kept as one line of text
    ("12.5,3600,…"), which a year's worth of reads back faster than JSON."""

    __tablename__ = "response_days"
    # Stored in key order on SQLite, so a range of days is read without a second lookup.
    __table_args__ = {"sqlite_with_rowid": False}

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    seconds: Mapped[str] = mapped_column(sa.Text)


# Days of a year in the bitmap of ActivityYear: 6 × 64 bits cover 366 days.
YEAR_WORDS = 6


class ActivityYear(db.Model):  # type: ignore[name-defined]
    """On which days of a year a member was active in a group, as a bitmap (bit n of the
    year for day n + 1) in six 64-bit words that SQL can set and clear in place. One row per
    member, group and year: counting active members over a year reads these, not every day."""

    __tablename__ = "activity_years"
    # Stored in key order on SQLite, so a range of days is read without a second lookup.
    __table_args__ = {"sqlite_with_rowid": False}

    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    year: Mapped[int] = mapped_column(primary_key=True)
    w0: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    w1: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    w2: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    w3: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    w4: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    w5: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class CountedDay(db.Model):  # type: ignore[name-defined]
    """A day whose aggregates are complete and current. A change on the day removes it, and
    the worker counts the day again."""

    __tablename__ = "counted_days"

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
