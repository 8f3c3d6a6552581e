"""The background worker's heartbeat."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime
from app.extensions import db


class WorkerBeat(db.Model):  # type: ignore[name-defined]
    """When a worker process (named by machine and process id) last finished a round."""

    __tablename__ = "worker_beats"

    worker: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime())
