"""Pages of the response guarantee: the ambassador's queue, claims, the staff dashboard and
the figures."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app import periods, permissions
from app.errors import Conflict
from app.guarantee import figures, queue

bp = Blueprint("guarantee", __name__)

DEFAULT_PERIOD_DAYS = 30


@bp.app_template_filter("time_left")
def time_left_filter(left: timedelta) -> str:
    """ "nog 3 uur" or "2 uur over de tijd", in the reader's language."""
    span = format_timedelta(abs(left), granularity="minute", threshold=1)
    if left > timedelta(0):
        return _("nog %(time)s", time=span)
    return _("%(time)s over de tijd", time=span)


@bp.app_template_filter("duration")
def duration_filter(span: timedelta | None) -> str:
    """A response time such as "3 uur"; a dash when there is none."""
    if span is None:
        return "–"
    return str(format_timedelta(span, granularity="minute", threshold=1))


@bp.get("/wachtrij")
@login_required
def queue_page() -> str:
    """The unanswered stories in the ambassador's groups, least time left first."""
    waiting = queue.ambassador_queue(current_user)
    return render_template(
        "guarantee/queue.html",
        waiting=waiting,
        me=current_user.id,
        ambassador_group_ids=permissions.ambassador_group_ids(current_user),
    )


@bp.post("/wachtrij/<int:story_id>/oppakken")
@login_required
def claim(story_id: int) -> Response:
    """Claim a story and go straight to the reply form."""
    try:
        queue.claim(current_user, story_id)
    except Conflict as taken:
        flash(taken.message, "info")
        return redirect(url_for("guarantee.queue_page"))
    flash(_("Je hebt dit verhaal opgepakt. Andere ambassadeurs zien dat."), "success")
    return redirect(url_for("stories.show", story_id=story_id, _anchor="reageren"))


@bp.post("/wachtrij/<int:story_id>/loslaten")
@login_required
def release(story_id: int) -> Response:
    """Give a claimed story back to the queue."""
    queue.release(current_user, story_id)
    flash(_("Het verhaal staat weer vrij in de wachtrij."), "info")
    return redirect(url_for("guarantee.queue_page"))


@bp.get("/reactiegarantie")
@login_required
def dashboard() -> str:
    """Stories past their response target, for moderators and content managers."""
    overdue = queue.overdue_stories(current_user)
    return render_template("guarantee/dashboard.html", overdue=overdue)


@bp.get("/reactiegarantie/cijfers")
@login_required
def figures_page() -> str:
    """Response times and shares for a period (``van`` and ``tot``, days in Amsterdam time,
    both included) per group and overall."""
    period = periods.from_args(request.args, DEFAULT_PERIOD_DAYS)
    overall, per_group = figures.for_actor(current_user, period.start, period.end)
    return render_template(
        "guarantee/figures.html",
        overall=overall,
        per_group=per_group,
        since=period.since,
        until=period.until,
        may_watch=permissions.can_watch_responses(current_user),
    )
