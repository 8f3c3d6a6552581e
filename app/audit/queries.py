"""Reading the audit log: admins filter it, page through it and export it.

Every filter is optional. A value that cannot be a real filter (an action name with odd
characters, an id out of range, a naive moment) is ignored rather than refused, so a
hand-edited address still shows the log instead of an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from app import permissions
from app.audit.models import AuditEntry
from app.errors import NotAllowed
from app.extensions import db
from app.groups.models import Group
from app.permissions import Actor

PAGE_SIZE = 50
PAGE_MAX = 500
# Ids are stored as 32-bit integers on PostgreSQL; anything larger cannot match.
ID_MAX = 2**31 - 1

_ACTION = re.compile(r"[a-z0-9_.]{1,60}")
_TARGET_TYPE = re.compile(r"[a-z0-9_]{1,30}")
_NAME_MAX = 30


@dataclass(frozen=True)
class Filters:
    """The filters of one view of the log, each already checked; empty means "any"."""

    action_prefix: str = ""
    actor_name: str = ""
    target_type: str = ""
    target_id: int | None = None
    group_id: int | None = None
    since: datetime | None = None  # included
    until: datetime | None = None  # excluded


@dataclass(frozen=True)
class Page:
    """One page of entries, newest first; ``older`` is the cursor (``before_id``) to the next
    page, None on the last."""

    entries: list[AuditEntry]
    older: int | None
    filters: Filters


def _checked_id(value: int | None) -> int | None:
    if value is None or isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 < value <= ID_MAX else None


def _checked_moment(value: datetime | None) -> datetime | None:
    # A moment without a time zone is ambiguous (and the column refuses it): ignore it.
    if not isinstance(value, datetime) or value.tzinfo is None:
        return None
    return value


def checked_filters(
    *,
    action_prefix: str = "",
    actor_name: str = "",
    target_type: str = "",
    target_id: int | None = None,
    group_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Filters:
    """The filters with every unusable value dropped; never raises."""
    action = (action_prefix or "").strip().lower()
    kind = (target_type or "").strip().lower()
    name = " ".join((actor_name or "").replace("\x00", "").split())
    start, end = _checked_moment(since), _checked_moment(until)
    if start is not None and end is not None and start > end:
        start, end = end, start
    return Filters(
        action_prefix=action if _ACTION.fullmatch(action) else "",
        actor_name=name if len(name) <= _NAME_MAX else "",
        target_type=kind if _TARGET_TYPE.fullmatch(kind) else "",
        target_id=_checked_id(target_id) if kind else None,
        group_id=_checked_id(group_id),
        since=start,
        until=end,
    )


def _conditions(filters: Filters) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if filters.action_prefix:
        conditions.append(AuditEntry.action.startswith(filters.action_prefix, autoescape=True))
    if filters.actor_name:
        conditions.append(sa.func.lower(AuditEntry.actor_name) == filters.actor_name.lower())
    if filters.target_type:
        conditions.append(AuditEntry.target_type == filters.target_type)
        if filters.target_id is not None:
            conditions.append(AuditEntry.target_id == filters.target_id)
    if filters.group_id is not None:
        conditions.append(AuditEntry.group_id == filters.group_id)
    if filters.since is not None:
        conditions.append(AuditEntry.created_at >= filters.since)
    if filters.until is not None:
        conditions.append(AuditEntry.created_at < filters.until)
    return conditions


def check_admin(actor: Actor) -> None:
    """Raise NotAllowed unless the actor is an admin: only admins read the whole log."""
    if not permissions.is_admin(actor):
        raise NotAllowed


def entries(
    actor: Actor,
    *,
    action_prefix: str = "",
    actor_name: str = "",
    target_type: str = "",
    target_id: int | None = None,
    group_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before_id: int | None = None,
    limit: int = PAGE_SIZE,
) -> Page:
    """One page of the log, newest first, below id ``before_id`` when given; unusable filter
    values are ignored. Raises NotAllowed for anyone but an admin."""
    check_admin(actor)
    filters = checked_filters(
        action_prefix=action_prefix,
        actor_name=actor_name,
        target_type=target_type,
        target_id=target_id,
        group_id=group_id,
        since=since,
        until=until,
    )
    return _page(filters, _checked_id(before_id), limit)


def _page(filters: Filters, before_id: int | None, limit: int) -> Page:
    size = max(1, min(int(limit), PAGE_MAX))
    query = sa.select(AuditEntry).where(*_conditions(filters))
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    rows = list(db.session.execute(query.order_by(AuditEntry.id.desc()).limit(size + 1)).scalars())
    older = rows[size - 1].id if len(rows) > size else None
    return Page(entries=rows[:size], older=older, filters=filters)


def export(actor: Actor, filters: Filters, most: int) -> list[AuditEntry]:
    """Every entry matching ``filters`` (at most ``most``), newest first, read page by page.
    Raises NotAllowed for anyone but an admin."""
    check_admin(actor)
    rows: list[AuditEntry] = []
    before: int | None = None
    while len(rows) < most:
        page = _page(filters, before, min(PAGE_MAX, most - len(rows)))
        rows.extend(page.entries)
        if page.older is None:
            break
        before = page.older
    return rows


def actions() -> list[str]:
    """The distinct action names in the log, alphabetically, for the filter's choices."""
    rows = db.session.execute(
        sa.select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    ).scalars()
    return list(rows)


def action_areas(names: list[str]) -> list[str]:
    """The areas of ``names`` as prefixes ("moderation."), to filter on a whole area."""
    return sorted({name.split(".", 1)[0] + "." for name in names if "." in name})


def group_names() -> dict[int, str]:
    """Every group's name by id, for the group filter and to name groups in the table."""
    rows = db.session.execute(sa.select(Group.id, Group.name).order_by(Group.name)).all()
    return {group_id: name for group_id, name in rows}
