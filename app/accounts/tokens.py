"""Personal access tokens: made and revoked by a member on their account page, used by
programs that call the JSON API on the member's behalf.

The token is shown once, when it is made; only its SHA-256 hash is stored, like the login
sessions' tokens. A token acts as its member, never with staff powers: those need a login
that passed two-step verification (see ``two_factor.staff_powers_allowed``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from app import clock, markup
from app.accounts.models import PersonalAccessToken, TokenScope, User
from app.database import unit_of_work
from app.errors import NotFound, ValidationFailed
from app.extensions import db

PREFIX = "lgt_"
NAME_MAX = 80
ACTIVE_MAX = 20


class InvalidToken(Exception):
    """The bearer token is unknown, revoked, or belongs to an account that cannot log in."""


@dataclass(frozen=True)
class Made:
    """A new token: its row, and the token itself, which is shown this once."""

    token: PersonalAccessToken
    secret: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def checked_name(name: str) -> str:
    """The token's name as it will be stored; raises ValidationFailed (field ``name``)."""
    clean = " ".join(markup.clean_text(name).split())
    if not clean:
        raise ValidationFailed(
            _("Geef je sleutel een naam, zodat je later weet waarvoor hij is."), field="name"
        )
    if len(clean) > NAME_MAX:
        raise ValidationFailed(
            _("Maak de naam wat korter: hoogstens %(max)d tekens.", max=NAME_MAX), field="name"
        )
    return clean


def checked_scope(scope: str) -> TokenScope:
    """The scope asked for; raises ValidationFailed (field ``scope``) unless it is known."""
    try:
        return TokenScope(scope)
    except ValueError:
        raise ValidationFailed(
            _("Kies alleen lezen, of lezen en schrijven."), field="scope"
        ) from None


def active_tokens(user: User) -> list[PersonalAccessToken]:
    """The member's tokens that still work, newest first."""
    return list(
        db.session.execute(
            sa.select(PersonalAccessToken)
            .where(PersonalAccessToken.user_id == user.id, PersonalAccessToken.revoked_at.is_(None))
            .order_by(PersonalAccessToken.id.desc())
        ).scalars()
    )


def make(user: User, name: str, scope: str) -> Made:
    """Make a token for ``user``; raises ValidationFailed (name, scope, or too many)."""
    clean = checked_name(name)
    chosen = checked_scope(scope)
    if len(active_tokens(user)) >= ACTIVE_MAX:
        raise ValidationFailed(
            _(
                "Je hebt al %(max)d sleutels. Trek er eerst een in die je niet meer gebruikt.",
                max=ACTIVE_MAX,
            )
        )
    secret = PREFIX + secrets.token_urlsafe(32)
    with unit_of_work() as session:
        row = PersonalAccessToken(
            user_id=user.id,
            token_hash=_hash(secret),
            name=clean,
            scope=chosen.value,
            created_at=clock.utcnow(),
        )
        session.add(row)
    return Made(token=row, secret=secret)


def revoke(user: User, token_id: int) -> None:
    """Revoke one of the member's tokens (again: no harm); raises NotFound for another's."""
    with unit_of_work():
        row = db.session.get(PersonalAccessToken, token_id)
        if row is None or row.user_id != user.id:
            raise NotFound
        if row.revoked_at is None:
            row.revoked_at = clock.utcnow()


def authenticate(secret: str) -> tuple[User, PersonalAccessToken]:
    """The member and token behind a bearer token; raises InvalidToken. Notes the day of use
    (once a day at most)."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        raise InvalidToken
    row = db.session.execute(
        sa.select(PersonalAccessToken).where(PersonalAccessToken.token_hash == _hash(secret))
    ).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        raise InvalidToken
    user = db.session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise InvalidToken
    today = clock.utcnow().date()
    if row.last_used_on != today:
        with unit_of_work():
            row.last_used_on = today
    return user, row


def export_rows(user: User) -> list[dict[str, str | None]]:
    """The member's tokens for their data export: names and dates, never a hash."""
    rows = db.session.execute(
        sa.select(PersonalAccessToken)
        .where(PersonalAccessToken.user_id == user.id)
        .order_by(PersonalAccessToken.id)
    ).scalars()
    return [
        {
            "name": row.name,
            "scope": row.scope,
            "created_at": clock.as_utc(row.created_at).isoformat(),
            "last_used_on": row.last_used_on.isoformat() if row.last_used_on else None,
            "revoked_at": clock.as_utc(row.revoked_at).isoformat() if row.revoked_at else None,
        }
        for row in rows
    ]
