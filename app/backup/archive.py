"""Writing and restoring a logical backup: one zip with a manifest and a JSON-lines file per
table, the same whichever database engine wrote it and whichever one reads it back.

The search index (``search_documents``, ``search_outbox``) is left out: it is derived from
the stories and replies, and ``flask search reindex`` builds it again.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app import clock, models
from app.backup.codec import encode_row, row_decoder
from app.extensions import db

FORMAT = 1
MANIFEST = "manifest.json"
BATCH = 1000
LEFT_OUT = frozenset({"search_documents", "search_outbox"})

# What a damaged archive raises while it is read: zip structure, compression, text, JSON and
# the values inside it.
_UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    UnicodeDecodeError,
    ValueError,
    KeyError,
    TypeError,
    ArithmeticError,
)


class ArchiveError(click.ClickException):
    """A backup that cannot be written or restored, explained in Dutch; the commands show it
    as a message, never as a traceback."""


@dataclass(frozen=True)
class Summary:
    """What a backup holds or a restore put back: rows per table, parents before children."""

    revision: str
    rows: Mapping[str, int]

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables, in dependency order."""
        return tuple(self.rows)

    @property
    def total(self) -> int:
        """All rows together."""
        return sum(self.rows.values())


def backed_up_tables() -> list[sa.Table]:
    """Every table a backup holds, each after the tables it refers to."""
    assert models.__all__  # every area's tables are in the metadata
    return [table for table in db.metadata.sorted_tables if table.name not in LEFT_OUT]


def write_backup(path: Path) -> Summary:
    """Write the database to a zip at ``path`` from one consistent snapshot, replacing the
    file only once the backup is complete; raises ArchiveError."""
    session = db.session()
    started = not session.in_transaction()
    try:
        connection = _snapshot(session)
        revision = _revision(connection)
        if revision is None:
            raise ArchiveError(
                "De database heeft nog geen versie: voer eerst `flask db upgrade` uit."
            )
        return _write_zip(connection, path, revision)
    finally:
        if started:
            session.rollback()


def restore_backup(path: Path) -> Summary:
    """Put the backup at ``path`` into this database in one transaction, all or nothing.

    Raises ArchiveError when the archive is missing or damaged, or the database is not empty
    or not at the backup's Alembic revision.
    """
    with _readable(path), zipfile.ZipFile(path) as archive:
        revision, expected = _manifest(archive, path)
        try:
            with db.engine.begin() as connection:
                _check_target(connection, revision, expected)
                rows = _restore_tables(connection, archive, path, expected)
        except sa.exc.SQLAlchemyError as error:
            reason = error.orig if isinstance(error, sa.exc.DBAPIError) else error
            # Only the first line: PostgreSQL's DETAIL line repeats the values of the row.
            first_line = (str(reason).splitlines() or [""])[0]
            raise ArchiveError(f"Herstel mislukt, er is niets veranderd: {first_line}") from error
    return Summary(revision, rows)


def _snapshot(session: Session) -> sa.Connection:
    """The session's connection, in a transaction that sees one moment of the database.

    A transaction that is already open (the caller's, or the test suite's) is joined: the
    backup sees what its owner sees. Otherwise SQLite's transaction reads one snapshot from
    its first read on (WAL mode), and PostgreSQL's is made REPEATABLE READ and read-only.
    """
    bind = session.get_bind()
    joined = session.in_transaction() or (isinstance(bind, sa.Connection) and bind.in_transaction())
    if joined or bind.dialect.name != "postgresql":
        return session.connection()
    connection = session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    connection.exec_driver_sql("SET TRANSACTION READ ONLY")
    return connection


