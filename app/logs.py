"""Log lines: plain text for a developer's terminal, or one JSON object per line
(``LOG_FORMAT=json``) for production's log collector.

What the application logs never holds personal data: no IP addresses, e-mail addresses,
pseudonyms or texts, only ids and what happened. The JSON lines carry no request details for
the same reason.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

_HANDLER_NAME = "lotgenoten"


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, message, and the exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str, style: str) -> None:
    """Set the root logger's level and format (``text`` or ``json``), once per process."""
    root = logging.getLogger()
    root.setLevel(level)
    if any(handler.get_name() == _HANDLER_NAME for handler in root.handlers):
        return
    handler = logging.StreamHandler()
    handler.set_name(_HANDLER_NAME)
    if style == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
