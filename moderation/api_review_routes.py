"""The JSON API's review queue for moderators: the open items, one item with everything
needed to decide it, and the decision itself.

The same services and rules as the moderation pages: moderators only, and only in a login
that passed the second step (a personal access token never carries staff powers, so it gets
403); the item's version is checked, so a decision on a stale version answers 409.
"""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import gettext as _

from app.api import auth, bodies
from app.api.spec import ID, operation
from moderation import api_present, configuration, decisions, queue
from moderation import api_schemas as shapes
from moderation.api_routes import bp

TAG = "Moderation"
_STAFF = (
    "For moderators, logged in by session with the second step; a personal access token "
    "never carries staff powers (403)."
)


@bp.get("/moderation/queue")
@operation(
    summary="The open items, most urgent first",
    tag=TAG,
    query=shapes.QueueQuery,
    responses={200: shapes.ModerationQueue},
    login=True,
    description="Crisis first, then identifying details, then the rest; oldest first within "
    "each. " + _STAFF,
)
def moderation_queue() -> Response:
    user = auth.member()
    args = bodies.query(shapes.QueueQuery)
    items = queue.open_items(user, args.kind)
    return jsonify(api_present.queue(items, queue.open_count()).model_dump(mode="json"))


@bp.get(f"/moderation/items/<{ID}:item_id>")
@operation(
    summary="One item with its content, signals, history and notes",
    tag=TAG,
    responses={200: shapes.ModerationItemOut},
    login=True,
    description="Names the writer also of an anonymous post, as the moderation page does; "
    "that look is written to the audit log. " + _STAFF,
)
def moderation_item(item_id: int) -> Response:
    user = auth.member()
    context = queue.item_context(user, item_id)
    body = api_present.item(
        context, configuration.reason_templates(user), queue.groups_to_move_to()
    )
    return jsonify(body.model_dump(mode="json"))


@bp.post(f"/moderation/items/<{ID}:item_id>/decision")
@operation(
    summary="Decide an item: what happens to the content and to its writer, and why",
    tag=TAG,
    body=shapes.DecisionIn,
    responses={200: shapes.DecisionOut},
    login=True,
    description="The writer gets a statement of reasons and reporters hear the outcome. 409 "
    "when the item was decided or changed since `version`; 422 names the field at fault (a "
    "missing `reason`, `days` out of range); 403 for an appeal against your own decision. "
    + _STAFF,
)
def decide(item_id: int) -> Response:
    user = queue.check_moderator(auth.member())
    data = bodies.json_body(shapes.DecisionIn)
    choice = decisions.Choice(
        content=data.decision,
        reason=data.reason,
        template_id=data.template_id,
        member=data.member_action,
        days=data.days,
        new_text=data.new_text,
        group_slug=data.group,
    )
    item = decisions.decide(user, item_id, data.version, choice)
    body = shapes.DecisionOut(
        id=item.id,
        status="decided",
        decided=api_present.decided(item),
        message=_("Je besluit is opgeslagen en wie het aangaat heeft bericht gekregen."),
    )
    return jsonify(body.model_dump(mode="json"))
