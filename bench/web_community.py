"""The community of ``bench.web``: a realistic amount of everything, inserted in bulk.

At full size 20,000 members in 40 groups (every fifth one closed), 100,000 stories, 500,000
replies and 1,000,000 support reactions, spread over two years; at any other size the same in
proportion. Story 1 is the showcase: a recent story in a public group with exactly 200
replies. Story 2, in the same group, receives the replies the benchmark posts.
"""

from __future__ import annotations

import itertools
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from app import clock
from app.accounts import passwords
from app.accounts.models import SiteRole, User
from app.backup.archive import reset_sequences
from app.extensions import db
from app.groups.models import Group, Membership, Visibility
from app.guarantee.models import ResponseWatch
from app.stories.models import Reaction, Reply, Story

BATCH = 20_000
GROUPS = 40
CLOSED_EVERY = 5
SHOWCASE_REPLIES = 200
# Per story, on average, as in the issue: 5 replies and 10 reactions (on the story and its
# replies together); one member for every five stories.
REPLIES_PER_STORY = 5
STORY_REACTIONS = 2.5
REPLY_REACTIONS = 1.5
KINDS = ("recognition", "support", "strength", "thanks")
PARAGRAPH = (
    "Het gebeurde op een gewone dinsdag. Ik kwam thuis en de deur stond open. Eerst dacht ik "
    "dat ik hem zelf vergeten was, maar toen zag ik de la in de gang. Sindsdien slaap ik "
    "slecht en schrik ik van elk geluid. Mijn buren zijn lief, maar ze begrijpen het niet echt. "
)
BODY_SOURCE = "\n\n".join([PARAGRAPH] * 4)
BODY_HTML = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(4))
REPLY_SOURCE = "Wat heftig dat je dit meemaakte. Bij mij duurde het maanden voor ik weer sliep."
REPLY_HTML = f"<p>{REPLY_SOURCE}</p>"


