"""Rate-limit keys and limits. No IP address is kept: the limiter sees a keyed hash of it."""

from __future__ import annotations

import hashlib
import hmac
import time

from flask import current_app, request
from flask_limiter import Limiter
from limits import parse_many


def _keyed(value: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:24]


def pseudonym_key(pseudonym: str) -> str:
    """Key a limit on the pseudonym being tried, so one account cannot be hammered."""
    return "p:" + _keyed(pseudonym.strip().casefold())


def user_key(user_id: int) -> str:
    """Key a limit on a logged-in member, whichever device or address they write from."""
    return "u:" + _keyed(str(user_id))


def client_key() -> str:
    """Key a limit on the requesting client without storing its address."""
    return "c:" + _keyed(request.remote_addr or "unknown")


limiter = Limiter(key_func=client_key, default_limits=[])

LOGIN_PER_CLIENT = "10 per minute;50 per hour"
LOGIN_PER_PSEUDONYM = "8 per 15 minutes"
REGISTER_PER_CLIENT = "5 per hour"
RESET_PER_CLIENT = "5 per hour"
STORIES_PER_USER = "10 per hour"
REPLIES_PER_USER = "60 per hour"
EDITS_PER_USER = "60 per hour"


class RateLimited(Exception):
    """Too many attempts; ``retry_after`` says after how many seconds to try again."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after

    @property
    def minutes(self) -> int:
        """The wait rounded to whole minutes, at least one, for messages."""
        return max(1, round(self.retry_after / 60))


def check(name: str, limits_text: str, key: str) -> None:
    """Count one attempt against every limit in ``limits_text``; raise ``RateLimited`` when over.

    Views call this themselves (instead of a decorator) so that a refused form comes back with
    the person's text still in it.
    """
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    strategy = limiter.limiter
    scope = current_app.config.get("RATELIMIT_KEY_PREFIX", "") + name
    for item in parse_many(limits_text):
        if not strategy.hit(item, scope, key):
            stats = strategy.get_window_stats(item, scope, key)
            raise RateLimited(max(1, int(stats.reset_time - time.time()) + 1))
