"""Counts per group and Amsterdam day, from the daily aggregates where a day is counted and
live from the rows where it is not (today, and days changed since they were counted).

The worker job ``dagcijfers`` counts days that are not counted yet (newest first) and counts
every day again once a day, which also catches changes no listener sees (rows removed by the
database itself when an account is deleted, for instance). A listener removes the counted
mark of a past day as soon as a story, reply, support reaction, read, membership, join
request or moderation item on that day changes, in the same transaction as the change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from itertools import chain
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app import clock
from app.dashboard import counts
from app.dashboard.counts import DayCounts, PerGroup, Source
from app.dashboard.models import (
    YEAR_WORDS,
    ActivityDay,
    ActivityYear,
    CountedDay,
    FigureDay,
    ResponseDay,
)
from app.database import unit_of_work
from app.extensions import db
from app.groups.models import Group, JoinRequest, Membership
from app.guarantee.models import ResponseWatch
from app.periods import Period
from app.stories.models import Reaction, Reply, Story, StoryRead
from moderation.models import ModerationItem

# Days counted per worker round: enough to catch up on a year within minutes, little enough
# to keep a round short.
NEW_DAYS_PER_ROUND = 40
AGAIN_DAYS_PER_ROUND = 10
RECOUNT_AFTER = timedelta(hours=24)
# pg_advisory lock key for "counting a day" (an arbitrary, fixed number).
COUNTING_LOCK = 7_102_026


def today() -> date:
    return clock.local(clock.utcnow()).date()


def _days(period: Period) -> list[date]:
    return [period.since + timedelta(days=n) for n in range((period.until - period.since).days + 1)]


def counted_days(period: Period) -> set[date]:
    """The days of ``period`` whose aggregates can be used (never today or later)."""
    last = min(period.until, today() - timedelta(days=1))
    if last < period.since:
        return set()
    return set(
        db.session.execute(
            sa.select(CountedDay.day).where(CountedDay.day >= period.since, CountedDay.day <= last)
        ).scalars()
    )


def live_periods(period: Period, counted: set[date]) -> list[Period]:
    """The runs of days in ``period`` that must be counted from the rows."""
    runs: list[Period] = []
    start: date | None = None
    previous: date | None = None
    for day in _days(period):
        if day in counted:
            if start is not None and previous is not None:
                runs.append(Period(start, previous))
            start = None
        elif start is None:
            start = day
        previous = day
    if start is not None and previous is not None:
        runs.append(Period(start, previous))
    return runs


def _in_counted(column: Any, period: Period) -> sa.ColumnElement[bool]:
    counted = sa.select(CountedDay.day).where(
        CountedDay.day >= period.since, CountedDay.day <= period.until, CountedDay.day < today()
    )
    return column.in_(counted)


def _counted_figures(
    names: list[str], group_ids: list[int], period: Period
) -> list[sa.ColumnElement[bool]]:
    """The aggregate rows of figures ``names`` for the groups, on counted days of ``period``."""
    return [
        FigureDay.figure.in_(names),
        FigureDay.group_id.in_(group_ids),
        FigureDay.day >= period.since,
        FigureDay.day <= period.until,
        _in_counted(FigureDay.day, period),
    ]


def per_group_all(
    sources: Iterable[Source], group_ids: list[int], period: Period
) -> dict[str, PerGroup]:
    """How often each of ``sources`` happened in ``period``, per group: one query over the
    aggregates for every source together, and live counts for the days not counted."""
    chosen = list(sources)
    found: dict[str, PerGroup] = {source.name: {} for source in chosen}
    if not group_ids:
        return found
    rows = db.session.execute(
        sa.select(FigureDay.figure, FigureDay.group_id, sa.func.sum(FigureDay.count))
        .where(*_counted_figures(list(found), group_ids, period))
        .group_by(FigureDay.figure, FigureDay.group_id)
    ).all()
    for figure, group_id, total in rows:
        found[figure][group_id] = int(total)
    for run in live_periods(period, counted_days(period)):
        for source in chosen:
            per = found[source.name]
            for group_id, count in counts.per_group(source, group_ids, run).items():
                per[group_id] = per.get(group_id, 0) + count
    return found


def per_group(source: Source, group_ids: list[int], period: Period) -> PerGroup:
    """How often ``source`` happened in ``period``, per group."""
    return per_group_all([source], group_ids, period)[source.name]


def per_day_all(
    sources: Iterable[Source], group_ids: list[int], protected_ids: Iterable[int], period: Period
) -> dict[str, DayCounts]:
    """How often each of ``sources`` happened on each day of ``period``, and the part of it in
    ``protected_ids``."""
    chosen = list(sources)
    shielded = list(protected_ids)
    found = {source.name: DayCounts({}, {}) for source in chosen}
    if not group_ids:
        return found
    is_protected = (
        sa.case((FigureDay.group_id.in_(shielded), 1), else_=0) if shielded else sa.literal(0)
    )
    rows = db.session.execute(
        sa.select(FigureDay.figure, FigureDay.day, is_protected, sa.func.sum(FigureDay.count))
        .where(*_counted_figures(list(found), group_ids, period))
        .group_by(FigureDay.figure, FigureDay.day, is_protected)
    ).all()
    for figure, day, in_protected, total in rows:
        _add_day(found[figure], day, int(total), bool(in_protected))
    for run in live_periods(period, counted_days(period)):
        for source in chosen:
            live = counts.per_day(source, group_ids, shielded, run)
            for day, count in live.total.items():
                _add_day(found[source.name], day, count, False)
            for day, count in live.protected.items():
                found[source.name].protected[day] = found[source.name].protected.get(day, 0) + count
    return found


def _add_day(counted: DayCounts, day: date, count: int, protected: bool) -> None:
    counted.total[day] = counted.total.get(day, 0) + count
    if protected:
        counted.protected[day] = counted.protected.get(day, 0) + count


def response_seconds(group_ids: list[int], period: Period) -> dict[int, list[float]]:
    """Per group, the response times (seconds) of the clocks started in ``period`` that were
    answered."""
    found: dict[int, list[float]] = defaultdict(list)
    if not group_ids:
        return {}
    rows = db.session.execute(
        sa.select(ResponseDay.group_id, ResponseDay.seconds).where(
            ResponseDay.group_id.in_(group_ids),
            ResponseDay.day >= period.since,
            ResponseDay.day <= period.until,
            _in_counted(ResponseDay.day, period),
        )
    )
    texts: dict[int, list[str]] = defaultdict(list)
    for group_id, text in rows:
        texts[group_id].append(text)
    for group_id, parts in texts.items():
        found[group_id].extend(map(float, ",".join(parts).split(",")))
    for run in live_periods(period, counted_days(period)):
        for group_id, values in counts.response_seconds(group_ids, run).items():
            found[group_id].extend(values)
    return dict(found)


_WORD = 64
_UNSIGNED = (1 << _WORD) - 1


def _day_bit(day: date) -> tuple[int, int]:
    """Which word of its year's bitmap holds ``day``, and the bit inside it."""
    index = day.timetuple().tm_yday - 1
    return divmod(index, _WORD)