@dataclass(frozen=True)
class Community:
    """What the benchmark needs to know of what was filled."""

    stories: int
    replies: int
    reactions: int
    members: int
    group_slug: str
    showcase_story_id: int
    reply_story_id: int
    reader_id: int
    poster_ids: list[int]


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _insert(table: sa.Table, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(sa.insert(table), rows[start : start + BATCH])
    db.session.commit()


def _counter(start: int = 1) -> Iterator[int]:
    return itertools.count(start)


def fill(stories: int, seed: int = 11) -> Community:
    """Fill the (migrated, empty) database of the current app; returns what was made."""
    rng = random.Random(seed)
    now = clock.utcnow()
    start = now - timedelta(days=730)
    members = max(200, stories // 5)
    password_hash = passwords.hash_password("bench-wachtwoord")

    def moment(after: datetime = start) -> datetime:
        span = max(1, int((now - after).total_seconds()) - 3600)
        return after + timedelta(seconds=rng.randrange(span))

    say(f"vullen: {GROUPS} groepen, {members} leden …")
    _insert(
        Group.__table__,
        [
            {
                "id": g,
                "slug": f"groep-{g}",
                "name": f"Lotgenoten {g}",
                "description": "Een groep om ervaringen te delen met mensen die het kennen.",
                "house_rules": "Wees vriendelijk en oordeel niet.",
                "kind": "peer",
                "theme": "geweld",
                "visibility": (
                    Visibility.CLOSED.value if g % CLOSED_EVERY == 0 else Visibility.PUBLIC.value
                ),
                "created_at": start - timedelta(days=30),
                "response_target_minutes": 1440,
                "claim_minutes": 120,
            }
            for g in range(1, GROUPS + 1)
        ],
    )
    _insert(
        User.__table__,
        [
            {
                "id": u,
                "pseudonym": f"lid-{u}",
                "pseudonym_key": f"lid-{u}",
                "password_hash": password_hash,
                "password_changed_at": start,
                "role": SiteRole.MEMBER.value,
                "status": "active",
                "warning_filters": {},
                "created_at": start - timedelta(days=1),
                "house_rules_accepted_at": start,
            }
            for u in range(1, members + 1)
        ],
    )
    # Members 1–100 are in group 1 (the reader and the posters among them), everyone else in
    # one to three groups.
    memberships: set[tuple[int, int]] = {(u, 1) for u in range(1, 101)}
    for u in range(1, members + 1):
        for g in rng.sample(range(1, GROUPS + 1), rng.randrange(1, 4)):
            memberships.add((u, g))
    _insert(
        Membership.__table__,
        [
            {"user_id": u, "group_id": g, "role": "member", "created_at": start}
            for u, g in sorted(memberships)
        ],
    )
    members_of: dict[int, list[int]] = {g: [] for g in range(1, GROUPS + 1)}
    for u, g in sorted(memberships):
        members_of[g].append(u)

    story_ids, reply_ids = _counter(), _counter()
    story_rows: list[dict[str, Any]] = []
    watch_rows: list[dict[str, Any]] = []
    reply_rows: list[dict[str, Any]] = []
    reaction_rows: list[dict[str, Any]] = []

    def react(target: str, target_id: int, group_id: int, count: int, when: datetime) -> None:
        pairs = {(rng.choice(members_of[group_id]), rng.choice(KINDS)) for _ in range(count)}
        for user_id, kind in pairs:
            reaction_rows.append(
                {
                    "user_id": user_id,
                    "story_id": target_id if target == "story" else None,
                    "reply_id": target_id if target == "reply" else None,
                    "kind": kind,
                    "created_at": when,
                }
            )

    def story(group_id: int, author_id: int, published: datetime, replies: int) -> int:
        sid = next(story_ids)
        story_rows.append(
            {
                "id": sid,
                "group_id": group_id,
                "author_id": author_id,
                "anonymous": rng.random() < 0.3,
                "title": f"Verhaal {sid}: sinds die dinsdag",
                "body_source": BODY_SOURCE,
                "body_html": BODY_HTML,
                "status": "published",
                "created_at": published,
                "published_at": published,
                "reply_count": replies,
                "read_count": rng.randrange(200),
                "content_warnings": [],
                "content_warning_note": "",
            }
        )
        first_reply = published + timedelta(minutes=rng.randrange(5, 600))
        watch_rows.append(
            {
                "story_id": sid,
                "started_at": published,
                "target_minutes": 1440,
                "half_at": published + timedelta(hours=12),
                "due_at": published + timedelta(hours=24),
                "answered_at": first_reply if replies else None,
            }
        )
        react("story", sid, group_id, rng.randrange(int(2 * STORY_REACTIONS) + 1), published)
        for _ in range(replies):
            rid = next(reply_ids)
            written = min(now, first_reply + timedelta(minutes=rng.randrange(0, 5000)))
            reply_rows.append(
                {
                    "id": rid,
                    "story_id": sid,
                    "author_id": rng.choice(members_of[group_id]),
                    "anonymous": rng.random() < 0.2,
                    "body_source": REPLY_SOURCE,
                    "body_html": REPLY_HTML,
                    "status": "published",
                    "created_at": written,
                }
            )
            react("reply", rid, group_id, rng.randrange(int(2 * REPLY_REACTIONS) + 1), written)
        return sid

    def flush() -> None:
        _insert(Story.__table__, story_rows)
        _insert(ResponseWatch.__table__, watch_rows)
        _insert(Reply.__table__, reply_rows)
        _insert(Reaction.__table__, reaction_rows)
        for rows in (story_rows, watch_rows, reply_rows, reaction_rows):
            rows.clear()

    showcase = story(1, 2, now - timedelta(days=3), SHOWCASE_REPLIES)
    reply_target = story(1, 3, now - timedelta(days=2), 4)
    # Everyone who posts has shared a story before, so screening never holds a first post.
    posters = list(range(4, 68))
    for poster in posters:
        story(1, poster, moment(), 0)
    totals = {"stories": 0, "replies": 0, "reactions": 0}
    say(f"vullen: {stories} verhalen met reacties en steun …")
    while totals["stories"] + len(story_rows) < stories:
        group_id = rng.randrange(1, GROUPS + 1)
        story(
            group_id,
            rng.choice(members_of[group_id]),
            moment(),
            rng.randrange(2 * REPLIES_PER_STORY + 1),
        )
        if len(story_rows) >= BATCH:
            totals["stories"] += len(story_rows)
            totals["replies"] += len(reply_rows)
            totals["reactions"] += len(reaction_rows)
            flush()
    totals["stories"] += len(story_rows)
    totals["replies"] += len(reply_rows)
    totals["reactions"] += len(reaction_rows)
    flush()
    say(
        f"  {totals['stories']} verhalen, {totals['replies']} reacties, "
        f"{totals['reactions']} steunbetuigingen"
    )
    if db.engine.dialect.name == "postgresql":
        reset_sequences(db.session.connection())
        db.session.commit()
    _analyse()
    return Community(
        stories=totals["stories"],
        replies=totals["replies"],
        reactions=totals["reactions"],
        members=members,
        group_slug="groep-1",
        showcase_story_id=showcase,
        reply_story_id=reply_target,
        reader_id=1,
        poster_ids=posters,
    )


def _analyse() -> None:
    """The statistics a running database keeps up to date by itself."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
