"""CSV files people open in a spreadsheet: safe cells and a download response."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response

# A cell starting with one of these is read as a formula by spreadsheet programs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def as_text(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """The CSV text of ``header`` and ``rows``, every cell made spreadsheet-safe, starting
    with a byte-order mark so spreadsheet programs read it as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([spreadsheet_safe(cell) for cell in header])
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return out.getvalue()


def download(text: str, filename: str) -> Response:
    """A CSV download (``filename`` must be plain ASCII) that is never cached or indexed."""
    response = Response(text, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
