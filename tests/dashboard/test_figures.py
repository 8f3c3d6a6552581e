"""Every dashboard figure, recounted here from the raw rows for several periods and groups.

The rows straddle period boundaries in Amsterdam time, across both switches of daylight
saving time, and spread over public, closed, hidden and research groups.
"""

from __future__ import annotations

import random
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask

from app import clock
from app.accounts.models import AccountStatus, SiteRole, User
from app.dashboard import choice, daily, figures, scope
from app.dashboard.privacy import Shown
from app.extensions import db
from app.groups.models import Group, GroupKind, GroupRole, JoinRequest, Membership, Visibility
from app.guarantee.models import ResponseWatch
from app.periods import Period
from app.stories.models import PostStatus, Reaction, Reply, Story, StoryRead
from moderation.models import ModerationItem
from tests.support import Factory

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
FIRST = datetime(2026, 3, 1, tzinfo=UTC)
SPAN_MINUTES = int((NOW - FIRST).total_seconds() // 60) - 1
# Moments at the edges of Amsterdam days, in summer time (UTC+2) and winter time (UTC+1).
EDGES = [
    datetime(2026, 9, 30, 21, 59, tzinfo=UTC),  # 23:59 on 30 September
    datetime(2026, 9, 30, 22, 0, tzinfo=UTC),  # 00:00 on 1 October
    datetime(2026, 10, 31, 22, 59, tzinfo=UTC),  # 23:59 on 31 October (winter time)
    datetime(2026, 10, 31, 23, 0, tzinfo=UTC),  # 00:00 on 1 November
    datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # 01:30, just before summer time begins
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # 02:30 summer time, the hour that repeats
    datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # 02:30 winter time
    datetime(2026, 12, 31, 22, 59, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 0, tzinfo=UTC),
]


def local_day(moment: datetime) -> date:
    return moment.astimezone(AMS).date()


@dataclass
class World:
    groups: dict[str, Group]
    viewer: User
    researcher: User


def _moment(rng: random.Random) -> datetime:
    if rng.random() < 0.15:
        return rng.choice(EDGES)
    return FIRST + timedelta(minutes=rng.randrange(SPAN_MINUTES))


@pytest.fixture(params=["live", "counted"])
def world(request: pytest.FixtureRequest, app: Flask, ctx, make: Factory) -> World:
    """The rows; in the "counted" variant the worker has counted every past day, so the
    figures come from the daily aggregates (plus today, live)."""
    made = _make_world(app, make)
    if request.param == "counted":
        with clock.frozen(NOW):
            assert daily.count_all() > 300
    return made


def _make_world(app: Flask, make: Factory) -> World:
    rng = random.Random(2026)
    groups = {
        "open": make.group(name="Openbaar A", slug="openbaar-a"),
        "open2": make.group(name="Openbaar B", slug="openbaar-b"),
        "closed": make.group(Visibility.CLOSED, name="Besloten", slug="besloten"),
        "hidden": make.group(Visibility.HIDDEN, name="Verborgen", slug="verborgen"),
        "research": make.group(
            Visibility.HIDDEN, kind=GroupKind.RESEARCH, name="Onderzoek", slug="onderzoek"
        ),
    }
    viewer = make.user(role=SiteRole.CONTENT_MANAGER)
    researcher = make.user(role=SiteRole.RESEARCHER)
    make.membership(researcher, groups["research"], GroupRole.MANAGER)
    # The small groups get few rows, so their counts fall below 5 in some periods.
    weights = {"open": 6, "open2": 4, "closed": 2, "hidden": 1, "research": 1}
    names = list(weights)

    def pick_group() -> Group:
        return groups[rng.choices(names, [weights[n] for n in names])[0]]

    people = [make.user() for _ in range(24)]
    gone = people[-1]
    session = db.session
    for person in people:
        for group in rng.sample(list(groups.values()), rng.randrange(1, 4)):
            session.add(Membership(user_id=person.id, group_id=group.id, created_at=_moment(rng)))
    session.flush()
    session.execute(
        sa.update(User).where(User.id == gone.id).values(status=AccountStatus.DELETED.value)
    )
    statuses = [PostStatus.PUBLISHED] * 8 + [PostStatus.REMOVED, PostStatus.DELETED]
    stories = []
    for _ in range(160):
        group = pick_group()
        moment = _moment(rng)
        story = Story(
            group_id=group.id,
            author_id=rng.choice(people).id,
            anonymous=rng.random() < 0.3,
            title="Verhaal",
            body_source="tekst",
            body_html="<p>tekst</p>",
            status=rng.choice(statuses).value,
            created_at=moment,
            published_at=moment,
        )
        session.add(story)
        stories.append(story)
    held = Story(
        group_id=groups["open"].id,
        author_id=people[0].id,
        title="Wacht",
        body_source="t",
        body_html="<p>t</p>",
        status=PostStatus.HELD.value,
        created_at=EDGES[1],
        published_at=None,
    )
    session.add(held)
    session.flush()
    replies = []
    for _ in range(260):
        story = rng.choice(stories)
        reply = Reply(
            story_id=story.id,
            author_id=rng.choice(people).id,
            anonymous=rng.random() < 0.2,
            body_source="r",
            body_html="<p>r</p>",
            status=rng.choice(statuses).value,
            created_at=_moment(rng),
        )
        session.add(reply)
        replies.append(reply)
    session.flush()
    seen: set[tuple] = set()
    for _ in range(320):
        person = rng.choice(people)
        kind = rng.choice(["recognition", "support", "strength", "thanks"])
        if rng.random() < 0.5:
            target = ("story", rng.choice(stories).id)
        else:
            target = ("reply", rng.choice(replies).id)
        if (target, person.id, kind) in seen:
            continue
        seen.add((target, person.id, kind))
        session.add(
            Reaction(
                user_id=person.id,
                kind=kind,
                story_id=target[1] if target[0] == "story" else None,
                reply_id=target[1] if target[0] == "reply" else None,
                created_at=_moment(rng),
            )
        )
    read_keys: set[tuple] = set()
    for _ in range(500):
        story = rng.choice(stories)
        key = (story.id, f"lezer-{rng.randrange(30)}", local_day(_moment(rng)))
        if key in read_keys:
            continue
        read_keys.add(key)
        session.add(StoryRead(story_id=key[0], reader_key=key[1], day=key[2]))
    for _ in range(40):
        group = pick_group()
        session.add(
            JoinRequest(
                group_id=group.id,
                user_id=rng.choice(people).id,
                motivation="graag",
                created_at=_moment(rng),
            )
        )
    for number in range(60):
        opened = _moment(rng)
        decided = opened + timedelta(hours=rng.randrange(1, 200)) if rng.random() < 0.7 else None
        group_id = None if rng.random() < 0.2 else pick_group().id
        session.add(
            ModerationItem(
                target_type="story",
                target_id=100_000 + number,
                group_id=group_id,
                status="decided" if decided else "open",
                created_at=opened,
                due_at=opened + timedelta(hours=24),
                decided_at=decided,
                decision=rng.choice(["approve", "remove"]) if decided else "",
            )
        )
    for story in stories:
        started = story.published_at
        answered = (
            started + timedelta(minutes=rng.randrange(5, 3000)) if rng.random() < 0.8 else None
        )
        session.add(
            ResponseWatch(
                story_id=story.id,
                started_at=started,
                target_minutes=1440,
                half_at=started + timedelta(hours=12),
                due_at=started + timedelta(hours=24),
                answered_at=answered if answered and answered < NOW else None,
            )
        )
    session.commit()
    return World(groups, db.session.get(User, viewer.id), db.session.get(User, researcher.id))


# The recount: plain Python over every row, with the definitions the page states.


def _in(moment: datetime | None, period: Period) -> bool:
    return moment is not None and period.since <= local_day(moment) <= period.until


def _published(status: str) -> bool:
    return status == PostStatus.PUBLISHED.value


def recount(group_ids: list[int], period: Period, everything: bool) -> dict[str, dict]:
    """Per figure: {"total": n, "groups": {group_id: n}} (and extra keys for the rest)."""
    ids = set(group_ids)
    stories = {s.id: s for s in db.session.scalars(sa.select(Story))}
    replies = {r.id: r for r in db.session.scalars(sa.select(Reply))}
    live_users = {
        u.id for u in db.session.scalars(sa.select(User)) if u.status != AccountStatus.DELETED
    }
    per: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    people: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    first_join: dict[int, datetime] = {}
    for m in db.session.scalars(sa.select(Membership)):
        if m.group_id not in ids or m.user_id not in live_users:
            continue
        if m.created_at < period.end:
            people["members"][m.group_id].add(m.user_id)
        if _in(m.created_at, period):
            people["new_members"][m.group_id].add(m.user_id)
        first_join[m.user_id] = min(first_join.get(m.user_id, m.created_at), m.created_at)
    posts: dict[int, list[bool]] = defaultdict(list)
    for s in stories.values():
        if s.group_id in ids and _published(s.status) and _in(s.published_at, period):
            per["stories"][s.group_id] += 1
            posts[s.group_id].append(s.anonymous)
            people["active_members"][s.group_id].add(s.author_id)
    for r in replies.values():
        story = stories[r.story_id]
        visible = _published(r.status) and _published(story.status)
        if story.group_id in ids and visible and _in(r.created_at, period):
            per["replies"][story.group_id] += 1
            posts[story.group_id].append(r.anonymous)
            people["active_members"][story.group_id].add(r.author_id)
    for reaction in db.session.scalars(sa.select(Reaction)):
        if reaction.story_id is not None:
            story, ok = stories[reaction.story_id], True
        else:
            reply = replies[reaction.reply_id]
            story, ok = stories[reply.story_id], _published(reply.status)
        visible = ok and _published(story.status)
        if story.group_id in ids and visible and _in(reaction.created_at, period):
            per["reactions"][story.group_id] += 1
            people["active_members"][story.group_id].add(reaction.user_id)
    for read in db.session.scalars(sa.select(StoryRead)):
        story = stories[read.story_id]
        in_period = period.since <= read.day <= period.until
        if story.group_id in ids and _published(story.status) and in_period:
            per["reads"][story.group_id] += 1
    for request in db.session.scalars(sa.select(JoinRequest)):
        if request.group_id in ids and _in(request.created_at, period):
            per["join_requests"][request.group_id] += 1
    loose = {"items": 0, "decisions": 0}
    for item in db.session.scalars(sa.select(ModerationItem)):
        for key, moment, counts in (
            ("items", item.created_at, True),
            ("decisions", item.decided_at, bool(item.decision)),
        ):
            if counts and _in(moment, period):
                if item.group_id is None:
                    loose[key] += 1
                elif item.group_id in ids:
                    per[key][item.group_id] += 1
    result: dict[str, dict] = {}
    for key in ("join_requests", "stories", "reads", "replies", "reactions", "items", "decisions"):
        by_group = {gid: per[key].get(gid, 0) for gid in ids}
        extra = loose.get(key, 0) if everything else 0
        result[key] = {"groups": by_group, "total": sum(by_group.values()) + extra}
    for key in ("members", "new_members", "active_members"):
        by_group = {gid: len(people[key].get(gid, set()) - {None}) for gid in ids}
        everyone = set().union(*people[key].values()) - {None} if people[key] else set()
        result[key] = {"groups": by_group, "total": len(everyone)}
    result["new_members"]["total"] = sum(1 for moment in first_join.values() if _in(moment, period))
    result["anonymous"] = {
        "groups": {gid: (sum(posts[gid]), len(posts[gid])) for gid in ids},
        "total": (sum(sum(v) for v in posts.values()), sum(len(v) for v in posts.values())),
    }
    return result


def expected_shown(total: int, hidden_part: int, only_protected: bool) -> Shown:
    """The page's rule, written out: hide a closed group's count under 5; round a total up to
    a multiple of 5 when 1 to 4 of it comes from such hidden counts."""
    if only_protected and total < 5:
        return Shown(None)
    if 1 <= hidden_part <= 4:
        return Shown((total + 4) // 5 * 5, approximate=True)
    return Shown(total)


def _check(board_figures: figures.Figures, expected: dict, protected: frozenset[int]) -> None:
    for key in figures.COUNTS:
        by_group = expected[key]["groups"]
        for gid, count in by_group.items():
            shielded = gid in protected
            assert board_figures.by_group[gid][key] == expected_shown(
                count, count if shielded else 0, shielded
            ), (key, gid)
        hidden_part = sum(n for gid, n in by_group.items() if gid in protected and n < 5)
        only = bool(by_group) and all(gid in protected for gid in by_group)
        assert board_figures.totals[key] == expected_shown(
            expected[key]["total"], hidden_part, only
        ), key
    anonymous, posts = expected["anonymous"]["total"]
    assert board_figures.anonymous is not None
    only = bool(protected) and set(expected["anonymous"]["groups"]) <= protected
    if not posts or (only and posts < 5):
        assert board_figures.anonymous.value is None
    else:
        assert board_figures.anonymous.value == pytest.approx(anonymous / posts)
    for gid, (anon, count) in expected["anonymous"]["groups"].items():
        share = board_figures.anonymous_by_group[gid].value
        if count == 0 or (gid in protected and count < 5):
            assert share is None
        else:
            assert share == pytest.approx(anon / count)


PERIODS = [
    (choice.Kind.MONTH, date(2026, 10, 15)),
    (choice.Kind.MONTH, date(2026, 11, 2)),
    (choice.Kind.WEEK, date(2026, 10, 25)),
    (choice.Kind.QUARTER, date(2026, 12, 31)),
    (choice.Kind.YEAR, date(2026, 6, 1)),
]
SELECTIONS = [None, "openbaar-a", "besloten", "verborgen"]


def test_every_count_matches_a_recount_from_the_rows(world: World):
    # One world for every period and selection: building it (and counting its days) is the
    # slow part.
    with clock.frozen(NOW):
        for kind, day in PERIODS:
            for slug in SELECTIONS:
                chosen = choice.choose(kind, day)
                viewer_scope = scope.for_actor(world.viewer, slug)
                for period in (chosen.period, chosen.previous):
                    found = figures.compute_period(viewer_scope, period)
                    expected = recount(viewer_scope.chosen_ids, period, viewer_scope.everything)
                    _check(found, expected, viewer_scope.protected_ids)


def _quantile(values: list[float], share: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[round(share * 10) - 1]


def test_response_times_match_a_recount(world: World):
    period = Period(date(2026, 10, 1), date(2026, 12, 31))
    with clock.frozen(NOW):
        viewer_scope = scope.for_actor(world.viewer)
        found = figures.compute_period(viewer_scope, period)
        ids = set(viewer_scope.chosen_ids)
        rows = [
            (watch, story)
            for watch, story in db.session.execute(
                sa.select(ResponseWatch, Story).join(Story, Story.id == ResponseWatch.story_id)
            ).all()
            if story.group_id in ids and _published(story.status) and _in(watch.started_at, period)
        ]
        times = [(w.answered_at - w.started_at).total_seconds() for w, _s in rows if w.answered_at]
        known = [w for w, _s in rows if w.answered_at is not None or w.due_at <= NOW]
        in_time = [w for w in known if w.answered_at is not None and w.answered_at <= w.due_at]
    assert found.response is not None
    assert found.response.stories == len(rows)
    assert found.response.median.total_seconds() == pytest.approx(statistics.median(times))
    assert found.response.p90.total_seconds() == pytest.approx(_quantile(times, 0.9))
    assert found.response.within_target == pytest.approx(len(in_time) / len(known))


def test_daily_series_match_a_recount(world: World):
    for slug in (None, "openbaar-a", "besloten"):
        _check_series(world, slug)


def _check_series(world: World, slug: str | None) -> None:
    with clock.frozen(NOW):
        chosen = choice.choose(choice.Kind.MONTH, date(2026, 10, 1))
        viewer_scope = scope.for_actor(world.viewer, slug)
        board = figures.build(viewer_scope, chosen)
        ids, protected = set(viewer_scope.chosen_ids), viewer_scope.protected_ids
        stories = {s.id: s for s in db.session.scalars(sa.select(Story))}
        per_day: dict[date, list[int]] = defaultdict(lambda: [0, 0])
        for s in stories.values():
            if s.group_id in ids and _published(s.status) and _in(s.published_at, chosen.period):
                per_day[local_day(s.published_at)][0] += 1
                per_day[local_day(s.published_at)][1] += s.group_id in protected
        only = all(gid in protected for gid in ids)
    days = [day for day, _shown in board.series["stories"]]
    assert days[0] == date(2026, 10, 1) and days[-1] == date(2026, 10, 31) and len(days) == 31
    for day, shown in board.series["stories"]:
        total, shielded = per_day.get(day, [0, 0])
        assert shown == expected_shown(total, shielded, only), day


def test_research_groups_are_counted_only_for_their_researchers(world: World):
    research = world.groups["research"]
    manager_scope = scope.for_actor(world.viewer)
    assert research.id not in manager_scope.chosen_ids
    # A research slug in the address does not reach it either.
    assert scope.for_actor(world.viewer, "onderzoek").everything
    researcher_scope = scope.for_actor(world.researcher)
    assert researcher_scope.chosen_ids == [research.id]
    with clock.frozen(NOW):
        period = Period(date(2026, 3, 1), date(2027, 1, 9))
        found = figures.compute_period(researcher_scope, period)
        expected = recount([research.id], period, researcher_scope.everything)
    _check(found, expected, researcher_scope.protected_ids)
