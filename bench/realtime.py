"""Benchmark of the realtime updates: how long after its commit a new reply reaches open
pages, with many pages open, and how much memory the server needs for them.

    .venv/bin/python -m bench.realtime [--clients 1000] [--rate 5] [--seconds 30]
        [--stories 20] [--server gunicorn|flask] [--database-url URL] [--redis-url URL]

The server under test runs as the README's production set-up does: gunicorn with one gthread
worker (``--threads`` one per open connection, plus some for HTTP) on loopback, on a fresh
SQLite file, or on PostgreSQL with ``--database-url``/``BENCH_DATABASE_URL`` (that database
is DROPPED AND RECREATED; its name must contain "bench"), with Redis as the message queue
when ``--redis-url`` is given. Half of the clients are visitors on story pages (they join
``story:<id>`` as static/js/live.js does and hear ``reply``), half are members whose bell
listens to ``user:<id>`` and who follow a story (they hear ``notification``). They are
python-socketio ``AsyncClient``s over WebSocket, a few hundred per asyncio loop in separate
processes, so that the clients do not set the pace on a small machine.

Replies are posted at a steady rate over HTTP, as a member's browser does, so the commit
happens in the server under test with everything a reply brings (screening, notifications
for the followers, the response clock), and the events go out the way they do in production.
**Commit time**: the server runs as ``bench.realtime_probe:create_app()``, which is the app
plus one SQLAlchemy listener that writes each reply's ``time.time()`` right after its
commit, before the app's own after-commit work sends the events. (The time at which the HTTP
answer arrives would be later than the commit, the reply's ``created_at`` earlier.) Clients
note ``time.time()`` when an event arrives; clients and server share the machine's clock.
**Latency** = arrival − commit. A ``reply`` event names its reply; a ``notification`` is
empty, so the n-th notification of a member is matched to the n-th reply on the story they
follow (events on one connection arrive in order). The first replies warm the server up and
are not counted. Clients do not fetch the reply or the notification afterwards as live.js
does: this measures the push, not the page update.

Progress goes to stderr; the figures go to stdout, ending with one line of ``key=value``
pairs for machines. A benchmark never fails on a timing.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import requests
import sqlalchemy as sa

from app.database import normalise_database_url
from bench import realtime_setup
from bench.realtime_clients import Heard, Pages, Watcher
from bench.realtime_report import Run, report
from bench.search import _recreate_database

TARGET_P99_MS = 250.0
WARM_UP_REPLIES = 10
# Replies arriving later than this after the last post count as lost.
DRAIN_SECONDS = 3.0
_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
_REPLY_ANCHOR = re.compile(r"#reactie-([0-9]+)$")
REPLIES = (
    "Sterkte. Ik herken veel van wat je schrijft.",
    "Wat goed dat je dit deelt. Bij mij duurde het lang voor ik weer rustig sliep.",
    "Je bent niet de enige. Praten met lotgenoten heeft mij erg geholpen.",
    "Dank je voor je verhaal. Ik lees mee en denk aan je.",
)


def say(message: str) -> None:
    """Progress, on stderr so that stdout holds only the figures."""
    print(message, file=sys.stderr, flush=True)


@dataclass
class Posting:
    """What the posters did: HTTP round trips and refusals (the commits are in the log)."""

    round_trips_ms: list[float] = field(default_factory=list)
    failed: int = 0
    latest_start_s: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _poster_session(url: str, cookie: str, story_id: int) -> tuple[str, str]:
    """The session cookie with a form token in it, and that token, as a story page gives."""
    page = requests.get(
        f"{url}/verhalen/{story_id}", headers={"Cookie": f"session={cookie}"}, timeout=30
    )
    token = _CSRF.search(page.text)
    if page.status_code != 200 or token is None:
        raise RuntimeError(f"story page answered {page.status_code} without a form token")
    return page.cookies.get("session") or cookie, token.group(1)


def post_replies(
    url: str, cookies: Sequence[str], story_ids: Sequence[int], rate: float, count: int
) -> Posting:
    """Post ``count`` replies at ``rate`` per second over HTTP, round the stories, one poster
    thread per cookie taking turns (so one slow answer does not hold up the next reply)."""
    done = Posting()
    logins = [_poster_session(url, cookie, story_ids[0]) for cookie in cookies]
    started = time.monotonic() + 0.2

    def poster(number: int) -> None:
        cookie, token = logins[number]
        with requests.Session() as http:
            for n in range(number, count, len(cookies)):
                delay = started + n / rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                began = time.monotonic()
                answer = http.post(
                    f"{url}/verhalen/{story_ids[n % len(story_ids)]}/reageren",
                    data={"csrf_token": token, "body": REPLIES[n % len(REPLIES)]},
                    headers={"Cookie": f"session={cookie}"},
                    allow_redirects=False,
                    timeout=60,
                )
                ok = answer.status_code == 302 and bool(
                    _REPLY_ANCHOR.search(answer.headers.get("Location", ""))
                )
                with done.lock:
                    done.round_trips_ms.append((time.monotonic() - began) * 1000)
                    done.failed += not ok
                    done.latest_start_s = max(done.latest_start_s, -delay)

    threads = [threading.Thread(target=poster, args=(n,)) for n in range(len(cookies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done


def read_commits(path: Path) -> list[tuple[int, int, float]]:
    """The probe's log: (reply id, story id, commit time), in commit order."""
    if not path.exists():
        return []
    rows = [line.split() for line in path.read_text().splitlines() if line.strip()]
    return sorted(((int(r), int(s), float(t)) for r, s, t in rows), key=lambda row: row[2])


