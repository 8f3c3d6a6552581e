"""Pages for registering, logging in and out, and the password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app import ratelimits
from app.accounts import mail, second_step, services, sessions, sign_in, tokens, two_factor
from app.accounts.forms import (
    AccessTokenForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from app.csrf import checked_by_form
from app.errors import ValidationFailed
from app.navigation import safe_next

bp = Blueprint("accounts", __name__)


def _show_error(form: FlaskForm, error: ValidationFailed) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def _rate_limited(form: FlaskForm, refused: ratelimits.RateLimited) -> None:
    form.form_errors.append(
        ngettext(
            "Je hebt dit vaak achter elkaar geprobeerd. Probeer het over %(num)d minuut opnieuw.",
            "Je hebt dit vaak achter elkaar geprobeerd. Probeer het over %(num)d minuten opnieuw.",
            refused.minutes,
        )
    )


def _render(template: str, status: int = 200, **context: object) -> tuple[str, int]:
    return render_template(template, **context), status


@bp.route("/registreren", methods=["GET", "POST"])
@checked_by_form
def register() -> Response | tuple[str, int]:
    """Screen 1 of onboarding: choose a pseudonym and a password."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            ratelimits.check("register", ratelimits.REGISTER_PER_CLIENT, ratelimits.client_key())
            user = services.register(
                services.Registration(
                    pseudonym=form.pseudonym.data or "",
                    password=form.password.data or "",
                    email=form.email.data,
                )
            )
        except ValidationFailed as error:
            _show_error(form, error)
        except ratelimits.RateLimited as refused:
            _rate_limited(form, refused)
            return _render("accounts/register.html", 429, form=form)
        else:
            sessions.start(user, remember=False)
            return redirect(url_for("onboarding.choose_groups"))
    status = 422 if form.is_submitted() else 200
    return _render("accounts/register.html", status, form=form)


@bp.route("/inloggen", methods=["GET", "POST"])
@checked_by_form
def login() -> Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    decisions_token = ""
    if form.validate_on_submit():
        pseudonym = form.pseudonym.data or ""
        try:
            user = sign_in.attempt(pseudonym, form.password.data or "")
        except ratelimits.RateLimited as refused:
            _rate_limited(form, refused)
            return _render("accounts/login.html", 429, form=form)
        except services.InvalidCredentials:
            form.form_errors.append(sign_in.wrong_password_message())
        except services.AccountSuspended as suspended:
            form.form_errors.append(sign_in.suspension_message(suspended))
            if suspended.user_id is not None:
                decisions_token = services.decisions_access_token(suspended.user_id)
        else:
            if two_factor.is_enabled(user):
                # The password was right; the login waits for the second step.
                second_step.hold(user, bool(form.remember.data), request.args.get("next"))
                return redirect(url_for("two_factor.login_code"))
            sessions.start(user, remember=bool(form.remember.data))
            if not user.has_accepted_house_rules:
                return redirect(url_for("onboarding.choose_groups"))
            return redirect(safe_next(request.args.get("next")))
    status = 422 if form.is_submitted() else 200
    return _render("accounts/login.html", status, form=form, decisions_token=decisions_token)


@bp.post("/uitloggen")
def logout() -> Response:
    sessions.end()
    flash(_("Je bent uitgelogd. Tot ziens."), "info")
    return redirect(url_for("home.index"))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@checked_by_form
def forgot_password() -> Response | tuple[str, int]:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            ratelimits.check("reset", ratelimits.RESET_PER_CLIENT, ratelimits.client_key())
        except ratelimits.RateLimited as refused:
            _rate_limited(form, refused)
            return _render("accounts/forgot_password.html", 429, form=form)
        for user, token in services.reset_tokens_for(form.email.data or ""):
            link = url_for("accounts.reset_password", token=token, _external=True)
            mail.send(
                mail.Mail(
                    to=user.email or "",
                    subject=_("Nieuw wachtwoord kiezen"),
                    body=render_template(
                        "accounts/email/reset_password.txt",
                        pseudonym=user.pseudonym,
                        link=link,
                        hours=current_app.config["PASSWORD_RESET_HOURS"],
                    ),
                )
            )
        # The same answer whether or not an account has this address.
        return _render("accounts/forgot_password_sent.html")
    status = 422 if form.is_submitted() else 200
    return _render("accounts/forgot_password.html", status, form=form)


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
@checked_by_form
def reset_password(token: str) -> Response | tuple[str, int]:
    try:
        user = services.user_for_reset_token(token)
    except services.InvalidResetToken:
        return _render("accounts/reset_password_invalid.html", 400)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(user, form.new_password.data or "")
        except ValidationFailed as error:
            _show_error(form, error)
        else:
            sessions.end_all(user)
            if current_user.is_authenticated:
                sessions.end()
            flash(_("Je wachtwoord is veranderd. Log in met je nieuwe wachtwoord."), "success")
            return redirect(url_for("accounts.login"))
    status = 422 if form.is_submitted() else 200
    return _render("accounts/reset_password.html", status, form=form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
@checked_by_form
def account() -> Response | tuple[str, int]:
    """The member's own account page: change the password, end other sessions."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current_password.data or "", form.new_password.data or ""
            )
        except services.InvalidCredentials:
            form.current_password.errors = [_("Dit is niet je huidige wachtwoord.")]
        except ValidationFailed as error:
            _show_error(form, error)
        else:
            ended = sessions.end_all(current_user, keep_current=True)
            flash(
                ngettext(
                    "Je wachtwoord is veranderd. Je bent uitgelogd op %(num)d ander apparaat.",
                    "Je wachtwoord is veranderd. Je bent uitgelogd op %(num)d andere apparaten.",
                    ended,
                ),
                "success",
            )
            return redirect(url_for("accounts.account"))
    status = 422 if form.is_submitted() else 200
    exempt = current_user.is_staff and two_factor.is_exempt(current_user)
    return _render(
        "accounts/account.html",
        status,
        form=form,
        two_factor_exempt=exempt,
        access_tokens=tokens.active_tokens(current_user),
        token_form=AccessTokenForm(formdata=None),
    )


@bp.post("/account/overal-uitloggen")
@login_required
def logout_elsewhere() -> Response:
    ended = sessions.end_all(current_user, keep_current=True)
    flash(
        ngettext(
            "Je bent uitgelogd op %(num)d ander apparaat.",
            "Je bent uitgelogd op %(num)d andere apparaten.",
            ended,
        ),
        "success",
    )
    return redirect(url_for("accounts.account"))


@bp.post("/account/sessies/<int:session_id>/uitloggen")
@login_required
def logout_session(session_id: int) -> Response:
    """End the login on one other device."""
    if session_id == sessions.current_session_id():
        return logout()
    if sessions.end_one(current_user, session_id):
        flash(_("Je bent op dat apparaat uitgelogd."), "success")
    return redirect(url_for("accounts.account"))
