"""Password hashing with argon2id, and the check that a new password is not too guessable."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 128
MIN_SCORE = 3  # zxcvbn: "safely unguessable" for an online attack and a slow hash offline
# zxcvbn's run time grows with length; beyond this a password is strong by length alone.
_STRENGTH_CHECK_CHARS = 64
_SITE_WORDS = ["lotgenoten", "slachtofferhulp", "wachtwoord", "community", "verhaal"]


class PasswordRejected(ValueError):
    """The new password is not acceptable; the message says why."""


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_KIB"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    """Hash ``password`` with argon2id."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Tell whether ``password`` matches ``password_hash``; never raises on a bad hash."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Tell whether the hash was made with other parameters than today's."""
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def waste_time_like_a_verify() -> None:
    """Spend as long as a real verification, so a missing account cannot be told by timing."""
    verify_password(_dummy_hash(), "not-the-password")


def _dummy_hash() -> str:
    cached = current_app.extensions.get("dummy_password_hash")
    if cached is None:
        cached = hash_password("dummy-password-for-timing")
        current_app.extensions["dummy_password_hash"] = cached
    return str(cached)


def check_strength(password: str, user_inputs: list[str]) -> None:
    """Raise ``PasswordRejected`` when the password is too short, too long or too guessable."""
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(str(_l("Kies een wachtwoord van minstens 10 tekens.")))
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(str(_l("Kies een wachtwoord van hoogstens 128 tekens.")))
    inputs = [value for value in [*user_inputs, *_SITE_WORDS] if value]
    result = zxcvbn(password[:_STRENGTH_CHECK_CHARS], user_inputs=inputs)
    if result["score"] < MIN_SCORE:
        raise PasswordRejected(
            str(
                _l(
                    "Dit wachtwoord is te makkelijk te raden. Tip: kies een paar losse woorden "
                    "die niet bij elkaar horen, zoals 'fiets wolk pannenkoek lantaarn'."
                )
            )
        )
