"""The response guarantee for ambassadors: the stories waiting for a first response in their
groups, taking one on so that no other ambassador answers it at the same time, and giving it
back."""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import gettext as _

from app.api import auth, bodies, present, schemas
from app.api.blueprint import bp
from app.api.spec import ID, operation
from app.guarantee import queue

TAG = "Response guarantee"


@bp.get("/guarantee/queue")
@operation(
    summary="The stories in your groups as ambassador that wait for a first response",
    tag=TAG,
    responses={200: schemas.GuaranteeQueue},
    login=True,
    description="Least time left first, as the queue page shows them; your own stories are "
    "left out. 403 for someone who is no ambassador.",
)
def guarantee_queue() -> Response:
    user = auth.member()
    waiting = queue.ambassador_queue(user)
    body = schemas.GuaranteeQueue(items=present.waiting(user, waiting))
    return jsonify(body.model_dump(mode="json"))


@bp.post("/guarantee/claims")
@operation(
    summary="Take a story on, so other ambassadors see that you respond",
    tag=TAG,
    body=schemas.ClaimIn,
    responses={201: schemas.ClaimOut},
    login=True,
    description="Claiming again extends your own claim. 409 when another ambassador has it "
    "or it has been answered already; 403 when you are no ambassador of its group.",
)
def claim() -> tuple[Response, int]:
    user = auth.member()
    data = bodies.json_body(schemas.ClaimIn)
    watch = queue.claim(user, data.story_id)
    assert watch.claim_expires_at is not None
    body = schemas.ClaimOut(
        story_id=watch.story_id,
        claimed_until=watch.claim_expires_at,
        message=_("Je hebt dit verhaal opgepakt. Andere ambassadeurs zien dat."),
    )
    return jsonify(body.model_dump(mode="json")), 201


@bp.delete(f"/guarantee/claims/<{ID}:story_id>")
@operation(
    summary="Give a story you took on back to the queue",
    tag=TAG,
    responses={204: None},
    login=True,
    description="Only your own claim is let go; for a story you did not take on this does "
    "no harm. 403 when you are no ambassador of its group.",
)
def release(story_id: int) -> tuple[str, int]:
    queue.release(auth.member(), story_id)
    return "", 204
