"""Stories and the replies to them."""

from __future__ import annotations

from datetime import date, datetime
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
    # Its writer withdrew their consent from the study of a research group: shown to nobody,
    # in no search, figure or export.
    WITHDRAWN = "withdrawn"


class ContentWarning(StrEnum):
    """Categories a writer can warn readers about; readers filter on them."""

    VIOLENCE = "violence"
    SEXUAL_VIOLENCE = "sexual_violence"
    DEATH_AND_SUICIDE = "death_and_suicide"
    SELF_HARM = "self_harm"
    CHILD_ABUSE = "child_abuse"
    INJURY = "injury"
    DOMESTIC_ABUSE = "domestic_abuse"


class ReactionKind(StrEnum):
    """The fixed, supportive reactions. No down-votes, no scores."""

    RECOGNITION = "recognition"  # Herkenning
    SUPPORT = "support"  # Steun
    STRENGTH = "strength"  # Sterkte
    THANKS = "thanks"  # Dank je


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
    # Distinct reads (one per reader per day); shown to staff, never used for ranking.
    read_count: Mapped[int] = mapped_column(default=0)
    # ContentWarning values; the note adds the writer's own words.
    content_warnings: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    content_warning_note: Mapped[str] = mapped_column(sa.String(200), default="")
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A moderator closed the story for new replies; the thread stays readable.
    replies_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    group: Mapped[Group] = relationship()
    author: Mapped[User | None] = relationship()

    @property
    def is_visible(self) -> bool:
        return self.status == PostStatus.PUBLISHED.value


class Reply(db.Model):  # type: ignore[name-defined]
    __tablename__ = "replies"
    __table_args__ = (
        sa.Index("ix_replies_story_created", "story_id", "created_at", "id"),
        # The community figures count replies by when they were written.
        sa.Index("ix_replies_created", "created_at"),
    )

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
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    story: Mapped[Story] = relationship()
    author: Mapped[User | None] = relationship()


class Revision(db.Model):  # type: ignore[name-defined]
    """What a story or reply said before an edit. Moderators see these; nobody else does."""

    __tablename__ = "revisions"
    __table_args__ = (
        sa.CheckConstraint("(story_id IS NULL) <> (reply_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("stories.id", ondelete="CASCADE"), index=True
    )
    reply_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("replies.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str | None] = mapped_column(sa.String(150))
    body_source: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    editor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))


class Reaction(db.Model):  # type: ignore[name-defined]
    """One member's supportive reaction of one kind to a story or a reply."""

    __tablename__ = "reactions"
    __table_args__ = (
        sa.CheckConstraint("(story_id IS NULL) <> (reply_id IS NULL)", name="one_target"),
        sa.UniqueConstraint("story_id", "user_id", "kind", name="uq_reactions_story_user_kind"),
        sa.UniqueConstraint("reply_id", "user_id", "kind", name="uq_reactions_reply_user_kind"),
        sa.Index("ix_reactions_reply_id", "reply_id"),
        sa.Index("ix_reactions_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    story_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stories.id", ondelete="CASCADE"))
    reply_id: Mapped[int | None] = mapped_column(sa.ForeignKey("replies.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StoryRead(db.Model):  # type: ignore[name-defined]
    """That someone read a story on a day. ``reader_key`` is a keyed hash of an account id or
    of a random visitor cookie: never an IP address."""

    __tablename__ = "story_reads"
    __table_args__ = (
        sa.UniqueConstraint(
            "story_id", "reader_key", "day", name="uq_story_reads_story_reader_day"
        ),
        sa.Index("ix_story_reads_day", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(sa.ForeignKey("stories.id", ondelete="CASCADE"))
    reader_key: Mapped[str] = mapped_column(sa.String(64))
    day: Mapped[date] = mapped_column(sa.Date)


class Follow(db.Model):  # type: ignore[name-defined]
    """A member follows a story to hear about new replies."""

    __tablename__ = "follows"
    __table_args__ = (sa.UniqueConstraint("story_id", "user_id", name="uq_follows_story_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(sa.ForeignKey("stories.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
