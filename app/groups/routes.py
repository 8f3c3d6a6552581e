"""Pages for the groups area: the list, a group's page, joining, leaving and join requests."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app import permissions
from app.csrf import checked_by_form
from app.errors import Conflict, NotAllowed, ValidationFailed
from app.groups import queries, services, themes
from app.groups.forms import JoinRequestForm
from app.groups.models import Group
from app.groups.queries import ViewerState
from app.navigation import safe_next
from app.stories import services as story_services

bp = Blueprint("groups", __name__)
bp.add_app_template_filter(themes.theme_label, "theme_label")
bp.add_app_template_filter(themes.kind_label, "kind_label")
bp.add_app_template_filter(themes.visibility_label, "visibility_label")


@bp.app_template_global("group_url")
def group_url(slug: str) -> str:
    """The address of a group's page, built once per request: a list of stories links the
    same few groups from every card."""
    built: dict[str, str] = g.setdefault("_group_urls", {})
    url = built.get(slug)
    if url is None:
        url = built[slug] = url_for("groups.show", slug=slug)
    return url


def _back(group: Group) -> Response:
    """Return to the page the form was on (the list or the group), the group page by default."""
    target = request.form.get("next")
    if target:
        return redirect(safe_next(target, "groups.index"))
    return redirect(url_for("groups.show", slug=group.slug))


@bp.get("/groepen")
def index() -> str:
    """Every group the viewer may see in lists, by theme."""
    sections = queries.listed_groups(current_user)
    return render_template("groups/index.html", sections=sections)


@bp.get("/groepen/<slug>")
def show(slug: str) -> str:
    """A group's page: what it is, how to join, and its stories when the viewer may read."""
    group = queries.find_group(slug, actor=current_user)
    state = queries.viewer_state(group, actor=current_user)
    stories = None
    if permissions.can_read_group(current_user, group):
        stories = story_services.group_stories(
            current_user, group, before=story_services.cursor_from_token(request.args.get("voor"))
        )
    may_decide = permissions.can_decide_join_requests(current_user, group)
    return render_template(
        "groups/show.html",
        group=group,
        state=state,
        states=ViewerState,
        members=queries.member_count(group),
        stories=stories,
        form=JoinRequestForm() if state is ViewerState.CAN_REQUEST else None,
        may_decide=may_decide,
        may_manage=permissions.can_manage_group(current_user, group),
        may_post=permissions.can_post_in_group(current_user, group),
        waiting=queries.pending_count(group) if may_decide else 0,
    )


@bp.post("/groepen/<slug>/lid-worden")
@login_required
def join(slug: str) -> Response:
    """Join a public group with one click."""
    group = queries.find_group(slug, actor=current_user)
    try:
        services.join(group, actor=current_user)
    except NotAllowed as refused:
        flash(refused.message, "info")
    else:
        flash(_("Welkom in %(group)s! Je bent nu lid.", group=group.name), "success")
    return _back(group)


@bp.post("/groepen/<slug>/verlaten")
@login_required
def leave(slug: str) -> Response:
    """Leave a group."""
    group = queries.find_group(slug, actor=current_user)
    try:
        services.leave(group, actor=current_user)
    except services.LastManager as refused:
        flash(refused.message, "warning")
        return _back(group)
    flash(_("Je bent geen lid meer van %(group)s.", group=group.name), "info")
    if not permissions.can_see_group(current_user, group):
        return redirect(url_for("groups.index"))
    return _back(group)


@bp.route("/groepen/<slug>/aanvraag", methods=["GET", "POST"])
@login_required
@checked_by_form
def request_to_join(slug: str) -> Response | tuple[str, int]:
    """Ask to join a closed group, with an optional short motivation."""
    group = queries.find_group(slug, actor=current_user)
    form = JoinRequestForm()
    if form.validate_on_submit():
        try:
            services.request_to_join(group, form.motivation.data, actor=current_user)
        except ValidationFailed as error:
            form.motivation.errors = [*form.motivation.errors, error.message]
        except (Conflict, NotAllowed) as refused:
            flash(refused.message, "info")
            return redirect(url_for("groups.show", slug=group.slug))
        else:
            flash(
                _(
                    "Je aanvraag is verstuurd. Je krijgt een melding zodra een beheerder "
                    "of ambassadeur ernaar heeft gekeken."
                ),
                "success",
            )
            return redirect(url_for("groups.show", slug=group.slug))
    elif not form.is_submitted():
        state = queries.viewer_state(group, actor=current_user)
        if state is not ViewerState.CAN_REQUEST:
            return redirect(url_for("groups.show", slug=group.slug))
    status = 422 if form.is_submitted() else 200
    return render_template("groups/request.html", group=group, form=form), status


@bp.post("/groepen/<slug>/aanvraag/intrekken")
@login_required
def withdraw_request(slug: str) -> Response:
    """Withdraw one's own pending request to join."""
    group = queries.find_group(slug, actor=current_user)
    services.withdraw_request(group, actor=current_user)
    flash(_("Je aanvraag is ingetrokken."), "info")
    return _back(group)


@bp.get("/groepen/<slug>/aanvragen")
@login_required
def join_requests(slug: str) -> str:
    """The requests waiting for a decision, for the group's managers, ambassadors and moderators."""
    group = queries.find_group(slug, actor=current_user)
    waiting = services.pending_requests(group, actor=current_user)
    return render_template("groups/join_requests.html", group=group, waiting=waiting)


@bp.post("/groepen/<slug>/aanvragen/<int:request_id>/goedkeuren")
@login_required
def approve(slug: str, request_id: int) -> Response:
    """Let the requester in."""
    group = queries.find_group(slug, actor=current_user)
    decided = services.decide(group, request_id, approve=True, actor=current_user)
    flash(_("%(name)s is nu lid van de groep.", name=decided.user.pseudonym), "success")
    return redirect(url_for("groups.join_requests", slug=group.slug))


@bp.post("/groepen/<slug>/aanvragen/<int:request_id>/afwijzen")
@login_required
def decline(slug: str, request_id: int) -> Response:
    """Decline a request; the requester gets a notification."""
    group = queries.find_group(slug, actor=current_user)
    decided = services.decide(group, request_id, approve=False, actor=current_user)
    flash(_("Je hebt de aanvraag van %(name)s afgewezen.", name=decided.user.pseudonym), "info")
    return redirect(url_for("groups.join_requests", slug=group.slug))
