"""Pages for a study's researchers: the programme, invitations, the consent text, the
participation matrix with reminders, and exports."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from app import clock
from app.csrf import checked_by_form
from app.errors import Conflict, ValidationFailed
from app.groups.models import Group
from app.research import exports, programme, services
from app.research.forms import ConfirmForm, ConsentTextForm, InvitationForm, PromptForm

bp = Blueprint("research_tools", __name__)

Page = BaseResponse | str | tuple[str, int]


def _group(slug: str) -> Group:
    group, _study = services.find(slug, actor=current_user)
    services.check_researcher(current_user, group)
    return group


def _status(form: Any) -> int:
    return 400 if "csrf_token" in form.errors else 422


def _show_error(form: Any, error: ValidationFailed | Conflict, default: str) -> None:
    field = getattr(form, getattr(error, "field", None) or default, None)
    if field is not None and isinstance(error, ValidationFailed):
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def _programme_page(group: Group, form: PromptForm, status: int = 200) -> tuple[str, int]:
    return render_template(
        "research/programme.html",
        group=group,
        prompts=programme.prompts(group, actor=current_user),
        form=form,
        confirm=ConfirmForm(),
        is_open=programme.is_open,
    ), status


@bp.route("/onderzoek/<slug>/programma", methods=["GET", "POST"])
@login_required
@checked_by_form
def programme_page(slug: str) -> Page:
    """The programme by day, and a form to add a day."""
    group = _group(slug)
    form = PromptForm()
    if request.method == "GET":
        if form.day.data is None:
            form.day.data = len(programme.prompts(group, actor=current_user)) + 1
        return _programme_page(group, form)
    if not form.validate():
        return _programme_page(group, form, _status(form))
    try:
        planned = programme.plan(
            group,
            form.day.data,
            form.title.data or "",
            form.body.data or "",
            form.video_url.data or "",
            programme.opening_moment(form.opens_on.data, form.opens_time.data),
            actor=current_user,
        )
    except (ValidationFailed, Conflict) as error:
        _show_error(form, error, "title")
        return _programme_page(group, form, error.status)
    flash(_("Dag %(day)d staat in het programma.", day=planned.day), "success")
    return redirect(url_for("research_tools.programme_page", slug=group.slug))


@bp.route("/onderzoek/<slug>/programma/<int:day>/bewerken", methods=["GET", "POST"])
@login_required
@checked_by_form
def revise(slug: str, day: int) -> Page:
    """Change a day's prompt before it opens."""
    group = _group(slug)
    planned = programme.prompt_on(group, day, actor=current_user)
    if request.method == "GET":
        opens = clock.local(planned.opens_at)
        form = PromptForm(
            data={
                "day": planned.day,
                "title": planned.title,
                "body": planned.body_source,
                "video_url": planned.video_url,
                "opens_on": opens.date(),
                "opens_time": opens.time().replace(second=0, microsecond=0),
            }
        )
        return _revise_page(group, planned.day, form)
    form = PromptForm()
    del form.day  # a prompt keeps its day
    if not form.validate():
        return _revise_page(group, planned.day, form, _status(form))
    try:
        programme.revise(
            group,
            planned.day,
            form.title.data or "",
            form.body.data or "",
            form.video_url.data or "",
            programme.opening_moment(form.opens_on.data, form.opens_time.data),
            actor=current_user,
        )
    except (ValidationFailed, Conflict) as error:
        _show_error(form, error, "title")
        return _revise_page(group, planned.day, form, error.status)
    flash(_("Dag %(day)d is aangepast.", day=planned.day), "success")
    return redirect(url_for("research_tools.programme_page", slug=group.slug))


def _revise_page(group: Group, day: int, form: PromptForm, status: int = 200) -> tuple[str, int]:
    return render_template("research/prompt_edit.html", group=group, day=day, form=form), status


@bp.post("/onderzoek/<slug>/programma/<int:day>/weghalen")
@login_required
def unplan(slug: str, day: int) -> BaseResponse:
    """Take a prompt that has not opened yet out of the programme."""
    group = _group(slug)
    try:
        programme.unplan(group, day, actor=current_user)
    except Conflict as error:
        flash(error.message, "warning")
    else:
        flash(_("Dag %(day)d is uit het programma gehaald.", day=day), "success")
    return redirect(url_for("research_tools.programme_page", slug=group.slug))


