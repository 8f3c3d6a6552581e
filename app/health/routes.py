"""``/healthz``: for load balancers and monitoring. 200 when everything needed works, 503
when not; JSON, no login, never cached, never personal data."""

from __future__ import annotations

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from app.extensions import limiter
from app.health import checks

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@limiter.exempt
def healthz() -> Response:
    """The state of the database, Redis, the search index and the worker."""
    found = checks.run_all()
    healthy = all(check.ok is not False for check in found)
    response = jsonify(
        {
            "status": "ok" if healthy else "fout",
            "checks": {check.name: check.as_dict() for check in found},
        }
    )
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
