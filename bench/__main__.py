"""``python -m bench``: run every benchmark with its default settings."""

from __future__ import annotations

from bench import search


def main() -> int:
    """Run each benchmark in turn; returns the first non-zero exit status, else 0."""
    return search.main([])


if __name__ == "__main__":
    raise SystemExit(main())
