"""The page where members download everything the server holds about them."""

from __future__ import annotations

import io

from flask import Blueprint, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app import ratelimits
from app.accounts import data_export

bp = Blueprint("data_export", __name__)

EXPORTS_PER_ACCOUNT = "3 per day"


@bp.get("/account/mijn-gegevens")
@login_required
def page() -> str:
    """Ask for the file; download files made in the last week."""
    return render_template(
        "accounts/data_export.html",
        exports=data_export.exports_of(current_user),
        days=data_export.EXPORT_DAYS,
    )


@bp.post("/account/mijn-gegevens")
@login_required
def ask() -> Response:
    """Make the file now, or have the worker make it for a large account."""
    try:
        ratelimits.check("data-export", EXPORTS_PER_ACCOUNT, f"user:{current_user.id}")
    except ratelimits.RateLimited:
        flash(
            _("Je hebt vandaag al een paar keer je gegevens gevraagd. Probeer het morgen opnieuw."),
            "info",
        )
        return redirect(url_for("data_export.page"))
    export = data_export.request_export(current_user)
    if export.ready_at is None:
        flash(
            _("We maken het bestand klaar. Je krijgt een melding zodra je het kunt downloaden."),
            "info",
        )
    else:
        flash(_("Het bestand met je gegevens staat klaar."), "success")
    return redirect(url_for("data_export.page"))


@bp.get("/account/mijn-gegevens/<int:export_id>/bestand")
@login_required
def download(export_id: int) -> Response:
    """The ZIP file, for its owner only."""
    try:
        path = data_export.file_for(current_user, export_id)
    except data_export.ExportNotReady:
        flash(_("Het bestand is nog niet klaar. Je krijgt een melding als het zover is."), "info")
        return redirect(url_for("data_export.page"))
    response = send_file(
        io.BytesIO(path.read_bytes()),
        mimetype="application/zip",
        as_attachment=True,
        download_name="mijn-gegevens.zip",
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response
