"""``python -m bench [name ...]``: run every benchmark (or the ones named) with its default
settings, one after the other. Each prints its own figures, ending with its own line of
``key=value`` pairs."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from bench import dashboard, realtime, search, web

BENCHMARKS: dict[str, Callable[[list[str]], int]] = {
    "search": search.main,
    "realtime": realtime.main,
    "dashboard": dashboard.main,
    "web": web.main,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks asked for in turn; returns the first non-zero exit status, else 0."""
    names = list(sys.argv[1:] if argv is None else argv) or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(
            f"unknown benchmarks: {', '.join(unknown)}; choose from: {', '.join(BENCHMARKS)}",
            file=sys.stderr,
        )
        return 2
    status = 0
    for name in names:
        result = BENCHMARKS[name]([])
        status = status or result
    return status


if __name__ == "__main__":
    raise SystemExit(main())
