"""Logging in, shared by the login page and the JSON API: the limits on attempts, the
password check, and what a suspended member is told."""

from __future__ import annotations

from flask_babel import gettext as _

from app import ratelimits
from app.accounts import services
from app.accounts.models import User
from app.templating import local_datetime


def attempt(pseudonym: str, password: str) -> User:
    """The member whose password this is, within the limits per client and per pseudonym.

    Raises ``ratelimits.RateLimited``, ``services.InvalidCredentials`` or
    ``services.AccountSuspended``.
    """
    ratelimits.check("login", ratelimits.LOGIN_PER_CLIENT, ratelimits.client_key())
    ratelimits.check(
        "login-pseudonym", ratelimits.LOGIN_PER_PSEUDONYM, ratelimits.pseudonym_key(pseudonym)
    )
    return services.authenticate(pseudonym, password)


def wrong_password_message() -> str:
    """What someone with a wrong pseudonym or password is told (never which of the two)."""
    return _("Deze schuilnaam en dit wachtwoord horen niet bij elkaar. Probeer het opnieuw.")


def suspension_message(suspended: services.AccountSuspended) -> str:
    """What a closed or suspended member is told when they try to log in."""
    if suspended.until is None:
        return _(
            "Je account is gesloten door een moderator. Je hebt hierover een bericht gekregen."
        )
    return _(
        "Je account is geschorst tot %(until)s. Daarna kun je weer inloggen.",
        until=local_datetime(suspended.until, "short"),
    )
