"""The ambassador's queue, claiming, the staff dashboard and the figures, through the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from markupsafe import escape

from app import clock
from app.accounts.models import SiteRole
from app.extensions import db
from app.groups.models import GroupRole, Visibility
from app.guarantee import ladder
from app.guarantee.models import ResponseWatch
from tests.support import Factory, Visitor


@pytest.fixture
def setting(app: Flask, make: Factory) -> dict:
    public = make.group(name="Openbaar")
    closed = make.group(visibility=Visibility.CLOSED, name="Besloten")
    writer = make.user("Schrijver")
    ambassador = make.user("Amber")
    other_ambassador = make.user("Bram")
    make.membership(writer, public)
    make.membership(writer, closed)
    make.membership(ambassador, public, GroupRole.AMBASSADOR)
    make.membership(other_ambassador, public, GroupRole.AMBASSADOR)
    make.membership(other_ambassador, closed, GroupRole.AMBASSADOR)
    open_story = make.story(public, writer, title="Open verhaal", body="Eerste regels van mij.")
    closed_story = make.story(closed, writer, title="Besloten verhaal")
    with app.test_request_context():
        while ladder.start_missing_clocks(clock.utcnow()):
            pass
    return {
        "public": public,
        "closed": closed,
        "writer": writer,
        "ambassador": ambassador,
        "other": other_ambassador,
        "open_story": open_story,
        "closed_story": closed_story,
    }


def test_the_queue_shows_an_ambassador_only_their_groups(setting, visitor: Visitor):
    visitor.login(setting["ambassador"])
    page = visitor.get("/wachtrij")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Open verhaal" in html and "Eerste regels van mij." in html
    assert "Besloten verhaal" not in html
    assert "Ik pak dit op" in html


def test_the_queue_is_for_ambassadors_only(setting, make: Factory, visitor: Visitor):
    assert visitor.get("/wachtrij").status_code == 302  # to the login page
    visitor.login(setting["writer"])
    page = visitor.get("/wachtrij")
    assert page.status_code == 403
    assert "voor ambassadeurs" in page.get_data(as_text=True)


def test_the_menu_offers_the_queue_to_ambassadors_and_not_to_members(setting, visitor):
    visitor.login(setting["ambassador"])
    assert 'href="/wachtrij"' in visitor.get("/").get_data(as_text=True)
    visitor.logout()
    visitor.login(setting["writer"])
    assert 'href="/wachtrij"' not in visitor.get("/").get_data(as_text=True)


def test_claiming_opens_the_reply_form_and_tells_other_ambassadors(app, setting, client):
    story_id = setting["open_story"].id
    amber = Visitor(client)
    amber.login(setting["ambassador"])
    response = amber.post(f"/wachtrij/{story_id}/oppakken")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verhalen/{story_id}#reageren")
    bram = Visitor(app.test_client())
    bram.login(setting["other"])
    html = bram.get("/wachtrij").get_data(as_text=True)
    assert "Opgepakt door Amber" in html
    refused = bram.post(f"/wachtrij/{story_id}/oppakken", follow_redirects=True)
    assert str(escape("Amber heeft dit verhaal net opgepakt")) in refused.get_data(as_text=True)
    amber.post(f"/wachtrij/{story_id}/loslaten")
    assert "Opgepakt door" not in bram.get("/wachtrij").get_data(as_text=True)


def test_only_an_ambassador_of_the_group_can_claim(setting, make: Factory, visitor: Visitor):
    member = make.user()
    make.membership(member, setting["public"])
    visitor.login(member)
    assert visitor.post(f"/wachtrij/{setting['open_story'].id}/oppakken").status_code == 403
    # A closed group's story stays hidden from someone outside it.
    assert visitor.post(f"/wachtrij/{setting['closed_story'].id}/oppakken").status_code == 404


def test_the_writer_never_reads_that_their_story_is_waiting(setting, visitor: Visitor):
    visitor.login(setting["writer"])
    story = visitor.get(f"/verhalen/{setting['open_story'].id}").get_data(as_text=True)
    home = visitor.get("/").get_data(as_text=True)
    assert "Nog geen reactie" not in story
    assert "Nog geen reactie" not in home


def test_others_still_see_the_gentle_marker(setting, visitor: Visitor):
    visitor.login(setting["ambassador"])
    assert "Nog geen reactie" in visitor.get("/").get_data(as_text=True)


def test_the_dashboard_lists_overdue_stories_for_moderators_only(app, setting, make, visitor):
    with app.app_context():
        db.session.execute(
            sa.update(ResponseWatch).values(due_at=clock.utcnow() - timedelta(minutes=5))
        )
        db.session.commit()
    visitor.login(make.user(role=SiteRole.MODERATOR))
    html = visitor.get("/reactiegarantie").get_data(as_text=True)
    assert "Open verhaal" in html and "Besloten verhaal" in html
    assert "over de tijd" in html
    visitor.logout()
    content_manager = make.user(role=SiteRole.CONTENT_MANAGER)
    visitor.login(content_manager)
    html = visitor.get("/reactiegarantie").get_data(as_text=True)
    # Content managers do not read closed groups: the story stays out of their list.
    assert "Open verhaal" in html and "Besloten verhaal" not in html
    visitor.logout()
    visitor.login(setting["ambassador"])
    assert visitor.get("/reactiegarantie").status_code == 403


def test_the_figures_page_shows_the_periods_numbers(setting, make: Factory, visitor: Visitor):
    visitor.login(setting["ambassador"])
    html = visitor.get("/reactiegarantie/cijfers").get_data(as_text=True)
    assert "Openbaar" in html and "Besloten" not in html
    odd = visitor.get("/reactiegarantie/cijfers?van=gisteren&tot=%00")
    assert odd.status_code in (200, 400)
    swapped = visitor.get("/reactiegarantie/cijfers?van=2026-12-31&tot=2026-01-01")
    assert swapped.status_code == 200
    visitor.logout()
    visitor.login(setting["writer"])
    assert visitor.get("/reactiegarantie/cijfers").status_code == 403
