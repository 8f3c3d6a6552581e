"""Moderation figures, and a member's page for moderators (notes, history)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app import clock, periods
from app.errors import ValidationFailed
from moderation import figures, members
from moderation.models import Priority

bp = Blueprint("moderation_figures", __name__)

DEFAULT_PERIOD_DAYS = 30


@bp.get("/moderatie/cijfers")
@login_required
def figures_page() -> str:
    """Moderation figures for a period (``van`` and ``tot``, days in Amsterdam time, both
    included); moderators only."""
    period = periods.from_args(request.args, DEFAULT_PERIOD_DAYS)
    result = figures.figures(current_user, period.start, period.end)
    return render_template(
        "moderation/figures.html",
        f=result,
        since=period.since,
        until=period.until,
        priorities=Priority,
    )


@bp.get("/moderatie/leden/<int:user_id>")
@login_required
def member(user_id: int) -> str:
    """Everything moderators know about a member; the view is written to the audit log."""
    return render_template(
        "moderation/member.html", m=members.overview(current_user, user_id), now=clock.utcnow()
    )


@bp.post("/moderatie/leden/<int:user_id>/notitie")
@login_required
def add_note(user_id: int) -> Response:
    """Add a note about a member for moderators."""
    try:
        members.add_note(current_user, user_id, request.form.get("body", ""))
    except ValidationFailed as refused:
        flash(refused.message, "warning")
    else:
        flash(_("Je notitie is opgeslagen."), "success")
    return redirect(url_for("moderation_figures.member", user_id=user_id, _anchor="notities"))
