"""Two-step verification with a TOTP app (Google Authenticator, FreeOTP, …) and recovery codes.

Staff act on other people's words and accounts, so their powers count only in a login that
passed the second step (``AuthSession.second_factor_at``). Members may turn it on too. The
demo community's built-in staff accounts are exempt, and only in demo mode.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import pyotp
import qrcode
import qrcode.image.svg
import sqlalchemy as sa
from flask import current_app, g, has_request_context
from markupsafe import Markup

from app import clock
from app.accounts.models import AuthSession, RecoveryCode, SiteRole, User
from app.database import unit_of_work
from app.extensions import db

ISSUER = "Lotgenoten"
RECOVERY_CODES = 10
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes (0/o, 1/l/i)


class WrongCode(Exception):
    """The code does not match (or was used already)."""


@dataclass(frozen=True)
class Enrolment:
    """What the enrolment page shows: the secret as a QR code and as text."""

    secret: str
    qr_svg: Markup

    @property
    def grouped_secret(self) -> str:
        """The secret in groups of four, easier to type over."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


def is_enabled(user: User) -> bool:
    """Tell whether ``user`` has two-step verification turned on."""
    return user.totp_enabled_at is not None and bool(user.totp_secret)


def is_exempt(user: User) -> bool:
    """The demo community's own staff accounts, in demo mode only."""
    from app.demo.loader import is_demo_account

    return bool(current_app.config.get("DEMO_MODE")) and is_demo_account(user)


def required(user: User) -> bool:
    """Tell whether ``user`` needs the second step before acting as staff."""
    return (
        user.site_role is not SiteRole.MEMBER
        and bool(current_app.config.get("STAFF_TWO_FACTOR", True))
        and not is_exempt(user)
    )


def staff_powers_allowed(user: User) -> bool:
    """May ``user`` use their staff role now? Asked of the person logged in to this request;
    for anyone else (the worker's round, another member's role being looked at) there is no
    login to ask about."""
    if not has_request_context():
        return True
    if g.get("access_token") is not None and g.access_token.user_id == user.id:
        # A personal access token never passed a second step: it acts as a member.
        return False
    if not required(user):
        return True
    from flask_login import current_user

    me = current_user._get_current_object()  # loads this request's login (g.auth_session)
    if not getattr(me, "is_authenticated", False) or me.id != user.id:
        return True
    row: AuthSession | None = g.get("auth_session")
    return row is not None and row.second_factor_at is not None


def awaiting_enrolment(user: User) -> bool:
    """Staff who have to turn two-step verification on before they can act."""
    return required(user) and not is_enabled(user)


def start_enrolment(user: User) -> Enrolment:
    """A secret for ``user`` to scan (kept until confirmed or replaced), as a QR code."""
    if is_enabled(user):
        raise ValueError("two-step verification is already on")
    if not user.totp_secret:
        with unit_of_work():
            user.totp_secret = pyotp.random_base32()
    secret = user.totp_secret or ""
    return Enrolment(secret=secret, qr_svg=_qr_svg(_uri(user, secret)))


def _uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.pseudonym, issuer_name=ISSUER)


def _qr_svg(uri: str) -> Markup:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    # Drawn here from our own data: no outside request, no script.
    return Markup(svg)  # noqa: S704


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Turn two-step verification on with a first code; returns new recovery codes (shown
    once). This login counts as verified."""
    if is_enabled(user) or not user.totp_secret:
        raise WrongCode()
    with unit_of_work():
        _check_totp(user, code)
        user.totp_enabled_at = clock.utcnow()
        codes = _replace_recovery_codes(user)
        _mark_current_session(user)
    return codes


def verify(user: User, code: str) -> None:
    """Check a code from the app or a recovery code; raises WrongCode. Used at login."""
    with unit_of_work():
        if _looks_like_recovery_code(code):
            _use_recovery_code(user, code)
        else:
            _check_totp(user, code)


def verify_session(user: User, code: str) -> None:
    """Check a code and count this login as verified from now on."""
    with unit_of_work():
        if _looks_like_recovery_code(code):
            _use_recovery_code(user, code)
        else:
            _check_totp(user, code)
        _mark_current_session(user)


def new_recovery_codes(user: User, code: str) -> list[str]:
    """Fresh recovery codes in place of the old ones, after a code from the app."""
    with unit_of_work():
        _check_totp(user, code)
        return _replace_recovery_codes(user)


def turn_off(user: User, code: str) -> None:
    """Turn two-step verification off (with a current code); recovery codes go too."""
    with unit_of_work() as session:
        _check_totp(user, code)
        user.totp_secret = None
        user.totp_enabled_at = None
        user.totp_last_step = None
        session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
        session.execute(
            sa.update(AuthSession)
            .where(AuthSession.user_id == user.id)
            .values(second_factor_at=None)
        )


def unused_recovery_codes(user: User) -> int:
    """How many recovery codes ``user`` still has."""
    return int(
        db.session.execute(
            sa.select(sa.func.count(RecoveryCode.id)).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).scalar_one()
    )


def _check_totp(user: User, code: str) -> None:
    digits = "".join(ch for ch in code if ch.isdigit())
    if not user.totp_secret or len(digits) != 6:
        raise WrongCode()
    totp = pyotp.TOTP(user.totp_secret)
    now = clock.utcnow()
    step = int(now.timestamp()) // totp.interval
    # The code of the previous, current or next half minute (clocks drift), once each.
    for candidate in (step, step - 1, step + 1):
        if secrets.compare_digest(totp.at(candidate * totp.interval), digits):
            if user.totp_last_step is not None and candidate <= user.totp_last_step:
                raise WrongCode()
            user.totp_last_step = candidate
            return
    raise WrongCode()


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def _looks_like_recovery_code(code: str) -> bool:
    return len(_normalise(code)) == 8  # app codes have six digits


def _use_recovery_code(user: User, code: str) -> None:
    row = db.session.execute(
        sa.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(code),
            RecoveryCode.used_at.is_(None),
        )
    ).scalar_one_or_none()
    if row is None:
        raise WrongCode()
    row.used_at = clock.utcnow()


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "-".join("".join(secrets.choice(_CODE_ALPHABET) for _ in range(4)) for _ in range(2))
        for _ in range(RECOVERY_CODES)
    ]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    return codes


def _mark_current_session(user: User) -> None:
    row: AuthSession | None = g.get("auth_session") if has_request_context() else None
    if row is not None and row.user_id == user.id:
        row.second_factor_at = clock.utcnow()
