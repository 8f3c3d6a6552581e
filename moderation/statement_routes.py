"""The statement of reasons page, and appealing from it.

A member reads it logged in. A suspended or banned member cannot log in, so after the right
password the login page gives them a link with a token (``t``) that works for an hour.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app import permissions
from app.accounts import services as accounts
from app.accounts.models import User
from app.errors import Conflict, ValidationFailed
from moderation import statements
from moderation.actions import ContentAction, MemberAction

bp = Blueprint("statements", __name__)


def _viewer() -> tuple[User | None, str]:
    """Who is reading, and the token to carry along when they came by one."""
    user = permissions.as_user(current_user)
    if user is not None:
        return user, ""
    token = request.values.get("t", "")
    return accounts.user_from_decisions_token(token), token


def _to_login() -> Response:
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def _page(
    viewer: User, token: str, item_id: int, text: str = "", error: str = "", status: int = 200
) -> tuple[str, int]:
    shown = statements.statement(viewer, item_id)
    return (
        render_template(
            "moderation/statement.html",
            s=shown,
            token=token,
            text=text,
            error=error,
            content_actions=ContentAction,
            member_actions=MemberAction,
            appeal_max=statements.APPEAL_MAX,
        ),
        status,
    )


@bp.get("/besluiten")
def mine() -> Response | str:
    """The decisions about one's posts and account."""
    viewer, token = _viewer()
    if viewer is None:
        return _to_login()
    return render_template(
        "moderation/statements.html", items=statements.about(viewer), token=token
    )


@bp.get("/besluiten/<int:item_id>")
def show(item_id: int) -> Response | tuple[str, int]:
    """What was decided about one's post or account, why, and how to appeal."""
    viewer, token = _viewer()
    if viewer is None:
        return _to_login()
    return _page(viewer, token, item_id)


@bp.post("/besluiten/<int:item_id>/bezwaar")
def appeal(item_id: int) -> Response | tuple[str, int]:
    """Appeal the decision; a refused appeal comes back with its text."""
    viewer, token = _viewer()
    if viewer is None:
        return _to_login()
    text = request.form.get("text", "")
    try:
        statements.appeal(viewer, item_id, text)
    except ValidationFailed as error:
        return _page(viewer, token, item_id, text, error.message, 422)
    except Conflict as error:
        return _page(viewer, token, item_id, text, error.message, 409)
    flash(
        _("Je bezwaar is ontvangen. Een andere moderator kijkt ernaar. Je hoort de uitkomst."),
        "success",
    )
    return redirect(url_for("statements.show", item_id=item_id, t=token or None))