def _signed(value: int) -> int:
    """A 64-bit pattern as the signed integer a BIGINT column holds."""
    return value - (1 << _WORD) if value >= 1 << (_WORD - 1) else value


def _year_masks(days: Iterable[date]) -> dict[int, int]:
    """Per year, the bitmap of ``days`` (bit n for day n + 1 of the year)."""
    masks: dict[int, int] = defaultdict(int)
    for day in days:
        word, bit = _day_bit(day)
        masks[day.year] |= 1 << (word * _WORD + bit)
    return masks


def _counted_pairs(group_ids: list[int], counted: set[date]) -> Any:
    """(group, member) pairs active on any of the ``counted`` days, read from the year
    bitmaps; the database tests the bits."""
    masks = _year_masks(counted)
    if not masks:
        return None
    words = [getattr(ActivityYear, f"w{n}") for n in range(YEAR_WORDS)]
    per_year = []
    for year, mask in masks.items():
        tests = [
            words[n].op("&")(_signed(part)) != 0
            for n in range(YEAR_WORDS)
            if (part := (mask >> (n * _WORD)) & _UNSIGNED)
        ]
        per_year.append(sa.and_(ActivityYear.year == year, sa.or_(*tests)))
    return sa.select(ActivityYear.group_id, ActivityYear.user_id).where(
        ActivityYear.group_id.in_(group_ids), sa.or_(*per_year)
    )


def active_members(group_ids: list[int], period: Period) -> tuple[PerGroup, int]:
    """People who shared a story, replied or gave a support reaction in ``period``: per
    group, and distinct people in all of them."""
    if not group_ids:
        return {}, 0
    counted = counted_days(period)
    parts: list[sa.Select[Any]] = []
    from_bitmaps = _counted_pairs(group_ids, counted)
    if from_bitmaps is not None:
        parts.append(from_bitmaps)
    for run in live_periods(period, counted):
        live = counts.active_pairs(group_ids, run)
        parts.append(sa.select(live.c.group_id, live.c.user_id))
    if not parts:
        return {}, 0
    return counts.distinct_people(sa.union(*parts).subquery())


# Counting days.


