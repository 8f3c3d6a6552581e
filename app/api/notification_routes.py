"""The member's own notifications."""

from __future__ import annotations

from flask import Response, jsonify

from app.api import auth, bodies, schemas
from app.api.blueprint import bp
from app.api.spec import operation
from app.notifications import services

TAG = "Notifications"


@bp.get("/notifications")
@operation(
    summary="Your notifications, newest first (keyset pages on `before`)",
    tag=TAG,
    query=schemas.NotificationQuery,
    responses={200: schemas.NotificationPage},
    login=True,
)
def notifications() -> Response:
    user = auth.member()
    args = bodies.query(schemas.NotificationQuery)
    page = services.for_user(user, before=args.before, limit=args.limit)
    body = schemas.NotificationPage(
        items=[
            schemas.NotificationOut(
                id=item.id,
                text=item.text,
                link=item.link,
                created_at=item.created_at,
                unread=item.unread,
            )
            for item in page.items
        ],
        next_cursor=page.older,
        unread=services.unread_count(user),
    )
    return jsonify(body.model_dump(mode="json"))


@bp.post("/notifications/read")
@operation(
    summary="Mark all your notifications as read", tag=TAG, responses={204: None}, login=True
)
def read_all() -> tuple[str, int]:
    services.mark_all_read(auth.member())
    return "", 204
