"""The home page: a warm welcome and recent stories for visitors, the feed for members."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from app import permissions
from app.stories import services

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    """Recent stories the reader may see, newest first, with a link to older ones."""
    cursor = services.cursor_from_token(request.args.get("voor"))
    page = services.recent_stories(current_user, before=cursor)
    return render_template(
        "home/index.html",
        page=page,
        is_first_page=cursor is None,
        has_groups=bool(permissions.group_roles(current_user)),
    )
