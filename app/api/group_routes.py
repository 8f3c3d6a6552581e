"""Groups: the list, one group, joining (or asking to join a closed group), leaving, and the
requests to join that a group's managers, ambassadors (and, for a closed group, moderators)
decide on."""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import gettext as _

from app import permissions
from app.api import auth, bodies, present, schemas
from app.api.blueprint import bp
from app.api.spec import ID, operation
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


@bp.post("/groups/<slug>/leave")
@operation(
    summary="Leave a group (leaving a group you are not in does no harm)",
    tag=TAG,
    responses={200: schemas.LeaveOut},
    login=True,
    description="409 for the group's only manager: make someone else manager first.",
)
def leave(slug: str) -> tuple[Response, int]:
    user = auth.member()
    found = queries.find_group(slug, actor=user)
    services.leave(found, actor=user)
    body = schemas.LeaveOut(
        group=present.group_ref(found),
        may_see=permissions.can_see_group(user, found),
        message=_("Je bent geen lid meer van %(group)s.", group=found.name),
    )
    return jsonify(body.model_dump(mode="json")), 200


@bp.delete("/groups/<slug>/join-request")
@operation(
    summary="Withdraw your own request to join (none waiting does no harm)",
    tag=TAG,
    responses={204: None},
    login=True,
)
def withdraw_request(slug: str) -> tuple[str, int]:
    user = auth.member()
    services.withdraw_request(queries.find_group(slug, actor=user), actor=user)
    return "", 204


@bp.get("/groups/<slug>/join-requests")
@operation(
    summary="The requests to join that wait for a decision, oldest first",
    tag=TAG,
    responses={200: schemas.JoinRequestList},
    login=True,
    description="For the group's managers and ambassadors, and moderators of a closed group; "
    "403 for others who may see the group.",
)
def join_requests(slug: str) -> tuple[Response, int]:
    user = auth.member()
    found = queries.find_group(slug, actor=user)
    items = [
        schemas.JoinRequestOut(
            id=waiting.id,
            pseudonym=waiting.user.pseudonym,
            motivation=waiting.motivation,
            created_at=waiting.created_at,
        )
        for waiting in services.pending_requests(found, actor=user)
    ]
    return jsonify(schemas.JoinRequestList(items=items).model_dump(mode="json")), 200


@bp.post(f"/groups/<slug>/join-requests/<{ID}:request_id>/decision")
@operation(
    summary="Let a requester in, or decline; the requester gets a notification",
    tag=TAG,
    body=schemas.JoinDecisionIn,
    responses={200: schemas.JoinDecisionOut},
    login=True,
    description="409 when someone else decided already or the request was withdrawn.",
)
def decide(slug: str, request_id: int) -> tuple[Response, int]:
    user = auth.member()
    found = queries.find_group(slug, actor=user)
    data = bodies.json_body(schemas.JoinDecisionIn)
    approve = data.decision == "approve"
    decided = services.decide(found, request_id, approve=approve, actor=user)
    name = decided.user.pseudonym
    if approve:
        message = _("%(name)s is nu lid van de groep.", name=name)
    else:
        message = _("Je hebt de aanvraag van %(name)s afgewezen.", name=name)
    body = schemas.JoinDecisionOut(
        id=decided.id, pseudonym=name, decision=data.decision, message=message
    )
    return jsonify(body.model_dump(mode="json")), 200
