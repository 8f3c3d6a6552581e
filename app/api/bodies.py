"""Reading what a client sent: a JSON body or the query string, checked against a schema.

Nothing a client sends may cause a 500: a body that is not JSON, not UTF-8, holds text that
cannot be stored (a lone surrogate) or breaks the schema is answered with 415 or 422, and a
body over the limit with 413 before it is read.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from flask import request
from flask_babel import gettext as _
from pydantic import BaseModel

from app.api.errors import ApiError

M = TypeVar("M", bound=BaseModel)


def _unreadable() -> ApiError:
    return ApiError(
        422,
        "malformed_json",
        _("We konden je verzoek niet lezen. Stuur geldige JSON in UTF-8."),
    )


def _no_constant(name: str) -> Any:
    # NaN and Infinity are not JSON, whatever Python's parser allows.
    raise ValueError(name)


def _clean(value: Any) -> Any:
    """Drop NUL characters and refuse lone surrogates, which no database can store."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise _unreadable() from None
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {_clean(key): _clean(item) for key, item in value.items()}
    return value


def json_body(model: type[M], optional: bool = False) -> M:
    """The request's JSON body as ``model``; an empty body counts as ``{}`` when
    ``optional``. Raises ApiError (415, 422), RequestEntityTooLarge or ValidationError."""
    raw = request.get_data(cache=True)
    if optional and not raw.strip():
        return model.model_validate({})
    if request.mimetype != "application/json":
        raise ApiError(
            415,
            "unsupported_media_type",
            _("Stuur je gegevens als JSON, met Content-Type: application/json."),
        )
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _unreadable() from None
    if not isinstance(data, dict):
        raise ApiError(422, "invalid", _("Stuur een JSON-object met de velden die je wilt."))
    return model.model_validate(_clean(data))


def query(model: type[M]) -> M:
    """The query string as ``model`` (one value per name; unknown names are ignored)."""
    values = {key: _clean(value) for key, value in request.args.items()}
    return model.model_validate(values)
