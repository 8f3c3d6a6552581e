"""Helpers for the realtime tests: a person with a browser (HTTP) and an open page (socket)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask_socketio import SocketIOTestClient

from app.accounts.models import User
from app.extensions import socketio
from tests.support import Visitor


@dataclass
class Person:
    """Someone on the site: their browser (``http``) and one open page (``socket``)."""

    http: Visitor
    socket: SocketIOTestClient

    def join(self, room: str) -> bool:
        """Ask to join ``room``; True when the server let the page in."""
        answer = self.socket.emit("join", {"room": room}, callback=True)
        return bool(answer and answer.get("ok"))

    def heard(self) -> list[str]:
        """The names of the events received since the last call."""
        return [event["name"] for event in self.socket.get_received()]

    def events(self, name: str | None = None) -> list[Any]:
        """The payloads received since the last call (of one event name, when given)."""
        received = self.socket.get_received()
        return [event["args"][0] for event in received if name is None or event["name"] == name]


@pytest.fixture
def open_page(app: Flask):
    """Open a page for a visitor, or for ``user`` after logging in with their browser."""
    opened: list[SocketIOTestClient] = []

    def _open(user: User | None = None) -> Person:
        http = Visitor(app.test_client())
        if user is not None:
            http.login(user)
        sock = socketio.test_client(app, flask_test_client=http.client)
        assert sock.is_connected()
        opened.append(sock)
        return Person(http, sock)

    yield _open
    for sock in opened:
        if sock.is_connected():
            sock.disconnect()
