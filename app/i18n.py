"""Language choice: Dutch first, English second; the choice lives in the session."""

from __future__ import annotations

from typing import Any

from babel.support import NullTranslations
from flask import (
    Blueprint,
    Flask,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    session,
)
from flask_babel import get_translations
from flask_login import current_user
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup
from werkzeug.wrappers import Response

from app.extensions import babel
from app.navigation import safe_next

bp = Blueprint("i18n", __name__)


# Babel locale per interface language: British English writes dates day first, as the Dutch do.
_BABEL_LOCALES = {"nl": "nl", "en": "en_GB"}


def select_locale() -> str:
    """Pick the language: for the JSON API the Accept-Language header first; then the
    session's choice, then the account's, then Dutch."""
    return _BABEL_LOCALES.get(_chosen_language(), "nl")


def _chosen_language() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and the background worker
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    if request.path.startswith("/api/"):
        # Programs say which language they read in the header, not through a session.
        asked = request.accept_languages.best_match(languages)
        if asked:
            return str(asked)
    chosen = session.get("locale")
    if chosen in languages:
        return str(chosen)
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def _catalogue() -> NullTranslations:
    """The translations of this request (or app context), found once.

    Flask-Babel looks them up again for every string, through three lookups of its state in
    ``g``, and a page has dozens of strings. Its locale is fixed for the context too (nothing
    here calls ``flask_babel.refresh``), so the catalogue is the one it would find.
    """
    found: NullTranslations | None = g.get("_catalogue")
    if found is None:
        found = get_translations()
        g._catalogue = found
    return found


# Jinja's own "new style" functions ask for the template context, and inside a loop or a
# macro (twenty story cards) that makes Jinja derive a new context on every call, which cost
# more than the translating. These ask only for the evaluation context, all they use: they
# escape the translation when autoescaping is on, then fill in ``variables`` (always, so a
# literal "%" is written "%%" in every string, as before).
@pass_eval_context
def _template_gettext(eval_context: EvalContext, string: str, /, **variables: Any) -> str:
    translated = _catalogue().ugettext(string)
    return _filled(eval_context, translated, variables)


@pass_eval_context
def _template_ngettext(
    eval_context: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    variables.setdefault("num", num)
    translated = _catalogue().ungettext(singular, plural, num)
    return _filled(eval_context, translated, variables)


def _filled(eval_context: EvalContext, translated: str, variables: dict[str, Any]) -> str:
    # Our own catalogue, trusted as Jinja trusts it; the variables are escaped by Markup.
    text = Markup(translated) if eval_context.autoescape else translated  # noqa: S704
    return text % variables


def _install_template_gettext(app: Flask) -> None:
    """Let templates translate through the catalogue of the request, found once."""
    environment = app.jinja_env
    # Jinja's own wrappers for pgettext and npgettext (it wants all four to install them) …
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda string: _catalogue().ugettext(string),
        ngettext=lambda singular, plural, n: _catalogue().ungettext(singular, plural, n),
        pgettext=lambda context, string: _catalogue().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: _catalogue().unpgettext(
            context, singular, plural, n
        ),
        newstyle=True,
    )
    # … and ours for the two every page uses. ``_`` was Jinja's alias that looks ``gettext``
    # up again on every call; nothing here renders with a ``gettext`` of its own.
    environment.globals.update(
        _=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext
    )


@bp.get("/taal/<code>")
def switch(code: str) -> Response:
    """Switch the interface language and go back to where the person was."""
    if code in current_app.config["LANGUAGES"]:
        session["locale"] = code
    return redirect(safe_next(request.args.get("next")))


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with the project's translations folder and locale choice."""
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(app.config["TRANSLATIONS_DIR"]),
    )
    _install_template_gettext(app)
    app.register_blueprint(bp)
