"""Stories and the replies to them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.clock import utcnow
from app.database import UTCDateTime
from app.extensions import db
from app.groups.models import Group


class PostStatus(StrEnum):
    PUBLISHED = "published"
    HELD = "held"  # waiting for a moderator
    REMOVED = "removed"  # hidden by a moderator
    DELETED = "deleted"  # deleted by its writer; only a tombstone remains


class Story(db.Model):  # type: ignore[name-defined]
    __tablename__ = "stories"
    __table_args__ = (
        sa.Index("ix_stories_group_status_published", "group_id", "status", "published_at", "id"),
        sa.Index("ix_stories_status_published", "status", "published_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    anonymous: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str] = mapped_column(sa.String(150))
    body_source: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(20), default=PostStatus.PUBLISHED.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reply_count: Mapped[int] = mapped_column(default=0)

    group: Mapped[Group] = relationship()
    author: Mapped[User | None] = relationship()

    @property
    def is_visible(self) -> bool:
        return self.status == PostStatus.PUBLISHED.value


class Reply(db.Model):  # type: ignore[name-defined]
    __tablename__ = "replies"
    __table_args__ = (sa.Index("ix_replies_story_created", "story_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(sa.ForeignKey("stories.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    anonymous: Mapped[bool] = mapped_column(default=False)
    body_source: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(20), default=PostStatus.PUBLISHED.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    story: Mapped[Story] = relationship()
    author: Mapped[User | None] = relationship()
