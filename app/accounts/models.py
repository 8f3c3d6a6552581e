"""Accounts: pseudonymous members and staff, and their server-side login sessions."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.database import UTCDateTime
from app.extensions import db


class SiteRole(StrEnum):
    """A role across the whole site. Admins hold every staff right."""

    MEMBER = "member"
    MODERATOR = "moderator"
    CONTENT_MANAGER = "content_manager"
    RESEARCHER = "researcher"
    ADMIN = "admin"


class AccountStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"  # by a moderator, until suspended_until
    BANNED = "banned"  # by a moderator, for good
    DELETED = "deleted"


class User(UserMixin, db.Model):  # type: ignore[name-defined]
    """A member of the community, known by a pseudonym. The e-mail address is never shown."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(sa.String(30))
    # Case- and width-folded form of the pseudonym; uniqueness is decided on this.
    pseudonym_key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    email: Mapped[str | None] = mapped_column(sa.String(254))
    email_key: Mapped[str | None] = mapped_column(sa.String(254), index=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    role: Mapped[str] = mapped_column(sa.String(20), default=SiteRole.MEMBER.value)
    status: Mapped[str] = mapped_column(sa.String(20), default=AccountStatus.ACTIVE.value)
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    house_rules_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Reader's choice per content-warning category: "collapse" (default) or "hide".
    warning_filters: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    # Set by moderators: read-only until silenced_until; no login until suspended_until.
    silenced_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Two-step verification (TOTP): the shared secret, set while enrolling and in force
    # from totp_enabled_at; the last time step used, so a code works only once.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)

    sessions: Mapped[list[AuthSession]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def site_role(self) -> SiteRole:
        return SiteRole(self.role)

    @property
    def is_active(self) -> bool:  # used by Flask-Login
        return self.status == AccountStatus.ACTIVE.value

    @property
    def is_staff(self) -> bool:
        return self.site_role is not SiteRole.MEMBER

    @property
    def has_accepted_house_rules(self) -> bool:
        return self.house_rules_accepted_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class AuthSession(db.Model):  # type: ignore[name-defined]
    """A login on one device. Deleting the row ends the login, whatever the cookie says."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Only a hash of the token is stored: a leaked table does not log anyone in.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    remember: Mapped[bool] = mapped_column(default=False)
    # A coarse label such as "Firefox op Linux", so members can recognise their devices.
    device_label: Mapped[str] = mapped_column(sa.String(80), default="")
    # When this login passed the second step (a TOTP or recovery code); staff act only then.
    second_factor_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="sessions")


class RecoveryCode(db.Model):  # type: ignore[name-defined]
    """A one-time code for when the authenticator app is lost. Only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TokenScope(StrEnum):
    """What a personal access token may do: only read, or also write."""

    READ = "read"
    WRITE = "write"


class PersonalAccessToken(db.Model):  # type: ignore[name-defined]
    """A token a member made on their account page for a program that uses the JSON API on
    their behalf. Only a hash of it is kept; the member sees the token once, when it is made.
    Use is recorded per day at most, so the table does not tell when someone is active."""

    __tablename__ = "personal_access_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    scope: Mapped[str] = mapped_column(sa.String(10), default=TokenScope.READ.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_on: Mapped[date | None] = mapped_column(sa.Date)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def may_write(self) -> bool:
        return self.scope == TokenScope.WRITE.value


class DeviceMark(db.Model):  # type: ignore[name-defined]
    """That an account logged in from a browser carrying a given device cookie. Only a keyed
    hash of the cookie is kept, with two dates: enough for moderators to see that accounts
    share a device, nothing about the device or where it is."""

    __tablename__ = "device_marks"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "token_hash", name="uq_device_marks_user_token"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), index=True)
    first_seen_on: Mapped[date] = mapped_column(sa.Date)
    last_seen_on: Mapped[date] = mapped_column(sa.Date)


class DataExport(db.Model):  # type: ignore[name-defined]
    """A member's request for everything the server holds about them, and the ZIP file made
    for it (in the instance folder, named by a random token, removed when it expires)."""

    __tablename__ = "data_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReservedPseudonym(db.Model):  # type: ignore[name-defined]
    """The pseudonym of a deleted account, kept from new accounts for a while so nobody can
    pass for the person who left. Only a hash of its folded form is stored."""

    __tablename__ = "reserved_pseudonyms"

    key_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    reserved_until: Mapped[datetime] = mapped_column(UTCDateTime())
