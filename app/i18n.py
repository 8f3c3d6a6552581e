"""Language choice: Dutch first, English second; the choice lives in the session."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, has_request_context, redirect, request, session
from flask_login import current_user
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
    app.register_blueprint(bp)
