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
    return _or_default(setting, stored)


# Built once: screening reads settings for every post.
_VALUES = sa.select(ModerationSetting.key, ModerationSetting.value).where(
    ModerationSetting.key.in_(sa.bindparam("keys", expanding=True))
)


def values(*wanted: Setting) -> list[Any]:
    """The current values of several settings, in the order asked, in one query."""
    rows = db.session.execute(_VALUES, {"keys": [setting.key for setting in wanted]})
    stored = {key: value for key, value in rows}
    return [_or_default(setting, stored.get(setting.key)) for setting in wanted]


def _or_default(setting: Setting, stored: Any) -> Any:
    if stored is not None:
        return stored
    return current_app.config.get(f"MODERATION_{setting.key.upper()}", setting.default)
