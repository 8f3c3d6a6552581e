"""Groups: the list, one group, and joining (or asking to join a closed group)."""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import gettext as _

from app import permissions
from app.api import auth, bodies, present, schemas
from app.api.blueprint import bp
from app.api.spec import operation
from app.groups import queries, services

TAG = "Groups"


@bp.get("/groups")
@operation(summary="The groups you may see, by theme", tag=TAG, responses={200: schemas.GroupList})
def groups() -> Response:
    actor = auth.current_actor()
    items = [
        present.group(listing.group, actor, listing.member_count, listing.state)
        for section in queries.listed_groups(actor)
        for listing in section.listings
    ]
    return jsonify(schemas.GroupList(items=items).model_dump(mode="json"))


@bp.get("/groups/<slug>")
@operation(
    summary="One group; a hidden group you are not in answers 404",
    tag=TAG,
    responses={200: schemas.GroupOut},
)
def group(slug: str) -> Response:
    actor = auth.current_actor()
    found = queries.find_group(slug, actor=actor)
    body = present.group(
        found, actor, queries.member_count(found), queries.viewer_state(found, actor=actor)
    )
    return jsonify(body.model_dump(mode="json"))


@bp.post("/groups/<slug>/join")
@operation(
    summary="Join a public group (200), or ask to join a closed one (202)",
    tag=TAG,
    body=schemas.JoinIn,
    body_optional=True,
    responses={200: schemas.JoinOut, 202: schemas.JoinOut},
    login=True,
    description="Hidden groups are by invitation only (404 when you are not in one). "
    "Joining twice does no harm.",
)
def join(slug: str) -> tuple[Response, int]:
    user = auth.member()
    found = queries.find_group(slug, actor=user)
    data = bodies.json_body(schemas.JoinIn, optional=True)
    if permissions.is_member(user, found):
        state, status, message = "member", 200, _("Je bent al lid van deze groep.")
    elif found.is_closed:
        services.request_to_join(found, data.motivation, actor=user)
        state, status = "pending", 202
        message = _(
            "Je aanvraag is verstuurd. Je krijgt een melding zodra een beheerder "
            "of ambassadeur ernaar heeft gekeken."
        )
    else:
        services.join(found, actor=user)
        state, status = "member", 200
        message = _("Welkom in %(group)s! Je bent nu lid.", group=found.name)
    body = schemas.JoinOut(group=present.group_ref(found), state=state, message=message)  # type: ignore[arg-type]
    return jsonify(body.model_dump(mode="json")), status
