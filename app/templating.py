"""Jinja set-up: filters for dates in Amsterdam time and values every template may use."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from babel import Locale, dates
from flask import Flask, current_app, g, has_app_context, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf

from app import clock, navigation
from app.accounts import sessions


def local_datetime(moment: datetime | None, style: str = "medium") -> str:
    """Format a stored UTC moment in Europe/Amsterdam time, in the reader's language."""
    if moment is None:
        return ""
    return _formatted(moment, style, _reader_locale())


def _reader_locale() -> Locale | None:
    """flask-babel's locale, asked once per request: its ``get_locale`` looks through ``g``
    three times on every call, and a list page formats a moment on every card."""
    if not has_app_context():
        return get_locale()
    locale: Locale | None = g.get("_reader_locale")
    if locale is None:
        locale = get_locale()
        g._reader_locale = locale
    return locale


# Every list page shows the same recent moments to every reader, and formatting one costs as
# much as the rest of its story card; the text depends on nothing but the key.
@functools.lru_cache(maxsize=4096)
def _formatted(moment: datetime, style: str, locale: Locale | None) -> str:
    # Babel directly, with the zone already known: flask-babel's own format_datetime looks the
    # zone and formats up again on every call, three quarters of the cost, and a story page
    # shows hundreds of moments.
    return str(dates.format_datetime(clock.local(moment), style, locale=locale))


def iso_datetime(moment: datetime | None) -> str:
    """Machine-readable UTC timestamp for ``<time datetime>``."""
    return clock.as_utc(moment).isoformat() if moment is not None else ""


def init_app(app: Flask) -> None:
    """Register filters and the values shared by all templates."""
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.filters["iso_datetime"] = iso_datetime
    app.jinja_env.autoescape = True

    @app.context_processor
    def _shared() -> dict[str, Any]:
        from app.pages import site_settings

        return {
            "site_name": current_app.config["SITE_NAME"],
            "quick_exit_url": site_settings.quick_exit_url(),
            "current_locale": get_locale().language if get_locale() else "nl",
            "languages": current_app.config["LANGUAGES"],
            "current_path": request.full_path.rstrip("?") if request else "/",
            "csrf_token": generate_csrf,
            "demo_mode": current_app.config["DEMO_MODE"],
            "url_rules": current_app.view_functions,
            "current_session_id": sessions.current_session_id(),
            "work_links": navigation.work_links,
        }
