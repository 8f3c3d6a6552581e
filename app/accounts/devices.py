"""The device cookie: a random token in the browser, so moderators can see when several
accounts log in from one browser (a sign of one person behind them). No IP address, no
description of the device: only a keyed hash of the token and the first and last day."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

import sqlalchemy as sa
from flask import after_this_request, current_app, request
from werkzeug.wrappers import Response

from app import clock
from app.accounts.models import DeviceMark, User
from app.extensions import db

DEVICE_COOKIE = "apparaat"
DEVICE_COOKIE_MAX_AGE = 2 * 365 * 24 * 60 * 60
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _hash(token: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"device:{token}".encode(), hashlib.sha256).hexdigest()


def mark(user: User) -> None:
    """Inside the caller's unit of work: note that ``user`` logged in from this browser,
    giving the browser a device cookie when it has none."""
    token = request.cookies.get(DEVICE_COOKIE, "")
    if not _TOKEN.fullmatch(token):
        token = secrets.token_urlsafe(24)

        @after_this_request
        def _give(response: Response) -> Response:
            response.set_cookie(
                DEVICE_COOKIE,
                token,
                max_age=DEVICE_COOKIE_MAX_AGE,
                secure=bool(current_app.config.get("COOKIE_SECURE", True)),
                httponly=True,
                samesite="Lax",
            )
            return response

    token_hash = _hash(token)
    today = clock.local(clock.utcnow()).date()
    existing = db.session.execute(
        sa.select(DeviceMark).where(
            DeviceMark.user_id == user.id, DeviceMark.token_hash == token_hash
        )
    ).scalar_one_or_none()
    if existing is not None:
        existing.last_seen_on = today
        return
    db.session.add(
        DeviceMark(user_id=user.id, token_hash=token_hash, first_seen_on=today, last_seen_on=today)
    )


def sharing_a_device(user_id: int) -> list[User]:
    """Other accounts that logged in from a browser this account used, by pseudonym."""
    theirs = sa.select(DeviceMark.token_hash).where(DeviceMark.user_id == user_id)
    # Ids first: PostgreSQL cannot compare the JSON columns of whole rows for DISTINCT.
    others = sa.select(DeviceMark.user_id).where(
        DeviceMark.token_hash.in_(theirs), DeviceMark.user_id != user_id
    )
    return list(
        db.session.execute(
            sa.select(User).where(User.id.in_(others)).order_by(User.pseudonym_key)
        ).scalars()
    )
