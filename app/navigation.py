"""Where to send people next: only ever to a path on this site."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None, fallback_endpoint: str = "home.index") -> str:
    """Return ``target`` if it is a local path, else the URL of ``fallback_endpoint``."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for(fallback_endpoint)
