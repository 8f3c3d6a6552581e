"""Where to send people next: only ever to a path on this site."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import permissions
from app.dashboard import scope as dashboard_scope


def safe_next(target: str | None, fallback_endpoint: str = "home.index") -> str:
    """Return ``target`` if it is a local path, else the URL of ``fallback_endpoint``."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for(fallback_endpoint)


def work_links() -> list[tuple[str, str]]:
    """The pages for the work the viewer does for the community (endpoint, label), for the
    main menu: the ambassador's queue, the staff's response dashboard, group management and
    the audit log. Moderation adds its own link."""
    links = []
    if permissions.ambassador_group_ids(current_user):
        links.append(("guarantee.queue_page", _("Wachtrij")))
    if permissions.can_watch_responses(current_user):
        links.append(("guarantee.dashboard", _("Reactiegarantie")))
    if permissions.manages_any_group(current_user):
        links.append(("group_admin.overview", _("Groepen beheren")))
    if permissions.can_start_study(current_user):
        links.append(("research.index", _("Onderzoek")))
    if dashboard_scope.may_open(current_user):
        links.append(("dashboard.index", _("Cijfers")))
    if permissions.is_admin(current_user):
        links.append(("audit.index", _("Logboek")))
    return links
