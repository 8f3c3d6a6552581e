"""The figures of ``bench.realtime``: what one run measured, as lines for people and one last
line of ``key=value`` pairs for machines."""

from __future__ import annotations

import argparse
import math
import os
from dataclasses import dataclass, field

KINDS = {"reply": "reactie op een verhaalpagina", "notification": "melding aan een lid"}


@dataclass
class Run:
    """What one run measured."""

    rss_idle_mb: float
    rss_connected_mb: float = 0.0
    rss_peak_mb: float = 0.0
    connected: int = 0
    connect_seconds: float = 0.0
    connect_failures: dict[str, int] = field(default_factory=dict)
    # The measured window: replies posted over HTTP, and the CPU used meanwhile (1.0 = a core).
    post_ms: list[float] = field(default_factory=list)
    post_failed: int = 0
    post_behind_s: float = 0.0
    window_seconds: float = 0.0
    server_cpu: float = 0.0
    clients_cpu: float = 0.0
    # Replies committed in the window, deliveries expected per event kind, latencies in ms.
    replies: int = 0
    expected: dict[str, int] = field(default_factory=dict)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    dropped: int = 0
    server_errors: int = 0

    @property
    def all_latencies(self) -> list[float]:
        return [ms for values in self.latencies.values() for ms in values]


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank ``p``-th percentile, or NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(1, math.ceil(len(ordered) * p / 100)) - 1]


def _ms(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.1f} ms"


def report(run: Run, args: argparse.Namespace, target_p99_ms: float) -> list[str]:
    """The figures as lines for people, and last one line of ``key=value`` pairs."""
    readers = args.clients // 2
    database = "PostgreSQL" if args.database_url else "SQLite"
    queue = "Redis als berichtenwachtrij" if args.redis_url else "zonder berichtenwachtrij"
    server = (
        f"gunicorn, 1 worker met {args.threads} threads (gthread)"
        if args.server == "gunicorn"
        else "flask serve (Werkzeug, een thread per verbinding)"
    )
    expected = sum(run.expected.values())
    delivered = len(run.all_latencies)
    lost = max(0, expected - delivered)
    p50, p95, p99 = (percentile(run.all_latencies, p) for p in (50, 95, 99))
    worst = max(run.all_latencies, default=math.nan)
    per_connection_kb = (
        (run.rss_connected_mb - run.rss_idle_mb) * 1000 / run.connected if run.connected else 0.0
    )
    failures = ", ".join(f"{reason} {count}" for reason, count in run.connect_failures.items())
    lines = [
        f"Realtimebenchmark: {args.clients} clients ({readers} bezoekers op {args.stories} "
        f"verhaalpagina's, {args.clients - readers} leden met hun meldingen), "
        f"{args.rate:g} reacties per seconde gedurende {args.seconds:g} s",
        f"Server: {server}, {database}, {queue}; machine met {os.cpu_count()} kernen",
        f"Verbonden: {run.connected} van {args.clients} in {run.connect_seconds:.1f} s"
        + (f" (mislukt: {failures})" if failures else ""),
        f"Geplaatst: {run.replies} reacties vastgelegd in {run.window_seconds:.1f} s "
        f"({run.replies / run.window_seconds if run.window_seconds else 0:.2f}/s); "
        f"POST p50 {_ms(percentile(run.post_ms, 50))}, p99 {_ms(percentile(run.post_ms, 99))}; "
        f"{run.post_failed} mislukt; hoogstens {run.post_behind_s:.2f} s achter op schema",
        f"Afgeleverd: {delivered} van {expected} verwachte gebeurtenissen ({lost} kwijt of "
        f"later dan de uitlooptijd; {run.dropped} verbindingen verbroken)",
        f"Latentie commit → client: p50 {_ms(p50)}  p95 {_ms(p95)}  p99 {_ms(p99)}  "
        f"(max {_ms(worst)})",
    ]
    for kind, label in KINDS.items():
        values = run.latencies.get(kind, [])
        lines.append(
            f"  {label:<28} {len(values):>6} van {run.expected.get(kind, 0):>6}: "
            f"p50 {_ms(percentile(values, 50))}  p99 {_ms(percentile(values, 99))}"
        )
    lines += [
        f"Geheugen server (RSS): {run.rss_idle_mb:.0f} MB zonder clients, "
        f"{run.rss_connected_mb:.0f} MB met {run.connected} clients "
        f"(≈ {per_connection_kb:.0f} kB per verbinding), piek {run.rss_peak_mb:.0f} MB",
        f"CPU tijdens het meten: server {run.server_cpu * 100:.0f} % van één kern, "
        f"clients {run.clients_cpu * 100:.0f} %",
        f"Fouten (Traceback) in het serverlog: {run.server_errors}",
        f"Doel p99 ≤ {target_p99_ms:.0f} ms: "
        + ("gehaald" if p99 <= target_p99_ms and lost == 0 else "niet gehaald")
        + ("" if lost == 0 else f" ({lost} gebeurtenissen kwijt)"),
        "Niet gemeten: het ophalen over HTTP dat live.js na elke gebeurtenis doet.",
    ]
    machine = {
        "realtime_clients": str(args.clients),
        "realtime_connected": str(run.connected),
        "realtime_rate_per_s": f"{args.rate:g}",
        "realtime_replies": str(run.replies),
        "realtime_expected": str(expected),
        "realtime_delivered": str(delivered),
        "realtime_lost": str(lost),
        "realtime_p50_ms": f"{p50:.1f}",
        "realtime_p95_ms": f"{p95:.1f}",
        "realtime_p99_ms": f"{p99:.1f}",
        "realtime_max_ms": f"{worst:.1f}",
        "realtime_post_p50_ms": f"{percentile(run.post_ms, 50):.1f}",
        "realtime_server_rss_mb": f"{run.rss_peak_mb:.0f}",
        "realtime_server_rss_idle_mb": f"{run.rss_idle_mb:.0f}",
        "realtime_server_cpu_pct": f"{run.server_cpu * 100:.0f}",
        "realtime_server": args.server,
        "realtime_database": database.lower(),
        "realtime_queue": "redis" if args.redis_url else "none",
    }
    lines += ["", " ".join(f"{key}={value}" for key, value in machine.items())]
    return lines
