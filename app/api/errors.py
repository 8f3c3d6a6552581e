"""The API's one error shape, ``{"error": {"code", "message"}}`` (plus ``field`` when one
input field is at fault), and the handlers that give every failure that shape.

Messages are in the reader's language (Dutch, or English when Accept-Language asks), warm and
plain, like the pages'. Nothing here ever answers with an HTML page.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify
from flask_babel import gettext as _
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from app import errors, ratelimits
from app.errors import DomainError


class ApiError(Exception):
    """A refusal specific to the API (a token, the body's form); carries its answer."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers or {}


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    """The envelope every error answer has."""
    error: dict[str, Any] = {"code": code, "message": message}
    if field:
        error["field"] = field
    return {"error": error}


def answer(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """An error response with ``status`` in the envelope."""
    response = jsonify(error_body(code, message, field))
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _default_message(status: int) -> str:
    known = status if status in errors.MESSAGES else (500 if status >= 500 else 400)
    return str(errors.MESSAGES[known])


def unauthorized(message: str | None = None, code: str = "unauthorized") -> ApiError:
    """401: log in first (or send a valid token)."""
    return ApiError(
        401,
        code,
        message or _("Log eerst in, of stuur een geldige sleutel mee."),
        headers={"WWW-Authenticate": 'Bearer realm="api"'},
    )


def validation_message(error: ValidationError) -> tuple[str, str | None]:
    """A friendly message about the first problem pydantic found, and the field it names."""
    first = error.errors(include_url=False, include_context=False, include_input=False)[0]
    location = [str(part) for part in first.get("loc", ()) if not isinstance(part, int)]
    field = ".".join(location) or None
    kind = str(first.get("type", ""))
    name = field or _("je verzoek")
    if kind == "missing":
        message = _("Het veld %(field)s ontbreekt.", field=name)
    elif kind == "extra_forbidden":
        message = _("Het veld %(field)s kennen we niet. Laat het weg.", field=name)
    elif kind in {"string_too_long", "too_long"}:
        message = _("Het veld %(field)s is te lang.", field=name)
    elif kind in {"string_too_short", "too_short"}:
        message = _("Het veld %(field)s is te kort of leeg.", field=name)
    elif kind in {"literal_error", "enum"}:
        message = _("Het veld %(field)s heeft een waarde die we niet kennen.", field=name)
    elif kind.startswith(("greater_than", "less_than")):
        message = _("Het getal in %(field)s is te groot of te klein.", field=name)
    else:
        message = _("Het veld %(field)s heeft niet de goede soort waarde.", field=name)
    return message, field


def register(bp: Blueprint) -> None:
    """Give every failure inside ``bp`` the error envelope."""

    @bp.errorhandler(ApiError)
    def _api(error: ApiError) -> Response:
        return answer(error.status, error.code, error.message, error.field, error.headers)

    @bp.errorhandler(DomainError)
    def _domain(error: DomainError) -> Response:
        field = getattr(error, "field", None)
        code = error.code
        if type(error).__name__ == "NeedsConfirmation":
            code = "needs_confirmation"
        return answer(error.status, code, error.message or _default_message(error.status), field)

    @bp.errorhandler(ValidationError)
    def _invalid(error: ValidationError) -> Response:
        message, field = validation_message(error)
        return answer(422, "invalid", message, field)

    @bp.errorhandler(ratelimits.RateLimited)
    def _limited(error: ratelimits.RateLimited) -> Response:
        return answer(
            429,
            "rate_limited",
            _default_message(429),
            headers={"Retry-After": str(error.retry_after)},
        )

    @bp.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response:
        status = error.code or 500
        code = errors.CODES.get(status, "bad_request" if status < 500 else "server_error")
        headers = {}
        if status == 429 and getattr(error, "retry_after", None):
            headers["Retry-After"] = str(getattr(error, "retry_after", ""))
        if status == 405 and error.get_headers():
            headers.update({k: v for k, v in error.get_headers() if k == "Allow"})
        return answer(status, code, _default_message(status), headers=headers)
