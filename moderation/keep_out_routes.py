"""The page where a member asks, confidentially, to keep someone out of a closed group."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.errors import NotAllowed, NotFound, ValidationFailed
from app.groups import queries
from moderation import keep_out

bp = Blueprint("keep_out", __name__)


@bp.route("/groepen/<slug>/iemand-buiten-houden", methods=["GET", "POST"])
@login_required
def ask(slug: str) -> Response | tuple[str, int]:
    """Ask moderators to keep a named member out of this group; the text stays on refusal."""
    group = queries.find_group(slug, actor=current_user)
    if not keep_out.may_ask(current_user, group):
        raise NotAllowed(_("Dit kan in besloten groepen waar je lid van bent."))
    pseudonym = request.form.get("pseudonym", "")
    note = request.form.get("note", "")
    error, status = "", 200
    if request.method == "POST":
        try:
            keep_out.ask(current_user, group, pseudonym, note)
        except (NotFound, ValidationFailed) as refused:
            error, status = refused.message, 422
        else:
            flash(
                _(
                    "Dank je. Een moderator kijkt er vertrouwelijk naar. Niemand hoort dat jij "
                    "dit vroeg."
                ),
                "success",
            )
            return redirect(url_for("groups.show", slug=group.slug))
    page = render_template(
        "moderation/keep_out_form.html",
        group=group,
        pseudonym=pseudonym,
        note=note,
        error=error,
        note_max=keep_out.NOTE_MAX,
    )
    return page, status
