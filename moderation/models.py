"""What moderators work with: queue items and the signals that opened them, notes, and the
settings of the checks that run before anything is published."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum, StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.clock import utcnow
from app.database import UTCDateTime
from app.extensions import db


class Priority(IntEnum):
    """Lower goes first: someone in crisis, then identifying details, then the rest."""

    CRISIS = 0
    IDENTIFYING = 1
    NORMAL = 2


class SignalKind(StrEnum):
    """Why an item is in the queue; one item can gather several signals."""

    REPORT = "report"  # a member reported it
    NOTICE = "notice"  # a visitor sent a notice (Digital Services Act)
    HELD = "held"  # the checks held it before publication
    CRISIS = "crisis"  # crisis language
    IDENTIFYING = "identifying"  # identifying details, posted anyway
    FLAGGED = "flagged"  # published, but a watched word asks for a look
    APPEAL = "appeal"


class ItemStatus(StrEnum):
    OPEN = "open"
    DECIDED = "decided"


class TargetType(StrEnum):
    STORY = "story"
    REPLY = "reply"
    USER = "user"


class ModerationItem(db.Model):  # type: ignore[name-defined]
    """One thing for a moderator to look at and decide. Signals about the same content merge
    into its one open item. ``version`` guards against two moderators deciding at once."""

    __tablename__ = "moderation_items"
    __table_args__ = (
        sa.Index("ix_moderation_items_queue", "status", "priority", "created_at"),
        sa.Index("ix_moderation_items_created", "created_at"),
        sa.Index("ix_moderation_items_decided", "decided_at"),
        sa.Index(
            "uq_moderation_items_open_target",
            "target_type",
            "target_id",
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(sa.String(20))
    target_id: Mapped[int] = mapped_column()
    # Where the content lives and who wrote it, copied so the item outlives the content.
    group_id: Mapped[int | None] = mapped_column(index=True)
    subject_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    priority: Mapped[int] = mapped_column(default=Priority.NORMAL.value)
    status: Mapped[str] = mapped_column(sa.String(20), default=ItemStatus.OPEN.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_by_name: Mapped[str] = mapped_column(sa.String(30), default="")
    decision: Mapped[str] = mapped_column(sa.String(30), default="")
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    # The statement of reasons: which rule, and what happened to the writer's account.
    rule: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    member_action: Mapped[str] = mapped_column(sa.String(20), default="", server_default="")
    member_action_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # An appeal points at the decided item it contests.
    appeal_of_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("moderation_items.id", ondelete="SET NULL"), index=True
    )
    moderators_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    admins_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id])
    appeal_of: Mapped[ModerationItem | None] = relationship(remote_side=[id])
    signals: Mapped[list[ItemSignal]] = relationship(
        back_populates="item", order_by="ItemSignal.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class ItemSignal(db.Model):  # type: ignore[name-defined]
    """One report, notice, hold or check result about an item, with a snapshot of the
    content as it was then: reports are never lost with the content."""

    __tablename__ = "moderation_signals"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("moderation_items.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(20))
    # For reports: the category chosen; for checks: what they found (no excerpts of
    # identifying details are kept here beyond the snapshot itself).
    category: Mapped[str] = mapped_column(sa.String(40), default="")
    note: Mapped[str] = mapped_column(sa.Text, default="")
    reporter_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # A visitor's notice may leave an address for the outcome; nothing else about them.
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    snapshot_title: Mapped[str] = mapped_column(sa.String(150), default="")
    snapshot_body: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    item: Mapped[ModerationItem] = relationship(back_populates="signals")


class ModeratorNote(db.Model):  # type: ignore[name-defined]
    """A note for moderators only, on a queue item or on a member."""

    __tablename__ = "moderator_notes"
    __table_args__ = (
        sa.CheckConstraint(
            "(item_id IS NOT NULL) OR (about_user_id IS NOT NULL)", name="has_subject"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("moderation_items.id", ondelete="CASCADE"), index=True
    )
    about_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(sa.String(30), default="")
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WatchedWordRule(db.Model):  # type: ignore[name-defined]
    """A word or phrase moderators watch for, and what publishing does with it."""

    __tablename__ = "watched_words"

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(sa.String(100), unique=True)
    action: Mapped[str] = mapped_column(sa.String(20))
    replacement: Mapped[str] = mapped_column(sa.String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_name: Mapped[str] = mapped_column(sa.String(30), default="")


class ModerationSetting(db.Model):  # type: ignore[name-defined]
    """One setting of the checks, changed by moderators (see moderation.settings)."""

    __tablename__ = "moderation_settings"

    key: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    value: Mapped[object] = mapped_column(sa.JSON)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    changed_by_name: Mapped[str] = mapped_column(sa.String(30), default="")


class ReasonTemplate(db.Model):  # type: ignore[name-defined]
    """A reason moderators can pick for a decision: which rule, and words for the writer."""

    __tablename__ = "reason_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(100), unique=True)
    rule: Mapped[str] = mapped_column(sa.String(200), default="")
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_name: Mapped[str] = mapped_column(sa.String(30), default="")


class KeepOutRequest(db.Model):  # type: ignore[name-defined]
    """A member asks moderators, confidentially, to keep a named member out of a closed
    group. The named member is never told who asked."""

    __tablename__ = "keep_out_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id", ondelete="CASCADE"))
    named_user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(20), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_name: Mapped[str] = mapped_column(sa.String(30), default="")
