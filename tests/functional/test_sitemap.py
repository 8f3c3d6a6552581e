"""The sitemap and robots.txt make public groups findable, and nothing else."""

from __future__ import annotations

from xml.etree import ElementTree

from app.groups.models import Visibility
from app.stories.models import PostStatus
from tests.support import Factory

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _locations(client) -> dict[str, str | None]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    root = ElementTree.fromstring(response.get_data())  # noqa: S314 -- our own output
    return {
        url.findtext("s:loc", namespaces=NS) or "": url.findtext("s:lastmod", namespaces=NS)
        for url in root.findall("s:url", NS)
    }


def test_the_sitemap_lists_public_groups_and_their_stories(make: Factory, client):
    public = make.group(slug="na-geweld")
    story = make.story(public, title="Openbaar verhaal")
    urls = _locations(client)
    assert "http://localhost/" in urls
    assert "http://localhost/groepen/na-geweld" in urls
    assert f"http://localhost/verhalen/{story.id}" in urls
    assert urls[f"http://localhost/verhalen/{story.id}"]


def test_the_sitemap_leaves_out_closed_and_hidden_groups_and_their_stories(make: Factory, client):
    closed = make.group(Visibility.CLOSED, slug="gesloten-groep")
    hidden = make.group(Visibility.HIDDEN, slug="verborgen-groep")
    public = make.group(slug="open-groep")
    secret_stories = [make.story(closed), make.story(hidden)]
    held = make.story(public, status=PostStatus.HELD)
    urls = _locations(client)
    assert "http://localhost/groepen/open-groep" in urls
    assert not [url for url in urls if "gesloten-groep" in url or "verborgen-groep" in url]
    for story in [*secret_stories, held]:
        assert f"http://localhost/verhalen/{story.id}" not in urls


def test_robots_txt_allows_public_content_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Allow: /\n" in text
    assert "Sitemap: http://localhost/sitemap.xml" in text


def test_the_base_url_is_used_for_absolute_links_when_configured(app, make: Factory, client):
    app.config["BASE_URL"] = "https://lotgenoten.example"
    make.group(slug="fraude")
    urls = _locations(client)
    assert "https://lotgenoten.example/groepen/fraude" in urls
