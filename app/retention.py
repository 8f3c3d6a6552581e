"""Retention: what the server no longer needs, the background worker removes.

Periods are settings (``RETENTION_*_DAYS``): read notifications, all notifications, the
daily read records behind "stories read", device marks, logins and recovery codes that can
no longer be used, and pseudonyms of deleted accounts once their reservation ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from app.accounts.models import AuthSession, DeviceMark, RecoveryCode, ReservedPseudonym
from app.database import unit_of_work
from app.notifications.models import Notification
from app.stories.models import StoryRead


def _days(name: str) -> timedelta:
    return timedelta(days=int(current_app.config[f"RETENTION_{name}_DAYS"]))


def purge(now: datetime) -> Mapping[str, int]:
    """Remove every record past its retention period; returns how many of each kind."""
    statements = {
        "read_notifications": sa.delete(Notification).where(
            Notification.read_at < now - _days("NOTIFICATIONS_READ")
        ),
        "old_notifications": sa.delete(Notification).where(
            Notification.created_at < now - _days("NOTIFICATIONS")
        ),
        "read_records": sa.delete(StoryRead).where(StoryRead.day < (now - _days("READS")).date()),
        "device_marks": sa.delete(DeviceMark).where(
            DeviceMark.last_seen_on < (now - _days("DEVICE_MARKS")).date()
        ),
        "expired_logins": sa.delete(AuthSession).where(AuthSession.expires_at < now),
        "used_recovery_codes": sa.delete(RecoveryCode).where(
            RecoveryCode.used_at < now - timedelta(days=30)
        ),
        "reserved_pseudonyms": sa.delete(ReservedPseudonym).where(
            ReservedPseudonym.reserved_until < now
        ),
    }
    removed: dict[str, int] = {}
    with unit_of_work() as session:
        for kind, statement in statements.items():
            result = session.execute(statement)
            removed[kind] = int(getattr(result, "rowcount", 0) or 0)
    return removed
