"""Studies run in hidden research groups: consent texts, invitations, participations with
their study code and consent history, and the programme of daily prompts.

A study belongs to one research group (``groups.kind == "research"``); the group's managers
are its researchers. Responses and reflections are replies in the group (to the prompt's
thread and its reflection thread), so screening and moderation treat them like any post.
"""

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


class ConsentAction(StrEnum):
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"


class Study(db.Model):  # type: ignore[name-defined]
    """The research side of a research group: which consent text is current."""

    __tablename__ = "research_studies"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), unique=True
    )
    consent_version: Mapped[int] = mapped_column(default=1)
    # The number of the last study code handed out (P01, P02, …); codes are never reused.
    last_code: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    group: Mapped[Group] = relationship()


class ConsentText(db.Model):  # type: ignore[name-defined]
    """One version of a study's informed-consent text. Versions are never changed."""

    __tablename__ = "research_consent_texts"
    __table_args__ = (
        sa.UniqueConstraint("study_id", "version", name="uq_research_consent_texts_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(sa.ForeignKey("research_studies.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_name: Mapped[str] = mapped_column(sa.String(30), default="")


class Participation(db.Model):  # type: ignore[name-defined]
    """A member taking part in a study, known to researchers' exports only by ``code``."""

    __tablename__ = "research_participations"
    __table_args__ = (
        sa.UniqueConstraint("study_id", "user_id", name="uq_research_participations_user"),
        sa.UniqueConstraint("study_id", "code", name="uq_research_participations_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(sa.ForeignKey("research_studies.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(12))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The consent version last accepted, and when; content needs the study's current one.
    consent_version: Mapped[int] = mapped_column(default=0)
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    invitation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("research_invitations.id", ondelete="SET NULL")
    )

    study: Mapped[Study] = relationship()
    user: Mapped[User] = relationship()

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class ConsentRecord(db.Model):  # type: ignore[name-defined]
    """Each acceptance and each withdrawal, with its moment and the text's version."""

    __tablename__ = "research_consent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    participation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("research_participations.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(12))
    version: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Invitation(db.Model):  # type: ignore[name-defined]
    """An invitation link. Only a hash of its token is kept: a leaked table invites nobody."""

    __tablename__ = "research_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(
        sa.ForeignKey("research_studies.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    label: Mapped[str] = mapped_column(sa.String(80), default="")
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    max_uses: Mapped[int] = mapped_column()
    uses: Mapped[int] = mapped_column(default=0)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_name: Mapped[str] = mapped_column(sa.String(30), default="")


class Prompt(db.Model):  # type: ignore[name-defined]
    """One day of the programme: a theme or question, maybe a video, and when it opens.

    When it opens, two threads are made in the group: the prompt's own (responses are its
    replies) and the day's reflection thread.
    """

    __tablename__ = "research_prompts"
    __table_args__ = (
        sa.UniqueConstraint("study_id", "day", name="uq_research_prompts_day"),
        sa.Index("ix_research_prompts_opens", "opens_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(sa.ForeignKey("research_studies.id", ondelete="CASCADE"))
    day: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(sa.String(150))
    body_source: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    video_url: Mapped[str] = mapped_column(sa.String(500), default="")
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set once by whoever opens it first (the worker, or the first reader before it ran).
    story_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stories.id", ondelete="SET NULL"))
    reflection_story_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("stories.id", ondelete="SET NULL")
    )
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    study: Mapped[Study] = relationship()
