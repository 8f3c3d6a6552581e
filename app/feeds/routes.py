"""Making public groups findable: the sitemap, robots.txt and an Atom feed per public group."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Response, current_app, render_template, url_for

from app import clock
from app.feeds import services

bp = Blueprint("feeds", __name__)


def absolute_url(endpoint: str, **values: Any) -> str:
    """A full URL: on the configured BASE_URL when there is one, else on the request's host."""
    base = current_app.config.get("BASE_URL") or ""
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def _iso(moment: datetime) -> str:
    return clock.as_utc(moment).isoformat(timespec="seconds")


@bp.get("/robots.txt")
def robots() -> Response:
    """Public content may be indexed; the sitemap says where it is."""
    text = render_template("feeds/robots.txt", sitemap=absolute_url("feeds.sitemap"))
    return Response(text, mimetype="text/plain")


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """The home page, the public groups and the published stories in public groups."""
    groups = services.public_groups()
    stories = services.public_story_dates()
    latest: dict[int, datetime] = {}
    for _story_id, group_id, changed in stories:
        if group_id not in latest or changed > latest[group_id]:
            latest[group_id] = changed
    urls = [(absolute_url("home.index"), max(latest.values(), default=None))]
    urls += [
        (absolute_url("groups.show", slug=group.slug), latest.get(group.id, group.created_at))
        for group in groups
    ]
    urls += [
        (absolute_url("stories.show", story_id=story_id), changed)
        for story_id, _group_id, changed in stories
    ]
    xml = render_template("feeds/sitemap.xml", urls=urls, iso=_iso)
    return Response(xml, mimetype="application/xml")


@bp.get("/groepen/<slug>/feed.xml")
def group_feed(slug: str) -> Response:
    """An Atom feed of a public group's newest stories; 404 for closed and hidden groups."""
    group = services.public_group(slug)
    entries = services.group_entries(group)
    updated = max((entry.updated for entry in entries), default=group.created_at)
    xml = render_template(
        "feeds/group.atom.xml",
        group=group,
        entries=entries,
        updated=updated,
        feed_url=absolute_url("feeds.group_feed", slug=group.slug),
        group_url=absolute_url("groups.show", slug=group.slug),
        story_url=lambda story_id: absolute_url("stories.show", story_id=story_id),
        iso=_iso,
    )
    return Response(xml, mimetype="application/atom+xml")
