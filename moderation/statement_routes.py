"""The statement of reasons page, and appealing from it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.errors import Conflict, ValidationFailed
from moderation import statements
from moderation.actions import ContentAction, MemberAction

bp = Blueprint("statements", __name__)


def _page(item_id: int, text: str = "", error: str = "", status: int = 200) -> tuple[str, int]:
    shown = statements.statement(current_user, item_id)
    return (
        render_template(
            "moderation/statement.html",
            s=shown,
            text=text,
            error=error,
            content_actions=ContentAction,
            member_actions=MemberAction,
            appeal_max=statements.APPEAL_MAX,
        ),
        status,
    )


@bp.get("/besluiten/<int:item_id>")
@login_required
def show(item_id: int) -> tuple[str, int]:
    """What was decided about one's post or account, why, and how to appeal."""
    return _page(item_id)


@bp.post("/besluiten/<int:item_id>/bezwaar")
@login_required
def appeal(item_id: int) -> Response | tuple[str, int]:
    """Appeal the decision; a refused appeal comes back with its text."""
    text = request.form.get("text", "")
    try:
        statements.appeal(current_user, item_id, text)
    except ValidationFailed as error:
        return _page(item_id, text, error.message, 422)
    except Conflict as error:
        return _page(item_id, text, error.message, 409)
    flash(
        _("Je bezwaar is ontvangen. Een andere moderator kijkt ernaar. Je hoort de uitkomst."),
        "success",
    )
    return redirect(url_for("statements.show", item_id=item_id))
