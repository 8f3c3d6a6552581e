"""One row per action taken by a moderator, admin or group manager."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.database import UTCDateTime
from app.extensions import db


class AuditEntry(db.Model):  # type: ignore[name-defined]
    """An action that was taken. Rows are never changed or deleted (the database refuses it).

    ``actor_id`` is a plain number, not a foreign key: removing an account must not touch the
    log, and the actor's pseudonym is copied so the entry stays readable.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (
        sa.Index("ix_audit_entries_target", "target_type", "target_id"),
        sa.Index("ix_audit_entries_action_created", "action", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(index=True)
    actor_name: Mapped[str] = mapped_column(sa.String(30), default="")
    action: Mapped[str] = mapped_column(sa.String(60))
    target_type: Mapped[str] = mapped_column(sa.String(30))
    target_id: Mapped[int | None] = mapped_column()
    group_id: Mapped[int | None] = mapped_column(index=True)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    details: Mapped[dict[str, object]] = mapped_column(sa.JSON, default=dict)
