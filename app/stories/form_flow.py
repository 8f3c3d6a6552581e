"""How a writing form is answered when it is refused, and when it succeeds.

A refused form is rendered again with the person's text in it and a status that says why:
400 expired form token, 401 logged out, 403 not allowed, 404 gone, 422 invalid, 429 too many.
After a success, the next page tells static/js/drafts.js to drop the draft kept in the browser.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app import ratelimits
from app.errors import NotAllowed, NotFound, ValidationFailed
from app.screening import NeedsConfirmation
from app.stories.services import Saved

_CLEAR_DRAFT = "clear_draft"


def draft_to_clear() -> str | None:
    """The draft key a successful save left for this page, once."""
    value = session.pop(_CLEAR_DRAFT, None)
    return str(value) if value else None


def logged_out(form: FlaskForm) -> bool:
    """After a login ran out: keep the text and say what to do (status 401)."""
    if current_user.is_authenticated:
        return False
    form.form_errors.append(
        _(
            "Je bent uitgelogd, maar je tekst staat er nog. Log in in een nieuw tabblad en "
            "verstuur daarna opnieuw."
        )
    )
    return True


def refusal(form: FlaskForm, limit_name: str, limits: str) -> int | None:
    """Check the token and the posting limit; the status to answer with when refused."""
    if not form.validate():
        return 400 if "csrf_token" in form.errors else 422
    try:
        ratelimits.check(limit_name, limits, ratelimits.user_key(current_user.id))
    except ratelimits.RateLimited as refused:
        form.form_errors.append(
            ngettext(
                "Je hebt in korte tijd veel geplaatst. Je tekst staat er nog: probeer het over "
                "%(num)d minuut opnieuw.",
                "Je hebt in korte tijd veel geplaatst. Je tekst staat er nog: probeer het over "
                "%(num)d minuten opnieuw.",
                refused.minutes,
            )
        )
        return 429
    return None


def to_login() -> Response:
    """Opening a writing form needs a login; only sending one must never lose text."""
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def show_error(form: FlaskForm, error: ValidationFailed | NotAllowed) -> None:
    """Put a service's refusal next to the field it names, or above the form; after a
    warning about identifying details, offer to post anyway."""
    if isinstance(error, NeedsConfirmation):
        form.needs_confirmation = True
    field = error.field if isinstance(error, ValidationFailed) else None
    target = getattr(form, field, None) if field else None
    if target is not None:
        target.errors = [*target.errors, error.message]
    else:
        form.form_errors.append(error.message or _("Dit kan hier niet."))


def gone(form: FlaskForm, error: NotFound | NotAllowed) -> int:
    """The story or reply is no longer there (or no longer open to them): keep the text."""
    form.form_errors.append(
        _(
            "Dit kan niet meer: het bericht is er niet meer, of je kunt er niet meer op "
            "schrijven. Je tekst staat hieronder nog. Kopieer hem als je hem wilt bewaren."
        )
    )
    return error.status


def done(key: str, target: str, saved: Saved[Any] | None = None) -> Response:
    """Go to the result; the page there tells the browser to drop the saved draft, and says
    when the text waits for a moderator or where to find help right now."""
    session[_CLEAR_DRAFT] = key
    if saved is not None and saved.crisis:
        flash(
            _(
                "We lezen dat het je misschien heel zwaar valt. Je hoeft het niet alleen te "
                "doen. Praat erover: hieronder staat waar je nu meteen terecht kunt."
            ),
            "crisis",
        )
    if saved is not None and saved.held:
        flash(
            _(
                "Dank je. Je tekst is goed aangekomen en is in behandeling: een moderator "
                "kijkt er even naar. Daarna ziet iedereen hem. Je hoeft niets opnieuw te "
                "plaatsen."
            ),
            "info",
        )
    return redirect(target)


def render(template: str, status: int, **context: Any) -> tuple[str, int]:
    """Render a writing page with ``status``."""
    return render_template(template, **context), status
