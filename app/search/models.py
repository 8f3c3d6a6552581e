"""What search keeps in the database: the outbox of changes still to reach the index, and
(with ``SEARCH_BACKEND=postgres``) the searchable documents themselves."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.database import UTCDateTime
from app.extensions import db


class SearchOutboxEntry(db.Model):  # type: ignore[name-defined]
    """A story or reply whose place in the search index must be brought up to date.

    Written in the same transaction as the change itself, so a change is never committed
    without it. The index writer looks the post up again when it applies the entry, so an
    entry only says *which* post; applying one twice does no harm. Applied entries stay a
    day, so that a rebuild can replay what happened while it ran.
    """

    __tablename__ = "search_outbox"
    __table_args__ = (sa.Index("ix_search_outbox_applied_id", "applied_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # "story" or "reply"
    kind: Mapped[str] = mapped_column(sa.String(10))
    target_id: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SearchDocumentRow(db.Model):  # type: ignore[name-defined]
    """One searchable story or reply for PostgreSQL full-text search.

    Only public facts about a post live here: the author's pseudonym only for posts shown
    under a name, never for anonymous ones. The table exists on SQLite too (unused), so that
    both databases have the same schema.
    """

    __tablename__ = "search_documents"
    __table_args__ = (
        sa.Index("ix_search_documents_terms", "terms", postgresql_using="gin"),
        sa.Index("ix_search_documents_group_published", "group_id", "published_at"),
        sa.Index("ix_search_documents_published", "published_at"),
    )

    key: Mapped[str] = mapped_column(sa.String(24), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    story_id: Mapped[int] = mapped_column()
    reply_id: Mapped[int | None] = mapped_column()
    group_id: Mapped[int] = mapped_column()
    theme: Mapped[str] = mapped_column(sa.String(40))
    visibility: Mapped[str] = mapped_column(sa.String(20))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    author_id: Mapped[int | None] = mapped_column()
    # ",violence,self_harm," so that one category matches with LIKE '%,violence,%'.
    warnings: Mapped[str] = mapped_column(sa.String(300), default=",")
    title: Mapped[str] = mapped_column(sa.Text)
    body: Mapped[str] = mapped_column(sa.Text)
    # When this row was last written: a rebuild removes the rows it did not write.
    indexed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    terms: Mapped[str] = mapped_column(postgresql.TSVECTOR().with_variant(sa.Text(), "sqlite"))
