"""Server-side login sessions on top of Flask-Login.

The signed cookie only carries a random session token; the ``auth_sessions`` row is what makes
a login valid. Logging out deletes the row, so a copied cookie is worthless afterwards. Idle
and absolute timeouts are checked on every request.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from app import clock
from app.accounts import devices
from app.accounts.models import AuthSession, User
from app.database import unit_of_work
from app.extensions import db, login_manager
from app.realtime import events

SESSION_TOKEN_KEY = "sid"  # noqa: S105 (a session key name, not a secret)
# Writing last_seen_at on every request would make every page view a write.
_TOUCH_EVERY = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _lifetimes(remember: bool) -> tuple[timedelta, timedelta]:
    config = current_app.config
    if remember:
        days = timedelta(days=config["REMEMBER_DAYS"])
        return days, days
    return (
        timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
        timedelta(hours=config["SESSION_ABSOLUTE_HOURS"]),
    )


def device_label(user_agent: str) -> str:
    """A coarse, recognisable label for a browser ("Firefox op Linux"), nothing more precise."""
    ua = user_agent.lower()
    browser = next(
        (
            name
            for marker, name in (
                ("edg/", "Edge"),
                ("firefox/", "Firefox"),
                ("chrome/", "Chrome"),
                ("chromium/", "Chromium"),
                ("safari/", "Safari"),
            )
            if marker in ua
        ),
        "Browser",
    )
    system = next(
        (
            name
            for marker, name in (
                ("android", "Android"),
                ("iphone", "iPhone"),
                ("ipad", "iPad"),
                ("windows", "Windows"),
                ("mac os", "macOS"),
                ("linux", "Linux"),
            )
            if marker in ua
        ),
        "",
    )
    return f"{browser} ({system})" if system else browser


def start(user: User, remember: bool, second_factor: bool = False) -> None:
    """Log ``user`` in on this device with a brand-new session (never reuse an old one);
    ``second_factor`` when the login passed two-step verification."""
    now = clock.utcnow()
    _, absolute = _lifetimes(remember)
    token = secrets.token_urlsafe(32)
    locale = session.get("locale")
    with unit_of_work() as db_session:
        db_session.add(
            AuthSession(
                token_hash=_hash(token),
                user_id=user.id,
                created_at=now,
                last_seen_at=now,
                expires_at=now + absolute,
                remember=remember,
                device_label=device_label(request.headers.get("User-Agent", "")),
                second_factor_at=now if second_factor else None,
            )
        )
        devices.mark(user)
    session.clear()
    if locale:
        session["locale"] = locale
    session[SESSION_TOKEN_KEY] = token
    session.permanent = remember
    login_user(user, remember=False, fresh=True)
    # Flask-Login puts a hash of the IP address in the cookie; we keep no trace of it.
    session.pop("_id", None)


def end() -> None:
    """Log out on this device: the session row is deleted, the cookie emptied."""
    token = session.get(SESSION_TOKEN_KEY)
    if token:
        with unit_of_work() as db_session:
            db_session.execute(sa.delete(AuthSession).where(AuthSession.token_hash == _hash(token)))
            if current_user.is_authenticated:
                # Other tabs of this browser still have a page open with this login.
                events.publish_access_changed(current_user.id)
    g.pop("auth_session", None)
    locale = session.get("locale")
    logout_user()
    session.clear()
    if locale:
        session["locale"] = locale


def end_all(user: User, keep_current: bool = False) -> int:
    """End every session of ``user`` (optionally except this one); returns how many ended."""
    statement = sa.delete(AuthSession).where(AuthSession.user_id == user.id)
    token = session.get(SESSION_TOKEN_KEY)
    if keep_current and token:
        statement = statement.where(AuthSession.token_hash != _hash(token))
    with unit_of_work() as db_session:
        result = db_session.execute(statement)
        events.publish_access_changed(user.id)
    return int(getattr(result, "rowcount", 0) or 0)


def end_one(user: User, session_id: int) -> bool:
    """End one login of ``user`` (on another device); False when there was none such."""
    with unit_of_work() as db_session:
        result = db_session.execute(
            sa.delete(AuthSession).where(
                AuthSession.id == session_id, AuthSession.user_id == user.id
            )
        )
    return bool(getattr(result, "rowcount", 0))


def current_session_id() -> int | None:
    """The id of this device's session row, or None when not logged in."""
    row = g.get("auth_session")
    return row.id if row is not None else None


def current_session_verified() -> bool:
    """Tell whether this device's login passed two-step verification."""
    row = g.get("auth_session")
    return row is not None and row.second_factor_at is not None


# The session row and its member in one round trip, built once: this runs on every page a
# member opens, and building and keying the statement cost as much as running it.
_SESSION_AND_USER = (
    sa.select(AuthSession, User)
    .join(User, User.id == AuthSession.user_id)
    .where(AuthSession.token_hash == sa.bindparam("token_hash"))
)


def _load_user(user_id: str) -> User | None:
    token = session.get(SESSION_TOKEN_KEY)
    if not token:
        return None
    found = db.session.execute(_SESSION_AND_USER, {"token_hash": _hash(token)}).one_or_none()
    if found is None or str(found[0].user_id) != user_id:
        session.pop(SESSION_TOKEN_KEY, None)
        return None
    row, user = found
    now = clock.utcnow()
    idle, _ = _lifetimes(row.remember)
    if now >= row.expires_at or now - row.last_seen_at >= idle:
        g.expired_session_id = row.id
        session.pop(SESSION_TOKEN_KEY, None)
        return None
    g.auth_session = row
    if now - row.last_seen_at >= _TOUCH_EVERY:
        g.touch_session_id = row.id
    return user if user.is_active else None


def _after_request(response: Response) -> Response:
    """Record activity or drop an expired session, once the request's own work is done."""
    touch_id = g.pop("touch_session_id", None)
    expired_id = g.pop("expired_session_id", None)
    if touch_id is None and expired_id is None:
        return response
    with unit_of_work() as db_session:
        if touch_id is not None:
            db_session.execute(
                sa.update(AuthSession)
                .where(AuthSession.id == touch_id)
                .values(last_seen_at=clock.utcnow())
            )
        if expired_id is not None:
            db_session.execute(sa.delete(AuthSession).where(AuthSession.id == expired_id))
    return response


def init_app(app: Flask) -> None:
    """Bind Flask-Login to the server-side sessions."""
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    # Our own session rows do this job without hashing IP addresses into the cookie.
    login_manager.session_protection = None
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Log in om verder te gaan.")
    login_manager.login_message_category = "info"
    # The message is a lazy string; turn it into text in the reader's language before flashing.
    login_manager.localize_callback = str
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(days=app.config["REMEMBER_DAYS"])
    app.after_request(_after_request)
