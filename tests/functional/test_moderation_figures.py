"""Moderation figures at /moderatie/cijfers: counted again here, independently, from items
with known times."""

from __future__ import annotations

import itertools
import statistics
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from app import clock
from app.accounts.models import SiteRole, User
from app.audit.models import AuditEntry
from app.extensions import db
from app.groups.models import GroupRole
from moderation import figures
from moderation.models import ItemSignal, ItemStatus, ModerationItem, Priority
from tests.support import Factory, Visitor

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
# 1 to 14 March 2026 in Amsterdam (winter time, UTC+1), both days included.
START = datetime(2026, 2, 28, 23, 0, tzinfo=UTC)
END = datetime(2026, 3, 14, 23, 0, tzinfo=UTC)
PERIOD = "?van=2026-03-01&tot=2026-03-14"
_target_ids = itertools.count(1000)


def _item(
    app: Flask,
    priority: Priority,
    created_at: datetime,
    decided_after: timedelta | None = None,
    decision: str = "approve",
    signals: tuple[str, ...] = ("held",),
) -> None:
    decided_at = created_at + decided_after if decided_after is not None else None
    with app.app_context():
        db.session.add(
            ModerationItem(
                target_type="story",
                target_id=next(_target_ids),
                group_id=None,
                subject_user_id=None,
                priority=priority.value,
                status=ItemStatus.DECIDED.value if decided_at else ItemStatus.OPEN.value,
                created_at=created_at,
                due_at=created_at + timedelta(hours=24),
                decided_at=decided_at,
                decision=decision if decided_at else "",
                signals=[ItemSignal(kind=kind, created_at=created_at) for kind in signals],
            )
        )
        db.session.commit()


def _audit(app: Flask, action: str, at: datetime) -> None:
    with app.app_context():
        db.session.add(
            AuditEntry(
                created_at=at,
                actor_id=1,
                actor_name="Mira",
                action=action,
                target_type="moderation_item",
                target_id=1,
            )
        )
        db.session.commit()


DAY = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
# (priority, created, time to decision or None, decision, signals)
KNOWN = [
    (Priority.CRISIS, DAY, timedelta(minutes=30), "approve", ("crisis",)),
    (Priority.CRISIS, DAY + timedelta(hours=1), timedelta(minutes=50), "remove", ("crisis",)),
    (Priority.CRISIS, DAY + timedelta(hours=2), timedelta(hours=2), "approve", ("report",)),
    (Priority.IDENTIFYING, DAY + timedelta(hours=3), timedelta(hours=3), "remove", ("report",)),
    (Priority.NORMAL, DAY + timedelta(hours=4), timedelta(hours=5), "remove", ("report", "held")),
    (Priority.NORMAL, DAY + timedelta(hours=5), timedelta(hours=10), "approve", ("held",)),
    (Priority.NORMAL, DAY + timedelta(hours=6), timedelta(hours=20), "approve", ("flagged",)),
    # Came in before the period, decided in it: decided, not opened.
    (Priority.NORMAL, START - timedelta(hours=6), timedelta(hours=30), "remove", ("held",)),
    # Came in during the period and is still open: opened, not decided.
    (Priority.NORMAL, DAY + timedelta(days=2), None, "", ("report",)),
    # Decided after the period: opened only.
    (Priority.CRISIS, END - timedelta(minutes=30), timedelta(hours=1), "remove", ("report",)),
    # Decided before the period: neither.
    (Priority.NORMAL, START - timedelta(days=3), timedelta(hours=1), "remove", ("report",)),
]


@pytest.fixture
def known(app: Flask) -> None:
    for priority, created, after, decision, signals in KNOWN:
        _item(app, priority, created, after, decision, signals)
    _audit(app, "moderation.approve", DAY)
    _audit(app, "moderation.approve", DAY + timedelta(hours=1))
    _audit(app, "moderation.remove", DAY + timedelta(hours=2))
    _audit(app, "moderation.member_viewed", END - timedelta(seconds=1))
    _audit(app, "group.ambassador_assigned", DAY)  # not moderation
    _audit(app, "moderation.remove", END)  # after the period
    _audit(app, "moderation.remove", START - timedelta(seconds=1))  # before it


def _in_period(moment: datetime) -> bool:
    return START <= moment < END


def _expected_times(priority: Priority | None) -> tuple[float, float] | None:
    """Median and 90th percentile in seconds, by the standard library (inclusive method)."""
    spans = [
        after.total_seconds()
        for p, created, after, _decision, _signals in KNOWN
        if after is not None and _in_period(created + after) and (priority is None or p is priority)
    ]
    if not spans:
        return None
    if len(spans) == 1:
        return spans[0], spans[0]
    return statistics.median(spans), statistics.quantiles(spans, n=10, method="inclusive")[8]


