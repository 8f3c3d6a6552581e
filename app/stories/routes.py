"""Pages for the stories area: reading one story with its replies."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from app import markup, permissions
from app.stories import services

bp = Blueprint("stories", __name__)

# The sanitised HTML is long; only its start is needed for a card's excerpt.
_EXCERPT_SOURCE_CHARS = 3000


@bp.app_template_filter("excerpt")
def excerpt_filter(body_html: str, limit: int = 220) -> str:
    """A short plain-text excerpt of a story's stored, sanitised HTML."""
    return markup.excerpt(markup.text_of(body_html[:_EXCERPT_SOURCE_CHARS]), limit)


@bp.get("/verhalen/<int:story_id>")
def show(story_id: int) -> str:
    """One story with its replies, for anyone who may read its group."""
    story = services.story_for_reader(current_user, story_id)
    replies = services.replies_to(story)
    group = story.group
    return render_template(
        "stories/show.html",
        story=story,
        replies=replies,
        ambassadors=services.ambassadors_among(group.id, [story, *replies]),
        is_member=permissions.is_member(current_user, group),
        can_reply=permissions.can_post_in_group(current_user, group),
        may_join=permissions.can_join_directly(current_user, group)
        or permissions.can_request_to_join(current_user, group),
        noindex=not group.is_public,
    )
