"""The Socket.IO namespace: connecting, and joining and leaving rooms.

Request hooks and ``login_required`` do not run for socket events. Every event here builds
its own request context from the handshake, so ``current_user`` is read from the login
session cookie each time: a logout or an expired session counts from the next event on.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask
from flask_login import current_user
from flask_socketio import Namespace, join_room, leave_room

from app.extensions import socketio
from app.realtime import access, rooms

log = logging.getLogger(__name__)


def _room_of(data: Any) -> rooms.Room | None:
    return rooms.parse(data.get("room") if isinstance(data, dict) else None)


class CommunityNamespace(Namespace):
    """The one namespace of the site. Visitors may connect; they can only join rooms of
    stories and groups anyone may read."""

    def on_connect(self, auth: Any = None) -> bool:
        """Accept the connection and enter the member's own rooms."""
        for name in access.joined_on_connect(current_user):
            join_room(name)
        return True

    def on_join(self, data: Any) -> dict[str, bool]:
        """Join one room after the same checks as its page; answers ``{"ok": bool}``."""
        room = _room_of(data)
        if room is None or not access.may_join(current_user, room):
            return {"ok": False}
        join_room(room.name)
        return {"ok": True}

    def on_leave(self, data: Any) -> dict[str, bool]:
        """Leave a room (the page no longer shows it)."""
        room = _room_of(data)
        if room is not None:
            leave_room(room.name)
        return {"ok": True}


def on_error(error: Exception) -> dict[str, bool]:
    """One handler for every failing socket event: log it, answer a refusal."""
    log.exception("socket event failed", exc_info=error)
    return {"ok": False}


def init_app(app: Flask) -> None:
    """Register the namespace and its error handler on the Socket.IO server that
    ``socketio.init_app`` just made for ``app`` (so it must run after that)."""
    assert socketio.server is not None, "socketio.init_app(app) comes first"
    socketio.on_namespace(CommunityNamespace("/"))
    socketio.on_error_default(on_error)
