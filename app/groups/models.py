"""Groups, memberships and requests to join a closed group."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.clock import utcnow
from app.database import UTCDateTime
from app.extensions import db


class GroupKind(StrEnum):
    PEER = "peer"  # victims or bereaved relatives
    HELPERS = "helpers"
    RESEARCH = "research"


class Visibility(StrEnum):
    PUBLIC = "public"  # readable without logging in, indexable
    CLOSED = "closed"  # listed; content for members only; joining by request
    HIDDEN = "hidden"  # not listed; invite only


class GroupRole(StrEnum):
    MEMBER = "member"
    AMBASSADOR = "ambassador"
    MANAGER = "manager"


class JoinRequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class Group(db.Model):  # type: ignore[name-defined]
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    house_rules: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[str] = mapped_column(sa.String(20), default=GroupKind.PEER.value)
    theme: Mapped[str] = mapped_column(sa.String(40), index=True)
    visibility: Mapped[str] = mapped_column(sa.String(20), default=Visibility.PUBLIC.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The response guarantee: a new story should have a reply within this time, and an
    # ambassador's claim on a story lapses after claim_minutes without a reply.
    response_target_minutes: Mapped[int] = mapped_column(default=24 * 60, server_default="1440")
    claim_minutes: Mapped[int] = mapped_column(default=120, server_default="120")

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC.value

    @property
    def is_closed(self) -> bool:
        return self.visibility == Visibility.CLOSED.value

    @property
    def is_hidden(self) -> bool:
        return self.visibility == Visibility.HIDDEN.value

    def __repr__(self) -> str:
        return f"<Group {self.slug}>"


class Membership(db.Model):  # type: ignore[name-defined]
    __tablename__ = "memberships"
    __table_args__ = (
        sa.UniqueConstraint("group_id", "user_id", name="uq_memberships_group_user"),
        sa.Index("ix_memberships_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(20), default=GroupRole.MEMBER.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    group: Mapped[Group] = relationship()
    user: Mapped[User] = relationship()


class JoinRequest(db.Model):  # type: ignore[name-defined]
    """A member's request to join a closed group, with a short motivation."""

    __tablename__ = "join_requests"
    __table_args__ = (sa.Index("ix_join_requests_group_status", "group_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    motivation: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(20), default=JoinRequestStatus.PENDING.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # Copied so the decision stays readable after the decider's account is gone.
    decided_by_name: Mapped[str] = mapped_column(sa.String(30), default="")

    group: Mapped[Group] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class GroupExclusion(db.Model):  # type: ignore[name-defined]
    """A member moderators keep out of a group (at someone's confidential request): they
    cannot join or ask to join it, and are not told why."""

    __tablename__ = "group_exclusions"
    __table_args__ = (
        sa.UniqueConstraint("group_id", "user_id", name="uq_group_exclusions_group_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_name: Mapped[str] = mapped_column(sa.String(30), default="")
