"""Pages for the stories area: reading a story with its replies, and writing.

Every writing form survives every failure with the person's text in it: a refused form is
rendered again (422 invalid, 400 expired token, 401 logged out, 403 not allowed, 429 too many)
instead of redirecting. That is why the POST views do not use ``login_required``.
"""

from __future__ import annotations

import functools
from typing import Any

from flask import (
    Blueprint,
    after_this_request,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from app import markup, permissions, ratelimits
from app.blocks import services as blocks
from app.csrf import checked_by_form
from app.errors import NotAllowed, NotFound, ValidationFailed
from app.groups import queries as group_queries
from app.groups.models import Group
from app.stories import (
    content_warnings,
    follows,
    links,
    reactions,
    reads,
    reply_pages,
    services,
    writing,
)
from app.stories import form_flow as flow
from app.stories.forms import (
    ConfirmForm,
    EditReplyForm,
    EditStoryForm,
    ReplyForm,
    StoryForm,
    reading_form,
)
from app.stories.models import Reply, Story

bp = Blueprint("stories", __name__)


@bp.app_template_global("reply_links")
def reply_links(story_id: int, page: int = 1) -> links.ReplyLinks:
    """The links under each reply of a page of a story, for the reader of this request."""
    return links.reply_links(story_id, page, current_user.is_authenticated)


bp.add_app_template_filter(content_warnings.labels, "warning_labels")

# The sanitised HTML is long; only its start is needed for a card's excerpt.
_EXCERPT_SOURCE_CHARS = 3000
Page = Response | tuple[str, int]


@bp.app_template_filter("excerpt")
def excerpt_filter(body_html: str, limit: int = 220) -> str:
    """A short plain-text excerpt of a story's stored, sanitised HTML."""
    return _excerpt(body_html[:_EXCERPT_SOURCE_CHARS], limit)


# Every list page shows twenty excerpts, mostly of the same recent stories, and parsing the
# HTML again each time was a sixth of the home page's time. Keyed by the text itself, so an
# edited story gets a new excerpt, and the same for every reader (who may read it is decided
# before a story reaches a template).
@functools.lru_cache(maxsize=1024)
def _excerpt(body_html: str, limit: int) -> str:
    return markup.excerpt(markup.text_of(body_html), limit)


def _quote(replies: list[Reply], reply_id: str | None) -> str:
    """A Markdown quote of one reply in the thread, to start a reply with; never of a reply
    the reader folded away by blocking its writer."""
    for reply in replies:
        if (
            str(reply.id) == reply_id
            and reply.status == "published"
            and not blocks.hides(current_user, reply)
        ):
            return "> " + markup.excerpt(markup.plain_text(reply.body_source), 1000) + "\n\n"
    return ""


def _shows_anyway(story: Story) -> tuple[list[str], bool]:
    """The categories the reader asked not to see in this story, and whether they chose to
    see it anyway."""
    user = permissions.as_user(current_user)
    hidden = content_warnings.hidden_categories(user.warning_filters if user else None)
    asked = [value for value in story.content_warnings if value in hidden]
    return asked, request.args.get("toch-tonen") == "1"


def _thread(story: Story) -> dict[str, Any]:
    """What the reply list needs, for the story page and for the list on its own: the page
    of replies asked for (``?pagina=``) and what goes with them."""
    group = story.group
    may_post = story.is_visible and permissions.can_post_in_group(current_user, group)
    page = reply_pages.page_of(story, current_user, request.args.get("pagina", type=int))
    replies = page.replies
    return {
        "story": story,
        "replies": replies,
        "reply_page": page,
        "reaction_board": reactions.board_for(story, current_user, replies),
        "can_react": may_post,
        "can_reply": may_post and story.replies_closed_at is None,
        "visible_replies": page.published,
        "ambassadors": services.ambassadors_among(group.id, [story, *replies]),
        "staff": services.staff_among(group, [story, *replies]),
    }


@bp.get("/verhalen/<int:story_id>")
def show(story_id: int) -> str:
    """One story with a page of its replies, for anyone who may read its group."""
    story = services.story_for_reader(current_user, story_id)
    group = story.group
    thread = _thread(story)
    form = None
    if thread["can_reply"]:
        quote = _quote(thread["replies"], request.args.get("citeer"))
        form = ReplyForm(formdata=None, body=quote)
    filtered, show_anyway = _shows_anyway(story)
    if story.is_visible:
        after_this_request(reads.count_after_response(story))
    return render_template(
        "stories/show.html",
        **thread,
        may_follow=follows.may_follow(current_user, story),
        can_see_figures=permissions.can_see_figures(current_user),
        is_member=permissions.is_member(current_user, group),
        reply_form=form,
        filtered_warnings=[] if show_anyway else filtered,
        clear_draft=flow.draft_to_clear(),
        may_join=permissions.can_join_directly(current_user, group)
        or permissions.can_request_to_join(current_user, group),
        noindex=not group.is_public,
    )


@bp.get("/verhalen/<int:story_id>/reacties")
def reply_list(story_id: int) -> Response:
    """The story's reply list on its own, exactly as the story page shows it to this reader:
    what an open page fetches when it hears of a new reply, or after a reconnect."""
    story = services.story_for_reader(current_user, story_id)
    thread = _thread(story)
    count = thread["visible_replies"]
    heading = ngettext("%(num)d reactie", "%(num)d reacties", count) if count else _("Reacties")
    html = render_template("stories/_reply_list.html", heading=heading, **thread)
    response = make_response(html)
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/reacties/<int:reply_id>")
def reply_at(reply_id: int) -> Response:
    """The lasting address of one reply: the page of its story where the reader finds it.
    Notifications, search results and the review queue link here, so a link keeps working
    when the thread grows."""
    reply = services.reply_for_reader(current_user, reply_id)
    return redirect(reply_pages.location(reply, current_user))


# --- sharing a story ----------------------------------------------------------------------


def _entry(group: Group | None) -> Response | tuple[str, int] | None:
    """Send people who cannot share (yet) where they can: onboarding, or a kind page."""
    if not current_user.has_accepted_house_rules:
        return redirect(url_for("onboarding.house_rules"))
    silenced = permissions.is_silenced(current_user)
    # A silenced member gets the form: the service says until when, and keeps their text.
    if (
        group is not None
        and not silenced
        and not permissions.can_post_in_group(current_user, group)
    ):
        return flow.render("stories/join_first.html", 403, group=group)
    return None


@bp.route("/groepen/<slug>/verhaal-delen", methods=["GET", "POST"])
@checked_by_form
def share_in_group(slug: str) -> Page:
    """Share a story in one group."""
    form = StoryForm()
    del form.group
    if request.method == "GET" and not current_user.is_authenticated:
        return flow.to_login()
    context = {"form": form, "mode": "share", "draft_key": f"verhaal:{slug}"}
    if flow.logged_out(form):
        return flow.render("stories/story_form.html", 401, group=None, **context)
    group = group_queries.find_group(slug, actor=current_user)
    context["group"] = group
    if (entry := _entry(group)) is not None:
        return entry
    if request.method == "GET":
        return flow.render("stories/story_form.html", 200, **context)
    return _publish(form, group, context)


@bp.route("/verhaal-delen", methods=["GET", "POST"])
@checked_by_form
def share() -> Page:
    """Share a story, choosing one of one's own groups."""
    form = StoryForm()
    if request.method == "GET" and not current_user.is_authenticated:
        return flow.to_login()
    context = {"form": form, "mode": "share", "draft_key": "verhaal:nieuw", "group": None}
    if flow.logged_out(form):
        form.group.choices = [SelectChoice(form.group.data or "", _("De groep die je koos"))]
        return flow.render("stories/story_form.html", 401, **context)
    if (entry := _entry(None)) is not None:
        return entry
    groups = services.groups_to_share_in(current_user)
    if not groups:
        return flow.render("stories/join_first.html", 403, group=None)
    form.group.choices = [SelectChoice(group.slug, group.name) for group in groups]
    if request.method == "GET":
        return flow.render("stories/story_form.html", 200, **context)
    chosen = next((group for group in groups if group.slug == form.group.data), None)
    if chosen is None:
        form.group.errors = [_("Kies een van je groepen.")]
        return flow.render("stories/story_form.html", 422, **context)
    return _publish(form, chosen, context)


def _publish(form: StoryForm, group: Group, context: dict[str, Any]) -> Page:
    status = flow.refusal(form, "share-story", ratelimits.STORIES_PER_USER)
    if status is None:
        try:
            saved = services.share_story(
                current_user,
                group,
                title=form.title.data or "",
                body=form.body.data or "",
                anonymous=bool(form.anonymous.data),
                warnings=form.warnings.data or [],
                warning_note=form.warning_note.data or "",
                post_anyway=bool(form.post_anyway.data),
            )
        except ValidationFailed as error:
            flow.show_error(form, error)
            status = 422
        except NotAllowed as error:
            flow.show_error(form, error)
            status = 403
        else:
            target = url_for("stories.show", story_id=saved.post.id)
            return flow.done(context["draft_key"], target, saved)
    return flow.render("stories/story_form.html", status, **context)


# --- replying -----------------------------------------------------------------------------


@bp.post("/verhalen/<int:story_id>/reageren")
@checked_by_form
def reply(story_id: int) -> Page:
    """Reply to a story; a refused reply comes back on a page of its own, text intact."""
    form = ReplyForm()
    context: dict[str, Any] = {"form": form, "story": None, "draft_key": f"reactie:{story_id}"}
    if flow.logged_out(form):
        return flow.render("stories/reply_form.html", 401, **context)
    try:
        story = services.story_for_reader(current_user, story_id)
    except NotFound as error:
        return flow.render("stories/reply_form.html", flow.gone(form, error), **context)
    context["story"] = story
    status = flow.refusal(form, "reply", ratelimits.REPLIES_PER_USER)
    if status is None:
        try:
            saved = services.post_reply(
                current_user,
                story,
                form.body.data or "",
                anonymous=bool(form.anonymous.data),
                post_anyway=bool(form.post_anyway.data),
            )
        except ValidationFailed as error:
            flow.show_error(form, error)
            status = 422
        except NotAllowed as error:
            flow.show_error(form, error)
            status = 403
        else:
            target = reply_pages.location(saved.post, current_user)
            return flow.done(context["draft_key"], target, saved)
    return flow.render("stories/reply_form.html", status, **context)


# --- editing and deleting -----------------------------------------------------------------


@bp.route("/verhalen/<int:story_id>/bewerken", methods=["GET", "POST"])
@checked_by_form
def edit_story(story_id: int) -> Page:
    """Change one's own story; the old text is kept for moderators."""
    form = EditStoryForm()
    if request.method == "GET" and not current_user.is_authenticated:
        return flow.to_login()
    context: dict[str, Any] = {
        "form": form,
        "mode": "edit",
        "group": None,
        "draft_key": f"bewerk-verhaal:{story_id}",
    }
    if flow.logged_out(form):
        return flow.render("stories/story_form.html", 401, **context)
    if request.method == "GET":
        story = writing.own_story(current_user, story_id)
    else:
        try:
            story = writing.own_story(current_user, story_id)
        except (NotFound, NotAllowed) as error:
            return flow.render("stories/story_form.html", flow.gone(form, error), **context)
    context["story"] = story
    if request.method == "GET":
        form.title.data = story.title
        form.body.data = story.body_source
        form.warnings.data = list(story.content_warnings)
        form.warning_note.data = story.content_warning_note
        return flow.render("stories/story_form.html", 200, **context)
    status = flow.refusal(form, "edit", ratelimits.EDITS_PER_USER)
    if status is None:
        try:
            revised = writing.revise_story(
                current_user,
                story_id,
                title=form.title.data or "",
                body=form.body.data or "",
                warnings=form.warnings.data or [],
                warning_note=form.warning_note.data or "",
                post_anyway=bool(form.post_anyway.data),
            )
        except ValidationFailed as error:
            flow.show_error(form, error)
            status = 422
        else:
            target = url_for("stories.show", story_id=story_id)
            return flow.done(context["draft_key"], target, revised)
    return flow.render("stories/story_form.html", status, **context)


@bp.route("/reacties/<int:reply_id>/bewerken", methods=["GET", "POST"])
@checked_by_form
def edit_reply(reply_id: int) -> Page:
    """Change one's own reply; the old text is kept for moderators."""
    form = EditReplyForm()
    if request.method == "GET" and not current_user.is_authenticated:
        return flow.to_login()
    context: dict[str, Any] = {
        "form": form,
        "story": None,
        "editing": True,
        "draft_key": f"bewerk-reactie:{reply_id}",
    }
    if flow.logged_out(form):
        return flow.render("stories/reply_form.html", 401, **context)
    if request.method == "GET":
        own = writing.own_reply(current_user, reply_id)
    else:
        try:
            own = writing.own_reply(current_user, reply_id)
        except (NotFound, NotAllowed) as error:
            return flow.render("stories/reply_form.html", flow.gone(form, error), **context)
    context["story"] = own.story
    if request.method == "GET":
        form.body.data = own.body_source
        return flow.render("stories/reply_form.html", 200, **context)
    status = flow.refusal(form, "edit", ratelimits.EDITS_PER_USER)
    if status is None:
        try:
            revised = writing.revise_reply(
                current_user, reply_id, form.body.data or "", bool(form.post_anyway.data)
            )
        except ValidationFailed as error:
            flow.show_error(form, error)
            status = 422
        else:
            target = reply_pages.location(own, current_user)
            return flow.done(context["draft_key"], target, revised)
    return flow.render("stories/reply_form.html", status, **context)


@bp.route("/verhalen/<int:story_id>/verwijderen", methods=["GET", "POST"])
@login_required
def delete_story(story_id: int) -> Page:
    """Ask, then delete one's own story; its replies stay readable under a tombstone."""
    story = writing.own_story(current_user, story_id)
    form = ConfirmForm()
    if request.method == "POST":
        writing.delete_story(current_user, story_id)
        return flow.done(f"bewerk-verhaal:{story_id}", url_for("stories.show", story_id=story_id))
    back = url_for("stories.show", story_id=story.id)
    return flow.render("stories/confirm_delete.html", 200, form=form, story=story, back=back)


@bp.route("/reacties/<int:reply_id>/verwijderen", methods=["GET", "POST"])
@login_required
def delete_reply(reply_id: int) -> Page:
    """Ask, then delete one's own reply; the thread shows that it was deleted."""
    own = writing.own_reply(current_user, reply_id)
    form = ConfirmForm()
    target = reply_pages.location(own, current_user)
    if request.method == "POST":
        writing.delete_reply(current_user, reply_id)
        return flow.done(f"bewerk-reactie:{reply_id}", target)
    return flow.render("stories/confirm_delete.html", 200, form=form, reply=own, back=target)


# --- what a reader wants to see -----------------------------------------------------------


@bp.route("/voorkeuren/lezen", methods=["GET", "POST"])
@login_required
@checked_by_form
def reading_preferences() -> Page:
    """Per warning category: fold such stories (the default) or leave them out."""
    form = reading_form(dict(current_user.warning_filters or {}))
    status = 200
    if form.is_submitted():
        status = 422
        if form.validate():
            choices = {value: str(form[value].data) for value, _label in content_warnings.choices()}
            try:
                writing.set_warning_filters(current_user, choices)
            except ValidationFailed as error:
                form.form_errors.append(error.message)
            else:
                flash(_("Je keuzes zijn opgeslagen."), "success")
                return redirect(url_for("stories.reading_preferences"))
    categories = [form[value] for value, _label in content_warnings.choices()]
    return flow.render("stories/reading_preferences.html", status, form=form, categories=categories)