def _moderator(app: Flask, make: Factory) -> User:
    moderator = make.user("Moderator Mo", role=SiteRole.MODERATOR)
    return db.session.get(User, moderator.id)


def test_the_figures_match_a_count_made_by_hand(app, known, make: Factory, ctx):
    moderator = _moderator(app, make)
    with clock.frozen(NOW):
        result = figures.figures(moderator, START, END)
    decided = [k for k in KNOWN if k[2] is not None and _in_period(k[1] + k[2])]
    assert result.opened == sum(1 for k in KNOWN if _in_period(k[1]))
    assert result.decided == len(decided) == 8
    for row in [*result.times, result.overall]:
        expected = _expected_times(row.priority)
        if expected is None:
            assert row.median is None and row.p90 is None and row.decided == 0
            continue
        assert row.median is not None and row.p90 is not None
        assert row.median.total_seconds() == pytest.approx(expected[0], abs=0.001)
        assert row.p90.total_seconds() == pytest.approx(expected[1], abs=0.001)
    assert [row.priority for row in result.times] == list(Priority)
    assert result.decisions == {
        "approve": sum(1 for k in decided if k[3] == "approve"),
        "remove": sum(1 for k in decided if k[3] == "remove"),
    }
    reported = [k for k in decided if "report" in k[4]]
    assert (result.reports_decided, result.reports_upheld) == (3, 2)
    assert result.reports_decided == len(reported)
    assert result.upheld_share == pytest.approx(2 / 3)
    assert result.actions == {
        "moderation.approve": 2,
        "moderation.member_viewed": 1,
        "moderation.remove": 1,
    }


def test_crisis_times_interpolate_between_ranks(app, known, make: Factory, ctx):
    # 30, 50 and 120 minutes: the 90th percentile lies 0.8 of the way from 50 to 120.
    moderator = _moderator(app, make)
    result = figures.figures(moderator, START, END)
    crisis = result.times[0]
    assert crisis.priority is Priority.CRISIS
    assert crisis.median == timedelta(minutes=50)
    assert crisis.p90 == timedelta(minutes=106)


def test_a_period_without_decisions_has_no_times_and_no_share(app, make: Factory, ctx):
    result = figures.figures(_moderator(app, make), START, END)
    assert result.decided == 0 and result.opened == 0
    assert result.overall.median is None and result.upheld_share is None


def test_the_page_shows_the_figures_for_the_chosen_days(app, known, make, visitor):
    visitor.login(make.user(role=SiteRole.MODERATOR))
    with clock.frozen(NOW):
        page = visitor.get(f"/moderatie/cijfers{PERIOD}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<meta name="robots" content="noindex">' in html
    assert '<dd id="opened">9</dd>' in html
    assert '<dd id="decided">8</dd>' in html
    assert "67% (2 van 3)" in html
    assert "moderation.member_viewed" in html and "group.ambassador_assigned" not in html
    assert 'value="2026-03-01"' in html and 'value="2026-03-14"' in html


def test_the_default_period_is_the_last_thirty_days(app, known, make, visitor):
    visitor.login(make.user(role=SiteRole.ADMIN))
    with clock.frozen(NOW):
        html = visitor.get("/moderatie/cijfers").get_data(as_text=True)
    assert 'value="2026-02-19"' in html and 'value="2026-03-20"' in html


@pytest.mark.parametrize(
    "query",
    [
        "?van=gisteren&tot=%00",
        "?van=2026-12-31&tot=2026-01-01",
        "?van=0001-01-01&tot=9999-12-31",
        "?tot=99999999999",
        "?van=" + "9" * 5000,
    ],
)
def test_odd_periods_never_break_the_page(query, make, visitor):
    visitor.login(make.user(role=SiteRole.MODERATOR))
    assert visitor.get(f"/moderatie/cijfers{query}").status_code in (200, 400)


def test_a_visitor_is_sent_to_the_login_page(visitor: Visitor):
    response = visitor.get("/moderatie/cijfers")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


@pytest.mark.parametrize("role", [SiteRole.MEMBER, SiteRole.CONTENT_MANAGER, SiteRole.RESEARCHER])
def test_only_moderators_see_the_figures(role, make: Factory, visitor: Visitor):
    visitor.login(make.user(role=role))
    assert visitor.get("/moderatie/cijfers").status_code == 403


def test_an_ambassador_does_not_see_the_figures(make: Factory, visitor: Visitor):
    ambassador = make.user()
    make.membership(ambassador, make.group(), GroupRole.AMBASSADOR)
    visitor.login(ambassador)
    assert visitor.get("/moderatie/cijfers").status_code == 403
