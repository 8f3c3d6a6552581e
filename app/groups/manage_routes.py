"""Pages for group managers: their groups at a glance, roles, and the response guarantee."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.csrf import checked_by_form
from app.errors import Conflict, ValidationFailed
from app.groups import management, queries
from app.groups.forms import GuaranteeForm
from app.groups.models import Group, GroupRole

bp = Blueprint("group_admin", __name__)


@bp.get("/beheer/groepen")
@login_required
def overview() -> str:
    """The groups the viewer manages, and which of them have no active ambassador."""
    return render_template(
        "groups/managed.html",
        managed=management.managed_groups(current_user),
        active_days=management.ACTIVE_WITHIN.days,
    )


def _manage_page(group: Group, form: GuaranteeForm, status: int = 200) -> tuple[str, int]:
    search = request.args.get("zoek", "")
    return render_template(
        "groups/manage.html",
        group=group,
        form=form,
        members=management.members(group, actor=current_user, search=search),
        search=search,
        roles=list(GroupRole),
        limit=management.MEMBER_LIST_LIMIT,
    ), status


@bp.get("/groepen/<slug>/beheer")
@login_required
def manage(slug: str) -> tuple[str, int]:
    """A group's members with their roles, and its response guarantee settings."""
    group = queries.find_group(slug, actor=current_user)
    form = GuaranteeForm(
        target_hours=group.response_target_minutes // 60, claim_minutes=group.claim_minutes
    )
    return _manage_page(group, form)


@bp.post("/groepen/<slug>/beheer/leden/<int:user_id>/rol")
@login_required
def set_role(slug: str, user_id: int) -> Response:
    """Give a member another role in the group."""
    group = queries.find_group(slug, actor=current_user)
    try:
        membership = management.set_role(
            group, user_id, request.form.get("role", ""), actor=current_user
        )
    except (Conflict, ValidationFailed) as refused:
        flash(refused.message, "warning")
    else:
        flash(_("De rol van %(name)s is aangepast.", name=membership.user.pseudonym), "success")
    return redirect(url_for("group_admin.manage", slug=group.slug))


@bp.post("/groepen/<slug>/beheer/reactiegarantie")
@login_required
@checked_by_form
def set_guarantee(slug: str) -> Response | tuple[str, int]:
    """Change the group's response target and claim time."""
    group = queries.find_group(slug, actor=current_user)
    form = GuaranteeForm()
    if form.validate_on_submit():
        try:
            management.set_guarantee(
                group, form.target_hours.data, form.claim_minutes.data, actor=current_user
            )
        except ValidationFailed as error:
            getattr(form, error.field or "target_hours").errors.append(error.message)
        else:
            flash(_("De reactiegarantie is opgeslagen. Ze geldt voor nieuwe verhalen."), "success")
            return redirect(url_for("group_admin.manage", slug=group.slug))
    return _manage_page(group, form, 422)
