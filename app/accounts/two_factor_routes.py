"""Pages for two-step verification: the code at login, turning it on, recovery codes."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app import ratelimits
from app.accounts import second_step, sessions, two_factor
from app.accounts.forms import CodeForm
from app.csrf import checked_by_form
from app.navigation import safe_next

bp = Blueprint("two_factor", __name__)

# The forms on the page once it is on, each with its own field names.
_SECTIONS = ("bevestigen", "herstelcodes", "uit")

CODES_PER_ACCOUNT = "6 per 5 minutes;30 per day"


def _wrong() -> str:
    return _(
        "Deze code klopt niet. Kijk of je de nieuwste code uit je app gebruikt, en probeer "
        "het opnieuw."
    )


def _render(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    return render_template(template, **context), status


@bp.route("/inloggen/code", methods=["GET", "POST"])
@checked_by_form
def login_code() -> Response | tuple[str, int]:
    """The second step of a login: a code from the app or a recovery code."""
    held = second_step.waiting()
    if held is None:
        flash(_("Log opnieuw in: dat is nodig om veiligheidsredenen."), "info")
        return redirect(url_for("accounts.login"))
    user, remember, next_url = held
    form = CodeForm()
    if form.validate_on_submit():
        try:
            ratelimits.check("login-code", CODES_PER_ACCOUNT, f"user:{user.id}")
            two_factor.verify(user, form.code.data or "")
        except ratelimits.RateLimited:
            form.form_errors.append(
                _("Je hebt het vaak geprobeerd. Wacht een paar minuten en probeer het dan opnieuw.")
            )
            return _render("accounts/login_code.html", 429, form=form)
        except two_factor.WrongCode:
            form.code.errors = [_wrong()]
        else:
            sessions.start(user, remember=remember, second_factor=True)
            if not user.has_accepted_house_rules:
                return redirect(url_for("onboarding.choose_groups"))
            return redirect(safe_next(next_url))
    status = 422 if form.is_submitted() else 200
    return _render("accounts/login_code.html", status, form=form)


@bp.route("/account/tweestapsverificatie", methods=["GET", "POST"])
@login_required
@checked_by_form
def settings() -> Response | tuple[str, int]:
    """Turn two-step verification on (scan, then confirm with a code), or see its state."""
    if two_factor.is_enabled(current_user):
        return _enabled_page()
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm_enrolment(current_user, form.code.data or "")
        except two_factor.WrongCode:
            form.code.errors = [_wrong()]
        else:
            return _render("accounts/two_factor_codes.html", codes=codes, first_time=True)
    enrolment = two_factor.start_enrolment(current_user)
    status = 422 if form.is_submitted() else 200
    return _render("accounts/two_factor.html", status, form=form, enrolment=enrolment)


def _enabled_page(status: int = 200, **failed: CodeForm) -> tuple[str, int]:
    """The page when it is on; ``failed`` holds the one form that was sent back."""
    forms = {name: failed.get(name) or CodeForm(prefix=name) for name in _SECTIONS}
    return _render(
        "accounts/two_factor.html",
        status,
        forms=forms,
        enrolment=None,
        unused_codes=two_factor.unused_recovery_codes(current_user),
        verified_here=sessions.current_session_verified(),
    )


@bp.post("/account/tweestapsverificatie/bevestigen")
@login_required
@checked_by_form
def confirm_here() -> Response | tuple[str, int]:
    """Verify this login with a code (a login made before the second step was turned on)."""
    form = CodeForm(prefix="bevestigen")
    if form.validate_on_submit():
        try:
            two_factor.verify_session(current_user, form.code.data or "")
        except two_factor.WrongCode:
            form.code.errors = [_wrong()]
        else:
            flash(_("Gelukt: deze login is nu bevestigd."), "success")
            return redirect(url_for("two_factor.settings"))
    return _enabled_page(422, bevestigen=form)


@bp.post("/account/tweestapsverificatie/herstelcodes")
@login_required
@checked_by_form
def new_codes() -> Response | tuple[str, int]:
    """New recovery codes in place of the old ones."""
    form = CodeForm(prefix="herstelcodes")
    if form.validate_on_submit():
        try:
            codes = two_factor.new_recovery_codes(current_user, form.code.data or "")
        except two_factor.WrongCode:
            form.code.errors = [_wrong()]
        else:
            return _render("accounts/two_factor_codes.html", codes=codes, first_time=False)
    return _enabled_page(422, herstelcodes=form)


@bp.post("/account/tweestapsverificatie/uit")
@login_required
@checked_by_form
def turn_off() -> Response | tuple[str, int]:
    """Turn two-step verification off; staff then cannot act until it is on again."""
    form = CodeForm(prefix="uit")
    if form.validate_on_submit():
        try:
            two_factor.turn_off(current_user, form.code.data or "")
        except two_factor.WrongCode:
            form.code.errors = [_wrong()]
        else:
            flash(_("Tweestapsverificatie staat uit."), "info")
            return redirect(url_for("two_factor.settings"))
    return _enabled_page(422, uit=form)


@bp.app_context_processor
def _two_factor_notice() -> dict[str, Any]:
    """Staff who cannot act yet see why, on every page."""
    notice = ""
    if current_user.is_authenticated and request.endpoint not in (
        "two_factor.settings",
        "static",
    ):
        if two_factor.awaiting_enrolment(current_user):
            notice = "enrol"
        elif two_factor.required(current_user) and not two_factor.staff_powers_allowed(
            current_user
        ):
            notice = "confirm"
    return {"two_factor_notice": notice}
