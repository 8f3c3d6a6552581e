"""Static pages: the house rules and the privacy statement."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from app.pages import site_settings
from app.pages.help_lines import help_lines

bp = Blueprint("pages", __name__)


@bp.app_context_processor
def _help_lines() -> dict[str, Any]:
    """Every page's footer names where to get help right now."""
    return {"help_lines": help_lines()}


@bp.get("/huisregels")
def house_rules() -> str:
    """The community's house rules, and where to get help."""
    return render_template(
        "pages/house_rules.html",
        help_lines=help_lines(),
        custom=site_settings.page_html("huisregels"),
    )


@bp.get("/privacy")
def privacy() -> str:
    """What we keep about members, why, and how to leave."""
    return render_template("pages/privacy.html", custom=site_settings.page_html("privacy"))
