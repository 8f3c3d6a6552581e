"""Onboarding after registering (step 1): choose groups (step 2), accept the house rules (3)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.csrf import checked_by_form
from app.errors import ValidationFailed
from app.groups import queries
from app.groups.queries import ViewerState
from app.onboarding import services
from app.onboarding.forms import choose_groups_form, group_field, motivation_field
from app.pages import site_settings
from app.pages.help_lines import help_lines

bp = Blueprint("onboarding", __name__)

_OFFERED = (ViewerState.CAN_JOIN, ViewerState.CAN_REQUEST)


@bp.route("/welkom/groepen", methods=["GET", "POST"])
@login_required
@checked_by_form
def choose_groups() -> Response | tuple[str, int]:
    """Step 2: tick groups; public ones are joined at once, closed ones are asked."""
    sections = queries.listed_groups(current_user)
    offered = [
        listing.group
        for section in sections
        for listing in section.listings
        if listing.state in _OFFERED
    ]
    form = choose_groups_form(offered)
    if form.validate_on_submit():
        try:
            outcome = services.join_chosen_groups(form.choices(offered), actor=current_user)
        except ValidationFailed as error:
            target = form[error.field] if error.field and error.field in form else None
            if target is not None:
                target.errors = [*target.errors, error.message]
            else:
                form.form_errors.append(error.message)
        else:
            if outcome.joined:
                flash(
                    _("Je bent lid geworden van %(groups)s.", groups=", ".join(outcome.joined)),
                    "success",
                )
            if outcome.requested:
                flash(
                    _(
                        "Je aanvraag voor %(groups)s is verstuurd. Je krijgt een melding "
                        "zodra er een beslissing is.",
                        groups=", ".join(outcome.requested),
                    ),
                    "success",
                )
            return redirect(url_for("onboarding.house_rules"))
    status = 422 if form.is_submitted() else 200
    return (
        render_template(
            "onboarding/choose_groups.html",
            sections=sections,
            form=form,
            offered=_OFFERED,
            group_field=group_field,
            motivation_field=motivation_field,
        ),
        status,
    )


@bp.route("/welkom/huisregels", methods=["GET", "POST"])
@login_required
def house_rules() -> Response | str:
    """Step 3: read the house rules and accept them, then on to the stories."""
    if request.method == "POST":
        services.accept_house_rules(current_user)
        flash(_("Fijn dat je er bent. Welkom!"), "success")
        return redirect(url_for("home.index"))
    return render_template(
        "onboarding/house_rules.html",
        help_lines=help_lines(),
        custom=site_settings.page_html("huisregels"),
    )
