"""Log lines in production: one JSON object each, with nothing about the person."""

from __future__ import annotations

import io
import json
import logging
import sys

from app.logs import JsonFormatter


def _line(record: logging.LogRecord) -> dict:
    return json.loads(JsonFormatter().format(record))


def test_a_log_record_becomes_one_json_object():
    record = logging.LogRecord(
        "app.worker", logging.INFO, __file__, 1, "ronde %s klaar", ("7",), None
    )
    line = _line(record)
    assert line["level"] == "info"
    assert line["logger"] == "app.worker"
    assert line["message"] == "ronde 7 klaar"
    assert line["time"].endswith("+00:00")
    assert set(line) == {"time", "level", "logger", "message"}


def test_an_exception_stays_on_one_line_of_json():
    try:
        raise ValueError("kapot")
    except ValueError:
        record = logging.LogRecord("app", logging.ERROR, __file__, 1, "mislukt", (), sys.exc_info())
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.emit(record)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert "ValueError: kapot" in json.loads(lines[0])["exception"]


def test_text_outside_ascii_is_kept_readable():
    record = logging.LogRecord("app", logging.INFO, __file__, 1, "café ✓", (), None)
    assert "café ✓" in JsonFormatter().format(record)
