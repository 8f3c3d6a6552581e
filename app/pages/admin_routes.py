"""Admins edit the privacy statement, the house rules and the quick-exit address."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from app import permissions
from app.csrf import checked_by_form
from app.errors import ValidationFailed
from app.forms import Form
from app.pages import site_settings
from app.stories.forms import CheckboxesField

bp = Blueprint("site_admin", __name__)

TITLES = {"privacy": _l("Privacyverklaring"), "huisregels": _l("Huisregels")}


class PageForm(Form):
    source = TextAreaField(
        _l("Tekst"),
        validators=[Length(max=site_settings.MAX_PAGE_CHARS + 1000)],
        description=_l(
            "Gewone tekst; een lege regel begint een nieuwe alinea, ## maakt een kopje. "
            "Laat je het veld leeg, dan staat de tekst die bij de site hoort er weer."
        ),
    )


class QuickExitForm(Form):
    url = StringField(
        _l("Adres voor \u201cSnel weg\u201d"),
        validators=[DataRequired(_l("Vul dit veld in.")), Length(max=300)],
        description=_l(
            "Een gewone site die niets verraadt, zoals een weerbericht of een zoekmachine."
        ),
    )


class VideoHostsForm(Form):
    hosts = CheckboxesField(
        _l("Video's in onderzoeksvragen in de pagina tonen van"),
        choices=[
            SelectChoice("www.youtube-nocookie.com", _l("YouTube (zonder volgcookies)")),
            SelectChoice("player.vimeo.com", _l("Vimeo (zonder volgen)")),
        ],
        description=_l("Niet aangevinkt: deelnemers zien een gewone link naar de video."),
    )


def _admins_only() -> None:
    if not permissions.is_admin(current_user):
        abort(404)


@bp.route("/beheer/site", methods=["GET", "POST"])
@login_required
@checked_by_form
def overview() -> Response | tuple[str, int]:
    """The quick-exit address, and links to the page texts."""
    _admins_only()
    form = QuickExitForm(data={"url": site_settings.quick_exit_url()})
    if form.validate_on_submit():
        try:
            site_settings.set_quick_exit_url(current_user, form.url.data or "")
        except ValidationFailed as refused:
            form.url.errors = [str(refused)]
        else:
            flash(_("Opgeslagen."), "success")
            return redirect(url_for("site_admin.overview"))
    status = 422 if form.is_submitted() else 200
    return _overview(form=form, status=status)


def _overview(
    form: QuickExitForm | None = None, videos: VideoHostsForm | None = None, status: int = 200
) -> tuple[str, int]:
    form = form or QuickExitForm(data={"url": site_settings.quick_exit_url()})
    videos = videos or VideoHostsForm(
        prefix="video", data={"hosts": list(site_settings.video_hosts())}
    )
    return render_template("pages/admin.html", form=form, videos=videos, titles=TITLES), status


@bp.post("/beheer/site/videos")
@login_required
@checked_by_form
def video_hosts() -> Response | tuple[str, int]:
    """Which video players research prompts may embed."""
    _admins_only()
    videos = VideoHostsForm(prefix="video")
    if videos.validate_on_submit():
        try:
            site_settings.set_video_hosts(current_user, list(videos.hosts.data or []))
        except ValidationFailed as refused:
            videos.hosts.errors = [str(refused)]
        else:
            flash(_("Opgeslagen."), "success")
            return redirect(url_for("site_admin.overview"))
    return _overview(videos=videos, status=422)


@bp.route("/beheer/site/pagina/<slug>", methods=["GET", "POST"])
@login_required
@checked_by_form
def edit_page(slug: str) -> Response | tuple[str, int]:
    """Write the text of the privacy statement or the house rules."""
    _admins_only()
    if slug not in site_settings.PAGES:
        abort(404)
    form = PageForm(data={"source": site_settings.page_source(slug)})
    if form.validate_on_submit():
        try:
            site_settings.set_page(current_user, slug, form.source.data or "")
        except ValidationFailed as refused:
            form.source.errors = [str(refused)]
        else:
            flash(_("Opgeslagen."), "success")
            return redirect(url_for("site_admin.edit_page", slug=slug))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "pages/admin_page.html", form=form, slug=slug, title=TITLES[slug]
    ), status
