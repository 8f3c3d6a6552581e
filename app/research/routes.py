"""Pages for taking part in a study: the invitation with its consent step, the study's page
with the open prompts, a prompt, accepting a changed consent text, and withdrawing."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app import http_headers, permissions
from app.csrf import checked_by_form
from app.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from app.pages import site_settings
from app.research import programme, services, video
from app.research.forms import ConfirmForm, ConsentForm, StartStudyForm
from app.stories.forms import ReplyForm

bp = Blueprint("research", __name__)

Page = Response | str | tuple[str, int]


def _version(form: ConsentForm) -> int | None:
    raw = (form.version.data or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 9 else None


@bp.get("/onderzoek")
@login_required
def index() -> str:
    """The studies the viewer runs or takes part in."""
    running, taking_part = services.studies_for(current_user)
    return render_template(
        "research/index.html",
        running=running,
        taking_part=taking_part,
        may_start=permissions.can_start_study(current_user),
    )


@bp.route("/onderzoek/nieuw", methods=["GET", "POST"])
@login_required
@checked_by_form
def start() -> Page:
    """Start a study: a hidden research group with its consent text."""
    if not permissions.can_start_study(current_user):
        raise NotAllowed(_("Alleen onderzoekers kunnen een onderzoek starten."))
    form = StartStudyForm()
    if request.method == "GET":
        return render_template("research/start.html", form=form)
    if not form.validate():
        return render_template("research/start.html", form=form), 400
    try:
        group = services.start_study(
            form.name.data or "",
            form.description.data or "",
            form.consent.data or "",
            actor=current_user,
        )
    except ValidationFailed as error:
        getattr(form, error.field or "name").errors.append(error.message)
        return render_template("research/start.html", form=form), 422
    flash(_("Het onderzoek staat klaar. Plan nu de vragen en maak een uitnodiging."), "success")
    return redirect(url_for("research.study", slug=group.slug))


@bp.get("/onderzoek/<slug>")
@login_required
def study(slug: str) -> Page:
    """The study's page: the open prompts for participants, the tools for researchers."""
    group, found = services.find(slug, actor=current_user)
    researcher = permissions.can_run_study(current_user, group)
    if not researcher and not permissions.can_read_group(current_user, group):
        if services.participation_of(found, current_user) is not None:
            return redirect(url_for("research.consent", slug=group.slug))
        raise NotFound
    shown = programme.prompts(group, actor=current_user)
    answered = {prompt.day for prompt in shown if programme.has_responded(prompt, current_user)}
    return render_template(
        "research/study.html",
        group=group,
        prompts=shown,
        answered=answered,
        researcher=researcher,
        is_open=programme.is_open,
    )


@bp.get("/onderzoek/<slug>/dag/<int:day>")
@login_required
def prompt(slug: str, day: int) -> Page:
    """One day's prompt: the question, a video, the response form and the day's threads."""
    group, _study = services.find(slug, actor=current_user)
    shown = programme.ensure_open(programme.prompt_on(group, day, actor=current_user))
    embed = video.embed_for(shown.video_url, site_settings.video_hosts())
    page = render_template(
        "research/prompt.html",
        group=group,
        prompt=shown,
        embed=embed,
        form=ReplyForm(),
        responded=programme.has_responded(shown, current_user),
        may_post=permissions.can_post_in_group(current_user, group),
        is_open=programme.is_open(shown),
    )
    response = current_app.make_response(page)
    if embed is not None:
        http_headers.allow_frames(response, embed.origin)
    return response


def _consent_page(slug: str, form: ConsentForm, status: int = 200) -> tuple[str, int]:
    group, found = services.find(slug, actor=current_user)
    participation = services.participation_of(found, current_user)
    if participation is None or participation.is_withdrawn:
        raise NotFound
    text = services.current_consent(found)
    form.version.data = str(text.version)
    return render_template(
        "research/consent.html",
        group=group,
        text=text,
        form=form,
        action=url_for("research.consent", slug=group.slug),
        current=participation.consent_version >= found.consent_version,
    ), status


@bp.route("/onderzoek/<slug>/toestemming", methods=["GET", "POST"])
@login_required
@checked_by_form
def consent(slug: str) -> Page:
    """Read the study's (changed) consent text and accept it to go on taking part."""
    form = ConsentForm()
    if request.method == "GET":
        return _consent_page(slug, form)
    if not form.validate():
        return _consent_page(slug, form, 400 if "csrf_token" in form.errors else 422)
    group, _study = services.find(slug, actor=current_user)
    try:
        services.give_consent(group, _version(form), actor=current_user)
    except Conflict as error:
        fresh = ConsentForm(formdata=None)
        fresh.form_errors.append(error.message)
        return _consent_page(slug, fresh, 409)
    flash(_("Dank je wel. Je doet weer mee."), "success")
    return redirect(url_for("research.study", slug=group.slug))


@bp.route("/onderzoek/<slug>/terugtrekken", methods=["GET", "POST"])
@login_required
@checked_by_form
def withdraw(slug: str) -> Page:
    """Stop taking part, after a plain explanation of what that means."""
    group, found = services.find(slug, actor=current_user)
    participation = services.participation_of(found, current_user)
    if participation is None or participation.is_withdrawn:
        raise NotFound
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate():
            return render_template("research/withdraw.html", group=group, form=form), 400
        services.withdraw(group, actor=current_user)
        flash(
            _(
                "Je doet niet meer mee aan dit onderzoek. Wat je schreef, is uit de groep "
                "gehaald en gaat niet mee in het onderzoek. Dank je wel voor je tijd."
            ),
            "success",
        )
        return redirect(url_for("home.index"))
    return render_template("research/withdraw.html", group=group, form=form)


def _invitation_page(token: str, form: ConsentForm, status: int = 200) -> tuple[str, int]:
    try:
        group, _study, text = services.open_invitation(token)
    except services.InvitationUnusable as error:
        return render_template("research/invitation_gone.html", message=error.message), 410
    form.version.data = str(text.version)
    return render_template(
        "research/invitation.html",
        group=group,
        text=text,
        form=form,
        token=token,
        action=url_for("research.invitation", token=token),
    ), status


@bp.route("/onderzoek/uitnodiging/<token>", methods=["GET", "POST"])
@checked_by_form
def invitation(token: str) -> Page:
    """An invitation: what the study is, the consent text, and taking part."""
    form = ConsentForm()
    if request.method == "GET" or not current_user.is_authenticated:
        return _invitation_page(token, form, 200 if request.method == "GET" else 401)
    if not form.validate():
        return _invitation_page(token, form, 400 if "csrf_token" in form.errors else 422)
    try:
        participation = services.accept_invitation(token, _version(form), actor=current_user)
    except services.InvitationUnusable as error:
        return render_template("research/invitation_gone.html", message=error.message), 410
    except (Conflict, NotAllowed) as error:
        fresh = ConsentForm(formdata=None)
        fresh.form_errors.append(error.message)
        return _invitation_page(token, fresh, error.status)
    flash(
        _(
            "Welkom! Je doet mee. Je deelnemerscode is %(code)s: zo sta je in het onderzoek, "
            "zonder je schuilnaam.",
            code=participation.code,
        ),
        "success",
    )
    return redirect(url_for("research.study", slug=participation.study.group.slug))
