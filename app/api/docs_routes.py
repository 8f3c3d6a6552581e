"""The OpenAPI document, and a page that shows it to people (no outside scripts: the CSP
forbids them, and a plain page reads well anyway)."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, render_template

from app.api import openapi
from app.api.blueprint import bp


@bp.get("/openapi.json")
def openapi_document() -> Response:
    """The OpenAPI 3.1 document, generated from the code."""
    return jsonify(openapi.document(current_app))


def _fields(schema_ref: dict[str, Any] | None, components: dict[str, Any]) -> list[dict[str, Any]]:
    if not schema_ref or "$ref" not in schema_ref:
        return []
    schema = components.get(schema_ref["$ref"].rsplit("/", 1)[-1], {})
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "required": name in required,
            "type": prop.get("type")
            or (
                "|".join(
                    str(option.get("type", option.get("$ref", "").rsplit("/", 1)[-1]))
                    for option in prop.get("anyOf", [])
                )
                or prop.get("$ref", "").rsplit("/", 1)[-1]
            ),
            "values": prop.get("enum") or (prop.get("items") or {}).get("enum"),
            "description": prop.get("description", ""),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


@bp.get("/docs")
def docs() -> str:
    """The API described for people: every operation, its input and its answers."""
    document = openapi.document(current_app)
    components = document["components"]["schemas"]
    tags: dict[str, list[dict[str, Any]]] = {}
    for path, methods in document["paths"].items():
        for method, op in methods.items():
            body = (op.get("requestBody") or {}).get("content", {}).get("application/json", {})
            tags.setdefault(op["tags"][0], []).append(
                {
                    "method": method.upper(),
                    "path": openapi.PREFIX + path,
                    "summary": op["summary"],
                    "description": op.get("description", ""),
                    "parameters": op.get("parameters", []),
                    "body": _fields(body.get("schema"), components),
                    "responses": [
                        (status, answer.get("description", ""))
                        for status, answer in op["responses"].items()
                        if status.startswith("2")
                    ],
                    "login": {} not in op["security"],
                }
            )
    return render_template("api/docs.html", tags=tags, document=document)
