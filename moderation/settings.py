"""The settings of the checks: what moderators stored, else the app's configuration
(``MODERATION_<KEY>``), else the default here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from moderation.models import ModerationSetting


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any


CRISIS_HOLDS = Setting("crisis_holds", False)  # publish crisis posts (and alert) by default
NEW_MEMBER_HELD_POSTS = Setting("new_member_held_posts", 1)
EXTRA_CRISIS_PHRASES = Setting("extra_crisis_phrases", [])
HIDE_AT_REPORT_WEIGHT = Setting("hide_at_report_weight", 3.0)


def value(setting: Setting) -> Any:
    """The setting's current value, or its default."""
    stored = db.session.execute(
        sa.select(ModerationSetting.value).where(ModerationSetting.key == setting.key)
    ).scalar_one_or_none()
    if stored is not None:
        return stored
    return current_app.config.get(f"MODERATION_{setting.key.upper()}", setting.default)
