"""The account page's keys for programs (personal access tokens): making and revoking."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts import tokens
from app.accounts.forms import AccessTokenForm
from app.csrf import checked_by_form
from app.errors import ValidationFailed

bp = Blueprint("access_tokens", __name__)


@bp.post("/account/sleutels")
@login_required
@checked_by_form
def make() -> Response | tuple[str, int]:
    """Make a key and show it this once; it is not kept anywhere it could be shown again."""
    form = AccessTokenForm()
    if form.validate_on_submit():
        try:
            made = tokens.make(current_user, form.name.data or "", form.scope.data or "")
        except ValidationFailed as error:
            target = getattr(form, error.field, None) if error.field else None
            if target is not None:
                target.errors = [*target.errors, error.message]
            else:
                form.form_errors.append(error.message)
        else:
            page = render_template("accounts/token_made.html", made=made)
            response = Response(page, mimetype="text/html")
            response.headers["Cache-Control"] = "no-store"
            return response
    status = 400 if "csrf_token" in form.errors else 422
    return render_template("accounts/token_form.html", form=form), status


@bp.post("/account/sleutels/<int:token_id>/intrekken")
@login_required
def revoke(token_id: int) -> Response:
    """Revoke a key at once: programs using it can no longer act for the member."""
    tokens.revoke(current_user, token_id)
    flash(
        _("De sleutel is ingetrokken. Programma's die hem gebruikten, kunnen niets meer."), "info"
    )
    return redirect(url_for("accounts.account") + "#sleutels")
