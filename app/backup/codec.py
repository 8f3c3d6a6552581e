"""How the archive spells a value: rows as JSON lines, read back by each column's type."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa

BYTES_MARKER = "$base64"
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})

Decode = Callable[[Any], Any]


def encode_row(table: sa.Table, row: sa.RowMapping) -> str:
    """One row as one line of JSON (column name → value), newline included."""
    values = {column.name: row[column] for column in table.columns}
    line = json.dumps(values, ensure_ascii=False, separators=(",", ":"), default=_encode)
    # JSON leaves these raw, but many readers (str.splitlines among them) end a line there.
    return line.translate(_LINE_BREAKS) + "\n"


def row_decoder(table: sa.Table) -> Callable[[str], dict[str, Any]]:
    """A function that turns one line written by ``encode_row`` back into insertable values;
    it raises ValueError (or TypeError) for a line that does not fit ``table``."""
    columns = {column.name: (column.key, _decoder(column.type)) for column in table.columns}

    def decode(line: str) -> dict[str, Any]:
        raw = json.loads(line)
        if not isinstance(raw, dict):
            raise ValueError(f"a row of {table.name} is not a JSON object")
        unknown = raw.keys() - columns.keys()
        if unknown:
            raise ValueError(f"{table.name} has no column {', '.join(sorted(unknown))}")
        values = {}
        for name, value in raw.items():
            key, decode_value = columns[name]
            values[key] = None if value is None else decode_value(value)
        return values

    return decode


def _encode(value: object) -> object:
    if isinstance(value, date | time):  # datetime is a date too
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return {BYTES_MARKER: base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(f"cannot put a {type(value).__name__} in a backup")


def _decoder(type_: sa.types.TypeEngine[Any]) -> Decode:
    # UTCDateTime and friends wrap a plain type; the stored spelling follows that one.
    while isinstance(type_, sa.types.TypeDecorator):
        type_ = type_.impl_instance
    if isinstance(type_, sa.JSON):
        return _same
    if isinstance(type_, sa.DateTime):
        return _datetime
    if isinstance(type_, sa.Date):
        return date.fromisoformat
    if isinstance(type_, sa.Time):
        return time.fromisoformat
    if isinstance(type_, sa.LargeBinary):
        return _bytes
    if isinstance(type_, sa.Numeric) and type_.asdecimal:
        return Decimal
    if isinstance(type_, sa.Uuid) and type_.as_uuid:
        return UUID
    return _same


def _same(value: Any) -> Any:
    return value


def _datetime(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _bytes(value: Mapping[str, str]) -> bytes:
    return base64.b64decode(value[BYTES_MARKER], validate=True)
