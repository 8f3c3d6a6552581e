"""Benchmark of the full-text search: indexing rate and query latency of the Whoosh engine,
the PostgreSQL engine and, as a reference for this machine, SQLite FTS5.

    .venv/bin/python -m bench.search [--stories N] [--replies N] [--queries 200]
        [--engines whoosh,postgres,fts5] [--database-url URL]

The PostgreSQL run DROPS AND RECREATES the database it is given (``--database-url``, else
``BENCH_DATABASE_URL``, else ``lotgenoten_bench`` on 127.0.0.1); its name must contain
"bench". Progress goes to stderr; the figures go to stdout, ending with one line of
``key=value`` pairs for machines. A benchmark never fails on a timing.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.config import TestConfig
from app.database import normalise_database_url
from app.extensions import db
from app.groups.models import Group
from app.search.documents import SearchDocument
from app.search.postgres_engine import PostgresEngine
from app.search.whoosh_engine import WhooshEngine
from bench import search_corpus, search_queries
from bench.search_fts5 import Fts5Index
from bench.search_queries import BenchQuery

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/lotgenoten_bench"
ENGINES = ("whoosh", "postgres", "fts5")
LABELS = {"whoosh": "Whoosh", "postgres": "PostgreSQL", "fts5": "SQLite FTS5 (referentie)"}
BATCH = 1000
# As `flask search reindex` does on this machine.
WHOOSH_PROCESSES = min(4, os.cpu_count() or 1)
# What the search must do on this kind of machine: p95 in ms, indexing in documents/s.
TARGET_P95_MS = {"whoosh": 50.0, "postgres": 20.0}
TARGET_DOCS_PER_S = {"whoosh": 1000.0}


class EngineSkipped(Exception):
    """The engine could not be measured here (for example: no PostgreSQL running)."""


@dataclass
class Measurement:
    """What one engine did with the corpus and the queries."""

    engine: str
    documents: int
    index_seconds: float
    latencies_ms: list[float]
    without_hits: int
    size_mb: float
    cold_ms: list[float]

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.index_seconds if self.index_seconds else 0.0

    def percentile(self, p: float, cold: bool = False) -> float:
        """The nearest-rank ``p``-th percentile of the query times (or of the first, cold,
        run), in ms."""
        ordered = sorted(self.cold_ms if cold else self.latencies_ms)
        return ordered[max(1, math.ceil(len(ordered) * p / 100)) - 1]


def say(message: str) -> None:
    """Progress, on stderr so that stdout holds only the figures."""
    print(message, file=sys.stderr, flush=True)


def batched(
    documents: Sequence[SearchDocument], size: int = BATCH
) -> Iterator[list[SearchDocument]]:
    """``documents`` in lists of ``size``, reporting progress every tenth of the way."""
    step = max(size, len(documents) // 10 // size * size)
    started = time.perf_counter()
    for start in range(0, len(documents), size):
        if start and start % step == 0:
            rate = start / (time.perf_counter() - started)
            say(f"  … {start} van {len(documents)} documenten ({rate:.0f}/s)")
        yield list(documents[start : start + size])


def time_queries(
    label: str, search: Callable[[BenchQuery], int], cases: Sequence[BenchQuery]
) -> tuple[list[float], int, list[float]]:
    """Run every query once to warm up, then once timed; returns the times in ms, how many
    queries found nothing, and the warm-up times (caches still cold). ``search`` returns the
    number of matches."""
    say(f"{label}: {len(cases)} zoekvragen, eerst opwarmen, dan meten …")
    started = time.perf_counter()
    cold: list[float] = []
    for number, case in enumerate(cases, 1):
        began = time.perf_counter()
        search(case)
        cold.append((time.perf_counter() - began) * 1000)
        if number % 50 == 0:
            say(f"  … opwarmen {number}/{len(cases)} ({time.perf_counter() - started:.0f} s)")
    latencies: list[float] = []
    empty = 0
    for number, case in enumerate(cases, 1):
        began = time.perf_counter()
        found = search(case)
        latencies.append((time.perf_counter() - began) * 1000)
        empty += found == 0
        if number % 50 == 0:
            median = sorted(latencies)[number // 2]
            say(f"  … gemeten {number}/{len(cases)} (mediaan tot nu {median:.1f} ms)")
    return latencies, empty, cold


def _folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def bench_whoosh(
    documents: Sequence[SearchDocument], cases: Sequence[BenchQuery], workdir: Path
) -> Measurement:
    """Build a Whoosh index of ``documents`` as a rebuild does, then time the queries."""
    instance = workdir / "whoosh"
    instance.mkdir()
    # Set up as a server would be (configuration, logging); the engine itself needs no app.
    create_app(TestConfig(instance))
    engine = WhooshEngine(instance / "index")
    say(f"Whoosh: {len(documents)} documenten indexeren …")
    started = time.perf_counter()
    added = 0

    def progress(done: int) -> None:
        nonlocal added
        added += done
        if added == len(documents):
            say("Whoosh: alles toegevoegd; de index wordt weggeschreven (commit) …")

    count = engine.rebuild(
        batched(documents), progress, catch_up=lambda write: None, processes=WHOOSH_PROCESSES
    )
    seconds = time.perf_counter() - started
    latencies, empty, cold = time_queries(
        "Whoosh", lambda case: engine.search(case.request).total, cases
    )
    size = _folder_mb(instance / "index")
    return Measurement("whoosh", count, seconds, latencies, empty, size, cold)


def _recreate_database(url: str) -> None:
    """Drop and create the benchmark's own database, from the ``postgres`` database."""
    target = sa.make_url(url)
    name = target.database or ""
    if "bench" not in name:
        raise ValueError(f"refusing to drop database {name!r}: its name must contain 'bench'")
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        admin.dispose()


