"""Domain errors raised by services, and the one place that turns errors into responses.

Services never call ``abort``: they raise one of the errors below. Every error answers with a
friendly Dutch page, or with ``{"error": {"code", "message"}}`` when the client asks for JSON.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db

log = logging.getLogger(__name__)


class DomainError(Exception):
    """Base for errors a service raises; ``status`` is the HTTP answer it maps to."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(DomainError):
    """The actor may not do this (and may know that the thing exists)."""

    status = 403
    code = "forbidden"


class NotFound(DomainError):
    """The thing does not exist, or its existence must stay hidden from the actor."""

    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The action clashes with the current state (for example: already decided)."""

    status = 409
    code = "conflict"


class ValidationFailed(DomainError):
    """The input is not acceptable; ``message`` says why in the user's language."""

    status = 422
    code = "invalid"

    def __init__(self, message: str = "", field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


MESSAGES = {
    400: _l("Dit verzoek konden we niet goed lezen. Probeer het nog eens."),
    401: _l("Log eerst in om verder te gaan."),
    403: _l("Je hebt geen toegang tot deze pagina."),
    404: _l("Deze pagina bestaat niet (meer), of je hebt er geen toegang toe."),
    405: _l("Dit kan op deze manier niet."),
    409: _l("Iemand anders was je net voor. Bekijk de pagina opnieuw."),
    413: _l("Wat je stuurde is te groot. Maak het korter en probeer het opnieuw."),
    422: _l("Er klopt iets niet in wat je invulde."),
    429: _l("Je hebt dit vaak achter elkaar geprobeerd. Wacht even en probeer het dan opnieuw."),
    500: _l("Er ging bij ons iets mis. Het ligt niet aan jou. Probeer het later nog eens."),
}

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
}


def wants_json() -> bool:
    """Tell whether the client asked for JSON rather than a page."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_response(status: int, message: str | None = None, code: str | None = None) -> Response:
    """Render a friendly error page, or a JSON error body, with ``status``."""
    known = status if status in MESSAGES else (500 if status >= 500 else 400)
    text = message or str(MESSAGES[known])
    if wants_json():
        response = jsonify({"error": {"code": code or CODES[known], "message": text}})
    else:
        response = Response(
            render_template("errors/error.html", status=status, message=text), mimetype="text/html"
        )
    response.status_code = status
    return response


def init_app(app: Flask) -> None:
    """Register the handlers that turn every error into a friendly answer."""

    @app.before_request
    def _refuse_nul_bytes() -> Response | None:
        # PostgreSQL cannot compare text holding NUL; nobody types one in an address.
        if "\x00" in request.path or any("\x00" in value for value in request.args.values()):
            return error_response(400)
        return None

    @app.errorhandler(DomainError)
    def _domain(error: DomainError) -> Response:
        return error_response(error.status, error.message or None, error.code)

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> Response:
        return error_response(
            400,
            _(
                "Je formulier was verlopen of kwam niet van deze site. "
                "Je tekst staat er nog: verstuur het opnieuw."
            ),
            "csrf",
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response:
        status = error.code or 500
        response = error_response(status)
        if status == 429:
            retry_after = getattr(error, "retry_after", None)
            if retry_after:
                response.headers["Retry-After"] = str(retry_after)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.url_rule)
        return error_response(500)
