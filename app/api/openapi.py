"""The OpenAPI 3.1 document, generated from the URL rules and the ``@operation`` notes on the
API views, with JSON Schemas from the pydantic models."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from pydantic import BaseModel

from app.api import schemas
from app.api.spec import ID_MAX, Operation, operation_of

PREFIX = "/api/v1"
_ARGUMENT = re.compile(r"<(?:([a-zA-Z_]+)(?:\(([^)]*)\))?:)?([a-zA-Z_]+)>")
_ERRORS = (400, 401, 403, 404, 409, 413, 415, 422, 429)
_ERROR_TEXT = {
    400: "The request could not be read",
    401: "Log in first, or send a valid token",
    403: "Not allowed (also: a read-only token writing, a missing X-CSRF-Token)",
    404: "Not there, or hidden from you",
    409: "Clashes with the current state",
    413: "The body is too large",
    415: "The body is not application/json",
    422: "The input is not acceptable; `field` names the field at fault",
    429: "Too many in a short time; see Retry-After",
}
_KEY_CACHE = "api_openapi"


def _path_and_parameters(rule: str) -> tuple[str, list[dict[str, Any]]]:
    parameters: list[dict[str, Any]] = []

    def replace(match: re.Match[str]) -> str:
        converter, arguments, name = match.group(1), match.group(2) or "", match.group(3)
        schema: dict[str, Any] = {"type": "string"}
        if converter == "int":
            schema = {"type": "integer", "minimum": 1, "maximum": ID_MAX}
        elif converter == "any":
            schema = {"type": "string", "enum": [a.strip() for a in arguments.split(",")]}
        else:
            schema = {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[^/]+$"}
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
        return "{" + name + "}"

    return _ARGUMENT.sub(replace, rule), parameters


def _ref(model: type[BaseModel], components: dict[str, Any]) -> dict[str, str]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = definition
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _query_parameters(model: type[BaseModel], components: dict[str, Any]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    required = set(schema.get("required", []))
    return [
        {"name": name, "in": "query", "required": name in required, "schema": prop}
        for name, prop in schema.get("properties", {}).items()
    ]


def _operation(
    op: Operation, parameters: list[dict[str, Any]], components: dict[str, Any]
) -> dict[str, Any]:
    doc: dict[str, Any] = {"summary": op.summary, "tags": [op.tag]}
    if op.description:
        doc["description"] = op.description
    params = list(parameters)
    if op.query is not None:
        params += _query_parameters(op.query, components)
    if params:
        doc["parameters"] = params
    if op.body is not None:
        doc["requestBody"] = {
            "required": not op.body_optional,
            "content": {"application/json": {"schema": _ref(op.body, components)}},
        }
    responses: dict[str, Any] = {}
    for status, model in op.responses.items():
        if model is None:
            responses[str(status)] = {"description": "Done; no content"}
        else:
            responses[str(status)] = {
                "description": "OK" if status < 300 else "See the body",
                "content": {"application/json": {"schema": _ref(model, components)}},
            }
    error = {"$ref": "#/components/responses/Error"}
    for status in _ERRORS:
        responses.setdefault(str(status), {**error, "description": _ERROR_TEXT[status]})
    responses["default"] = error
    doc["responses"] = responses
    doc["security"] = [{"bearerToken": []}, {"sessionCookie": []}]
    if not op.login:
        doc["security"].append({})
    return doc


def build(app: Flask) -> dict[str, Any]:
    """The OpenAPI document for the API views registered on ``app``."""
    components: dict[str, Any] = {}
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        op = operation_of(app.view_functions[rule.endpoint])
        if op is None:
            continue
        path, parameters = _path_and_parameters(rule.rule[len(PREFIX) :])
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = {
                "operationId": rule.endpoint.replace(".", "_") + "_" + method.lower(),
                **_operation(op, parameters, components),
            }
    _ref(schemas.Error, components)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Lotgenoten API",
            "version": "1",
            "description": "The community's JSON API: the same rules as the pages. Errors are "
            '`{"error": {"code", "message"}}`; messages follow Accept-Language (nl, en).',
        },
        "servers": [{"url": PREFIX}],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(components.items())),
            "responses": {
                "Error": {
                    "description": "An error",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                }
            },
            "securitySchemes": {
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal access token from the account page.",
                },
                "sessionCookie": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": str(app.config.get("SESSION_COOKIE_NAME", "session")),
                    "description": "The login cookie; writes also need X-CSRF-Token.",
                },
            },
        },
    }


def document(app: Flask) -> dict[str, Any]:
    """The document, built once per application."""
    cached = app.extensions.get(_KEY_CACHE)
    if cached is None:
        cached = app.extensions[_KEY_CACHE] = build(app)
    return dict(cached)
