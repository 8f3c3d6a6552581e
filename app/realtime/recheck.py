"""Taking open pages out of rooms they may no longer be in, in every process.

Rooms are checked when joined (``access.may_join``). When access changes later (a membership
ends, a role or a block changes, an account is suspended, a story moves), the service
publishes ``access_changed`` to the room of the sockets concerned, usually ``user:<id>``
(``events.publish_access_changed``). Flask-SocketIO keeps rooms per process, so the check
must run in every process: the emit goes through the message queue like any event, and the
client manager of each process (the classes below, made by :func:`manager_for`) handles it
*before* passing it on to its own sockets. For each of its sockets in that room it asks
``access.may_join`` again for every room the socket is in, as the login of that socket's
handshake (so a logged-out or suspended session counts as a visitor), and takes the socket
out of each room it may no longer be in. The page then hears ``access_changed`` and joins
its rooms again; a refused join tells it the story is no longer there for this reader.

python-socketio offers no public hook for "run this in every process"; handling our own event
in ``PubSubManager._handle_emit`` is the one place we reach inside it, and
``tests/realtime/test_scale_out.py`` checks it across two real processes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import socketio
from flask import Flask, g, has_app_context
from flask_login import current_user

from app.realtime import access, rooms
from app.realtime.events import ACCESS_CHANGED

log = logging.getLogger(__name__)

_DEFERRED = "realtime_rechecks"
_REDIS_SCHEMES = {"redis", "rediss", "valkey", "valkeys", "unix"}


def manager_for(message_queue: str | None, channel: str = "flask-socketio") -> socketio.Manager:
    """The client manager for the Socket.IO server: in-process, or on a Redis queue, where
    the processes of one community share ``channel``.

    Raises ValueError for another kind of queue: rechecks would stay within one process.
    """
    if not message_queue:
        return _LocalManager()
    if urlsplit(message_queue).scheme.split("+")[0] in _REDIS_SCHEMES:
        return _RedisManager(message_queue, channel=channel)
    raise ValueError(
        "SOCKETIO_MESSAGE_QUEUE must be a Redis (or Valkey) URL: room checks after an "
        "access change travel through it"
    )


class _LocalManager(socketio.Manager):
    """One process without a queue: check while sending."""

    def emit(self, event: str, data: Any, namespace: str, room: Any = None, **kwargs: Any) -> None:
        if event == ACCESS_CHANGED:
            recheck(self, namespace or "/", kwargs.get("to") or room)
        super().emit(event, data, namespace, room=room, **kwargs)


class _RedisManager(socketio.RedisManager):
    """Several processes on Redis: each checks its own sockets when the event reaches it
    (the sending process first, the others through the queue)."""

    def _handle_emit(self, message: dict[str, Any]) -> None:
        if message.get("event") == ACCESS_CHANGED:
            recheck(self, message.get("namespace") or "/", message.get("room"))
        super()._handle_emit(message)


def recheck(manager: socketio.Manager, namespace: str, room: str | None) -> None:
    """Check again the rooms of this process's sockets in ``room`` (all sockets for None).

    Inside an app context (a request or job that just committed the change) the check waits
    until that context ends, so it never runs in the middle of the caller's transaction.
    """
    sids = [sid for sid, _eio_sid in manager.get_participants(namespace, room)]
    if not sids:
        return
    if has_app_context():
        g.setdefault(_DEFERRED, []).append((manager, namespace, sids))
        return
    _check_sockets(manager, namespace, sids)


def _run_deferred(_error: BaseException | None = None) -> None:
    for manager, namespace, sids in g.pop(_DEFERRED, []):
        _check_sockets(manager, namespace, sids)


def _check_sockets(manager: socketio.Manager, namespace: str, sids: Iterable[str]) -> None:
    for sid in sids:
        try:
            _check_socket(manager, namespace, sid)
        except Exception:
            # Leave the others checked; this socket's next join is checked anyway.
            log.exception("checking the rooms of a socket again failed")


def _check_socket(manager: socketio.Manager, namespace: str, sid: str) -> None:
    environ = manager.server.get_environ(sid, namespace=namespace) if manager.server else None
    if not environ or "flask.app" not in environ:
        return  # disconnected meanwhile
    app: Flask = environ["flask.app"]
    # A fresh app context: its own database session, its own login, as a join event has.
    with app.app_context(), app.request_context(environ):
        for name in _rooms_of(manager, namespace, sid):
            if name == sid:
                continue  # the socket's own room
            room = rooms.parse(name)
            if room is None or not access.may_join(current_user, room):
                manager.leave_room(sid, namespace, name)


def _rooms_of(manager: socketio.Manager, namespace: str, sid: str) -> list[str]:
    # Other threads may join or leave meanwhile; reading the rooms can then fail once.
    for _attempt in range(3):
        try:
            return list(manager.get_rooms(sid, namespace))
        except RuntimeError:
            continue
    return list(manager.get_rooms(sid, namespace))


def init_app(app: Flask) -> None:
    """Run the checks that waited for the end of a request or job."""
    app.teardown_appcontext(_run_deferred)