def _mark_activity(session: Session, day: date, pairs: set[tuple[int, int]], on: bool) -> None:
    """Set (or clear) ``day``'s bit in the year bitmaps of ``pairs``, in place."""
    if not pairs:
        return
    word, bit = _day_bit(day)
    column = getattr(ActivityYear, f"w{word}")
    mask = _signed(1 << bit)
    rows = [{"g": g, "u": u, "y": day.year} for g, u in sorted(pairs)]
    if on:
        insert = (
            postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        )
        statement = insert(ActivityYear.__table__).values(
            group_id=sa.bindparam("g"),
            user_id=sa.bindparam("u"),
            year=sa.bindparam("y"),
            **{f"w{n}": (mask if n == word else 0) for n in range(YEAR_WORDS)},
        )
        statement = statement.on_conflict_do_update(
            index_elements=["group_id", "user_id", "year"],
            set_={column.key: ActivityYear.__table__.c[column.key].op("|")(mask)},
        )
        session.connection().execute(statement, rows)
        return
    table = ActivityYear.__table__
    session.connection().execute(
        sa.update(table)
        .where(
            table.c.group_id == sa.bindparam("g"),
            table.c.user_id == sa.bindparam("u"),
            table.c.year == sa.bindparam("y"),
        )
        .values({column.key: table.c[column.key].op("&")(_signed(~(1 << bit) & _UNSIGNED))}),
        rows,
    )


def reads_kept_since() -> date:
    """The first day whose read records the retention job has surely not removed yet."""
    keep = int(current_app.config.get("RETENTION_READS_DAYS", 400))
    return (clock.utcnow() - timedelta(days=keep - 1)).date()


def count_day(day: date) -> None:
    """Count ``day`` from the rows, for every group, replacing what was counted before."""
    period = Period(day, day)
    group_ids = list(db.session.execute(sa.select(Group.id)).scalars())
    # Read records older than the retention period are removed by the worker; a day whose
    # reads may be gone keeps the reads it was counted with.
    reads_gone = day < reads_kept_since()
    sources = [s for s in counts.SOURCES if not (reads_gone and s is counts.READS)]
    names = [source.name for source in sources]
    with unit_of_work() as session:
        if session.get_bind().dialect.name == "postgresql":
            # Workers on several machines count one day at a time (SQLite has one writer).
            session.execute(sa.select(sa.func.pg_advisory_xact_lock(COUNTING_LOCK)))
        session.execute(
            sa.delete(FigureDay).where(FigureDay.figure.in_(names), FigureDay.day == day)
        )
        rows = [
            {"day": day, "group_id": group_id, "figure": source.name, "count": count}
            for source in sources
            for group_id, count in counts.per_group(source, group_ids, period).items()
            if count
        ]
        if rows:
            session.execute(sa.insert(FigureDay), rows)
        session.execute(sa.delete(ResponseDay).where(ResponseDay.day == day))
        answered = counts.response_seconds(group_ids, period)
        if answered:
            session.execute(
                sa.insert(ResponseDay),
                [
                    {
                        "day": day,
                        "group_id": group_id,
                        "seconds": ",".join(f"{value:.3f}" for value in sorted(seconds)),
                    }
                    for group_id, seconds in answered.items()
                ],
            )
        before: set[tuple[int, int]] = set(
            session.execute(
                sa.select(ActivityDay.group_id, ActivityDay.user_id).where(ActivityDay.day == day)
            ).all()
        )
        now_active: set[tuple[int, int]] = set()
        if group_ids:
            pairs = counts.active_pairs(group_ids, period)
            now_active = set(session.execute(sa.select(pairs.c.group_id, pairs.c.user_id)).all())
        session.execute(sa.delete(ActivityDay).where(ActivityDay.day == day))
        if now_active:
            session.execute(
                sa.insert(ActivityDay),
                [{"day": day, "group_id": g, "user_id": u} for g, u in sorted(now_active)],
            )
        _mark_activity(session, day, now_active - before, on=True)
        _mark_activity(session, day, before - now_active, on=False)
        now = clock.utcnow()
        updated = session.execute(
            sa.update(CountedDay).where(CountedDay.day == day).values(counted_at=now)
        )
        if not getattr(updated, "rowcount", 0):
            session.add(CountedDay(day=day, counted_at=now))


def _first_day() -> date | None:
    """The first day anything countable happened."""
    firsts = [
        db.session.execute(sa.select(sa.func.min(column))).scalar_one()
        for column in (
            Story.published_at,
            Reply.created_at,
            Reaction.created_at,
            Membership.created_at,
            JoinRequest.created_at,
            ModerationItem.created_at,
        )
    ]
    moments = [clock.local(moment).date() for moment in firsts if moment is not None]
    first_read = db.session.execute(sa.select(sa.func.min(StoryRead.day))).scalar_one()
    if first_read is not None:
        moments.append(first_read)
    return min(moments) if moments else None


