"""Pages for blocking and unblocking a member.

A block is asked for from a named post (never an anonymous one: trying would tell who wrote
it) or by pseudonym on the list of blocked members, and always confirmed on a page that says
what it does. The forms here are a token and a button, so the token is checked before the
view runs (see :mod:`app.csrf`).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.blocks import services
from app.errors import NotFound, ValidationFailed
from app.navigation import safe_next

bp = Blueprint("blocks", __name__)


@bp.app_template_global("hidden_author_ids")
def hidden_author_ids() -> set[int]:
    """The members the reader blocked, to fold their named replies; cached per request."""
    return services.hidden_author_ids(current_user)


@bp.route("/blokkeren/<int:user_id>", methods=["GET", "POST"])
@login_required
def confirm(user_id: int) -> Response | str:
    """Explain what blocking does and ask to confirm; the POST blocks.

    ``terug`` is where "Nee, terug" leads, ``daarna`` where to go once blocked (by default
    ``terug``): after blocking the writer of a story, their story is no longer there to go
    back to.
    """
    other = services.member_to_block(current_user, user_id)
    back = safe_next(request.values.get("terug"), "blocks.blocked_list")
    after = safe_next(request.values.get("daarna") or back, "blocks.blocked_list")
    if request.method == "POST":
        services.block(current_user, other.id)
        flash(
            _(
                "Je hebt %(pseudonym)s geblokkeerd. Niemand krijgt hier een bericht over.",
                pseudonym=other.pseudonym,
            ),
            "success",
        )
        return redirect(after)
    return render_template(
        "blocks/confirm.html",
        other=other,
        back=back,
        after=after,
        already=other.id in services.hidden_author_ids(current_user),
    )


@bp.post("/blokkeren/<int:user_id>/opheffen")
@login_required
def lift(user_id: int) -> Response:
    """Lift a block; lifting one that is not there changes nothing."""
    services.unblock(current_user, user_id)
    flash(_("De blokkade is opgeheven."), "success")
    return redirect(safe_next(request.form.get("terug"), "blocks.blocked_list"))


@bp.route("/account/geblokkeerd", methods=["GET", "POST"])
@login_required
def blocked_list() -> Response | tuple[str, int]:
    """The members one blocked, each with a button to lift the block; and a field to block
    someone by pseudonym, which leads to the same confirmation as a link under a post."""
    error = None
    pseudonym = request.form.get("schuilnaam", "").strip() if request.method == "POST" else ""
    if request.method == "POST" and not pseudonym:
        error = _("Vul de schuilnaam in van het lid dat je wilt blokkeren.")
    elif request.method == "POST":
        try:
            other = services.member_to_block(current_user, pseudonym)
        except NotFound:
            error = _(
                "We vinden geen lid met deze schuilnaam. Kijk of je hem goed hebt geschreven."
            )
        except ValidationFailed as refused:
            error = refused.message
        else:
            return redirect(
                url_for("blocks.confirm", user_id=other.id, terug=url_for("blocks.blocked_list"))
            )
    page = render_template(
        "blocks/list.html",
        blocked=services.blocked_by(current_user),
        pseudonym=pseudonym,
        error=error,
    )
    return page, 422 if error else 200
