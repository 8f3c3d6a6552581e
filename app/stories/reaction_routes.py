"""Small answers to a story without writing: supportive reactions and following a story."""

from __future__ import annotations

from flask import Blueprint, flash, g, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.errors import NotFound, wants_json
from app.stories import follows, reactions, reply_pages, services
from app.stories.models import ReactionKind, Reply, Story

bp = Blueprint("reactions", __name__)


@bp.app_template_global("reaction_labels")
def reaction_labels() -> list[tuple[str, str]]:
    """The reaction kinds with their labels in the reader's language, in their fixed order.

    Translated once per request: a story page asks for them under every reply."""
    if "reaction_labels" not in g:
        g.reaction_labels = [(kind.value, str(reactions.LABELS[kind])) for kind in reactions.KINDS]
    return list(g.reaction_labels)


def _asked() -> tuple[ReactionKind, bool]:
    """The kind and the state the button asks for: ``steun=<kind>:<1 or 0>`` from the page's
    buttons, or ``soort`` and ``geven`` (default: give). Sending the state (not "toggle")
    makes a double click harmless."""
    kind, _sep, state = request.form.get("steun", "").partition(":")
    if not kind:
        kind, state = request.form.get("soort", ""), request.form.get("geven", "1")
    try:
        return ReactionKind(kind), state != "0"
    except ValueError:
        raise NotFound() from None


def _answer(post: Story | Reply, tally: reactions.Tally) -> Response:
    if wants_json():
        return jsonify(tally.as_json())
    if isinstance(post, Story):
        return redirect(url_for("stories.show", story_id=post.id, _anchor="verhaal-titel"))
    return redirect(reply_pages.location(post, current_user))


@bp.post("/verhalen/<int:story_id>/steun")
@login_required
def react_to_story(story_id: int) -> Response:
    """Give or take back one supportive reaction on a story."""
    post, tally = reactions.set_reaction(current_user, *_asked(), story_id=story_id)
    return _answer(post, tally)


@bp.post("/reacties/<int:reply_id>/steun")
@login_required
def react_to_reply(reply_id: int) -> Response:
    """Give or take back one supportive reaction on a reply."""
    post, tally = reactions.set_reaction(current_user, *_asked(), reply_id=reply_id)
    return _answer(post, tally)


@bp.post("/verhalen/<int:story_id>/volgen")
@login_required
def follow(story_id: int) -> Response:
    """Follow a story: hear about new replies to it."""
    story = services.story_for_reader(current_user, story_id)
    follows.set_following(current_user, story, following=True)
    flash(_("Je volgt dit verhaal. Je krijgt een melding bij een nieuwe reactie."), "success")
    return redirect(url_for("stories.show", story_id=story_id))


@bp.post("/verhalen/<int:story_id>/niet-meer-volgen")
@login_required
def unfollow(story_id: int) -> Response:
    """Stop following a story."""
    story = services.story_for_reader(current_user, story_id)
    follows.set_following(current_user, story, following=False)
    flash(_("Je volgt dit verhaal niet meer."), "info")
    return redirect(url_for("stories.show", story_id=story_id))
