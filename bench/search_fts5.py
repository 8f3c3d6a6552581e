"""SQLite FTS5 as the reference for the search benchmark: what this machine does with a
full-text index written in C, given the same documents and the same queries.

FTS5 has no Dutch stemming and no stop words (``unicode61 remove_diacritics 2`` only folds
case and accents), so *verhalen* does not find *verhaal* here; the figures show the cost of
the work, not the same results.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from app.search.documents import MARK_END, MARK_START, REPLY, STORY, SearchDocument
from app.search.engine import SearchRequest, SortOrder
from app.search.query_text import ParsedQuery

_CREATE = """
    CREATE VIRTUAL TABLE documents USING fts5(
        title, body,
        key UNINDEXED, kind UNINDEXED, group_id UNINDEXED, theme UNINDEXED,
        published_at UNINDEXED,
        tokenize = "unicode61 remove_diacritics 2"
    )
"""
_INSERT = "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)"
# The title weighs twice the body, as in the Whoosh schema.
_RELEVANCE = "bm25(documents, 2.0, 1.0), published_at DESC"
_NEWEST = "published_at DESC"


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def match_expression(parsed: ParsedQuery, match_all: bool = True) -> str | None:
    """The query in FTS5 MATCH syntax: every word and phrase quoted (so nothing in it is read
    as an operator), joined with AND (or OR), each excluded word taken out with NOT; None
    when there is nothing to look for."""
    parts = [_quoted(word) for word in parsed.words]
    parts += [_quoted(" ".join(phrase)) for phrase in parsed.phrases]
    if not parts:
        return None
    expression = "(" + (" AND " if match_all else " OR ").join(parts) + ")"
    for word in parsed.excluded:
        expression = f"({expression} NOT {_quoted(word)})"
    return expression


class Fts5Index:
    """An FTS5 table of search documents in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.connection.execute("PRAGMA journal_mode = WAL")
        self.connection.execute(_CREATE)

    def add(self, documents: Sequence[SearchDocument]) -> None:
        """Insert ``documents`` in one transaction."""
        rows = (
            (
                doc.title,
                doc.body,
                doc.key,
                doc.kind,
                doc.group_id,
                doc.theme,
                int(doc.published_at.timestamp()),
            )
            for doc in documents
        )
        self.connection.execute("BEGIN")
        self.connection.executemany(_INSERT, rows)
        self.connection.execute("COMMIT")

    def search(self, request: SearchRequest) -> int:
        """Run ``request`` and fetch one page with highlighted title and snippet, as the app's
        engines do; returns the total number of matches."""
        expression = match_expression(request.query, request.match_all)
        if expression is None or not request.group_ids:
            return 0
        groups = sorted(request.group_ids)
        where = [f"group_id IN ({', '.join('?' * len(groups))})"]
        params: list[object] = [expression, *groups]
        if request.kind in (STORY, REPLY):
            where.append("kind = ?")
            params.append(request.kind)
        if request.theme:
            where.append("theme = ?")
            params.append(request.theme)
        order = _NEWEST if request.sort is SortOrder.NEWEST else _RELEVANCE
        conditions = " AND ".join(where)
        # FTS5's ranking and snippet functions cannot share a query with a window function,
        # so the total is counted apart (as the PostgreSQL engine does past page one).
        page = f"""
            SELECT key, kind, highlight(documents, 0, ?, ?),
                snippet(documents, 1, ?, ?, ' … ', 32)
            FROM documents
            WHERE documents MATCH ? AND {conditions}
            ORDER BY {order}
            LIMIT ? OFFSET ?
        """  # noqa: S608 - only fixed clauses and placeholders are put together
        marks = [MARK_START, MARK_END, MARK_START, MARK_END]
        offset = (request.page - 1) * request.per_page
        rows = self.connection.execute(page, [*marks, *params, request.per_page, offset])
        if not rows.fetchall():
            return 0
        count = f"SELECT count(*) FROM documents WHERE documents MATCH ? AND {conditions}"  # noqa: S608
        return int(self.connection.execute(count, params).fetchone()[0])

    def size_mb(self) -> float:
        """The database file's size, in MB."""
        return sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*")) / 1e6

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()
