"""What moderation holds about one member, for their data download and for deleting their
account: the reports they made, the decisions about them, and the words and names that
moderators kept (copies of reported posts, notes, reasons)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app import clock
from app.extensions import db
from moderation.models import ItemSignal, ModerationItem, ModeratorNote


def _when(moment: datetime | None) -> str | None:
    return clock.as_utc(moment).isoformat() if moment is not None else None


def reports_made(user_id: int) -> list[dict[str, Any]]:
    """The member's own reports: category, their note, when."""
    signals = db.session.execute(
        sa.select(ItemSignal).where(ItemSignal.reporter_id == user_id).order_by(ItemSignal.id)
    ).scalars()
    return [{"category": s.category, "note": s.note, "at": _when(s.created_at)} for s in signals]


def decisions_about(user_id: int) -> list[dict[str, Any]]:
    """Decisions about the member's posts or account, as told to them (no moderator named)."""
    items = db.session.execute(
        sa.select(ModerationItem)
        .where(ModerationItem.subject_user_id == user_id, ModerationItem.decided_at.is_not(None))
        .order_by(ModerationItem.id)
    ).scalars()
    return [
        {
            "decision": i.decision,
            "rule": i.rule,
            "reason": i.reason,
            "decided_at": _when(i.decided_at),
        }
        for i in items
    ]


def forget_member(user_id: int, pseudonym: str, label: str, words_too: bool) -> None:
    """Inside the caller's unit of work, before the account row goes: replace the pseudonym
    in what moderators wrote about the member, drop the contact address of their reports,
    and (``words_too``) blank the copies kept of their reported posts."""
    for model, text, about in (
        (ModeratorNote, ModeratorNote.body, ModeratorNote.about_user_id),
        (ModerationItem, ModerationItem.reason, ModerationItem.subject_user_id),
    ):
        db.session.execute(
            sa.update(model)
            .where(about == user_id)
            .values({text.key: sa.func.replace(text, pseudonym, label)})
        )
    db.session.execute(
        sa.update(ItemSignal).where(ItemSignal.reporter_id == user_id).values(contact_email="")
    )
    if words_too:
        about_them = sa.select(ModerationItem.id).where(ModerationItem.subject_user_id == user_id)
        db.session.execute(
            sa.update(ItemSignal)
            .where(ItemSignal.item_id.in_(about_them))
            .values(snapshot_title="", snapshot_body="")
        )
