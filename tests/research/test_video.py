"""Video links: embedded only through a privacy-friendly player of an allowed host, with the
page's policy opening exactly that frame; everything else a plain link."""

from __future__ import annotations

import pytest

from app.research import video
from app.research.video import DEFAULT_HOSTS, Embed
from tests.research.conftest import StudyKit
from tests.support import Visitor

NOCOOKIE = "https://www.youtube-nocookie.com"


@pytest.mark.parametrize(
    ("url", "src"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", f"{NOCOOKIE}/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ?t=3", f"{NOCOOKIE}/embed/dQw4w9WgXcQ"),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", f"{NOCOOKIE}/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
    ],
)
def test_known_players_are_embedded_in_their_no_cookie_form(url, src):
    embed = video.embed_for(url, DEFAULT_HOSTS)
    assert embed is not None and embed.src == src


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/video.mp4",
        "http://www.youtube.com/watch?v=dQw4w9WgXcQ",  # not https
        'https://www.youtube.com/watch?v=x"><script>',
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/not-a-number",
        "https://user@vimeo.com/76979871",
    ],
)
def test_anything_else_is_never_embedded(url):
    assert video.embed_for(url, DEFAULT_HOSTS) is None


def test_the_player_address_carries_only_the_video_id():
    hostile = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&x="><script>'
    embed = video.embed_for(hostile, DEFAULT_HOSTS)
    assert embed is not None and embed.src == f"{NOCOOKIE}/embed/dQw4w9WgXcQ"


def test_a_player_that_admins_did_not_allow_is_not_embedded():
    url = "https://vimeo.com/76979871"
    assert video.embed_for(url, ["www.youtube-nocookie.com"]) is None
    assert video.embed_for(url, video.hosts_from_setting("geen")) is None
    assert video.hosts_from_setting("player.vimeo.com, www.youtube-nocookie.com") == (
        "player.vimeo.com",
        "www.youtube-nocookie.com",
    )


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://x.nl/a", "x"])
def test_only_web_addresses_are_accepted_as_video_links(url):
    with pytest.raises(video.ValidationFailed):
        video.clean_url(url)


def test_the_prompt_page_opens_a_frame_only_for_its_own_player(kit: StudyKit, client):
    kit.plan(1, video_url="https://youtu.be/dQw4w9WgXcQ")
    kit.plan(2, video_url="https://example.org/filmpje")
    kit.plan(3)
    visitor = Visitor(client)
    visitor.login(kit.participant())
    embedded = visitor.get(f"/onderzoek/{kit.slug}/dag/1")
    assert f'src="{NOCOOKIE}/embed/dQw4w9WgXcQ"' in embedded.get_data(as_text=True)
    assert f"frame-src {NOCOOKIE}" in embedded.headers["Content-Security-Policy"]

    linked = visitor.get(f"/onderzoek/{kit.slug}/dag/2")
    html = linked.get_data(as_text=True)
    assert "<iframe" not in html
    assert 'href="https://example.org/filmpje" rel="noopener noreferrer"' in html
    assert "frame-src" not in linked.headers["Content-Security-Policy"]
    plain = visitor.get(f"/onderzoek/{kit.slug}/dag/3")
    assert "frame-src" not in plain.headers["Content-Security-Policy"]


def test_embed_is_a_plain_value():
    assert Embed("a", "b") == Embed("a", "b")


def test_admins_choose_which_players_are_embedded(kit: StudyKit, app, make):
    from app.accounts.models import SiteRole

    kit.plan(1, video_url="https://youtu.be/dQw4w9WgXcQ")
    participant = Visitor(app.test_client())
    participant.login(kit.participant())
    assert "<iframe" in participant.get(f"/onderzoek/{kit.slug}/dag/1").get_data(as_text=True)

    admin = Visitor(app.test_client())
    admin.login(make.user("Beheer", role=SiteRole.ADMIN))
    token = admin.csrf_token("/beheer/site")
    refused = admin.client.post(
        "/beheer/site/videos",
        data={"video-csrf_token": token, "video-hosts": ["evil.example"]},
    )
    assert refused.status_code == 422
    saved = admin.client.post(
        "/beheer/site/videos",
        data={"video-csrf_token": token, "video-hosts": ["player.vimeo.com"]},
    )
    assert saved.status_code == 302

    page = participant.get(f"/onderzoek/{kit.slug}/dag/1")
    html = page.get_data(as_text=True)
    assert "<iframe" not in html and "frame-src" not in page.headers["Content-Security-Policy"]
    assert 'href="https://youtu.be/dQw4w9WgXcQ"' in html