def bench_postgres(
    corpus: search_corpus.Corpus, cases: Sequence[BenchQuery], workdir: Path, url: str
) -> Measurement:
    """Migrate a fresh database, fill ``search_documents`` in batches as a rebuild does, then
    time the queries; raises EngineSkipped when PostgreSQL cannot be reached."""
    url = normalise_database_url(url)
    documents, groups = corpus.documents, corpus.groups
    try:
        _recreate_database(url)
    except sa.exc.OperationalError as error:
        raise EngineSkipped(
            f"PostgreSQL niet bereikbaar op {sa.make_url(url).render_as_string()}: "
            f"{str(error.orig).strip().splitlines()[0]}"
        ) from error
    instance = workdir / "postgres"
    instance.mkdir()
    app = create_app(TestConfig(instance, url))
    with app.app_context():
        try:
            upgrade()
            # The groups, as the server has them (a theme filter looks its groups up).
            db.session.add_all(
                Group(
                    id=g.id,
                    slug=f"groep-{g.id}",
                    name=g.name,
                    theme=g.theme,
                    visibility=g.visibility,
                )
                for g in groups
            )
            db.session.commit()
            engine = PostgresEngine()
            say(f"PostgreSQL: {len(documents)} documenten indexeren …")
            started = time.perf_counter()
            for batch in batched(documents):
                engine.apply(batch, ())
                db.session.commit()
            seconds = time.perf_counter() - started
            # The steady state autovacuum would reach: statistics, the visibility map, and
            # GIN's pending list merged.
            db.session.commit()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.exec_driver_sql("VACUUM ANALYZE search_documents")
            db.session.execute(
                sa.text("SELECT gin_clean_pending_list('ix_search_documents_terms')")
            )
            size = db.session.execute(
                sa.text("SELECT pg_total_relation_size('search_documents')")
            ).scalar_one()
            db.session.commit()
            latencies, empty, cold = time_queries(
                "PostgreSQL", lambda case: engine.search(case.request).total, cases
            )
        except sa.exc.OperationalError as error:
            raise EngineSkipped(f"PostgreSQL-verbinding verloren: {error.orig}") from error
        finally:
            db.session.remove()
            db.engine.dispose()
    return Measurement("postgres", len(documents), seconds, latencies, empty, size / 1e6, cold)


def bench_fts5(
    documents: Sequence[SearchDocument], cases: Sequence[BenchQuery], workdir: Path
) -> Measurement:
    """Insert ``documents`` into an FTS5 table in one transaction, then time the queries."""
    index = Fts5Index(workdir / "fts5.db")
    try:
        say(f"FTS5: {len(documents)} documenten indexeren …")
        started = time.perf_counter()
        index.add(documents)
        seconds = time.perf_counter() - started
        latencies, empty, cold = time_queries(
            "FTS5", lambda case: index.search(case.request), cases
        )
        return Measurement("fts5", len(documents), seconds, latencies, empty, index.size_mb(), cold)
    finally:
        index.close()


def _times(ratio: float) -> str:
    """A time ratio to the reference, in words: "2.0× zo traag" or "5.0× zo snel"."""
    return f"{ratio:.1f}× zo traag" if ratio >= 1 else f"{1 / ratio:.1f}× zo snel"


def _verdict(met: bool) -> str:
    return "gehaald" if met else "niet gehaald"


