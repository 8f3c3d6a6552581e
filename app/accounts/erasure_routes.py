"""Deleting an account: by the member themselves, or by an admin for a request received
another way."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from werkzeug.wrappers import Response

from app import permissions
from app.accounts import erasure, services, sessions
from app.accounts.forms import DeleteAccountForm, StaffDeleteAccountForm
from app.csrf import checked_by_form
from app.errors import ValidationFailed

bp = Blueprint("erasure", __name__)


@bp.route("/account/verwijderen", methods=["GET", "POST"])
@login_required
@checked_by_form
def delete_own() -> Response | tuple[str, int]:
    """The member deletes their account, after choosing what happens to their posts."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.authenticate(current_user.pseudonym, form.password.data or "")
        except (services.InvalidCredentials, services.AccountSuspended):
            form.password.errors = [_("Dit is niet je wachtwoord.")]
        else:
            user_id = current_user.id
            sessions.end()
            erasure.delete_account(user_id, erasure.Mode(form.mode.data))
            logout_user()
            return render_template("accounts/deleted.html"), 200
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/delete.html", form=form), status


@bp.route("/beheer/account-verwijderen", methods=["GET", "POST"])
@login_required
@checked_by_form
def delete_for_request() -> Response | tuple[str, int]:
    """An admin deletes an account for a request that came by mail or phone."""
    if not permissions.is_admin(current_user):
        abort(404)
    form = StaffDeleteAccountForm()
    if form.validate_on_submit():
        try:
            erasure.delete_on_request(
                current_user,
                form.pseudonym.data or "",
                erasure.Mode(form.mode.data),
                form.source.data or "",
            )
        except ValidationFailed as refused:
            form.pseudonym.errors = [str(refused)]
        else:
            flash(_("Het account is verwijderd."), "success")
            return redirect(url_for("erasure.delete_for_request"))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/delete_for_request.html", form=form), status
