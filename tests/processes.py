"""Helpers for tests that run the app as real server processes: free ports, a database the
processes share, logins with the requests library and Socket.IO pages that collect events."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
import socketio
import sqlalchemy as sa

from app.database import normalise_database_url
from tests.support import PASSWORD

REDIS_URL = os.environ.get("TEST_REDIS_URL", "").strip()
DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
ROOT = Path(__file__).resolve().parents[1]
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def free_port() -> int:
    """A TCP port on loopback that nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def shared_database(instance: Path, name: str) -> Iterator[str]:
    """A database the test process and the servers share, with real commits: a SQLite file,
    or on PostgreSQL a database of its own beside the suite's (whose tests roll back)."""
    if not DATABASE_URL.startswith(("postgres://", "postgresql")):
        yield f"sqlite:///{instance / 'test.db'}"
        return
    suite = sa.make_url(normalise_database_url(DATABASE_URL))
    shared = suite.set(database=f"{suite.database}_{name}_{os.getpid()}")
    admin = sa.create_engine(suite, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{shared.database}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{shared.database}"')
    try:
        yield shared.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{shared.database}" WITH (FORCE)')
        admin.dispose()


def server_env(instance: Path, database_url: str) -> dict[str, str]:
    """The environment of a server process of the tests, with Redis as the message queue."""
    return {
        **os.environ,
        "FLASK_APP": "app",
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "test-secret-key-not-for-production",
        "DATABASE_URL": database_url,
        "SOCKETIO_MESSAGE_QUEUE": REDIS_URL,
        # The SQLite and PostgreSQL passes of `make test` run at the same time on one Redis.
        "SOCKETIO_CHANNEL": f"lotgenoten-test-{os.getpid()}",
        "COOKIE_SECURE": "0",
        "RATELIMIT_ENABLED": "0",
        "PYTHONWARNINGS": "error::DeprecationWarning",
    }


def wait_until_up(url: str, server: subprocess.Popen[str], seconds: float = 30) -> None:
    """Wait until ``url`` answers 200; fail with the server's output when it died."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            output = server.communicate(timeout=5)[0] if server.poll() is not None else ""
            raise AssertionError(f"{url} did not come up: {output}")
        time.sleep(0.2)


class Page:
    """A python-socketio client on one server, collecting what it hears."""

    def __init__(self, url: str, cookies: str = "") -> None:
        self.client = socketio.Client(reconnection=False)
        self.heard: dict[str, list[dict]] = {}
        self.arrived = threading.Event()
        self.client.on("*", self._hear)
        headers = {"Cookie": cookies} if cookies else {}
        self.client.connect(url, headers=headers, transports=["websocket"], wait_timeout=10)

    def _hear(self, event: str, data: dict) -> None:
        self.heard.setdefault(event, []).append(data)
        self.arrived.set()

    def join(self, room: str) -> bool:
        return bool(self.client.call("join", {"room": room}, timeout=10)["ok"])

    def wait_for(self, event: str, seconds: float = 10) -> list[dict]:
        deadline = time.monotonic() + seconds
        while event not in self.heard and time.monotonic() < deadline:
            self.arrived.wait(0.1)
            self.arrived.clear()
        return self.heard.get(event, [])


def cookies_of(browser: requests.Session) -> str:
    """The browser's cookies as one Cookie header."""
    return "; ".join(f"{name}={value}" for name, value in browser.cookies.items())


def csrf_token(browser: requests.Session, url: str) -> str:
    """The CSRF token on the page at ``url``, as a browser would read it."""
    found = CSRF.search(browser.get(url, timeout=10).text)
    assert found, f"no CSRF token on {url}"
    return found.group(1)


def post_form(browser: requests.Session, url: str, page: str, action: str, **form: str) -> str:
    """Submit a form from ``page`` to ``action``; it must redirect. Returns where to."""
    data = {"csrf_token": csrf_token(browser, url + page), **form}
    answer = browser.post(url + action, data=data, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    return str(answer.headers["Location"])


def logged_in(url: str, pseudonym: str) -> requests.Session:
    """A requests session logged in through the login form."""
    browser = requests.Session()
    post_form(browser, url, "/inloggen", "/inloggen", pseudonym=pseudonym, password=PASSWORD)
    return browser
