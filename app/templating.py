"""Jinja set-up: filters for dates in Amsterdam time and values every template may use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from babel import dates
from flask import Flask, current_app, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf

from app import clock, navigation
from app.accounts import sessions


def local_datetime(moment: datetime | None, style: str = "medium") -> str:
    """Format a stored UTC moment in Europe/Amsterdam time, in the reader's language."""
    if moment is None:
        return ""
    # Babel directly, with the zone already known: flask-babel's own format_datetime looks the
    # zone and formats up again on every call, three quarters of the cost, and a story page
    # shows hundreds of moments.
    return str(dates.format_datetime(clock.local(moment), style, locale=get_locale()))


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
