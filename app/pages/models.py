"""Settings admins change in the site itself: the texts of the privacy statement and house
rules, and where "Snel weg" leads."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.database import UTCDateTime
from app.extensions import db


class SiteSetting(db.Model):  # type: ignore[name-defined]
    """One setting, as JSON, with who changed it last (a staff pseudonym) and when."""

    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    value: Mapped[object] = mapped_column(sa.JSON)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    changed_by_name: Mapped[str] = mapped_column(sa.String(30), default="")
