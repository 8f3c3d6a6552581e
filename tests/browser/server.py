"""The app the browser tests serve with ``flask --app tests.browser.server serve``.

The community as ``app:create_app()`` builds it from the environment, with the two
relaxations the rest of the suite has too (``app.config.TestConfig``): staff act without a
second step, and a new member's first post is not held for a moderator.
"""

from __future__ import annotations

from flask import Flask

import app as community


def create_app() -> Flask:
    """The community app for the browser tests."""
    return community.create_app({"STAFF_TWO_FACTOR": False, "MODERATION_NEW_MEMBER_HELD_POSTS": 0})
