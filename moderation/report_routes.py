"""Pages for reporting a story, reply or member, and for visitors' notices.

A refused form comes back with the person's words in it and a status that says why: 400 an
expired form token, 401 logged out, 403 not allowed, 409 already reported, 422 something to
change, 429 too many in a short time. That is why the POST views do not use
``login_required``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app import ratelimits
from app.csrf import checked_by_form
from app.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from app.stories import reply_pages
from moderation import reports
from moderation.forms import NoticeForm, ReportForm
from moderation.models import TargetType
from moderation.reports import Target

bp = Blueprint("reports", __name__)

REPORTS_PER_USER = "10 per hour"
NOTICES_PER_CLIENT = "5 per hour"
_NOTICE_SENT = "notice_sent"

Page = Response | tuple[str, int]


@bp.route("/melden/verhaal/<int:story_id>", methods=["GET", "POST"])
@checked_by_form
def report_story(story_id: int) -> Page:
    """A member reports a story to the moderators."""
    return _report(TargetType.STORY, story_id)


@bp.route("/melden/reactie/<int:reply_id>", methods=["GET", "POST"])
@checked_by_form
def report_reply(reply_id: int) -> Page:
    """A member reports a reply to the moderators."""
    return _report(TargetType.REPLY, reply_id)


@bp.route("/melden/lid/<int:user_id>", methods=["GET", "POST"])
@checked_by_form
def report_member(user_id: int) -> Page:
    """A member reports another member to the moderators."""
    return _report(TargetType.USER, user_id)


@bp.route("/melding-doen/verhaal/<int:story_id>", methods=["GET", "POST"])
@checked_by_form
def notice_story(story_id: int) -> Page:
    """A visitor sends a notice about a story in a public group."""
    return _notice(TargetType.STORY, story_id)


@bp.route("/melding-doen/reactie/<int:reply_id>", methods=["GET", "POST"])
@checked_by_form
def notice_reply(reply_id: int) -> Page:
    """A visitor sends a notice about a reply in a public group."""
    return _notice(TargetType.REPLY, reply_id)


@bp.get("/melding-doen/verzonden")
def notice_sent() -> str:
    """Thanks for a notice; whether an answer follows depends on the address left."""
    sent = session.pop(_NOTICE_SENT, None) or {}
    return render_template(
        "moderation/notice_sent.html",
        by_email=bool(sent.get("by_email")),
        story_id=sent.get("story_id"),
    )


# --- how the forms are answered -----------------------------------------------------------


def _back(target: Target) -> str:
    """Where a member returns after reporting: the story (at the reply), or home."""
    if target.story_id is None:
        return url_for("home.index")
    if target.target_type is TargetType.REPLY:
        return reply_pages.permalink(target.target_id)
    return url_for("stories.show", story_id=target.story_id)


def _notice_url(target_type: TargetType, target_id: int) -> str | None:
    """The visitor's notice form for this content, when a visitor may send one."""
    try:
        reports.find_public_target(target_type, target_id)
    except NotFound:
        return None
    if target_type is TargetType.STORY:
        return url_for("reports.notice_story", story_id=target_id)
    return url_for("reports.notice_reply", reply_id=target_id)


def _refusal(form: FlaskForm, limit_name: str, limits: str, key: str) -> int | None:
    """Check the form token and the limit; the status to answer with when refused."""
    if not form.validate():
        return 400 if "csrf_token" in form.errors else 422
    try:
        ratelimits.check(limit_name, limits, key)
    except ratelimits.RateLimited as refused:
        form.form_errors.append(
            ngettext(
                "Je hebt in korte tijd veel meldingen gedaan. Je tekst staat er nog: probeer "
                "het over %(num)d minuut opnieuw.",
                "Je hebt in korte tijd veel meldingen gedaan. Je tekst staat er nog: probeer "
                "het over %(num)d minuten opnieuw.",
                refused.minutes,
            )
        )
        return 429
    return None


def _show_error(form: FlaskForm, error: ValidationFailed) -> None:
    """Put the service's message next to the field it names, or above the form."""
    target = getattr(form, error.field, None) if error.field else None
    if target is not None:
        target.errors = [*target.errors, error.message]
    else:
        form.form_errors.append(error.message)


def _render(template: str, status: int, **context: Any) -> tuple[str, int]:
    return render_template(template, **context), status


def _report_logged_out(form: ReportForm, target_type: TargetType, target_id: int) -> Page:
    """Visitors may log in, or send a notice about public content; a login that ran out
    keeps the text (401)."""
    notice_url = None if target_type is TargetType.USER else _notice_url(target_type, target_id)
    login_url = url_for("accounts.login", next=request.full_path.rstrip("?"))
    if request.method == "GET" and notice_url is None:
        return redirect(login_url)
    if request.method == "POST":
        form.form_errors.append(
            _(
                "Je bent uitgelogd, maar je tekst staat er nog. Log in in een nieuw tabblad en "
                "verstuur daarna opnieuw."
            )
        )
    return _render(
        "moderation/report_form.html",
        401 if request.method == "POST" else 200,
        form=form,
        target=None,
        target_type=target_type.value,
        notice_url=notice_url,
        login_url=login_url,
    )


def _report(target_type: TargetType, target_id: int) -> Page:
    form = ReportForm()
    if not current_user.is_authenticated:
        return _report_logged_out(form, target_type, target_id)
    target = reports.find_target(current_user, target_type, target_id)
    context = {"form": form, "target": target, "target_type": target_type.value}
    if request.method == "GET":
        return _render("moderation/report_form.html", 200, **context)
    key = ratelimits.user_key(current_user.id)
    status = _refusal(form, "report", REPORTS_PER_USER, key)
    if status is None:
        try:
            reports.report_content(
                current_user,
                target_type,
                target_id,
                form.reason.data or "",
                form.note.data or "",
            )
        except ValidationFailed as error:
            _show_error(form, error)
            status = 422
        except (Conflict, NotAllowed) as refused:
            form.form_errors.append(refused.message or _("Dit kan hier niet."))
            status = refused.status
        else:
            flash(
                _(
                    "Dank je wel voor je melding. Een moderator kijkt ernaar. "
                    "Je hoort het als er een besluit is."
                ),
                "success",
            )
            return redirect(_back(target))
    return _render("moderation/report_form.html", status, **context)


def _notice(target_type: TargetType, target_id: int) -> Page:
    form = NoticeForm()
    target = reports.find_public_target(target_type, target_id)
    context = {"form": form, "target": target, "target_type": target_type.value}
    if request.method == "GET":
        return _render("moderation/notice_form.html", 200, **context)
    status = _refusal(form, "notice", NOTICES_PER_CLIENT, ratelimits.client_key())
    if status is None:
        email = form.email.data or ""
        try:
            reports.file_notice(
                target_type, target_id, form.reason.data or "", form.explanation.data or "", email
            )
        except ValidationFailed as error:
            _show_error(form, error)
            status = 422
        else:
            session[_NOTICE_SENT] = {"by_email": bool(email.strip()), "story_id": target.story_id}
            return redirect(url_for("reports.notice_sent"))
    return _render("moderation/notice_form.html", status, **context)
