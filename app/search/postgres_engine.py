"""PostgreSQL full-text search (``SEARCH_BACKEND=postgres``): the engine that scales out with
the database, since every web process and machine shares it.

Documents live in ``search_documents`` with a weighted ``tsvector`` (title A, text B, group C,
pseudonym D) under a GIN index, built with the ``lotgenoten_nl`` configuration: Dutch
Snowball stemming and stop words, with ``unaccent`` first (see migration 0006). Queries go
through ``websearch_to_tsquery``; snippets come from ``ts_headline``.

Index writes share the database transaction: the writer upserts documents and marks the
outbox in one commit, under a transaction-level advisory lock so that one writer works at a
time. A rebuild rewrites every row in place (search keeps answering from the rows as they
are) and then removes the rows it did not touch.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.groups.models import Group
from app.search.documents import MARK_END, MARK_START, REPLY, STORY, SearchDocument
from app.search.engine import (
    COUNT_CAP,
    CatchUp,
    Hit,
    HitPage,
    Progress,
    SearchRequest,
    SearchUnavailable,
    SortOrder,
)
from app.search.models import SearchDocumentRow

CONFIG = "lotgenoten_nl"
RANKED_CANDIDATES = 300
# The newest documents in which matches are looked for first: 1/64 of all, then 1/8.
_WINDOWS = (32, 4)
# How often a process looks up where those stretches begin.
_WINDOW_SECONDS = 60.0
_DOCUMENTS = sa.text(
    "SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'search_documents'::regclass"
)
_NEWEST_FROM = sa.text(
    "SELECT published_at FROM search_documents ORDER BY published_at DESC OFFSET :skip LIMIT 1"
)
# pg_advisory lock key for "the search index writer" (an arbitrary, fixed number).
_WRITER_LOCK = 7_315_001
_TITLE_OPTIONS = f"StartSel={MARK_START}, StopSel={MARK_END}, HighlightAll=true"
_BODY_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxFragments=2, MaxWords=35, MinWords=15, "
    'FragmentDelimiter=" … "'
)

_UPSERT = sa.text(
    f"""
    INSERT INTO search_documents (key, kind, story_id, reply_id, group_id, theme, visibility,
        published_at, author_id, warnings, title, body, indexed_at, terms)
    VALUES (:key, :kind, :story_id, :reply_id, :group_id, :theme, :visibility, :published_at,
        :author_id, :warnings, :title, :body, :indexed_at,
        setweight(to_tsvector('{CONFIG}', :title), 'A')
        || setweight(to_tsvector('{CONFIG}', :body), 'B')
        || setweight(to_tsvector('{CONFIG}', :group_name), 'C')
        || setweight(to_tsvector('{CONFIG}', coalesce(:author, '')), 'D'))
    ON CONFLICT (key) DO UPDATE SET kind = EXCLUDED.kind, story_id = EXCLUDED.story_id,
        reply_id = EXCLUDED.reply_id, group_id = EXCLUDED.group_id, theme = EXCLUDED.theme,
        visibility = EXCLUDED.visibility, published_at = EXCLUDED.published_at,
        author_id = EXCLUDED.author_id, warnings = EXCLUDED.warnings, title = EXCLUDED.title,
        body = EXCLUDED.body, indexed_at = EXCLUDED.indexed_at, terms = EXCLUDED.terms
    """  # noqa: S608 - CONFIG is a constant; values are bound parameters
)


def _row(doc: SearchDocument, now: Any) -> dict[str, Any]:
    return {
        "key": doc.key,
        "kind": doc.kind,
        "story_id": doc.story_id,
        "reply_id": doc.reply_id,
        "group_id": doc.group_id,
        "theme": doc.theme,
        "visibility": doc.visibility,
        "published_at": doc.published_at,
        "author_id": doc.author_id,
        "warnings": "," + ",".join(doc.warnings) + ("," if doc.warnings else ""),
        "title": doc.title,
        "body": doc.body,
        "group_name": doc.group_name,
        "author": doc.author_name,
        "indexed_at": now,
    }


_SET_CONFIG = sa.text(
    "SELECT array_agg(current_setting(name) ORDER BY n), "
    "array_agg(set_config(name, value, true) ORDER BY n) "
    "FROM unnest(CAST(:names AS text[]), CAST(:values AS text[])) "
    "WITH ORDINALITY AS s(name, value, n)"
)


def _set_config(names: list[str], values: list[str]) -> list[str]:
    """Set planner settings for the rest of the transaction in one round trip; returns what
    they were."""
    row = db.session.execute(_SET_CONFIG, {"names": names, "values": values}).one()
    return list(row[0])


@contextmanager
def _planner(**settings: str) -> Iterator[None]:
    """Planner settings for the statements inside, back to what they were afterwards (the
    rest of the request keeps the server's own settings)."""
    names = list(settings)
    previous = _set_config(names, [settings[name] for name in names])
    try:
        yield
    finally:
        _set_config(names, previous)


def _page_statement(conditions: str, order: str, outer_order: str) -> sa.TextClause:
    """One page of the newest ``:candidates`` matches in ``order``, with highlights, and how
    many matches there are, counted up to ``:cap`` (``matched``)."""
    return sa.text(
        # Only fixed clauses and the constant CONFIG are put together here; every value
        # travels as a bound parameter.
        f"""
        WITH question AS (SELECT websearch_to_tsquery('{CONFIG}', :q) AS q),
        matches AS MATERIALIZED (
            SELECT d.key, d.published_at, d.terms
            FROM search_documents d
            WHERE {conditions}
            ORDER BY d.published_at DESC, d.key
            LIMIT :cap
        ),
        found AS (
            SELECT c.key, c.published_at, ts_rank(c.terms, question.q, 1) AS rank
            FROM (SELECT * FROM matches ORDER BY published_at DESC, key LIMIT :candidates) c,
                question
            ORDER BY {order}
            LIMIT :limit OFFSET :offset
        )
        SELECT d.key, d.kind, d.story_id, d.reply_id,
            CASE WHEN d.title = '' THEN ''
                ELSE ts_headline('{CONFIG}', d.title, question.q, :title_options) END
                AS title,
            ts_headline('{CONFIG}', d.body, question.q, :body_options) AS snippet,
            (SELECT count(*) FROM matches) AS matched
        FROM found JOIN search_documents d ON d.key = found.key, question
        ORDER BY {outer_order}
        """  # noqa: S608
    )


class PostgresEngine:
    """Search in the ``search_documents`` table."""

    name = "postgres"
    transactional = True

    def __init__(self) -> None:
        self._window_starts: list[datetime] = []
        self._windows_checked: float | None = None

    # -- searching ------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> HitPage:
        if request.query.is_empty or not request.group_ids:
            return HitPage()
        params: dict[str, Any] = {
            "q": request.query.as_websearch(request.match_all),
            "groups": sorted(request.group_ids),
            "limit": request.per_page,
            "offset": (request.page - 1) * request.per_page,
            "title_options": _TITLE_OPTIONS,
            "body_options": _BODY_OPTIONS,
        }
        # The question is written out (not taken from the CTE) so that the planner sees it
        # and can judge how common its words are: index scan by date, or bitmap and sort.
        where = [f"d.terms @@ websearch_to_tsquery('{CONFIG}', :q)", "d.group_id = ANY(:groups)"]
        if request.kind in (STORY, REPLY):
            where.append("d.kind = :kind")
            params["kind"] = request.kind
        if request.theme:
            # A theme belongs to groups: narrowed to those, the group index can be combined
            # with the GIN index instead of reading every match to test its theme.
            themed = set(
                db.session.execute(
                    sa.select(Group.id).where(Group.theme == request.theme)
                ).scalars()
            )
            params["groups"] = sorted(request.group_ids & themed)
            if not params["groups"]:
                return HitPage()
            where.append("d.theme = :theme")
            params["theme"] = request.theme
        if request.since:
            where.append("d.published_at >= :since")
            params["since"] = request.since
        if request.until:
            where.append("d.published_at < :until")
            params["until"] = request.until
        for number, warning in enumerate(sorted(request.hidden_warnings)):
            where.append(f"d.warnings NOT LIKE :warning_{number}")
            params[f"warning_{number}"] = f"%,{warning},%"
        if request.blocked_author_ids:
            where.append("(d.author_id IS NULL OR d.author_id <> ALL(:blocked))")
            params["blocked"] = sorted(request.blocked_author_ids)
        newest = request.sort is SortOrder.NEWEST
        order = "published_at DESC, key" if newest else "rank DESC, published_at DESC, key"
        outer_order = ", ".join(f"found.{part}" for part in order.split(", "))
        # Relevance is ranked among the newest RANKED_CANDIDATES matches only: ranking every
        # match of a common word means reading every one of their tsvectors (measured: 184 ms
        # for a word in a quarter of 100,000 documents, against 18 ms for its newest 1,000).
        params["candidates"] = (
            request.page * request.per_page
            if newest
            else max(RANKED_CANDIDATES, request.page * request.per_page)
        )
        params["cap"] = max(COUNT_CAP, params["candidates"])
        conditions = " AND ".join(where)
        try:
            windows = self._windows()
            # psycopg prepares a statement it sees often, and PostgreSQL then settles on one
            # generic plan for every question: the wrong one for common or for rare words
            # (measured: 0.5–2 s instead of 20–50 ms). Plan each search for its own words,
            # always through the GIN index (see _found), and without JIT compilation, which
            # costs more than these statements take.
            with _planner(
                plan_cache_mode="force_custom_plan",
                enable_seqscan="off",
                enable_indexscan="off",
                jit="off",
            ):
                rows, total = self._found(conditions, params, order, outer_order, windows)
        except sa.exc.SQLAlchemyError as error:
            db.session.rollback()
            raise SearchUnavailable(f"search failed: {type(error).__name__}") from error
        hits = [
            Hit(
                key=row.key,
                kind=row.kind,
                story_id=row.story_id,
                reply_id=row.reply_id,
                title=row.title,
                snippet=row.snippet,
            )
            for row in rows
        ]
        return HitPage(hits=hits, total=total)

    def _found(
        self,
        conditions: str,
        params: dict[str, Any],
        order: str,
        outer_order: str,
        windows: Sequence[datetime],
    ) -> tuple[list[Any], int]:
        """The rows of the page asked for, and how many matches there are (up to the cap).

        Left to itself, PostgreSQL finds the newest matches of a common question by walking
        the date index and testing each document: 300 / share-of-matches rows, 110 ms at
        400,000 documents for a word in 1.6 % of them. Instead the GIN index is combined with
        the date index over the newest 1/64 of the documents, so only the matches there are
        read, then over the newest 1/8. When a stretch holds enough matches for the cap, the
        count is known too; when it holds enough for the page, they are counted apart.
        A question with too few matches even then has few in all: they are all read from the
        GIN index, and counted on the way."""
        windowed = _page_statement(
            f"{conditions} AND d.published_at >= :window", order, outer_order
        )
        for start in windows:
            rows = list(db.session.execute(windowed, {**params, "window": start}))
            matched = rows[0].matched if rows else 0
            if matched >= params["candidates"]:
                total = COUNT_CAP if matched >= COUNT_CAP else self._count(conditions, params)
                return rows, total
        rows = list(db.session.execute(_page_statement(conditions, order, outer_order), params))
        if rows:
            return rows, min(rows[0].matched, COUNT_CAP)
        # An empty page: past the last match, or nothing at all.
        return rows, self._count(conditions, params) if params["offset"] else 0

    def _windows(self) -> list[datetime]:
        """Where the newest 1/64 and 1/8 of the documents begin, looked up once a minute
        per process: only how quickly matches are found depends on it, never which."""
        now = time.monotonic()
        if self._windows_checked is None or now - self._windows_checked > _WINDOW_SECONDS:
            documents = int(db.session.execute(_DOCUMENTS).scalar_one() or 0)
            starts = []
            for share in _WINDOWS:
                skip = documents // share
                start = db.session.execute(_NEWEST_FROM, {"skip": skip}).scalar() if skip else None
                if start is not None:
                    starts.append(start)
            self._window_starts, self._windows_checked = starts, now
        return self._window_starts

    def _count(self, conditions: str, params: dict[str, Any]) -> int:
        """How many documents match, counted up to COUNT_CAP."""
        statement = sa.text(
            f"""
            SELECT count(*) FROM (
                SELECT 1 FROM search_documents d WHERE {conditions} LIMIT :cap
            ) AS matches
            """  # noqa: S608
        )
        return int(db.session.execute(statement, {**params, "cap": COUNT_CAP}).scalar_one())

    def is_ready(self) -> bool:
        try:
            db.session.execute(sa.text(f"SELECT to_tsvector('{CONFIG}', 'proef')")).scalar()
        except sa.exc.SQLAlchemyError:
            db.session.rollback()
            return False
        return True

    def needs_rebuild(self) -> bool:
        """Only when the table is empty while there are stories (a switch of engines)."""
        if db.session.execute(sa.select(SearchDocumentRow.key).limit(1)).first() is not None:
            return False
        return db.session.execute(sa.text("SELECT 1 FROM stories LIMIT 1")).first() is not None

    def document_count(self) -> int:
        return int(
            db.session.execute(
                sa.select(sa.func.count()).select_from(SearchDocumentRow)
            ).scalar_one()
        )

    # -- writing --------------------------------------------------------------------------

    @contextmanager
    def writing(self, wait: float = 0.0) -> Iterator[bool]:
        """One transaction holding the writer's advisory lock; committed at the end."""
        session = db.session()
        if session.in_transaction():
            session.commit()
        lock = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
        try:
            got = session.execute(sa.text(f"SELECT {lock}(:key)"), {"key": _WRITER_LOCK})
            mine = got.scalar() is not False
            yield mine
            session.commit()
        except BaseException:
            session.rollback()
            raise

    def apply(self, documents: Sequence[SearchDocument], removed: Sequence[str]) -> None:
        if removed:
            db.session.execute(
                sa.delete(SearchDocumentRow)
                .where(SearchDocumentRow.key.in_(removed))
                .execution_options(synchronize_session=False)
            )
        if documents:
            now = clock.utcnow()
            db.session.execute(_UPSERT, [_row(doc, now) for doc in documents])

    def rebuild(
        self,
        batches: Iterable[Sequence[SearchDocument]],
        progress: Progress,
        catch_up: CatchUp,
        processes: int = 1,
    ) -> int:
        started = clock.utcnow()
        count = 0
        for batch in batches:
            self.apply(batch, ())
            db.session.commit()
            count += len(batch)
            progress(len(batch))
        with self.writing(wait=120.0):
            db.session.execute(
                sa.delete(SearchDocumentRow)
                .where(SearchDocumentRow.indexed_at < started)
                .execution_options(synchronize_session=False)
            )
            catch_up(self.apply)
        return count
