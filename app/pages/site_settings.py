"""What admins set in the site: the privacy statement, the house rules and the quick-exit
address. Until an admin writes a text, the page shows the text that comes with the server."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from app import markup, permissions
from app.accounts.models import User
from app.audit import services as audit
from app.database import unit_of_work
from app.errors import NotAllowed, ValidationFailed
from app.extensions import db
from app.pages.models import SiteSetting

PAGES = ("privacy", "huisregels")
MAX_PAGE_CHARS = 40_000
_QUICK_EXIT = "quick_exit_url"
_VIDEO_HOSTS = "research_video_hosts"
# Every page shows the quick-exit link: read the setting at most this often per process.
_CACHE_SECONDS = 30.0


def _cache() -> dict[str, tuple[float, Any]]:
    """This app's cache (one per process and app, so tests never share it)."""
    cache: dict[str, tuple[float, Any]] = current_app.extensions.setdefault(
        "site_settings_cache", {}
    )
    return cache


def _stored(key: str) -> Any:
    row = db.session.get(SiteSetting, key)
    return row.value if row is not None else None


def page_html(slug: str) -> str | None:
    """The admins' text of a page as safe HTML, or None for the server's own text."""
    value = _stored(f"page:{slug}")
    return str(value["html"]) if isinstance(value, dict) and value.get("html") else None


def page_source(slug: str) -> str:
    """The admins' text of a page as they wrote it (empty: the server's own text)."""
    value = _stored(f"page:{slug}")
    return str(value.get("source", "")) if isinstance(value, dict) else ""


def quick_exit_url() -> str:
    """Where "Snel weg" leads: the admins' choice, else ``QUICK_EXIT_URL``."""
    cached = _cache().get(_QUICK_EXIT)
    now = time.monotonic()
    if cached is not None and now - cached[0] < _CACHE_SECONDS:
        return str(cached[1])
    value = _stored(_QUICK_EXIT) or current_app.config["QUICK_EXIT_URL"]
    _cache()[_QUICK_EXIT] = (now, value)
    return str(value)


def _save(actor: User, key: str, value: Any) -> None:
    row = db.session.get(SiteSetting, key)
    if row is None:
        row = SiteSetting(key=key)
        db.session.add(row)
    row.value = value
    row.changed_by_name = actor.pseudonym
    audit.record(actor, "site.setting_changed", "site_setting", None, details={"key": key})


def set_page(actor: User, slug: str, source: str) -> None:
    """Replace a page's text (Markdown, cleaned like posts); empty brings back the server's
    own text. Raises NotAllowed, ValueError (unknown page) or ValidationFailed."""
    if not permissions.is_admin(actor):
        raise NotAllowed
    if slug not in PAGES:
        raise ValueError(slug)
    source = markup.clean_text(source or "")
    if len(source) > MAX_PAGE_CHARS:
        raise ValidationFailed(
            _("Deze tekst is te lang: hoogstens %(max)d tekens.", max=MAX_PAGE_CHARS),
            field="source",
        )
    with unit_of_work():
        _save(
            actor,
            f"page:{slug}",
            {"source": source, "html": markup.render(source) if source.strip() else ""},
        )


def set_quick_exit_url(actor: User, url: str) -> None:
    """Set where "Snel weg" leads: a plain http(s) address of another site. Raises
    NotAllowed or ValidationFailed."""
    if not permissions.is_admin(actor):
        raise NotAllowed
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc or len(url) > 300:
        raise ValidationFailed(
            _("Vul een volledig webadres in dat begint met https://."), field="url"
        )
    with unit_of_work():
        _save(actor, _QUICK_EXIT, url)
    _cache().pop(_QUICK_EXIT, None)


def video_hosts() -> tuple[str, ...]:
    """The players whose videos research prompts embed (in their privacy-friendly form):
    the admins' choice, else ``RESEARCH_VIDEO_HOSTS``."""
    stored = _stored(_VIDEO_HOSTS)
    if isinstance(stored, list):
        return tuple(str(host) for host in stored)
    return tuple(current_app.config["RESEARCH_VIDEO_HOSTS"])


def set_video_hosts(actor: User, hosts: list[str]) -> None:
    """Choose which of the supported players may be embedded (none: only plain links).
    Raises NotAllowed or ValidationFailed."""
    from app.research.video import DEFAULT_HOSTS

    if not permissions.is_admin(actor):
        raise NotAllowed
    if any(host not in DEFAULT_HOSTS for host in hosts):
        raise ValidationFailed(_("Kies alleen uit de spelers in de lijst."), field="hosts")
    with unit_of_work():
        _save(actor, _VIDEO_HOSTS, [host for host in DEFAULT_HOSTS if host in hosts])