def report(
    measured: dict[str, Measurement],
    skipped: dict[str, str],
    corpus: search_corpus.Corpus,
    stories: int,
    queries: int,
) -> list[str]:
    """The figures as lines for people, and last one line of ``key=value`` pairs."""
    groups = len(corpus.groups)
    visible = len(corpus.member_group_ids)
    lines = [
        f"Zoekbenchmark: {len(corpus.documents)} documenten ({stories} verhalen, "
        f"{len(corpus.documents) - stories} reacties), {queries} zoekvragen, "
        f"{visible} van {groups} groepen zichtbaar, 10 treffers per pagina",
    ]
    reference = measured.get("fts5")
    machine: dict[str, str] = {}
    for name in ("fts5", "whoosh", "postgres"):
        if name in skipped:
            lines += ["", f"{LABELS[name]}: overgeslagen — {skipped[name]}"]
            continue
        if name not in measured:
            continue
        m = measured[name]
        p50, p95, p99 = (m.percentile(p) for p in (50, 95, 99))
        lines += [
            "",
            f"{LABELS[name]}:",
            f"  indexeren  {m.documents} documenten in {m.index_seconds:.1f} s "
            f"= {m.docs_per_s:.0f} docs/s; index {m.size_mb:.0f} MB",
            f"  zoeken     p50 {p50:.1f} ms  p95 {p95:.1f} ms  p99 {p99:.1f} ms "
            f"(max {max(m.latencies_ms):.1f} ms; {m.without_hits} zonder treffers)",
            f"  eerste keer p50 {m.percentile(50, cold=True):.1f} ms  "
            f"p95 {m.percentile(95, cold=True):.1f} ms (nog niets in caches)",
        ]
        machine |= {
            f"{name}_index_docs_per_s": f"{m.docs_per_s:.0f}",
            f"{name}_p50_ms": f"{p50:.2f}",
            f"{name}_p95_ms": f"{p95:.2f}",
            f"{name}_p99_ms": f"{p99:.2f}",
            f"{name}_cold_p95_ms": f"{m.percentile(95, cold=True):.2f}",
        }
        if name == "fts5":
            lines.append(
                "  (geen Nederlandse stemming of stopwoorden: alleen hoofdletters en "
                "accenten gelijkgetrokken)"
            )
        elif reference is not None:
            ratio = p95 / reference.percentile(95)
            index_ratio = reference.docs_per_s / m.docs_per_s
            lines.append(f"  t.o.v. FTS5  p95 {_times(ratio)}; indexeren {_times(index_ratio)}")
            machine[f"{name}_fts5_ratio"] = f"{ratio:.2f}"
            machine[f"{name}_fts5_index_ratio"] = f"{index_ratio:.2f}"
        if name in TARGET_P95_MS:
            target = TARGET_P95_MS[name]
            lines.append(f"  doel p95 ≤ {target:.0f} ms: {_verdict(p95 <= target)}")
        if name in TARGET_DOCS_PER_S:
            target = TARGET_DOCS_PER_S[name]
            lines.append(
                f"  doel indexeren ≥ {target:.0f} docs/s: {_verdict(m.docs_per_s >= target)}"
            )
    ran = [name for name in ENGINES if name in measured]
    machine |= {
        "docs": str(len(corpus.documents)),
        "queries": str(queries),
        "engines": ",".join(ran) or "none",
    }
    lines += ["", " ".join(f"{key}={value}" for key, value in machine.items())]
    return lines


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; raises SystemExit on nonsense, as argparse does."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.search", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--replies", type=int, default=300_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--engines", default=",".join(ENGINES), help="comma-separated: " + ", ".join(ENGINES)
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    )
    args = parser.parse_args(argv)
    args.engines = [name.strip() for name in args.engines.split(",") if name.strip()]
    unknown = set(args.engines) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engines: {', '.join(sorted(unknown))}")
    if args.stories < 1 or args.replies < 0 or args.queries < 1:
        parser.error("need at least one story and one query, and no negative counts")
    if "postgres" in args.engines and "bench" not in (
        sa.make_url(args.database_url).database or ""
    ):
        parser.error("the database is dropped and recreated: its name must contain 'bench'")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the corpus, measure each engine asked for, print the figures; returns 0."""
    args = parse_args(argv)
    started = time.perf_counter()
    say(f"Corpus maken: {args.stories} verhalen en {args.replies} reacties …")
    corpus = search_corpus.generate(args.stories, args.replies)
    themes = sorted({group.theme for group in corpus.groups})
    cases = search_queries.queries(args.queries, corpus.member_group_ids, themes)
    say(f"Corpus klaar in {time.perf_counter() - started:.1f} s")
    # The corpus lives as long as the run: keep the collector from walking it again and again.
    gc.collect()
    gc.freeze()

    measured: dict[str, Measurement] = {}
    skipped: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        workdir = Path(tmp)
        # The reference first: it is quick, and the others are compared with it.
        for name in sorted(args.engines, key=("fts5", "whoosh", "postgres").index):
            try:
                if name == "fts5":
                    measured[name] = bench_fts5(corpus.documents, cases, workdir)
                elif name == "whoosh":
                    measured[name] = bench_whoosh(corpus.documents, cases, workdir)
                else:
                    measured[name] = bench_postgres(corpus, cases, workdir, args.database_url)
            except EngineSkipped as reason:
                say(f"{LABELS[name]} overgeslagen: {reason}")
                skipped[name] = str(reason)
    say(f"Klaar in {time.perf_counter() - started:.0f} s")
    # Last of all, so that the key=value line ends the output even with stderr merged in.
    for line in report(measured, skipped, corpus, args.stories, args.queries):
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