def _uncounted(first: date, last: date, limit: int) -> list[date]:
    counted = set(
        db.session.execute(
            sa.select(CountedDay.day).where(CountedDay.day >= first, CountedDay.day <= last)
        ).scalars()
    )
    missing: list[date] = []
    day = last
    while day >= first and len(missing) < limit:
        if day not in counted:
            missing.append(day)
        day -= timedelta(days=1)
    return missing


def keep_up(now: datetime) -> dict[str, int]:
    """The worker's round: count days not counted yet (newest first), then count again the
    days counted longest ago, once they are a day old."""
    last = clock.local(now).date() - timedelta(days=1)
    first = _first_day()
    if first is None or first > last:
        return {"new": 0, "again": 0}
    missing = _uncounted(first, last, NEW_DAYS_PER_ROUND)
    for day in missing:
        count_day(day)
    stale = list(
        db.session.execute(
            sa.select(CountedDay.day)
            .where(CountedDay.counted_at < now - RECOUNT_AFTER)
            .order_by(CountedDay.counted_at)
            .limit(AGAIN_DAYS_PER_ROUND)
        ).scalars()
    )
    for day in stale:
        count_day(day)
    return {"new": len(missing), "again": len(stale)}


def count_all(now: datetime | None = None) -> int:
    """Count every day up to yesterday (for ``flask cijfers tellen`` and tests)."""
    moment = now or clock.utcnow()
    last = clock.local(moment).date() - timedelta(days=1)
    first = _first_day()
    if first is None or first > last:
        return 0
    days = _days(Period(first, last))
    for day in days:
        count_day(day)
    return len(days)


# Marking changed days.


def _local(moment: datetime | None) -> date | None:
    return clock.local(moment).date() if moment is not None else None


def _old_and_new(obj: Any, field: str) -> list[Any]:
    history = sa.inspect(obj).attrs[field].history
    return [*history.deleted, *history.unchanged, *history.added]


def _story_thread_days(session: Session, story_id: int) -> set[date]:
    """The days of a story's replies, support reactions and reads, which follow the story's
    status and group."""
    connection = session.connection()
    moments = chain(
        connection.execute(sa.select(Reply.created_at).where(Reply.story_id == story_id)).scalars(),
        connection.execute(
            sa.select(Reaction.created_at).where(
                sa.or_(
                    Reaction.story_id == story_id,
                    Reaction.reply_id.in_(sa.select(Reply.id).where(Reply.story_id == story_id)),
                )
            )
        ).scalars(),
    )
    days = {clock.local(clock.as_utc(moment)).date() for moment in moments if moment is not None}
    days.update(
        connection.execute(
            sa.select(StoryRead.day).where(StoryRead.story_id == story_id).distinct()
        ).scalars()
    )
    return days


# Built once: this runs at every flush of a reply, and building it cost more than running it.
_CLOCK_STARTED = sa.select(ResponseWatch.started_at).where(
    ResponseWatch.story_id == sa.bindparam("story_id")
)


def _clock_day(session: Session, story_id: int) -> date | None:
    started = session.connection().execute(_CLOCK_STARTED, {"story_id": story_id}).scalar()
    return None if started is None else clock.local(clock.as_utc(started)).date()


def _changed_days(session: Session) -> set[date]:
    days: set[date | None] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Story):
            days.update(_local(m) for m in _old_and_new(obj, "published_at"))
            state: Any = sa.inspect(obj)
            moved = any(state.attrs[f].history.has_changes() for f in ("status", "group_id"))
            if moved and obj not in session.new and obj.id is not None:
                days.update(_story_thread_days(session, obj.id))
        elif isinstance(obj, Reply | Reaction | Membership | JoinRequest):
            days.update(_local(m) for m in _old_and_new(obj, "created_at"))
            if isinstance(obj, Reply) and obj.story_id is not None:
                # A reply can answer its story's clock, counted on the day the clock started.
                days.add(_clock_day(session, obj.story_id))
        elif isinstance(obj, StoryRead):
            days.update(_old_and_new(obj, "day"))
        elif isinstance(obj, ModerationItem):
            days.update(_local(m) for m in _old_and_new(obj, "created_at"))
            days.update(_local(m) for m in _old_and_new(obj, "decided_at"))
    first_uncounted = today()
    return {day for day in days if day is not None and day < first_uncounted}


# Built once, like _CLOCK_STARTED: it runs at nearly every flush of a post.
_UNCOUNT = sa.delete(CountedDay).where(CountedDay.day.in_(sa.bindparam("days", expanding=True)))


@event.listens_for(Session, "after_flush")
def _uncount_changed_days(session: Session, _context: Any) -> None:
    days = _changed_days(session)
    if days:
        session.connection().execute(_UNCOUNT, {"days": sorted(days)})
