"""The community the browser tests visit, made once before the server starts.

Everything is written while no server runs: SQLite is for one process at a time (README,
"SQLite is for one process"), so during the tests every change goes through the browser.
Each test has people and posts of its own here, so the tests do not depend on each other's
order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from app import clock, markup
from app.accounts.models import SiteRole, User
from app.extensions import db
from app.groups.models import Group, GroupRole, Visibility
from app.stories import services as stories
from app.stories.models import Reply, Story
from moderation import reports
from moderation.models import TargetType
from tests.hostile import XSS_VECTORS
from tests.support import Factory

BLNS = Path(__file__).resolve().parents[3] / "shared" / "data" / "blns" / "blns.json"

# The sanitiser's hostile payloads, as stories and replies in the browser.
XSS = XSS_VECTORS


def naughty_strings() -> list[str]:
    """The Big List of Naughty Strings, or nothing when ../shared/data is not beside us."""
    if not BLNS.exists():
        return []
    return [text for text in json.loads(BLNS.read_text(encoding="utf-8")) if isinstance(text, str)]


@dataclass
class World:
    """Who and what the tests find on the server; users log in with tests.support.PASSWORD."""

    public: Group
    closed: Group
    traffic: Group
    hostile: Group
    ambassador: User
    member: User
    moderator: User
    admin: User
    writer: User
    reader: User
    drafter: User
    browser_only: User
    story: Story
    live_story: Story
    live_reply: Reply
    changing_story: Story
    removed_story: Story
    removal_item: int
    hostile_story: Story
    hostile_titles: list[str] = field(default_factory=list)
    naughty: int = 0


def build(app: Flask) -> World:
    """Make the community on ``app``'s database and return what the tests need of it."""
    make = Factory(app)
    public = make.group(slug="geweld", name="Na geweld", theme="geweld")
    closed = make.group(
        Visibility.CLOSED, slug="besloten-kring", name="Besloten kring", theme="seksueel misbruik"
    )
    traffic = make.group(slug="verkeer", name="Na een ongeluk", theme="verkeer")
    hostile = make.group(slug="vreemde-tekens", name="Vreemde tekens", theme="geweld")

    ambassador = make.user("Anna Ambassadeur")
    member = make.user("Lotte")
    moderator = make.user("Mo Moderator", role=SiteRole.MODERATOR)
    admin = make.user("Bo Beheer", role=SiteRole.ADMIN)
    writer = make.user("Sam")
    reader = make.user("Lex")
    drafter = make.user("Cor")
    browser_only = make.user("Toetsenbord")
    for group in (public, closed, traffic):
        make.membership(ambassador, group, GroupRole.AMBASSADOR)
        make.membership(member, group)
    for person in (writer, reader, drafter, browser_only):
        make.membership(person, public)
        make.membership(person, traffic)
    make.membership(writer, hostile)

    with app.test_request_context():
        shared = [db.session.merge(person) for person in (member, writer, reader)]
        member_row, writer_row, reader_row = shared
        public_row, traffic_row = db.session.merge(public), db.session.merge(traffic)
        # A story waiting in the ambassador queue, one with replies, and one reported.
        stories.publish_story(
            reader_row,
            public_row,
            "Nog niemand gesproken",
            "Ik weet niet goed bij wie ik terecht kan. Het gebeurde vorige maand.",
        )
        story = stories.publish_story(
            member_row,
            public_row,
            "Na de overval in de winkel",
            "Ik stond achter de kassa toen het gebeurde.\n\nSinds die avond slaap ik slecht.",
            warnings=["violence"],
        )
        stories.add_reply(writer_row, story, "Wat heftig. Ik herken het slapen heel goed.")
        reports.report_content(reader_row, TargetType.STORY, story.id, "identifying", "Een naam.")
        live_story = stories.publish_story(
            reader_row, traffic_row, "Na de aanrijding", "Ik fietste naar huis toen het gebeurde."
        )
        live_reply = stories.add_reply(writer_row, live_story, "Dat eerste jaar is zwaar.")
        # Two stories the reader has open while their writer edits and then deletes the one,
        # and a moderator removes the other after a report.
        changing_story = stories.publish_story(
            writer_row,
            traffic_row,
            "Een jaar na de botsing",
            "Ik durf nog steeds niet over het kruispunt te fietsen.",
        )
        stories.add_reply(reader_row, changing_story, "Ik neem ook een andere route.")
        removed_story = stories.publish_story(
            writer_row, traffic_row, "Wat de buren zeiden", "Niemand kwam kijken hoe het ging."
        )
        stories.add_reply(reader_row, removed_story, "Wat eenzaam, dat ken ik.")
        removal = reports.report_content(
            member_row, TargetType.STORY, removed_story.id, "identifying", "Een adres."
        )
        story_id, live_story_id, live_reply_id = story.id, live_story.id, live_reply.id
        changing_id, removed_id, removal_item = changing_story.id, removed_story.id, removal.id

    hostile_story, titles, naughty = _hostile_posts(app, hostile, writer)
    with app.app_context():
        story = db.session.get(Story, story_id)
        live_story = db.session.get(Story, live_story_id)
        live_reply = db.session.get(Reply, live_reply_id)
        changing_story = db.session.get(Story, changing_id)
        removed_story = db.session.get(Story, removed_id)
        db.session.expunge_all()
    return World(
        public=public,
        closed=closed,
        traffic=traffic,
        hostile=hostile,
        ambassador=ambassador,
        member=member,
        moderator=moderator,
        admin=admin,
        writer=writer,
        reader=reader,
        drafter=drafter,
        browser_only=browser_only,
        story=story,
        live_story=live_story,
        live_reply=live_reply,
        changing_story=changing_story,
        removed_story=removed_story,
        removal_item=removal_item,
        hostile_story=hostile_story,
        hostile_titles=titles,
        naughty=naughty,
    )


def _hostile_posts(app: Flask, group: Group, writer: User) -> tuple[Story, list[str], int]:
    """Stories titled with the XSS vectors, and one story with a reply for every hostile
    string, each body cleaned by app/markup.py as the writing forms do when saving."""
    naughty = naughty_strings()
    now = clock.utcnow()
    titles = [vector[:150] for vector in XSS]
    with app.app_context():
        for title in titles:
            db.session.add(_story(group, writer, title, title, now))
        target = _story(group, writer, "Alle vreemde tekens", XSS[0], now)
        db.session.add(target)
        db.session.flush()
        added = 0
        for text in [*XSS, *naughty]:
            if not markup.clean_text(text).strip():
                continue
            added += 1
            db.session.add(
                Reply(
                    story_id=target.id,
                    author_id=writer.id,
                    body_source=text,
                    body_html=markup.render(text),
                    created_at=now,
                )
            )
        target.reply_count = added
        db.session.commit()
        db.session.refresh(target)
        db.session.expunge(target)
    return target, titles, len(naughty)


def _story(group: Group, writer: User, title: str, body: str, now: object) -> Story:
    return Story(
        group_id=group.id,
        author_id=writer.id,
        title=title,
        body_source=body,
        body_html=markup.render(body),
        status="published",
        created_at=now,
        published_at=now,
        reply_count=0,
    )
