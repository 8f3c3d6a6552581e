"""Response figures, checked against the same numbers worked out independently here."""

from __future__ import annotations

import random
import statistics
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from app import clock
from app.accounts.models import SiteRole
from app.database import unit_of_work
from app.errors import NotAllowed
from app.extensions import db
from app.groups.models import Group, GroupRole
from app.guarantee import clocks, figures
from app.guarantee.models import ResponseWatch
from app.stories.models import PostStatus
from tests.support import Factory

NOW = datetime(2026, 9, 30, 12, 0, tzinfo=UTC)
PERIOD = (datetime(2026, 9, 1, tzinfo=UTC), datetime(2026, 9, 30, tzinfo=UTC))


def _clock(
    make: Factory,
    group: Group,
    started: datetime,
    answered_after: timedelta | None,
    status: PostStatus = PostStatus.PUBLISHED,
) -> None:
    story = make.story(group, status=status)
    with unit_of_work() as session:
        values = clocks.watch_values(story.id, started, group.response_target_minutes)
        values["answered_at"] = started + answered_after if answered_after is not None else None
        session.add(ResponseWatch(**values))


def _p90(seconds: list[float]) -> float:
    if len(seconds) == 1:
        return seconds[0]
    return statistics.quantiles(seconds, n=10, method="inclusive")[8]


def test_figures_match_an_independent_count(app: Flask, ctx, make: Factory):
    rng = random.Random(7)
    groups = [make.group(name="Alfa"), make.group(name="Beta")]
    expected: dict[str, dict] = {}
    for group in groups:
        rows = []
        for _ in range(25):
            started = PERIOD[0] + timedelta(minutes=rng.randrange(0, 29 * 24 * 60))
            answered = timedelta(minutes=rng.randrange(1, 60 * 48)) if rng.random() < 0.8 else None
            if answered is not None and started + answered > NOW:
                answered = None
            _clock(make, group, started, answered)
            rows.append((started, answered))
        # Outside the period: counts only for "now" figures.
        _clock(make, group, PERIOD[0] - timedelta(days=3), None)
        _clock(make, group, PERIOD[0] - timedelta(days=3), timedelta(hours=1))
        # Removed stories count nowhere.
        _clock(make, group, PERIOD[0] + timedelta(days=1), None, status=PostStatus.REMOVED)
        target = timedelta(hours=24)
        times = [a.total_seconds() for _s, a in rows if a is not None]
        known = [(s, a) for s, a in rows if a is not None or s + target <= NOW]
        in_time = [1 for _s, a in known if a is not None and a <= target]
        open_starts = [s for s, a in rows if a is None] + [PERIOD[0] - timedelta(days=3)]
        expected[group.name] = {
            "stories": len(rows),
            "answered": len(times),
            "median": statistics.median(times),
            "p90": _p90(times),
            "within": len(in_time) / len(known),
            "unanswered": len(open_starts),
            "overdue": sum(1 for s in open_starts if s + target <= NOW),
        }
    with clock.frozen(NOW):
        overall, per_group = figures.compute([db.session.get(Group, g.id) for g in groups], *PERIOD)
    for row in per_group:
        want = expected[row.group.name]
        assert row.stories == want["stories"]
        assert row.answered == want["answered"]
        assert row.median.total_seconds() == pytest.approx(want["median"], abs=1)
        assert row.p90.total_seconds() == pytest.approx(want["p90"], abs=1)
        assert row.within_target == pytest.approx(want["within"])
        assert row.unanswered_now == want["unanswered"]
        assert row.overdue_now == want["overdue"]
    assert overall.stories == sum(w["stories"] for w in expected.values())
    assert overall.unanswered_now == sum(w["unanswered"] for w in expected.values())
    assert overall.overdue_now == sum(w["overdue"] for w in expected.values())


def test_a_period_without_stories_has_no_figures_rather_than_zeros(app: Flask, ctx, make):
    group = make.group()
    with clock.frozen(NOW):
        overall, [row] = figures.compute([db.session.get(Group, group.id)], *PERIOD)
    assert (row.stories, row.median, row.p90, row.within_target) == (0, None, None, None)
    assert overall.within_target is None


def test_figures_show_only_the_groups_a_person_serves(app: Flask, ctx, make: Factory):
    mine, other = make.group(name="Mijn groep"), make.group(name="Andere groep")
    ambassador, manager, member = make.user(), make.user(), make.user()
    make.membership(ambassador, mine, GroupRole.AMBASSADOR)
    make.membership(manager, other, GroupRole.MANAGER)
    make.membership(member, mine)
    moderator = make.user(role=SiteRole.MODERATOR)
    seen = {
        who: [g.name for g in figures.visible_groups(db.session.get(type(who), who.id))]
        for who in (ambassador, manager, moderator)
    }
    assert seen[ambassador] == ["Mijn groep"]
    assert seen[manager] == ["Andere groep"]
    assert {"Mijn groep", "Andere groep"} <= set(seen[moderator])
    with pytest.raises(NotAllowed):
        figures.visible_groups(db.session.get(type(member), member.id))


def test_the_percentile_interpolates_between_ranks():
    minutes = [timedelta(minutes=m) for m in (10, 20, 30, 40)]
    assert figures.percentile(minutes, 0.5) == timedelta(minutes=25)
    assert figures.percentile(minutes, 0.9) == timedelta(minutes=37)
    assert figures.percentile([], 0.9) is None
