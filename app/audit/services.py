"""Writing to the audit log, inside the caller's unit of work."""

from __future__ import annotations

from collections.abc import Mapping

from app import clock
from app.accounts.models import User
from app.audit.models import AuditEntry
from app.database import unit_of_work
from app.extensions import db


def record(
    actor: User | None,
    action: str,
    target_type: str,
    target_id: int | None,
    *,
    group_id: int | None = None,
    reason: str = "",
    details: Mapping[str, object] | None = None,
) -> AuditEntry:
    """Add an audit entry to the current unit of work (no commit here); ``actor`` None means
    the system itself (the background worker)."""
    entry = AuditEntry(
        created_at=clock.utcnow(),
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.pseudonym if actor is not None else "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        group_id=group_id,
        reason=reason,
        details=dict(details or {}),
    )
    db.session.add(entry)
    return entry


def record_export(actor: User, rows: int, filters: Mapping[str, object]) -> None:
    """Log that an admin downloaded (part of) the audit log: it is sensitive data too."""
    with unit_of_work():
        record(
            actor,
            "audit.exported",
            "audit_log",
            None,
            details={"rows": rows, "filters": {k: str(v) for k, v in filters.items() if v}},
        )
