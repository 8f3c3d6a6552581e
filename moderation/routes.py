"""The review queue pages: the list, one item with its context, notes and decisions."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app import clock, permissions
from app.errors import Conflict, ValidationFailed
from moderation import configuration, decisions, queue
from moderation.checks import WatchAction
from moderation.models import Priority, SignalKind

bp = Blueprint("moderation", __name__, url_prefix="/moderatie")


@bp.app_context_processor
def _moderation_menu() -> dict[str, object]:
    def moderation_menu() -> int | None:
        """For moderators: how many items are open (for the menu); None for everyone else."""
        if not permissions.is_moderator(current_user):
            return None
        return queue.open_count()

    return {"moderation_menu": moderation_menu}


@bp.get("/")
@login_required
def index() -> str:
    """Open items, most urgent first; ``?soort=`` keeps one kind of signal."""
    kind = request.args.get("soort", "")
    if kind not in {k.value for k in SignalKind}:
        kind = ""
    return render_template(
        "moderation/queue.html",
        items=queue.open_items(current_user, kind),
        kind=kind,
        kinds=list(SignalKind),
        priorities=Priority,
        now=clock.utcnow(),
    )


@bp.get("/open")
@login_required
def open_count() -> Response:
    """How many items are open, as JSON for the menu badge (live.js, after a queue event)."""
    count = queue.open_count_for(current_user)
    return jsonify({"open": count, "label": _("%(count)d open", count=count)})


@bp.get("/items/<int:item_id>")
@login_required
def item(item_id: int) -> str:
    """One item with everything needed to decide it."""
    return _item_page(item_id)[0]


def _item_page(
    item_id: int, refusal: str = "", sent: Mapping[str, str] | None = None, status: int = 200
) -> tuple[str, int]:
    """The item page; after a refused decision with the refusal and what the moderator
    wrote, so that a long reason or edited text is never lost."""
    context = queue.item_context(current_user, item_id)
    page = render_template(
        "moderation/item.html",
        c=context,
        priorities=Priority,
        now=clock.utcnow(),
        templates=configuration.reason_templates(current_user),
        groups=queue.groups_to_move_to(),
        refusal=refusal,
        sent=sent or {},
    )
    return page, status


def _number(value: str | None) -> int | None:
    try:
        return int((value or "").strip())
    except ValueError:
        return None


@bp.post("/items/<int:item_id>/besluit")
@login_required
def decide(item_id: int) -> Response | tuple[str, int]:
    """Decide an item; a conflict or a missing reason comes back with a clear message."""
    form = request.form
    choice = decisions.Choice(
        content=form.get("decision", ""),
        reason=form.get("reason", ""),
        template_id=_number(form.get("template_id")),
        member=form.get("member_action", ""),
        days=_number(form.get("days")),
        new_text=form.get("new_text", ""),
        group_slug=form.get("group", ""),
    )
    try:
        decisions.decide(current_user, item_id, _number(form.get("version")) or 0, choice)
    except (Conflict, ValidationFailed, decisions.SameModerator) as refused:
        return _item_page(item_id, refused.message, form, refused.status)
    flash(_("Je besluit is opgeslagen en wie het aangaat heeft bericht gekregen."), "success")
    return redirect(url_for("moderation.index"))


@bp.post("/items/<int:item_id>/oppakken")
@login_required
def claim(item_id: int) -> Response:
    """Claim an item so other moderators see someone is on it."""
    try:
        queue.claim(current_user, item_id)
    except Conflict as taken:
        flash(taken.message, "info")
    return redirect(url_for("moderation.item", item_id=item_id))


@bp.post("/items/<int:item_id>/notitie")
@login_required
def add_note(item_id: int) -> Response:
    """Add a note for moderators to an item."""
    try:
        queue.add_note(current_user, item_id, request.form.get("body", ""))
    except ValueError:
        flash(_("Je notitie is nog leeg."), "warning")
    return redirect(url_for("moderation.item", item_id=item_id, _anchor="notities"))


@bp.get("/instellingen")
@login_required
def settings_page() -> tuple[str, int]:
    """The watched words and the settings of the checks."""
    return _settings_page(configuration.current(current_user), {}, 200)


def _settings_page(
    values: dict[str, object], errors: dict[str, str], status: int
) -> tuple[str, int]:
    return (
        render_template(
            "moderation/settings.html",
            rules=configuration.rules(current_user),
            templates=configuration.reason_templates(current_user),
            values=values,
            errors=errors,
            actions=list(WatchAction),
        ),
        status,
    )


@bp.post("/instellingen")
@login_required
def save_settings() -> Response | tuple[str, int]:
    """Store the settings; a value out of range comes back with the form as it was sent."""
    form = request.form
    values: dict[str, object] = {
        "crisis_holds": form.get("crisis_holds") == "y",
        "new_member_held_posts": form.get("new_member_held_posts", ""),
        "extra_crisis_phrases": form.get("extra_crisis_phrases", "").splitlines(),
        "hide_at_report_weight": form.get("hide_at_report_weight", ""),
    }
    try:
        held = int(str(values["new_member_held_posts"]).strip())
        weight = float(str(values["hide_at_report_weight"]).strip().replace(",", "."))
        configuration.save(
            current_user,
            bool(values["crisis_holds"]),
            held,
            form.get("extra_crisis_phrases", ""),
            weight,
        )
    except ValueError:
        return _settings_page(values, {"form": _("Vul bij de aantallen een getal in.")}, 422)
    except ValidationFailed as error:
        return _settings_page(values, {error.field or "form": error.message}, 422)
    flash(_("De instellingen zijn opgeslagen."), "success")
    return redirect(url_for("moderation.settings_page"))


@bp.post("/woorden")
@login_required
def add_word() -> Response:
    """Watch a word or phrase."""
    try:
        configuration.add_rule(
            current_user,
            request.form.get("phrase", ""),
            request.form.get("action", ""),
            request.form.get("replacement", ""),
        )
    except (Conflict, ValidationFailed) as refused:
        flash(refused.message, "warning")
    else:
        flash(_("Het woord staat in de lijst."), "success")
    return redirect(url_for("moderation.settings_page", _anchor="woorden"))


@bp.post("/woorden/<int:rule_id>/weg")
@login_required
def remove_word(rule_id: int) -> Response:
    """Stop watching a word."""
    configuration.remove_rule(current_user, rule_id)
    flash(_("Het woord is uit de lijst gehaald."), "info")
    return redirect(url_for("moderation.settings_page", _anchor="woorden"))


@bp.post("/redenen")
@login_required
def add_reason() -> Response:
    """Add a reason moderators can pick for a decision."""
    try:
        configuration.add_reason_template(
            current_user,
            request.form.get("title", ""),
            request.form.get("rule", ""),
            request.form.get("body", ""),
        )
    except (Conflict, ValidationFailed) as refused:
        flash(refused.message, "warning")
    else:
        flash(_("De reden staat in de lijst."), "success")
    return redirect(url_for("moderation.settings_page", _anchor="redenen"))


@bp.post("/redenen/<int:template_id>/weg")
@login_required
def remove_reason(template_id: int) -> Response:
    """Remove a reason from the list."""
    configuration.remove_reason_template(current_user, template_id)
    flash(_("De reden is uit de lijst gehaald."), "info")
    return redirect(url_for("moderation.settings_page", _anchor="redenen"))


@bp.get("/verhalen/<int:story_id>/geschiedenis")
@login_required
def history(story_id: int) -> str:
    """Who wrote a story and its replies, and every earlier version: for moderators."""
    return render_template("moderation/history.html", h=queue.post_history(current_user, story_id))
