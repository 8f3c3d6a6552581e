"""Benchmark of the pages under load, against the floor of the stack.

    .venv/bin/python -m bench.web [--stories 100000] [--small 10000] [--seconds 10]
        [--clients 16,64] [--workers 1,2] [--database-url URL]

It fills a fresh database with a realistic community (``bench.web_community``: at 100,000
stories 20,000 members, 500,000 replies and 1,000,000 reactions), in PostgreSQL when
``--database-url`` or ``BENCH_DATABASE_URL`` is given (a database with "bench" in its name,
DROPPED AND MADE AGAIN), else in SQLite in a temporary folder. It starts the app under
gunicorn on loopback as the README runs it in production (gthread workers) and drives it with
``wrk`` (Debian's package) for the home page, a group page and a story page with 200 replies,
all as a logged-in member, and posting a reply (the form post, with its moderation checks),
at each number of concurrent clients and with each number of worker processes; plus the
memory of each worker. The floor (``bench.web_floor``: the same primary-key query and a
trivial template) runs beside it under its own gunicorn and is measured right after each page,
because this machine's speed drifts (by a factor of two within a minute, seen here): each
page's share of the floor is taken against the floor measured next to it. The story page
shows the first 50 of its replies, as readers get it. The small community (``--small``) is
measured at 16 clients on one worker, for how latency grows with the data.

Figures go to ``bench/results/web-<engine>.json`` and to the screen, ending with one line of
``key=value`` pairs. A benchmark never fails on a timing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.accounts.models import User
from app.config import PROJECT_ROOT, Config
from app.database import normalise_database_url
from app.extensions import db
from bench import web_community
from bench.realtime_setup import free_port, rss_mb, session_cookie, wait_until_up
from bench.search import _recreate_database

RESULTS = PROJECT_ROOT / "bench" / "results"
LUA = PROJECT_ROOT / "bench" / "wrk" / "load.lua"
WRK = shutil.which("wrk")
THREADS = 8  # gthread threads per worker process
_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
_WRK_JSON = re.compile(r"^WRK_JSON (\{.*\})$", re.MULTILINE)
# Targets of issue 11.
STORY_P99_MS = 100.0
REPLY_P99_MS = 200.0
FLOOR_FRACTION = 0.40
GROWTH = 0.30


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Run:
    """One wrk run: a target at a number of clients and workers."""

    size: int
    target: str
    workers: int
    clients: int
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    requests: int
    errors: int
    # The floor measured right after this page, on the same clients and workers: this
    # machine's speed drifts by a factor of two within minutes, so a page is compared with a
    # floor taken next to it.
    floor_rps: float | None = None


@dataclass
class Results:
    """Everything measured, as written to the JSON file."""

    engine: str
    machine: dict[str, Any]
    settings: dict[str, Any]
    communities: dict[str, dict[str, int]] = field(default_factory=dict)
    runs: list[Run] = field(default_factory=list)
    memory_mb: dict[str, list[float]] = field(default_factory=dict)

    def find(self, size: int, target: str, workers: int, clients: int) -> Run | None:
        for run in self.runs:
            if (run.size, run.target, run.workers, run.clients) == (
                size,
                target,
                workers,
                clients,
            ):
                return run
        return None


def machine() -> dict[str, Any]:
    """What the figures were taken on."""
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    wrk = subprocess.run(  # noqa: S603 (wrk, found on the PATH by main)
        [WRK or "wrk", "--version"], capture_output=True, text=True, check=False
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "wrk": (wrk.stdout or wrk.stderr).split("\n", 1)[0].strip(),
        "date": datetime.now(UTC).date().isoformat(),
    }


def server_env(workdir: Path, database_url: str, secret: str) -> dict[str, str]:
    """The environment of the app under test, and of the seeding app (same secret key, so the
    session cookies made while seeding are valid in the server)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SOCKETIO_MESSAGE_QUEUE", "WEB_CONCURRENCY", "BASE_URL", "FLASK_APP"}
    }
    env |= {
        "INSTANCE_PATH": str(workdir / "instance"),
        "SECRET_KEY": secret,
        "DATABASE_URL": database_url,
        "COOKIE_SECURE": "0",
        # Thousands of replies from 64 accounts in seconds: far beyond the hourly limits,
        # which would answer 429 instead of doing the work being measured.
        "RATELIMIT_ENABLED": "0",
        "LOG_LEVEL": "WARNING",
    }
    return env


