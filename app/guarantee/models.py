"""The response clock of one story."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.database import UTCDateTime
from app.extensions import db
from app.stories.models import Story


class ResponseWatch(db.Model):  # type: ignore[name-defined]
    """When a story became visible, when it must have a response by, and how far the
    escalation ladder has climbed. Each ``*_at`` step is set once, by one conditional update,
    so that several workers never repeat a step."""

    __tablename__ = "response_watches"
    __table_args__ = (
        sa.Index("ix_response_watches_open_due", "answered_at", "due_at"),
        sa.Index("ix_response_watches_open_half", "answered_at", "half_at"),
        sa.Index("ix_response_watches_started", "started_at"),
    )

    story_id: Mapped[int] = mapped_column(
        sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Fixed when the clock starts: changing the group's target later does not move it.
    target_minutes: Mapped[int] = mapped_column()
    half_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    claim_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ambassadors_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    story: Mapped[Story] = relationship()
    claimed_by: Mapped[User | None] = relationship()

    def claimed_at(self, now: datetime) -> bool:
        """Tell whether the claim still holds at ``now``."""
        return (
            self.claimed_by_id is not None
            and self.claim_expires_at is not None
            and self.claim_expires_at > now
        )