@bp.get("/onderzoek/<slug>/deelname")
@login_required
def participation(slug: str) -> str:
    """Which participant (by study code) answered which open prompt."""
    group = _group(slug)
    return render_template(
        "research/matrix.html",
        group=group,
        matrix=programme.matrix(group, actor=current_user),
        confirm=ConfirmForm(),
    )


@bp.post("/onderzoek/<slug>/programma/<int:day>/herinnering")
@login_required
def remind(slug: str, day: int) -> BaseResponse:
    """Remind those who have not answered the day's prompt yet (once per prompt)."""
    group = _group(slug)
    try:
        count = programme.remind(group, day, actor=current_user)
    except Conflict as error:
        flash(error.message, "warning")
    else:
        flash(
            ngettext(
                "%(num)d deelnemer kreeg een herinnering.",
                "%(num)d deelnemers kregen een herinnering.",
                count,
            ),
            "success",
        )
    return redirect(url_for("research_tools.participation", slug=group.slug))


def _invitations_page(
    group: Group, form: InvitationForm, status: int = 200, link: str | None = None
) -> tuple[str, int]:
    return render_template(
        "research/invitations.html",
        group=group,
        invitations=services.invitations(group, actor=current_user),
        form=form,
        confirm=ConfirmForm(),
        link=link,
    ), status


@bp.route("/onderzoek/<slug>/uitnodigingen", methods=["GET", "POST"])
@login_required
@checked_by_form
def invitations(slug: str) -> Page:
    """The study's invitation links, and a form to make one."""
    group = _group(slug)
    form = InvitationForm()
    if request.method == "GET":
        return _invitations_page(group, form)
    if not form.validate():
        return _invitations_page(group, form, _status(form))
    try:
        _invitation, token = services.create_invitation(
            group, form.days.data, form.max_uses.data, form.label.data or "", actor=current_user
        )
    except ValidationFailed as error:
        _show_error(form, error, "days")
        return _invitations_page(group, form, 422)
    link = url_for("research.invitation", token=token, _external=True)
    # The link is shown once, on this page, and never stored: only its hash is kept.
    return _invitations_page(group, InvitationForm(formdata=None), 200, link=link)


@bp.post("/onderzoek/<slug>/uitnodigingen/<int:invitation_id>/intrekken")
@login_required
def revoke(slug: str, invitation_id: int) -> BaseResponse:
    """Make an invitation link stop working."""
    group = _group(slug)
    services.revoke_invitation(group, invitation_id, actor=current_user)
    flash(_("De link werkt niet meer."), "success")
    return redirect(url_for("research_tools.invitations", slug=group.slug))


@bp.route("/onderzoek/<slug>/toestemmingstekst", methods=["GET", "POST"])
@login_required
@checked_by_form
def consent_text(slug: str) -> Page:
    """The consent text; saving a change makes a new version everyone must accept."""
    group = _group(slug)
    current = services.current_consent(services.study_of(group))
    form = ConsentTextForm()
    if request.method == "GET":
        form.text.data = current.text
        return render_template(
            "research/consent_text.html", group=group, form=form, current=current
        )
    status = None if form.validate() else _status(form)
    if status is None:
        try:
            services.change_consent(group, form.text.data or "", actor=current_user)
        except ValidationFailed as error:
            _show_error(form, error, "text")
            status = 422
        else:
            flash(_("De nieuwe tekst staat klaar. Deelnemers krijgen een bericht."), "success")
            return redirect(url_for("research_tools.consent_text", slug=group.slug))
    return render_template(
        "research/consent_text.html", group=group, form=form, current=current
    ), status


@bp.get("/onderzoek/<slug>/export.<fmt>")
@login_required
def export(slug: str, fmt: str) -> Response:
    """Download prompts and responses by study code (CSV or JSON); the download is logged."""
    group = _group(slug)
    made = exports.export(group, fmt, actor=current_user)
    response = Response(made.content, mimetype=made.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    return response
