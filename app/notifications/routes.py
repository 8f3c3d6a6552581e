"""Pages for the notifications area, and the unread count every page shows."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import (
    Blueprint,
    flash,
    has_request_context,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.navigation import safe_next
from app.notifications import services

log = logging.getLogger(__name__)

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def _unread_notifications() -> dict[str, int]:
    none = {"unread_notifications": 0, "latest_notification_id": 0}
    if not has_request_context() or not current_user.is_authenticated:
        return none
    try:
        bell = services.bell(current_user)
    except sa.exc.SQLAlchemyError:
        # The error page must still render when the database is what failed.
        log.exception("counting unread notifications failed")
        return none
    return {"unread_notifications": bell.unread, "latest_notification_id": bell.latest_id}


def _cursor(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 19 else None


@bp.get("/meldingen")
@login_required
def index() -> str:
    """The member's notifications, newest first, unread ones marked."""
    page = services.for_user(current_user, before=_cursor(request.args.get("voor")))
    return render_template("notifications/index.html", page=page)


@bp.get("/meldingen/sinds/<int:after_id>")
@login_required
def since(after_id: int) -> Response:
    """What an open page missed: notifications newer than ``after_id`` and the unread count,
    as JSON for live.js (after a live event, and after a reconnect)."""
    items = services.since(current_user, after_id)
    bell = services.bell(current_user)
    return jsonify(
        {
            "unread": bell.unread,
            "unread_label": _("%(count)d ongelezen", count=bell.unread),
            "latest_id": bell.latest_id,
            "items": [
                {
                    "id": item.id,
                    "text": item.text,
                    "url": url_for("notifications.open_one", notification_id=item.id)
                    if item.link
                    else url_for("notifications.index"),
                    "created_at": item.created_at.isoformat(),
                    "unread": item.unread,
                }
                for item in items
            ],
        }
    )


@bp.post("/meldingen/gelezen")
@login_required
def mark_all_read() -> Response:
    """Mark every notification as read."""
    services.mark_all_read(current_user)
    flash(_("Je hebt alle meldingen gelezen."), "success")
    return redirect(url_for("notifications.index"))


@bp.get("/meldingen/<int:notification_id>")
@login_required
def open_one(notification_id: int) -> Response:
    """Mark one notification as read and go where it points."""
    link = services.open_one(current_user, notification_id)
    return redirect(safe_next(link, "notifications.index"))
