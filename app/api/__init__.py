"""The JSON API at ``/api/v1``: the same services and permission module as the pages, JSON in
and out, an OpenAPI 3.1 document generated from the code (``/api/v1/openapi.json``) and a page
that shows it (``/api/v1/docs``).

Each area has a small module of thin routes; ``moderation`` adds its own (reports, the review
queue and decisions) through :func:`app.api.auth.api_blueprint`.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the API's blueprint and its routes."""
    from app.api import (  # noqa: F401 (each module adds its routes to the blueprint)
        account_routes,
        docs_routes,
        group_routes,
        guarantee_routes,
        notification_routes,
        search_routes,
        story_routes,
    )
    from app.api.blueprint import bp

    app.register_blueprint(bp)