def match(
    commits: list[tuple[int, int, float]],
    measured_from: float,
    watchers: Sequence[Watcher],
    connected: set[int],
    story_of: dict[int, int],
    heard: list[Heard],
) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Latencies in ms per event kind, and how many deliveries were expected per kind, for
    the replies committed from ``measured_from`` on (earlier ones only warm up)."""
    replies_of: dict[int, list[tuple[int, float]]] = defaultdict(list)
    committed_at = {}
    for reply, story, moment in commits:
        replies_of[story].append((reply, moment))
        committed_at[reply] = moment
    latencies: dict[str, list[float]] = {"reply": [], "notification": []}
    expected = {"reply": 0, "notification": 0}
    for watcher in watchers:
        if watcher.number not in connected:
            continue
        kind = "reply" if watcher.room.startswith("story:") else "notification"
        expected[kind] += sum(t >= measured_from for _, t in replies_of[story_of[watcher.number]])
    seen: set[tuple[int, int]] = set()
    waiting: dict[int, list[tuple[int, float]]] = {}
    for number, event, reply, arrived in sorted(heard, key=lambda h: h[3]):
        if event == "reply":
            found = committed_at.get(reply)
            if found is None or (number, reply) in seen:
                continue
            seen.add((number, reply))
            moment = found
        else:
            queue = waiting.setdefault(number, list(replies_of[story_of[number]]))
            if not queue or queue[0][1] > arrived:
                continue  # a notification before any reply: not ours
            moment = queue.pop(0)[1]
        if moment >= measured_from:
            latencies[event].append((arrived - moment) * 1000)
    return latencies, expected


class Sampler(threading.Thread):
    """Reads the server's memory every quarter of a second; keeps the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_mb = 0.0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.25):
            self.peak_mb = max(self.peak_mb, realtime_setup.rss_mb(self.pid))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; raises SystemExit on nonsense, as argparse does."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.realtime", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--clients", type=int, default=1000, help="open pages (default 1000)")
    parser.add_argument("--rate", type=float, default=5.0, help="replies per second")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long to post")
    parser.add_argument("--stories", type=int, default=20, help="stories the replies go to")
    parser.add_argument("--posters", type=int, default=5, help="members who post, in turn")
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--server", choices=realtime_setup.SERVERS, default="gunicorn")
    parser.add_argument("--threads", type=int, help="gunicorn threads (default clients + 50)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL") or "")
    parser.add_argument("--redis-url", default="", help="Socket.IO message queue (default none)")
    args = parser.parse_args(argv)
    if args.clients < 2 or args.rate <= 0 or args.seconds <= 0 or args.stories < 1:
        parser.error("need at least two clients, one story, and a positive rate and time")
    if args.posters < 1 or args.client_processes < 1:
        parser.error("need at least one poster and one client process")
    if args.database_url and "bench" not in (sa.make_url(args.database_url).database or ""):
        parser.error("the database is dropped and recreated: its name must contain 'bench'")
    args.threads = args.threads or args.clients + 50
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Seed, serve, connect the clients, post, and print the figures; returns 0 (or 1 when
    the server or the clients could not be started at all)."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-realtime-") as tmp:
        workdir = Path(tmp)
        if args.database_url:
            database_url = normalise_database_url(args.database_url)
            try:
                _recreate_database(database_url)
            except sa.exc.OperationalError as error:
                say(f"PostgreSQL niet bereikbaar: {str(error.orig).strip().splitlines()[0]}")
                return 1
        else:
            database_url = f"sqlite:///{workdir / 'community.db'}"
        env = realtime_setup.server_env(workdir, database_url, args.redis_url or None)
        say(
            f"Community vullen: {args.stories} verhalen, {args.clients - args.clients // 2} "
            f"leden met een login …"
        )
        community = realtime_setup.seed(env, args.clients, args.stories, args.posters)
        port = realtime_setup.free_port()
        url = f"http://127.0.0.1:{port}"
        log = workdir / "server.log"
        say(f"Server starten ({args.server}) op {url} …")
        server = realtime_setup.start_server(args.server, env, port, args.threads, log)
        try:
            if not realtime_setup.wait_until_up(url, server):
                say(log.read_text(errors="replace")[-3000:])
                say("De server kwam niet op.")
                return 1
            run = measure(args, url, community, server, workdir)
        except Exception:
            say("Het serverlog, tot slot:\n" + log.read_text(errors="replace")[-5000:])
            raise
        finally:
            realtime_setup.stop_server(server)
        run.server_errors = log.read_text(errors="replace").count("Traceback")
    for line in report(run, args, TARGET_P99_MS):
        print(line, flush=True)
    return 0


