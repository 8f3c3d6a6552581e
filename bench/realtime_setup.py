"""The community and the server process of ``bench.realtime``: seeding a fresh database
through the app's models and services, starting the server under test, and reading its memory
and CPU time from ``/proc``."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import flask
import requests
from flask.sessions import SecureCookieSessionInterface
from flask_migrate import upgrade

from app import clock, create_app
from app.accounts import passwords, pseudonyms, sessions
from app.accounts.models import SiteRole, User
from app.config import PROJECT_ROOT, Config
from app.extensions import db
from app.groups.models import Group, GroupKind, Membership, Visibility
from app.stories.models import Follow, PostStatus, Story
from bench.realtime_clients import Watcher

SERVERS = ("gunicorn", "flask")
PROBE_APP = "bench.realtime_probe:create_app()"


@dataclass(frozen=True)
class Community:
    """What the benchmark needs to know of the seeded community."""

    story_ids: list[int]
    # Visitors on story pages, then members watching their bell.
    watchers: list[Watcher]
    # Watcher number → the story whose replies reach it (the page's, or the one followed).
    story_of: dict[int, int]
    # Session cookies of the members who post the replies.
    posters: list[str]


def server_env(workdir: Path, database_url: str, redis_url: str | None) -> dict[str, str]:
    """The environment of the server under test (and of the seeding app, so that session
    cookies signed while seeding are valid in the server)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SOCKETIO_MESSAGE_QUEUE", "WEB_CONCURRENCY", "BASE_URL"}
    }
    env |= {
        "FLASK_APP": PROBE_APP,
        "INSTANCE_PATH": str(workdir / "instance"),
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "COOKIE_SECURE": "0",
        # 150 replies from a handful of accounts: far beyond the hourly limit per member.
        "RATELIMIT_ENABLED": "0",
        "LOG_LEVEL": "WARNING",
        "BENCH_COMMIT_LOG": str(workdir / "commits.txt"),
    }
    if redis_url:
        env["SOCKETIO_MESSAGE_QUEUE"] = redis_url
    return env


def seed(env: dict[str, str], clients: int, stories: int, posters: int) -> Community:
    """Migrate a fresh database and fill it: one public group, ``stories`` stories, members
    who each follow one story, and the members who post; every member gets a login session."""
    app = create_app(Config(env))
    with app.app_context():
        upgrade()
        now = clock.utcnow()
        password_hash = passwords.hash_password(secrets.token_urlsafe(16))
        group = Group(
            slug="bench-groep",
            name="Na een inbraak",
            description="Een groep om ervaringen te delen.",
            house_rules="Wees vriendelijk.",
            kind=GroupKind.PEER.value,
            theme="geweld",
            visibility=Visibility.PUBLIC.value,
        )
        db.session.add(group)

        def person(name: str) -> User:
            user = User(
                pseudonym=name,
                pseudonym_key=pseudonyms.key_for(name),
                password_hash=password_hash,
                role=SiteRole.MEMBER.value,
                house_rules_accepted_at=now,
            )
            db.session.add(user)
            return user

        def story(author: User, title: str) -> Story:
            row = Story(
                group_id=group.id,
                author_id=author.id,
                title=title,
                body_source="Het gebeurde op een gewone dinsdag.",
                body_html="<p>Het gebeurde op een gewone dinsdag.</p>",
                status=PostStatus.PUBLISHED.value,
                created_at=now,
                published_at=now,
            )
            db.session.add(row)
            return row

        readers = clients // 2
        writer = person("verteller")
        repliers = [person(f"reageerder-{n}") for n in range(1, posters + 1)]
        members = [person(f"lezer-{n}") for n in range(1, clients - readers + 1)]
        db.session.flush()
        db.session.add_all(
            Membership(user_id=user.id, group_id=group.id) for user in (writer, *repliers, *members)
        )
        told = [story(writer, f"Verhaal {n}: de nacht van de inbraak") for n in range(stories)]
        # An earlier story each, so that screening does not hold a new member's first post.
        for replier in repliers:
            story(replier, "Mijn eerste verhaal")
        db.session.flush()
        story_ids = [row.id for row in told]
        db.session.add_all(
            Follow(story_id=story_ids[n % stories], user_id=member.id)
            for n, member in enumerate(members)
        )
        db.session.commit()

        watchers = [Watcher(n, f"story:{story_ids[n % stories]}") for n in range(readers)]
        story_of = {n: story_ids[n % stories] for n in range(readers)}
        for n, member in enumerate(members):
            number = readers + n
            watchers.append(Watcher(number, f"user:{member.id}", session_cookie(app, member)))
            story_of[number] = story_ids[n % stories]
        poster_cookies = [session_cookie(app, replier) for replier in repliers]
        db.session.remove()
        db.engine.dispose()
    return Community(story_ids, watchers, story_of, poster_cookies)


def session_cookie(app: flask.Flask, user: User) -> str:
    """A login made by the accounts service, as the value of the session cookie."""
    with app.test_request_context("/"):
        sessions.start(user, remember=False)
        serializer = SecureCookieSessionInterface().get_signing_serializer(app)
        assert serializer is not None, "the app has a SECRET_KEY"
        return str(serializer.dumps(dict(flask.session)))


def start_server(
    kind: str, env: dict[str, str], port: int, threads: int, log: Path
) -> subprocess.Popen[bytes]:
    """Start the server under test on loopback: gunicorn with one gthread worker, as the
    README's production set-up, or ``flask serve``."""
    if kind == "gunicorn":
        command = [
            *(sys.executable, "-m", "gunicorn", "-w", "1", "--threads", str(threads)),
            # gthread stops accepting at worker_connections (default 1000).
            *("--worker-connections", str(threads), "--graceful-timeout", "5"),
            *("-b", f"127.0.0.1:{port}", PROBE_APP),
        ]
    else:
        command = [sys.executable, "-m", "flask", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(port)]
    with log.open("wb") as output:
        return subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )


def free_port() -> int:
    """A TCP port on loopback that nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(
    url: str, server: subprocess.Popen[bytes], seconds: float = 60, path: str = "/"
) -> bool:
    """Wait for ``url + path`` (the home page) to answer 200; False when the server died or
    took too long."""
    deadline = time.monotonic() + seconds
    while server.poll() is None and time.monotonic() < deadline:
        try:
            if requests.get(url + path, timeout=5).status_code == 200:
                return True
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.2)
    return False


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop the server under test, and kill it when it does not stop within 20 s."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def serving_pid(kind: str, server: subprocess.Popen[bytes]) -> int:
    """The process that serves the clients: gunicorn's worker, or ``flask serve`` itself."""
    if kind != "gunicorn":
        return server.pid
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def rss_mb(pid: int) -> float:
    """Resident memory of a process (VmRSS) in MB, or 0 when it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / 1e6
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far, in seconds (0 when it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
