"""The search page: ``/zoeken``."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from app import permissions, ratelimits
from app.groups.themes import THEMES
from app.search import service
from app.search.engine import SortOrder

bp = Blueprint("search", __name__)

SEARCH_PER_CLIENT = "60 per minute"


@bp.get("/zoeken")
def results() -> tuple[str, int]:
    """Results for ``q`` with the filters in the address; the form alone without ``q``."""
    user = permissions.as_user(current_user)
    key = ratelimits.user_key(user.id) if user else ratelimits.client_key()
    try:
        ratelimits.check("search", SEARCH_PER_CLIENT, key)
    except ratelimits.RateLimited as refused:
        form = service.SearchForm.from_args(request.args)
        outcome = service.Outcome(form=form)
        return render_template(
            "search/results.html",
            outcome=outcome,
            themes=THEMES,
            orders=SortOrder,
            wait_minutes=refused.minutes,
        ), 429
    outcome = service.search(current_user, request.args)
    # Also when search is unavailable: a friendly page, not an error a proxy might replace.
    return render_template(
        "search/results.html", outcome=outcome, themes=THEMES, orders=SortOrder
    ), 200