def _revision(connection: sa.Connection) -> str | None:
    """The database's Alembic revision (heads joined by commas), or None before migrations."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    heads = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars()
    return ",".join(sorted(heads)) or None


def _write_zip(connection: sa.Connection, path: Path, revision: str) -> Summary:
    created_at = clock.utcnow()
    try:
        # Owner-only, like instance/secret_key: the archive holds everything people wrote.
        descriptor, partial = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".part", dir=path.parent
        )
    except OSError as error:
        raise ArchiveError(f"Kan {path} niet schrijven: {error.strerror}.") from error
    try:
        with os.fdopen(descriptor, "wb") as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
                rows = {
                    table.name: _write_table(connection, archive, table)
                    for table in backed_up_tables()
                }
                manifest = {
                    "format": FORMAT,
                    "revision": revision,
                    "created_at": created_at.isoformat(),
                    "engine": connection.dialect.name,
                    "tables": rows,
                    "left_out": sorted(LEFT_OUT),
                }
                archive.writestr(MANIFEST, json.dumps(manifest, indent=2) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException as error:
        Path(partial).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise ArchiveError(f"Kan {path} niet schrijven: {error.strerror}.") from error
        raise
    return Summary(revision, rows)


def _write_table(connection: sa.Connection, archive: zipfile.ZipFile, table: sa.Table) -> int:
    """Stream ``table`` in primary-key order into its JSON-lines member; returns its rows."""
    query = sa.select(table).order_by(*table.primary_key.columns).execution_options(yield_per=BATCH)
    count = 0
    member = archive.open(f"tables/{table.name}.jsonl", "w", force_zip64=True)
    with (
        io.TextIOWrapper(member, encoding="utf-8", newline="\n") as out,
        connection.execute(query) as result,
    ):
        for row in result.mappings():
            out.write(encode_row(table, row))
            count += 1
    return count


@contextmanager
def _readable(path: Path) -> Iterator[None]:
    """Turn whatever a missing or damaged archive raises into a Dutch ArchiveError."""
    try:
        yield
    except FileNotFoundError as error:
        raise ArchiveError(f"Het bestand {path} bestaat niet.") from error
    except OSError as error:
        raise ArchiveError(f"Kan {path} niet lezen: {error.strerror}.") from error
    except _UNREADABLE as error:
        raise ArchiveError(
            f"{path} is geen bruikbare reservekopie ({error}). Er is niets hersteld."
        ) from error


def _manifest(archive: zipfile.ZipFile, path: Path) -> tuple[str, dict[str, int]]:
    """The backup's revision and rows per table, checked for shape."""
    if MANIFEST not in archive.namelist():
        raise ArchiveError(f"{path} is geen reservekopie: manifest.json ontbreekt.")
    manifest = json.loads(archive.read(MANIFEST))
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise ArchiveError(
            f"{path} heeft formaat {found!r}; deze versie kan alleen formaat {FORMAT} herstellen."
        )
    revision, tables = manifest.get("revision"), manifest.get("tables")
    if not isinstance(revision, str) or not isinstance(tables, dict):
        raise ArchiveError(f"{path} is beschadigd: manifest.json mist de versie of de tabellen.")
    if not all(isinstance(count, int) for count in tables.values()):
        raise ArchiveError(f"{path} is beschadigd: manifest.json telt de rijen niet goed.")
    return revision, tables


def _check_target(connection: sa.Connection, revision: str, expected: Mapping[str, int]) -> None:
    """Refuse a database at another revision, one that is not empty, or a backup whose tables
    are not this software's."""
    current = _revision(connection)
    if current != revision:
        raise ArchiveError(
            f"De database staat op versie {current or 'geen'}, de reservekopie op versie "
            f"{revision}: breng de lege database eerst op die versie "
            f"(`flask db upgrade {revision}`), herstel, en voer daarna `flask db upgrade` uit."
        )
    filled = [
        table.name
        for table in db.metadata.sorted_tables
        if connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first()
    ]
    if filled:
        raise ArchiveError(
            "De database is niet leeg: herstel kan alleen in een lege database. "
            f"Gevuld: {', '.join(filled[:5])}{' …' if len(filled) > 5 else ''}"
        )
    known = {table.name for table in backed_up_tables()}
    if set(expected) != known:
        odd = sorted(set(expected) ^ known)
        raise ArchiveError(
            "De tabellen in de reservekopie passen niet bij deze versie van de software "
            f"({', '.join(odd)}). Er is niets hersteld."
        )


def _restore_tables(
    connection: sa.Connection, archive: zipfile.ZipFile, path: Path, expected: Mapping[str, int]
) -> dict[str, int]:
    """Insert every table, parents first; then move PostgreSQL's sequences past the ids."""
    rows = {}
    for table in backed_up_tables():
        rows[table.name] = _restore_table(connection, archive, table)
        if rows[table.name] != expected[table.name]:
            raise ArchiveError(
                f"{path} is beschadigd: het aantal rijen van {table.name} klopt niet met "
                "manifest.json. Er is niets hersteld."
            )
    if connection.dialect.name == "postgresql":
        reset_sequences(connection)
    return rows


def _restore_table(connection: sa.Connection, archive: zipfile.ZipFile, table: sa.Table) -> int:
    """Insert the rows of ``table`` in the order they were written (primary key, so a row
    that refers to an earlier row of its own table finds it); returns how many."""
    decode = row_decoder(table)
    count = 0
    member = archive.open(f"tables/{table.name}.jsonl")
    with io.TextIOWrapper(member, encoding="utf-8", newline="\n") as lines:
        while batch := list(islice(lines, BATCH)):
            values: list[dict[str, Any]] = [decode(line) for line in batch]
            connection.execute(sa.insert(table), values)
            count += len(values)
    return count


def reset_sequences(connection: sa.Connection) -> None:
    """Move every serial or identity sequence past the highest restored id (PostgreSQL)."""
    preparer = connection.dialect.identifier_preparer
    for table in db.metadata.sorted_tables:
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, sa.Integer):
            continue
        highest = sa.func.max(key[0])
        sequence = sa.func.pg_get_serial_sequence(preparer.format_table(table), key[0].name)
        # An empty table's sequence starts at 1 again (is_called false); no sequence, no-op.
        connection.execute(
            sa.select(
                sa.func.setval(sequence, sa.func.coalesce(highest, 1), highest.is_not(None))
            ).select_from(table)
        )
