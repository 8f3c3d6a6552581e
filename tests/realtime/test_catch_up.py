"""After a reconnect an open page fetches over HTTP what it missed; and pages only switch live
updates on where the reader may have them."""

from __future__ import annotations

import re

from app.database import unit_of_work
from app.groups.models import Visibility
from app.notifications.services import notify
from tests.support import Factory

_LATEST = re.compile(r'data-latest-notification="([0-9]+)"')


def _latest_on_page(page: str) -> int:
    match = _LATEST.search(page)
    assert match, "the page does not say which notification it showed last"
    return int(match.group(1))


def test_after_a_reconnect_the_bell_catches_up_with_what_was_missed(open_page, make, app):
    member = make.user()
    page = open_page(member)
    with app.test_request_context(), unit_of_work():
        notify(member.id, "moderation.report_received", {})
    seen = _latest_on_page(page.http.get("/").get_data(as_text=True))
    page.socket.disconnect()

    # While the connection was down: two more, of which the page heard nothing.
    with app.test_request_context(), unit_of_work():
        notify(member.id, "moderation.report_upheld", {})
        notify(member.id, "moderation.report_not_upheld", {})
    again = open_page(member)
    missed = again.http.get(f"/meldingen/sinds/{seen}").get_json()

    assert [item["text"][:40] for item in missed["items"]] == [
        "Dank je voor je melding. Een moderator h",
        "Dank je voor je melding. Een moderator h",
    ]
    assert "mag blijven" in missed["items"][0]["text"]
    assert "weggehaald" in missed["items"][1]["text"]
    assert missed["unread"] == 3
    assert missed["unread_label"] == "3 ongelezen"
    assert missed["latest_id"] == missed["items"][0]["id"]


def test_the_catch_up_shows_only_ones_own_notifications_and_needs_a_login(open_page, make, app):
    member, other = make.user(), make.user()
    with app.test_request_context(), unit_of_work():
        notify(other.id, "moderation.report_received", {})
    assert open_page(member).http.get("/meldingen/sinds/0").get_json()["items"] == []
    response = open_page().http.get("/meldingen/sinds/0")
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]


def test_after_a_reconnect_the_story_page_fetches_replies_posted_meanwhile(
    open_page, make: Factory
):
    group = make.group()
    writer = make.user()
    make.membership(writer, group)
    story = make.story(group, writer)
    make.reply(story, body="Eerste reactie.")
    reader = open_page()
    before = reader.http.get(f"/verhalen/{story.id}").get_data(as_text=True)
    reader.socket.disconnect()
    late = make.reply(story, body="Terwijl je weg was.")

    listed = open_page().http.get(f"/verhalen/{story.id}/reacties").get_data(as_text=True)

    assert "Terwijl je weg was." not in before
    assert f'id="reactie-{late.id}"' in listed and "Terwijl je weg was." in listed
    assert 'data-heading="2 reacties"' in listed
    assert "<html" not in listed  # a fragment, not a page


def test_the_reply_list_of_a_closed_group_stays_hidden_from_outsiders(open_page, make: Factory):
    closed = make.group(Visibility.CLOSED)
    story = make.story(closed)
    make.reply(story, body="Binnen de groep.")
    assert open_page().http.get(f"/verhalen/{story.id}/reacties").status_code == 404
    assert open_page(make.user()).http.get(f"/verhalen/{story.id}/reacties").status_code == 404


def test_pages_switch_live_updates_on_only_where_the_reader_may_have_them(open_page, make: Factory):
    group = make.group()
    story = make.story(group)
    visitor = open_page().http
    story_page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert f'data-live-rooms="story:{story.id}"' in story_page
    assert "vendor/socket.io/socket.io.min.js" in story_page
    assert "data-notifications-since" not in story_page
    home = visitor.get("/").get_data(as_text=True)
    assert "socket.io.min.js" not in home and "data-live " not in home

    member_home = open_page(make.user()).http.get("/").get_data(as_text=True)
    assert "js/live.js" in member_home
    assert 'data-notifications-since="/meldingen/sinds/0"' in member_home


def test_the_websocket_is_allowed_to_this_host_only(open_page):
    policy = open_page().http.get("/").headers["Content-Security-Policy"]
    assert "connect-src 'self' ws://localhost;" in policy
    evil = open_page().http.get("/", headers={"Host": "x; script-src *"})
    assert "script-src *" not in evil.headers.get("Content-Security-Policy", "")