def start_gunicorn(
    env: dict[str, str], app_spec: str, workers: int, port: int, log: Path
) -> subprocess.Popen[bytes]:
    """gunicorn with gthread workers on loopback, as the README's production set-up."""
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "gthread"]
    command += ["--threads", str(THREADS), "--graceful-timeout", "5"]
    command += ["-b", f"127.0.0.1:{port}", app_spec]
    with log.open("ab") as output:
        return subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn; kill it when it does not stop within 20 s."""
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def worker_pids(server: subprocess.Popen[bytes], workers: int) -> list[int]:
    """gunicorn's worker processes (the children of its master)."""
    deadline = time.monotonic() + 30
    children: list[str] = []
    while time.monotonic() < deadline:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        if len(children) >= workers:
            break
        time.sleep(0.1)
    return [int(pid) for pid in children]


def wrk(
    url: str, clients: int, seconds: float, headers: Sequence[str], env: dict[str, str]
) -> dict[str, Any]:
    """One wrk run; returns the figures its script printed."""
    command = [WRK or "wrk", "-t", str(min(2, clients)), "-c", str(clients), "-d", f"{seconds:g}s"]
    command += ["--timeout", "10s", "-s", str(LUA)]
    for header in headers:
        command += ["-H", header]
    done = subprocess.run(  # noqa: S603 (wrk with our own arguments)
        [*command, url], capture_output=True, text=True, env=env, check=True
    )
    found = _WRK_JSON.search(done.stdout)
    if not found:
        raise RuntimeError(f"wrk printed no figures: {done.stdout} {done.stderr}")
    return dict(json.loads(found.group(1)))


@dataclass(frozen=True)
class Target:
    """What one wrk run asks for; ``settle`` is a cheap address of the same server."""

    name: str
    path: str
    post: bool = False
    settle: str = "/healthz"


def settle(url: str, seconds: float = 120) -> None:
    """Wait until the server has worked off what the last run left queued (wrk stops
    waiting at the end of a run, the server does not): a cheap request answers quickly."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        with contextlib.suppress(requests.RequestException):
            requests.get(url, timeout=seconds)
        if time.monotonic() - started < 0.25:
            return


def targets(community: web_community.Community) -> list[Target]:
    return [
        Target("home", "/"),
        Target("group", f"/groepen/{community.group_slug}"),
        Target("story", f"/verhalen/{community.showcase_story_id}"),
        Target("reply", f"/verhalen/{community.reply_story_id}/reageren", post=True),
    ]


def login_cookies(env: dict[str, str], user_ids: Sequence[int]) -> list[str]:
    """A login session for each user, made by the accounts service; cookie header values."""
    app = create_app(Config(env))
    with app.app_context():
        users = [db.session.get(User, user_id) for user_id in user_ids]
        cookies = [f"session={session_cookie(app, user)}" for user in users if user is not None]
        db.session.remove()
        db.engine.dispose()
    return cookies


def posters_file(url: str, path: str, cookies: Sequence[str], workdir: Path) -> Path:
    """Each poster's cookie and CSRF token, as a browser has them after opening the story."""
    lines = []
    for cookie in cookies:
        page = requests.get(url + path, headers={"Cookie": cookie}, timeout=30)
        token = _CSRF.search(page.text)
        if page.status_code != 200 or not token:
            raise RuntimeError(f"no reply form for a poster: {page.status_code}")
        session = page.cookies.get("session") or cookie.removeprefix("session=")
        lines.append(f"session={session}\t{token.group(1)}")
    posters = workdir / "posters.tsv"
    posters.write_text("\n".join(lines) + "\n")
    return posters


