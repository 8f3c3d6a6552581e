"""The audit log for admins: every moderator and admin action, filterable, and as CSV."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import clock, csv_files, periods
from app.audit import queries, services
from app.audit.models import AuditEntry

bp = Blueprint("audit", __name__)

EXPORT_MAX = 20_000
DETAIL_SHOWN = 80


@dataclass(frozen=True)
class _Asked:
    """The filters as read from the address: what the form shows and the links carry."""

    action: str
    actor: str
    target_type: str
    target_id: int | None
    group_id: int | None
    since: date | None
    until: date | None  # included

    def query(self) -> dict[str, Any]:
        """The keyword arguments for :func:`queries.entries`."""
        return {
            "action_prefix": self.action,
            "actor_name": self.actor,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "group_id": self.group_id,
            "since": periods.start_of(self.since) if self.since else None,
            "until": periods.start_of(self.until + timedelta(days=1)) if self.until else None,
        }

    def link_args(self) -> dict[str, str]:
        """The filters as query-string arguments, for the next page and the CSV link."""
        pairs = {
            "actie": self.action,
            "door": self.actor,
            "soort": self.target_type,
            "doel": str(self.target_id or ""),
            "groep": str(self.group_id or ""),
            "van": self.since.isoformat() if self.since else "",
            "tot": self.until.isoformat() if self.until else "",
        }
        return {key: value for key, value in pairs.items() if value}


def _number(raw: str | None) -> int | None:
    value = (raw or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 10:
        return None
    number = int(value)
    return number if 0 < number <= queries.ID_MAX else None


def _asked(args: Mapping[str, str]) -> _Asked:
    since, until = periods.parse_day(args.get("van")), periods.parse_day(args.get("tot"))
    if since and until and since > until:
        since, until = until, since
    filters = queries.checked_filters(
        action_prefix=args.get("actie", ""),
        actor_name=args.get("door", ""),
        target_type=args.get("soort", ""),
        target_id=_number(args.get("doel")),
        group_id=_number(args.get("groep")),
    )
    return _Asked(
        action=filters.action_prefix,
        actor=filters.actor_name,
        target_type=filters.target_type,
        target_id=filters.target_id,
        group_id=filters.group_id,
        since=since,
        until=until,
    )


def _detail_value(value: object) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


@bp.app_template_filter("compact_details")
def compact_details(details: Mapping[str, object] | None) -> str:
    """An entry's details on one line ("phrase: pest; action: hold"), long values cut."""
    parts = []
    for key in sorted(details or {}):
        shown = _detail_value((details or {})[key])
        if len(shown) > DETAIL_SHOWN:
            shown = shown[: DETAIL_SHOWN - 1] + "…"
        parts.append(f"{key}: {shown}")
    return "; ".join(parts)


@bp.get("/beheer/logboek")
@login_required
def index() -> str:
    """The audit log, newest first, filtered by the address; admins only."""
    asked = _asked(request.args)
    page = queries.entries(
        current_user, before_id=_number(request.args.get("voor")), **asked.query()
    )
    names = queries.actions()
    return render_template(
        "audit/index.html",
        page=page,
        asked=asked,
        link_args=asked.link_args(),
        actions=names,
        areas=queries.action_areas(names),
        groups=queries.group_names(),
    )


def _csv_row(entry: AuditEntry) -> list[object]:
    return [
        entry.id,
        clock.local(entry.created_at).isoformat(timespec="seconds"),
        entry.actor_name if entry.actor_id is not None else _("Systeem"),
        entry.action,
        entry.target_type,
        entry.target_id if entry.target_id is not None else "",
        entry.group_id if entry.group_id is not None else "",
        entry.reason,
        json.dumps(entry.details or {}, ensure_ascii=False, sort_keys=True, default=str),
    ]


@bp.get("/beheer/logboek.csv")
@login_required
def export() -> Response:
    """The filtered log as a CSV file (at most EXPORT_MAX rows, newest first); admins only."""
    asked = _asked(request.args)
    rows = queries.export(current_user, queries.checked_filters(**asked.query()), EXPORT_MAX)
    services.record_export(current_user, len(rows), asked.query())
    header = [
        "id",
        _("tijd"),
        _("door"),
        _("actie"),
        _("soort doel"),
        _("doel"),
        _("groep"),
        _("reden"),
        _("details"),
    ]
    return csv_files.download(csv_files.as_text(header, map(_csv_row, rows)), "logboek.csv")
