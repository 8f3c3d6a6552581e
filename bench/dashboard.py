"""Benchmark of the community figures dashboard: a year on a community of 100,000 stories.

    .venv/bin/python -m bench.dashboard [--stories 100000] [--engines sqlite,postgres]
        [--database-url URL] [--runs 5]

It fills a fresh database with a year of activity (the stories, with replies, support
reactions, reads, members, join requests, response clocks and moderation items in
proportion, plus 30% as much in the year before, for the comparison), then renders the whole
dashboard page for the year (figures, comparison, charts and tables) several times as a
content manager, for every group and for one public and one closed group. It prints the
timings; the target is under a second. The PostgreSQL run DROPS AND RECREATES the database it
is given (its name must contain "bench"). A benchmark never fails on a timing.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask_login import login_user
from flask_migrate import upgrade

from app import clock, create_app
from app.accounts.models import SiteRole, User
from app.config import TestConfig
from app.dashboard import daily
from app.dashboard.models import ActivityDay, FigureDay
from app.database import normalise_database_url
from app.extensions import db
from app.groups.models import Group, JoinRequest, Membership, Visibility
from app.guarantee.models import ResponseWatch
from app.stories.models import Reaction, Reply, Story, StoryRead
from bench.search import _recreate_database
from moderation.models import ModerationItem

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/lotgenoten_bench_dashboard"
YEAR = 2025
TARGET_SECONDS = 1.0
BATCH = 20_000
GROUPS = 40
CLOSED_EVERY = 5  # every fifth group is closed
# Per story, on average.
REPLIES, REACTIONS, READS = 3, 5, 10
KINDS = ("recognition", "support", "strength", "thanks")


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _moment(rng: random.Random, year: int) -> datetime:
    start = datetime(year, 1, 1, tzinfo=UTC)
    return start + timedelta(seconds=rng.randrange(365 * 24 * 3600))


def _insert(table: sa.Table, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(sa.insert(table), rows[start : start + BATCH])
    db.session.commit()


def _ids(start: int, count: int) -> Iterator[int]:
    return iter(range(start, start + count))


def fill(stories: int, seed: int = 20) -> None:
    """A year of activity around ``stories`` stories (and 30% more the year before)."""
    rng = random.Random(seed)
    members = max(100, stories // 5)
    say(f"vullen: {GROUPS} groepen, {members} leden …")
    _insert(
        Group.__table__,
        [
            {
                "id": g,
                "slug": f"groep-{g}",
                "name": f"Groep {g}",
                "description": "",
                "house_rules": "",
                "kind": "peer",
                "theme": "geweld",
                "visibility": (
                    Visibility.CLOSED.value if g % CLOSED_EVERY == 0 else Visibility.PUBLIC.value
                ),
                "created_at": datetime(YEAR - 2, 1, 1, tzinfo=UTC),
                "response_target_minutes": 1440,
                "claim_minutes": 120,
            }
            for g in range(1, GROUPS + 1)
        ],
    )
    user_rows = [
        {
            "id": u,
            "pseudonym": f"lid-{u}",
            "pseudonym_key": f"lid-{u}",
            "password_hash": "x",
            "password_changed_at": datetime(YEAR - 2, 1, 1, tzinfo=UTC),
            "role": SiteRole.MEMBER.value,
            "status": "active",
            "warning_filters": {},
            "created_at": datetime(YEAR - 2, 1, 1, tzinfo=UTC),
        }
        for u in range(1, members + 1)
    ]
    user_rows[0]["role"] = SiteRole.CONTENT_MANAGER.value
    _insert(User.__table__, user_rows)
    memberships: list[dict[str, Any]] = []
    for u in range(1, members + 1):
        for g in rng.sample(range(1, GROUPS + 1), rng.randrange(1, 4)):
            memberships.append(
                {
                    "user_id": u,
                    "group_id": g,
                    "role": "member",
                    "created_at": _moment(rng, rng.choice((YEAR - 1, YEAR))),
                }
            )
    _insert(Membership.__table__, memberships)
    # People write in the groups they belong to, and a core of regulars writes most (the
    # 90-9-1 pattern of online communities): weights fall with a member's rank in the group.
    members_of: dict[int, list[int]] = {g: [] for g in range(1, GROUPS + 1)}
    for row in memberships:
        members_of[row["group_id"]].append(row["user_id"])
    weights = {
        g: list(itertools.accumulate(1 / (rank + 1) for rank in range(len(people))))
        for g, people in members_of.items()
    }

    def someone(group_id: int) -> int:
        return rng.choices(members_of[group_id], cum_weights=weights[group_id])[0]

    _insert(
        JoinRequest.__table__,
        [
            {
                "group_id": rng.randrange(1, GROUPS + 1),
                "user_id": rng.randrange(1, members + 1),
                "motivation": "",
                "status": "pending",
                "created_at": _moment(rng, rng.choice((YEAR - 1, YEAR))),
                "decided_by_name": "",
            }
            for _ in range(stories // 12)
        ],
    )
    per_year = {YEAR - 1: int(stories * 0.3), YEAR: stories}
    story_ids = _ids(1, sum(per_year.values()))
    reply_ids = _ids(1, sum(per_year.values()) * REPLIES * 2)
    for year, count in per_year.items():
        say(f"vullen: {count} verhalen in {year}, met reacties, steun en lezingen …")
        story_rows, watch_rows, reply_rows, reaction_rows, read_rows = [], [], [], [], []
        for _ in range(count):
            sid = next(story_ids)
            published = _moment(rng, year)
            group_id = rng.randrange(1, GROUPS + 1)
            story_rows.append(
                {
                    "id": sid,
                    "group_id": group_id,
                    "author_id": someone(group_id),
                    "anonymous": rng.random() < 0.3,
                    "title": "Verhaal",
                    "body_source": "",
                    "body_html": "",
                    "status": "published",
                    "created_at": published,
                    "published_at": published,
                    "reply_count": 0,
                    "read_count": 0,
                    "content_warnings": [],
                    "content_warning_note": "",
                }
            )
            answered = published + timedelta(minutes=rng.randrange(5, 3000))
            watch_rows.append(
                {
                    "story_id": sid,
                    "started_at": published,
                    "target_minutes": 1440,
                    "half_at": published + timedelta(hours=12),
                    "due_at": published + timedelta(hours=24),
                    "answered_at": answered if rng.random() < 0.9 else None,
                }
            )
            for _ in range(rng.randrange(2 * REPLIES + 1)):
                rid = next(reply_ids)
                written = published + timedelta(minutes=rng.randrange(5, 20_000))
                reply_rows.append(
                    {
                        "id": rid,
                        "story_id": sid,
                        "author_id": someone(group_id),
                        "anonymous": rng.random() < 0.2,
                        "body_source": "",
                        "body_html": "",
                        "status": "published",
                        "created_at": written,
                    }
                )
                if rng.random() < 0.5:
                    reaction_rows.append(
                        {
                            "user_id": someone(group_id),
                            "reply_id": rid,
                            "story_id": None,
                            "kind": rng.choice(KINDS),
                            "created_at": written + timedelta(hours=1),
                        }
                    )
            for user_id in {someone(group_id) for _ in range(rng.randrange(2 * REACTIONS))}:
                reaction_rows.append(
                    {
                        "user_id": user_id,
                        "story_id": sid,
                        "reply_id": None,
                        "kind": rng.choice(KINDS),
                        "created_at": published + timedelta(minutes=rng.randrange(1, 20_000)),
                    }
                )
            for reader in range(rng.randrange(2 * READS + 1)):
                day = (published + timedelta(hours=rng.randrange(0, 24 * 60))).date()
                read_rows.append({"story_id": sid, "reader_key": f"r{reader}", "day": day})
        _insert(Story.__table__, story_rows)
        _insert(ResponseWatch.__table__, watch_rows)
        _insert(Reply.__table__, reply_rows)
        _insert(Reaction.__table__, reaction_rows)
        _insert(StoryRead.__table__, read_rows)
        say(
            f"  {len(story_rows)} verhalen, {len(reply_rows)} reacties, "
            f"{len(reaction_rows)} steunbetuigingen, {len(read_rows)} lezingen"
        )
    _insert(
        ModerationItem.__table__,
        [
            {
                "target_type": "story",
                "target_id": n,
                "group_id": rng.randrange(1, GROUPS + 1),
                "priority": 2,
                "status": "decided",
                "created_at": (opened := _moment(rng, rng.choice((YEAR - 1, YEAR)))),
                "due_at": opened + timedelta(hours=24),
                "decided_at": opened + timedelta(hours=rng.randrange(1, 48)),
                "decided_by_name": "",
                "decision": rng.choice(("approve", "remove")),
                "reason": "",
                "rule": "",
                "member_action": "",
                "version": 1,
            }
            for n in range(stories // 8)
        ],
    )


def _analyse() -> None:
    """The statistics a running database keeps up to date by itself."""
    if db.engine.dialect.name == "postgresql":
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql("VACUUM ANALYZE")
    else:
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()


def time_page(app: Flask, query: str, runs: int) -> list[float]:
    """Seconds to render the dashboard page for ``query``, ``runs`` times after a warm-up."""
    from app.dashboard import routes

    timings = []
    for attempt in range(runs + 1):
        with app.test_request_context("/beheer/cijfers" + query):
            login_user(db.session.get(User, 1))
            started = time.perf_counter()
            html = routes.index()
            elapsed = time.perf_counter() - started
            db.session.remove()
        if attempt:
            timings.append(elapsed)
        assert "tabel-per-groep" in html
    return timings


QUERIES = {
    "alle groepen": f"?periode=jaar&dag={YEAR}-06-01",
    "een openbare groep": f"?periode=jaar&dag={YEAR}-06-01&groep=groep-1",
    "een besloten groep": f"?periode=jaar&dag={YEAR}-06-01&groep=groep-{CLOSED_EVERY}",
    "een maand, alle groepen": f"?periode=maand&dag={YEAR}-11-01",
}


def bench_engine(name: str, url: str, stories: int, runs: int, workdir: Path) -> dict[str, float]:
    instance = workdir / name
    instance.mkdir()
    app = create_app(TestConfig(instance, url))
    results: dict[str, float] = {}
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        fill(stories)
        _analyse()
        say(f"{name}: gevuld in {time.perf_counter() - started:.0f} s")
        # What the worker's job does bit by bit: every past day into the daily aggregates.
        started = time.perf_counter()
        with clock.frozen(datetime(YEAR + 1, 1, 15, 12, tzinfo=UTC)):
            days = daily.count_all()
        counting = time.perf_counter() - started
        _analyse()
        results["tellen_per_dag_ms"] = counting / days * 1000
        active_rows = db.session.execute(
            sa.select(sa.func.count()).select_from(ActivityDay)
        ).scalar_one()
        figure_rows = db.session.execute(
            sa.select(sa.func.count()).select_from(FigureDay)
        ).scalar_one()
        print(
            f"{name:10} dagcijfers: {figure_rows} rijen, actieve leden per dag: {active_rows} rijen"
        )
        print(
            f"{name:10} dagen geteld: {days} in {counting:.1f} s "
            f"({counting / days * 1000:.0f} ms per dag)"
        )
        db.session.remove()
    for label, query in QUERIES.items():
        timings = time_page(app, query, runs)
        results[label] = statistics.median(timings)
        print(
            f"{name:10} {label:26} mediaan {statistics.median(timings) * 1000:7.0f} ms   "
            f"traagste {max(timings) * 1000:7.0f} ms   ({runs} keer)"
        )
    with app.app_context():
        db.engine.dispose()
    return results


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    summary: list[str] = [f"stories={args.stories}"]
    print(
        f"Dashboard voor het jaar {YEAR}: {args.stories} verhalen dat jaar "
        f"(+{int(args.stories * 0.3)} het jaar ervoor); doel: onder {TARGET_SECONDS:.0f} s"
    )
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as folder:
        workdir = Path(folder)
        for engine in engines:
            if engine == "sqlite":
                url = f"sqlite:///{workdir / 'dashboard.db'}"
            else:
                url = normalise_database_url(args.database_url)
                try:
                    _recreate_database(url)
                except sa.exc.OperationalError as error:
                    print(f"{engine}: overgeslagen, niet bereikbaar ({error.orig})")
                    continue
            results = bench_engine(engine, url, args.stories, args.runs, workdir)
            worst = max(v for k, v in results.items() if k != "tellen_per_dag_ms")
            verdict = "gehaald" if worst < TARGET_SECONDS else "NIET gehaald"
            print(f"{engine}: traagste mediaan {worst * 1000:.0f} ms, doel {verdict}")
            summary.append(f"{engine}_worst_median_ms={worst * 1000:.0f}")
    print(" ".join(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
