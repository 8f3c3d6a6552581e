"""Account operations: registering, checking a login, resetting and changing a password."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app import clock
from app.accounts import passwords, pseudonyms
from app.accounts.models import AccountStatus, SiteRole, User
from app.database import unit_of_work
from app.errors import ValidationFailed
from app.extensions import db


class InvalidCredentials(Exception):
    """Pseudonym and password do not match an active account (the same for a missing one)."""


class AccountSuspended(Exception):
    """The password was right, but the account is suspended (until ``until``) or closed by
    a moderator (``until`` None)."""

    def __init__(self, until: datetime | None = None, user_id: int | None = None) -> None:
        super().__init__("account suspended")
        self.until = until
        self.user_id = user_id


class InvalidResetToken(Exception):
    """The password-reset link is unknown, used or expired."""


@dataclass(frozen=True)
class Registration:
    pseudonym: str
    password: str
    email: str | None = None


def email_key(email: str) -> str:
    """The form of an e-mail address that look-ups compare on."""
    return email.strip().lower()


def find_by_pseudonym(pseudonym: str) -> User | None:
    """Return the account with this pseudonym (compared folded), or None."""
    return db.session.execute(
        sa.select(User).where(User.pseudonym_key == pseudonyms.key_for(pseudonym))
    ).scalar_one_or_none()


def register(registration: Registration, role: SiteRole = SiteRole.MEMBER) -> User:
    """Create an account.

    Raises ValidationFailed naming the field: a bad or taken pseudonym, or a weak password.
    """
    try:
        pseudonym = pseudonyms.validate(registration.pseudonym)
    except pseudonyms.PseudonymRejected as rejected:
        raise ValidationFailed(str(rejected), field="pseudonym") from rejected
    try:
        passwords.check_strength(registration.password, [pseudonym, registration.email or ""])
    except passwords.PasswordRejected as rejected:
        raise ValidationFailed(str(rejected), field="password") from rejected
    email = (registration.email or "").strip() or None
    if email is not None:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            raise ValidationFailed(_("Dit lijkt geen e-mailadres."), field="email") from None
    # Imported here: erasure reaches the stories, which reach back to accounts.
    from app.accounts import erasure

    with unit_of_work() as session:
        if find_by_pseudonym(pseudonym) is not None or erasure.is_reserved(pseudonym):
            raise ValidationFailed(
                _("Deze schuilnaam is al in gebruik. Kies een andere."), field="pseudonym"
            )
        user = User(
            pseudonym=pseudonym,
            pseudonym_key=pseudonyms.key_for(pseudonym),
            email=email,
            email_key=email_key(email) if email else None,
            password_hash=passwords.hash_password(registration.password),
            password_changed_at=clock.utcnow(),
            role=role.value,
        )
        session.add(user)
    return user


def authenticate(pseudonym: str, password: str) -> User:
    """Return the account for a correct pseudonym and password.

    Raises InvalidCredentials (also for unknown pseudonyms, after the same amount of work)
    or AccountSuspended.
    """
    user = find_by_pseudonym(pseudonym) if len(password) <= passwords.MAX_LENGTH else None
    if user is None or user.status == AccountStatus.DELETED.value:
        passwords.waste_time_like_a_verify()
        raise InvalidCredentials
    if not passwords.verify_password(user.password_hash, password):
        raise InvalidCredentials
    if user.status == AccountStatus.SUSPENDED.value:
        raise AccountSuspended(user.suspended_until, user.id)
    if user.status == AccountStatus.BANNED.value:
        raise AccountSuspended(None, user.id)
    if passwords.needs_rehash(user.password_hash):
        with unit_of_work():
            user.password_hash = passwords.hash_password(password)
    return user


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _fingerprint(user: User) -> str:
    # Changes with every new password, so a link works once.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def reset_tokens_for(email: str) -> list[tuple[User, str]]:
    """Make a reset token for each active account with this e-mail address (maybe none)."""
    key = email_key(email)
    if not key:
        return []
    users = db.session.execute(
        sa.select(User).where(User.email_key == key, User.status != AccountStatus.DELETED.value)
    ).scalars()
    serializer = _reset_serializer()
    return [(user, serializer.dumps({"u": user.id, "f": _fingerprint(user)})) for user in users]


def user_for_reset_token(token: str) -> User:
    """Return the account a reset link belongs to; raises InvalidResetToken."""
    max_age = current_app.config["PASSWORD_RESET_HOURS"] * 3600
    try:
        data = _reset_serializer().loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature) as error:
        raise InvalidResetToken from error
    if not isinstance(data, dict):
        raise InvalidResetToken
    user = db.session.get(User, data.get("u"))
    if user is None or user.status == AccountStatus.DELETED.value:
        raise InvalidResetToken
    if data.get("f") != _fingerprint(user):
        raise InvalidResetToken
    return user


def set_password(user: User, new_password: str) -> None:
    """Give ``user`` a new password; raises ValidationFailed when it is not acceptable."""
    try:
        passwords.check_strength(new_password, [user.pseudonym, user.email or ""])
    except passwords.PasswordRejected as rejected:
        raise ValidationFailed(str(rejected), field="new_password") from rejected
    with unit_of_work():
        user.password_hash = passwords.hash_password(new_password)
        user.password_changed_at = clock.utcnow()


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password after checking the current one; raises InvalidCredentials."""
    if not passwords.verify_password(user.password_hash, current_password):
        raise InvalidCredentials
    set_password(user, new_password)


def set_locale(user: User, locale: str) -> None:
    """Remember the member's interface language."""
    with unit_of_work():
        user.locale = locale


def find_member(pseudonym: str) -> User | None:
    """The account going by ``pseudonym`` (compared as pseudonyms are: case and width
    folded), deleted accounts left out; None when there is none."""
    key = pseudonyms.key_for(pseudonym.replace("\x00", "").strip())
    if not key:
        return None
    user = db.session.execute(sa.select(User).where(User.pseudonym_key == key)).scalar_one_or_none()
    if user is None or user.status == AccountStatus.DELETED.value:
        return None
    return user


# A suspended or banned member cannot log in, yet must be able to read why and to appeal.
# After the right password they get a link that works for an hour, for that alone.
DECISIONS_ACCESS_SECONDS = 3600


def _decisions_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="decisions-access")


def decisions_access_token(user_id: int) -> str:
    """A token that lets a suspended member read the decisions about them, for an hour."""
    return str(_decisions_serializer().dumps({"u": user_id}))


def user_from_decisions_token(token: str | None) -> User | None:
    """The member a decisions token was made for, or None when it is missing, forged or old."""
    if not token:
        return None
    try:
        data = _decisions_serializer().loads(token, max_age=DECISIONS_ACCESS_SECONDS)
    except (BadSignature, SignatureExpired):
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    return db.session.get(User, user_id) if isinstance(user_id, int) else None
