"""Who is asking: the login session's cookie (as on the pages) or a personal access token
(``Authorization: Bearer …``).

A request with a token acts as the token's member and needs no CSRF token; a token with the
read scope may not change anything (403). A cookie-authenticated write must carry the CSRF
token in ``X-CSRF-Token`` (``POST /api/v1/session`` and ``GET /api/v1/session`` give it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf

from app import csrf as csrf_checks
from app.accounts import tokens
from app.accounts.models import User
from app.api import errors
from app.api.errors import ApiError
from app.extensions import csrf
from app.permissions import Actor

F = TypeVar("F", bound=Callable[..., object])

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Bodies larger than this are refused before they are read; a story is 20,000 characters.
MAX_BODY_BYTES = 256 * 1024
_NO_CSRF = "_api_without_csrf"


def without_csrf(view: F) -> F:
    """Mark a view that starts a login (log in, register): there is no token to send yet.
    They accept only ``application/json``, which a form on another site cannot send."""
    setattr(view, _NO_CSRF, True)
    return view


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _space, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise errors.unauthorized(
            _("Stuur je sleutel als Authorization: Bearer gevolgd door de sleutel."),
            "invalid_token",
        )
    return value.strip()


def _authenticate() -> None:
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise ApiError(413, "too_large", str(_("Wat je stuurde is te groot.")))
    request.max_content_length = MAX_BODY_BYTES
    secret = _bearer()
    if secret is not None:
        try:
            user, token = tokens.authenticate(secret)
        except tokens.InvalidToken:
            raise errors.unauthorized(
                _("Deze sleutel werkt niet (meer). Maak een nieuwe op je accountpagina."),
                "invalid_token",
            ) from None
        g.access_token = token
        # The token's member, for this request only: no session is started or changed.
        g._login_user = user
        if request.method in UNSAFE and not token.may_write:
            raise ApiError(
                403,
                "read_only_token",
                _("Deze sleutel mag alleen lezen. Maak een sleutel die ook mag schrijven."),
            )
        return
    if request.method not in UNSAFE or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, _NO_CSRF, False):
        return
    if not current_user.is_authenticated:
        # Nobody is logged in by cookie, so there is nothing to forge: the view answers 401.
        return
    try:
        csrf.protect()
    except CSRFError:
        raise ApiError(
            403,
            "csrf",
            _(
                "Stuur het CSRF-token mee in de kop X-CSRF-Token. Je krijgt het bij het "
                "inloggen, of via GET /api/v1/session."
            ),
        ) from None


def csrf_token() -> str | None:
    """The CSRF token for a cookie login; None for a request with a personal access token."""
    if g.get("access_token") is not None:
        return None
    return str(generate_csrf())


def by_token() -> bool:
    """Tell whether this request came with a personal access token."""
    return g.get("access_token") is not None


def current_actor() -> Actor:
    """The member or visitor behind this request."""
    actor: Actor = current_user._get_current_object()
    return actor


def member() -> User:
    """The logged-in member; raises ApiError 401 for a visitor."""
    if not current_user.is_authenticated:
        raise errors.unauthorized()
    user: User = current_user._get_current_object()
    return user


def api_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under ``/api/v1`` with the API's authentication, CSRF rule and errors."""
    bp = Blueprint(name, import_name, url_prefix="/api/v1")
    csrf_checks.checked_by_blueprint(bp)
    bp.before_request(_authenticate)
    errors.register(bp)
    return bp
