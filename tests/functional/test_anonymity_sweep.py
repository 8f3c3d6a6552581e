"""An anonymous writer's pseudonym never reaches anyone else, on any page or payload.

One member with a distinctive pseudonym writes anonymously in a public and a closed group; then
a visitor, a fellow member, a follower who is notified, the other story's writer and an
ambassador walk every page and answer they can reach, and none of them may find the name: not
in a body, not in a header, not in the session cookie.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Flask
from werkzeug.test import TestResponse

from app.accounts.models import User
from app.accounts.pseudonyms import key_for
from app.extensions import db
from app.groups.models import Group, GroupRole, Visibility
from app.notifications.models import Notification
from app.stories.models import Reply, Story
from tests.support import Factory, Visitor

PSEUDONYM = "Zeldzame Zilvervos"
# The whole name, its folded key, and each word on its own: none may appear anywhere.
NEEDLES = sorted({PSEUDONYM.lower(), key_for(PSEUDONYM), *PSEUDONYM.lower().split()})
_NEXT_PAGE = re.compile(
    r'<a[^>]*rel="next"[^>]*href="([^"]+)"|<a[^>]*href="([^"]+)"[^>]*rel="next"'
)
_NOTIFICATION_LINK = re.compile(r'href="(/meldingen/\d+)"')


@dataclass(frozen=True)
class Scene:
    writer: User
    public: Group
    closed: Group
    own_story: Story  # the writer's anonymous story in the public group
    other_story: Story  # someone else's story in the closed group, with an anonymous reply
    replies: list[Reply]  # the writer's anonymous replies


def _leaks(response: TestResponse, app: Flask) -> list[str]:
    """Where in ``response`` the pseudonym shows up, as readable findings."""
    found = []
    body = response.get_data(as_text=True).lower()
    for needle in NEEDLES:
        if needle in body:
            at = body.index(needle)
            found.append(f"body contains {needle!r}: …{body[max(0, at - 80) : at + 80]}…")
    for name, value in response.headers.items():
        for needle in NEEDLES:
            if needle in value.lower():
                found.append(f"header {name} contains {needle!r}: {value}")
    found += _session_cookie_leaks(response, app)
    return found


def _session_cookie_leaks(response: TestResponse, app: Flask) -> list[str]:
    """The session cookie is signed, not encrypted: decode it and look inside too."""
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    found = []
    for header in response.headers.getlist("Set-Cookie"):
        name, _, rest = header.partition("=")
        if name != cookie_name:
            continue
        value = rest.split(";", 1)[0]
        if not value:
            continue
        decoded = str(serializer.loads(value)).lower()
        found += [f"session cookie holds {needle!r}" for needle in NEEDLES if needle in decoded]
    return found


class Sweep:
    """Fetches pages as one person and records every leak with the URL that leaked it."""

    def __init__(self, app: Flask, visitor: Visitor, who: str) -> None:
        self.app, self.visitor, self.who = app, visitor, who
        self.leaks: list[str] = []
        self.fetched: list[str] = []

    def check(self, label: str, response: TestResponse) -> TestResponse:
        self.fetched.append(f"{label} → {response.status_code}")
        self.leaks += [f"[{self.who}] {label}: {leak}" for leak in _leaks(response, self.app)]
        return response

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.check(f"GET {path}", self.visitor.get(path, **kwargs))

    def post(self, path: str, data: dict[str, str], **kwargs: Any) -> TestResponse:
        return self.check(f"POST {path}", self.visitor.post(path, data, **kwargs))

    def get_with_next_pages(self, path: str) -> None:
        """A list page and every older page it links to."""
        seen: set[str] = set()
        while path and path not in seen and len(seen) < 10:
            seen.add(path)
            page = self.get(path).get_data(as_text=True)
            match = _NEXT_PAGE.search(page)
            path = (match.group(1) or match.group(2)).replace("&amp;", "&") if match else ""


def _share(visitor: Visitor, group: Group, title: str) -> None:
    response = visitor.post(
        f"/groepen/{group.slug}/verhaal-delen",
        {"title": title, "body": "Niemand hoeft te weten wie dit schreef.", "anonymous": "y"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def _reply(visitor: Visitor, story: Story, body: str) -> None:
    response = visitor.post(f"/verhalen/{story.id}/reageren", {"body": body, "anonymous": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)


def _set_the_scene(app: Flask, make: Factory, visitor: Visitor, people: dict[str, User]) -> Scene:
    public = make.group(Visibility.PUBLIC, name="Open kring")
    closed = make.group(Visibility.CLOSED, name="Besloten kring")
    writer = make.user(PSEUDONYM)
    for group in (public, closed):
        make.membership(writer, group)
        make.membership(people["buur"], group)
        make.membership(people["volger"], group)
        make.membership(people["schrijver"], group)
        make.membership(people["ambassadeur"], group, GroupRole.AMBASSADOR)
    # Enough stories in the public group that its lists have an older page.
    for number in range(21):
        make.story(public, people["buur"], title=f"Ouder verhaal {number}")
    other_story = make.story(closed, people["schrijver"], title="Een avond in de besloten kring")

    visitor.login(writer)
    _share(visitor, public, "Wat mij overkwam")
    with app.app_context():
        own_story = db.session.execute(
            sa.select(Story).where(Story.author_id == writer.id)
        ).scalar_one()

    # The follower follows both stories before the anonymous replies arrive.
    visitor.logout()
    visitor.login(people["volger"])
    for story in (own_story, other_story):
        assert visitor.post(f"/verhalen/{story.id}/volgen").status_code == 302

    visitor.logout()
    visitor.login(writer)
    _reply(visitor, own_story, "Een aanvulling op mijn eigen verhaal.")
    _reply(visitor, other_story, "Dit herken ik zo goed.")
    with app.app_context():
        replies = list(
            db.session.execute(
                sa.select(Reply).where(Reply.author_id == writer.id).order_by(Reply.id)
            ).scalars()
        )
        assert own_story.anonymous and all(reply.anonymous for reply in replies)
        told = db.session.execute(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == people["volger"].id)
        ).scalar_one()
        assert told == 2, "the follower should have been told about both anonymous replies"
    visitor.logout()
    return Scene(writer, public, closed, own_story, other_story, replies)


def _walk(sweep: Sweep, scene: Scene, logged_in: bool) -> None:
    """Every page and answer this person can reach around the anonymous posts."""
    sweep.get_with_next_pages("/")
    sweep.get("/groepen")
    for group in (scene.public, scene.closed):
        sweep.get_with_next_pages(f"/groepen/{group.slug}")
        sweep.get(f"/groepen/{group.slug}/feed.xml")
        sweep.get(f"/groepen/{group.slug}/aanvragen")
        sweep.get(f"/groepen/{group.slug}/verhaal-delen")
    for story in (scene.own_story, scene.other_story):
        sweep.get(f"/verhalen/{story.id}")
        sweep.get(f"/verhalen/{story.id}?toch-tonen=1")
        for reply in scene.replies:
            sweep.get(f"/verhalen/{story.id}?citeer={reply.id}")
    sweep.get("/sitemap.xml")
    sweep.get("/robots.txt")
    sweep.get("/huisregels")
    sweep.get("/privacy")
    sweep.get("/verhaal-delen")
    json = {"Accept": "application/json"}
    for story in (scene.own_story, scene.other_story):
        sweep.post(f"/verhalen/{story.id}/steun", {"soort": "recognition"}, headers=json)
        sweep.post(f"/verhalen/{story.id}/steun", {"soort": "support"})
        # Error pages: someone else's story cannot be edited or deleted.
        sweep.get(f"/verhalen/{story.id}/bewerken")
        sweep.post(f"/verhalen/{story.id}/bewerken", {"title": "Van mij", "body": "Nee."})
        sweep.get(f"/verhalen/{story.id}/verwijderen")
        sweep.post(f"/verhalen/{story.id}/verwijderen", {})
    for reply in scene.replies:
        sweep.post(f"/reacties/{reply.id}/steun", {"soort": "thanks"}, headers=json)
        sweep.get(f"/reacties/{reply.id}/bewerken")
        sweep.post(f"/reacties/{reply.id}/bewerken", {"body": "Nee."})
        sweep.get(f"/reacties/{reply.id}/verwijderen")
        sweep.post(f"/reacties/{reply.id}/verwijderen", {})
    sweep.get("/verhalen/999999")
    sweep.get("/bestaat-niet")
    if logged_in:
        sweep.get("/account")
        sweep.get("/voorkeuren/lezen")
        sweep.get("/welkom/groepen")
    listing = sweep.get("/meldingen").get_data(as_text=True)
    for link in _NOTIFICATION_LINK.findall(listing):
        opened = sweep.get(link)
        if opened.status_code == 302:
            sweep.get(opened.headers["Location"])


def _report(sweeps: Iterable[Sweep]) -> str:
    lines = []
    for sweep in sweeps:
        lines += sweep.leaks
    return "the anonymous writer's pseudonym leaked:\n" + "\n".join(lines)


def test_nobody_else_ever_sees_an_anonymous_writers_pseudonym(
    app: Flask, make: Factory, visitor: Visitor
):
    people = {
        name: make.user(pseudonym)
        for name, pseudonym in [
            ("buur", "Stille Buur"),
            ("volger", "Trouwe Lezer"),
            ("schrijver", "Open Schrijver"),
            ("ambassadeur", "Vaste Gids"),
        ]
    }
    scene = _set_the_scene(app, make, visitor, people)

    sweeps = [Sweep(app, visitor, "visitor")]
    _walk(sweeps[0], scene, logged_in=False)
    for name, person in people.items():
        visitor.login(person)
        sweep = Sweep(app, visitor, name)
        _walk(sweep, scene, logged_in=True)
        sweeps.append(sweep)
        visitor.logout()

    assert not any(sweep.leaks for sweep in sweeps), _report(sweeps)
    # The sweep really reached the anonymous posts and the notifications about them.
    follower = sweeps[2]
    assert any(f"GET /verhalen/{scene.other_story.id} → 200" == line for line in follower.fetched)
    assert sum(line.startswith("GET /meldingen/") for line in follower.fetched) == 2, (
        follower.fetched
    )
    assert any(line.startswith("GET /?voor=") for line in sweeps[0].fetched), sweeps[0].fetched
    assert any(line == f"GET /verhalen/{scene.own_story.id} → 200" for line in sweeps[0].fetched)


def test_the_anonymous_writer_still_sees_that_they_wrote_it(
    app: Flask, make: Factory, visitor: Visitor
):
    group = make.group(Visibility.PUBLIC)
    writer = make.user(PSEUDONYM)
    make.membership(writer, group)
    visitor.login(writer)
    _share(visitor, group, "Wat mij overkwam")
    with app.app_context():
        story = db.session.execute(sa.select(Story)).scalar_one()
    _reply(visitor, story, "Nog een gedachte.")

    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)

    assert page.count("dit schreef jij") == 2
    assert page.count("Anoniem lid") >= 2