def measure(
    args: argparse.Namespace,
    url: str,
    community: realtime_setup.Community,
    server: subprocess.Popen[bytes],
    workdir: Path,
) -> Run:
    """Connect the clients, warm up, post at the steady rate, and gather what was heard."""
    pid = realtime_setup.serving_pid(args.server, server)
    run = Run(rss_idle_mb=realtime_setup.rss_mb(pid))
    sampler = Sampler(pid)
    sampler.start()
    say(f"{args.clients} clients verbinden ({args.client_processes} processen) …")
    began = time.monotonic()
    with Pages(url, community.watchers, args.client_processes) as pages:
        pages.wait_until_open()
        run.connected = len(pages.connected)
        run.connect_failures = dict(pages.failures)
        run.connect_seconds = time.monotonic() - began
        run.rss_connected_mb = realtime_setup.rss_mb(pid)
        say(f"Verbonden: {run.connected} van {args.clients} in {run.connect_seconds:.1f} s")

        say(f"Opwarmen: {WARM_UP_REPLIES} reacties …")
        post_replies(url, community.posters, community.story_ids, args.rate, WARM_UP_REPLIES)
        time.sleep(1.0)
        measured_from = time.time()
        count = max(1, math.floor(args.rate * args.seconds))
        say(f"Meten: {count} reacties, {args.rate:g} per seconde …")
        cpu_before = realtime_setup.cpu_seconds(pid)
        clients_before = sum(realtime_setup.cpu_seconds(p) for p in pages.pids)
        window = time.monotonic()
        posting = post_replies(url, community.posters, community.story_ids, args.rate, count)
        run.window_seconds = time.monotonic() - window
        run.server_cpu = (realtime_setup.cpu_seconds(pid) - cpu_before) / run.window_seconds
        clients_after = sum(realtime_setup.cpu_seconds(p) for p in pages.pids)
        run.clients_cpu = (clients_after - clients_before) / run.window_seconds
        run.post_ms, run.post_failed = posting.round_trips_ms, posting.failed
        run.post_behind_s = posting.latest_start_s
        time.sleep(DRAIN_SECONDS)
        heard, run.dropped = pages.close()
    sampler.stopped.set()
    run.rss_peak_mb = max(sampler.peak_mb, run.rss_connected_mb)
    commits = read_commits(workdir / "commits.txt")
    run.replies = sum(moment >= measured_from for *_, moment in commits)
    run.latencies, run.expected = match(
        commits, measured_from, community.watchers, pages.connected, community.story_of, heard
    )
    return run


if __name__ == "__main__":
    raise SystemExit(main())
