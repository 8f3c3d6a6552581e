"""The dashboard page and its CSV files, at /beheer/cijfers."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app import csv_files
from app.dashboard import choice, figures, presentation, scope, tables
from app.errors import NotFound

bp = Blueprint("dashboard", __name__)

# What the address may say; anything else is ignored (and never reaches url_for).
_ASKED = ("periode", "dag", "van", "tot", "groep")


def _board() -> figures.Dashboard:
    chosen = choice.from_args(request.args)
    viewer_scope = scope.for_actor(current_user, request.args.get("groep"))
    return figures.build(viewer_scope, chosen)


@bp.get("/beheer/cijfers")
@login_required
def index() -> str:
    """Community figures for a period and group, against the period before."""
    board = _board()
    period, previous = board.choice.period, board.choice.previous
    return render_template(
        "dashboard/index.html",
        board=board,
        query={key: request.args[key][:100] for key in _ASKED if request.args.get(key)},
        period_text=tables.period_text(period.since, period.until),
        previous_text=tables.period_text(previous.since, previous.until),
        tables=tables.all_tables(board),
        charts=presentation.charts_for(board),
        kinds=list(choice.Kind),
        group_slug=request.args.get("groep", "") if not board.scope.everything else "",
    )


@bp.get("/beheer/cijfers/<name>.csv")
@login_required
def export(name: str) -> Response:
    """One of the dashboard's tables as a CSV file, with exactly the page's cells."""
    board = _board()
    found = tables.all_tables(board).get(name)
    if found is None:
        raise NotFound
    period = board.choice.period
    filename = f"{found.name}-{period.since.isoformat()}-{period.until.isoformat()}.csv"
    return csv_files.download(csv_files.as_text(found.header, found.rows), filename)