def measure(
    results: Results,
    size: int,
    url: str,
    target: Target,
    workers: int,
    clients: int,
    seconds: float,
    reader_cookie: str,
    posters: Path,
) -> Run:
    """Warm up, then one measured wrk run, added to ``results`` and returned."""
    env = {**os.environ}
    headers: list[str] = []
    if target.post:
        env |= {"BENCH_POSTERS": str(posters), "BENCH_PATH": target.path}
    elif reader_cookie:
        headers.append(f"Cookie: {reader_cookie}")
    settle(url + target.settle)
    wrk(url + target.path, clients, min(3.0, seconds), headers, env)
    settle(url + target.settle)
    figures = wrk(url + target.path, clients, seconds, headers, env)
    errors = sum(
        figures[key]
        for key in ("connect_errors", "read_errors", "write_errors", "timeouts", "status_errors")
    )
    run = Run(
        size=size,
        target=target.name,
        workers=workers,
        clients=clients,
        rps=round(figures["requests"] / (figures["duration_us"] / 1e6), 1),
        p50_ms=round(figures["p50_us"] / 1000, 1),
        p90_ms=round(figures["p90_us"] / 1000, 1),
        p99_ms=round(figures["p99_us"] / 1000, 1),
        max_ms=round(figures["max_us"] / 1000, 1),
        requests=figures["requests"],
        errors=errors,
    )
    results.runs.append(run)
    print(
        f"{size:>7} {target.name:6} w={workers} c={clients:<3} {run.rps:8.1f} req/s   "
        f"p50 {run.p50_ms:7.1f} ms   p99 {run.p99_ms:7.1f} ms"
        + (f"   {errors} fouten" if errors else ""),
        flush=True,
    )
    return run


def bench_size(
    results: Results,
    size: int,
    database_url: str,
    workdir: Path,
    workers_list: Sequence[int],
    clients_list: Sequence[int],
    seconds: float,
) -> None:
    """Fill a community of ``size`` stories and measure every target on it."""
    secret = secrets.token_hex(32)
    env = server_env(workdir, database_url, secret)
    app = create_app(Config(env))
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        community = web_community.fill(size)
        say(f"gevuld in {time.perf_counter() - started:.0f} s")
        db.session.remove()
        db.engine.dispose()
    results.communities[str(size)] = {
        "stories": community.stories,
        "replies": community.replies,
        "reactions": community.reactions,
        "members": community.members,
    }
    reader_cookie, *poster_cookies = login_cookies(
        env, [community.reader_id, *community.poster_ids]
    )
    log = workdir / "gunicorn.log"
    showcase = f"/verhalen/{community.showcase_story_id}"
    for workers in workers_list:
        port, floor_port = free_port(), free_port()
        url, floor_url = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{floor_port}"
        server = start_gunicorn({**env, "FLASK_APP": "app"}, "app:create_app()", workers, port, log)
        floor = start_gunicorn(env, "bench.web_floor:create_app()", workers, floor_port, log)
        floor_target = Target("floor", showcase, settle=showcase)
        try:
            if not wait_until_up(url, server):
                raise RuntimeError(f"gunicorn did not start: {log.read_text()[-2000:]}")
            if not wait_until_up(floor_url + showcase, floor, path=""):
                raise RuntimeError(f"the floor did not start: {log.read_text()[-2000:]}")
            reply_page = f"/verhalen/{community.reply_story_id}"
            posters = posters_file(url, reply_page, poster_cookies, workdir)
            for clients in clients_list:
                for target in targets(community):
                    page = measure(
                        results,
                        size,
                        url,
                        target,
                        workers,
                        clients,
                        seconds,
                        reader_cookie,
                        posters,
                    )
                    if not target.post:
                        page.floor_rps = _floor_next_to(
                            floor_url, floor_target, workers, clients, seconds
                        )
                measure(
                    results, size, floor_url, floor_target, workers, clients, seconds, "", Path()
                )
            results.memory_mb[f"{size}/w{workers}"] = [
                round(rss_mb(pid), 1) for pid in worker_pids(server, workers)
            ]
        finally:
            stop(server)
            stop(floor)


def _floor_next_to(url: str, target: Target, workers: int, clients: int, seconds: float) -> float:
    """The floor's requests per second, measured now (not kept as a run of its own)."""
    settle(url + target.settle)
    figures = wrk(url + target.path, clients, seconds, [], dict(os.environ))
    rps = round(figures["requests"] / (figures["duration_us"] / 1e6), 1)
    print(f"{'':>7} {'floor':6} w={workers} c={clients:<3} {rps:8.1f} req/s   (naast de pagina)")
    return rps


