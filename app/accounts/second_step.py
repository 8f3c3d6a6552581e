"""A login between its two steps: the password was right, the code is still to come.

Only the account id, the "stay logged in" choice, where to go next and when the password was
given are kept, in the signed session cookie, for five minutes.
"""

from __future__ import annotations

import time

from flask import session

from app.accounts.models import User
from app.extensions import db

_KEY = "second_step"
_SECONDS = 300


def hold(user: User, remember: bool, next_url: str | None) -> None:
    """Remember that ``user`` gave the right password just now."""
    session[_KEY] = {
        "user": user.id,
        "remember": remember,
        "next": next_url or "",
        "at": int(time.time()),
    }


def waiting() -> tuple[User, bool, str] | None:
    """The account waiting for its code, whether to stay logged in, and where to go next;
    None when nothing waits (or it waited too long)."""
    held = session.get(_KEY)
    if not isinstance(held, dict):
        return None
    if int(time.time()) - int(held.get("at", 0)) > _SECONDS:
        session.pop(_KEY, None)
        return None
    user = db.session.get(User, int(held.get("user", 0)))
    if user is None or not user.is_active:
        session.pop(_KEY, None)
        return None
    return user, bool(held.get("remember")), str(held.get("next", ""))


def release() -> None:
    """Forget the waiting login (done, or given up)."""
    session.pop(_KEY, None)
