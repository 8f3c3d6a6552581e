"""The Atom feed of a public group: its newest stories, anonymous writers unnamed."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from app.groups.models import Visibility
from tests.support import Factory

ATOM = {"a": "http://www.w3.org/2005/Atom"}


def _feed(client, slug: str) -> ElementTree.Element:
    response = client.get(f"/groepen/{slug}/feed.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return ElementTree.fromstring(response.get_data())  # noqa: S314 -- our own output


def test_a_public_group_feed_has_its_stories(make: Factory, client):
    group = make.group(slug="verkeer", name="Verkeer")
    writer = make.user(pseudonym="Kievit")
    story = make.story(group, author=writer, title="Na het ongeluk", body="Ik fietste naar huis.")
    feed = _feed(client, "verkeer")
    [entry] = feed.findall("a:entry", ATOM)
    assert entry.findtext("a:title", namespaces=ATOM) == "Na het ongeluk"
    link = entry.find("a:link", ATOM)
    assert link is not None
    assert link.get("href") == f"http://localhost/verhalen/{story.id}"
    assert entry.findtext("a:author/a:name", namespaces=ATOM) == "Kievit"
    assert entry.findtext("a:summary", namespaces=ATOM) == "Ik fietste naar huis."
    assert entry.findtext("a:updated", namespaces=ATOM)


def test_an_anonymous_writer_is_anoniem_lid_in_the_feed(make: Factory, client):
    group = make.group(slug="stalking")
    writer = make.user(pseudonym="Verborgen Vos")
    make.story(group, author=writer, anonymous=True)
    response = client.get("/groepen/stalking/feed.xml")
    feed = ElementTree.fromstring(response.get_data())  # noqa: S314 -- our own output
    assert feed.findtext("a:entry/a:author/a:name", namespaces=ATOM) == "Anoniem lid"
    assert "Verborgen Vos" not in response.get_data(as_text=True)


@pytest.mark.parametrize("visibility", [Visibility.CLOSED, Visibility.HIDDEN])
def test_a_closed_or_hidden_group_has_no_feed(make: Factory, client, visibility):
    group = make.group(visibility, slug="besloten")
    make.story(group)
    assert client.get("/groepen/besloten/feed.xml").status_code == 404


def test_an_unknown_group_has_no_feed(client):
    assert client.get("/groepen/bestaat-niet/feed.xml").status_code == 404


def test_a_public_group_page_points_to_its_feed(make: Factory, client):
    make.group(slug="fraude")
    page = client.get("/groepen/fraude").get_data(as_text=True)
    assert 'type="application/atom+xml"' in page
    assert "/groepen/fraude/feed.xml" in page


def test_hostile_titles_and_text_stay_well_formed_text_in_the_feed(make: Factory, client):
    group = make.group(slug="geweld")
    title = 'Ik & jij <script>alert("x")</script> ]]>'
    make.story(group, title=title, body="<b>vet</b> & meer")
    feed = _feed(client, "geweld")
    assert feed.findtext("a:entry/a:title", namespaces=ATOM) == title
    assert "<" not in (feed.findtext("a:entry/a:summary", namespaces=ATOM) or "<")