def verdicts(results: Results, full: int, small: int) -> tuple[list[str], dict[str, float]]:
    """The targets of the issue, each with its figure and whether it was met."""
    lines, figures = [], {}
    story = results.find(full, "story", 1, 16)
    reply = results.find(full, "reply", 1, 16)
    if story:
        figures["story_p99_ms"] = story.p99_ms
        lines.append(_verdict("story p99, 16 clients, 1 worker", story.p99_ms, STORY_P99_MS, "ms"))
    if reply:
        figures["reply_p99_ms"] = reply.p99_ms
        lines.append(_verdict("reply p99, 16 clients, 1 worker", reply.p99_ms, REPLY_P99_MS, "ms"))
    worst = 1.0
    for run in results.runs:
        if run.size != full or run.target in {"floor", "reply"}:
            continue
        floor = results.find(full, "floor", run.workers, run.clients)
        floor_rps = run.floor_rps or (floor.rps if floor else 0.0)
        if floor_rps:
            fraction = run.rps / floor_rps
            figures[f"{run.target}_w{run.workers}_c{run.clients}_floor"] = round(fraction, 2)
            worst = min(worst, fraction)
    lines.append(
        f"slowest page as a fraction of the floor: {worst:.2f} "
        f"(target ≥ {FLOOR_FRACTION:.2f}: {'met' if worst >= FLOOR_FRACTION else 'NOT met'})"
    )
    figures["worst_floor_fraction"] = round(worst, 2)
    growth_worst = 0.0
    for name in ("home", "group", "story", "reply"):
        before, after = results.find(small, name, 1, 16), results.find(full, name, 1, 16)
        if before and after and before.p50_ms:
            growth = after.p50_ms / before.p50_ms - 1
            figures[f"{name}_growth"] = round(growth, 2)
            growth_worst = max(growth_worst, growth)
    figures["worst_growth"] = round(growth_worst, 2)
    lines.append(
        f"largest p50 growth from {small} to {full} stories: {growth_worst:+.0%} "
        f"(target ≤ {GROWTH:+.0%}: {'met' if growth_worst <= GROWTH else 'NOT met'})"
    )
    return lines, figures


def _verdict(label: str, value: float, limit: float, unit: str) -> str:
    met = "met" if value <= limit else "NOT met"
    return f"{label}: {value:.1f} {unit} (target ≤ {limit:.0f} {unit}: {met})"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", default="16,64")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--out", type=Path, default=RESULTS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if WRK is None:
        print("wrk is not installed (Debian: apt-get install wrk); nothing measured")
        print("web_skipped=1")
        return 0
    clients = [int(n) for n in args.clients.split(",") if n.strip()]
    workers = [int(n) for n in args.workers.split(",") if n.strip()]
    engine = "postgres" if args.database_url else "sqlite"
    results = Results(
        engine=engine,
        machine=machine(),
        settings={
            "seconds": args.seconds,
            "gunicorn": f"gthread, {THREADS} threads per worker",
            "wrk_threads": 2,
            "pages_as": "a logged-in member",
        },
    )
    print(f"Pagina's onder belasting ({engine}, {results.machine['cores']} kernen)")
    sizes = [(args.small, [1], [16]), (args.stories, workers, clients)]
    with tempfile.TemporaryDirectory(prefix="bench-web-") as folder:
        for size, size_workers, size_clients in sizes:
            workdir = Path(folder) / str(size)
            (workdir / "instance").mkdir(parents=True)
            if engine == "postgres":
                url = normalise_database_url(args.database_url)
                try:
                    _recreate_database(url)
                except sa.exc.OperationalError as error:
                    print(f"PostgreSQL niet bereikbaar ({error.orig}); niets gemeten")
                    print("web_skipped=1")
                    return 0
            else:
                url = f"sqlite:///{workdir / 'web.db'}"
            bench_size(results, size, url, workdir, size_workers, size_clients, args.seconds)
    lines, figures = verdicts(results, args.stories, args.small)
    for line in lines:
        print(line)
    for key, memory in results.memory_mb.items():
        print(f"memory per worker ({key}): {', '.join(f'{mb:.0f} MB' for mb in memory)}")
    args.out.mkdir(parents=True, exist_ok=True)
    written = args.out / f"web-{engine}.json"
    payload = {**asdict(results), "verdicts": lines, "figures": figures}
    written.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(f"written to {written.relative_to(PROJECT_ROOT)}")
    summary = {"engine": engine, **figures}
    for run in results.runs:
        if run.size == args.stories:
            key = f"{run.target}_w{run.workers}_c{run.clients}"
            summary[f"{key}_rps"] = run.rps
            summary[f"{key}_p99_ms"] = run.p99_ms
    print(" ".join(f"{key}={value}" for key, value in summary.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
