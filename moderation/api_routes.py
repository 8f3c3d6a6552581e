"""The JSON API's moderation side: members report a story, reply or member (the review
queue for moderators is in :mod:`moderation.api_review_routes`, on this blueprint).

Routes hang on a blueprint of their own made by :func:`app.api.auth.api_blueprint`, so they
get the API's authentication, CSRF rule and error envelope, and appear in its OpenAPI
document.
"""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import gettext as _

from app import ratelimits
from app.api import auth, bodies, schemas
from app.api.spec import operation
from moderation import reports
from moderation.models import TargetType
from moderation.report_routes import REPORTS_PER_USER

bp = auth.api_blueprint("moderation_api", __name__)

_TARGETS = {"story": TargetType.STORY, "reply": TargetType.REPLY, "member": TargetType.USER}


@bp.post("/reports")
@operation(
    summary="Report a story, reply or member to the moderators",
    tag="Moderation",
    body=schemas.ReportIn,
    responses={201: schemas.ReportOut},
    login=True,
    description="The writer is never told who reported. Reporting the same thing twice while "
    "it is open answers 409.",
)
def report() -> tuple[Response, int]:
    user = auth.member()
    data = bodies.json_body(schemas.ReportIn)
    ratelimits.check("report", REPORTS_PER_USER, ratelimits.user_key(user.id))
    reports.report_content(user, _TARGETS[data.target_type], data.target_id, data.reason, data.note)
    body = schemas.ReportOut(
        received=True,
        message=_(
            "Dank je wel voor je melding. Een moderator kijkt ernaar. "
            "Je hoort het als er een besluit is."
        ),
    )
    return jsonify(body.model_dump(mode="json")), 201
