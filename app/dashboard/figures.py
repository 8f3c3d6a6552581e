"""The figures of the dashboard for one period and selection of groups, with the period before.

Aggregates only: nothing here names a person, a story or a reply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from app.dashboard import counts, daily, privacy, response_times
from app.dashboard.choice import Choice
from app.dashboard.counts import PerGroup
from app.dashboard.privacy import Shown
from app.dashboard.scope import Scope
from app.groups.models import Group
from app.periods import Period

# The figures counted per group, in the order of the tables.
COUNTS = (
    "members",
    "new_members",
    "active_members",
    "join_requests",
    "stories",
    "reads",
    "replies",
    "reactions",
    "items",
    "decisions",
)
# The per-day series, in the order of the charts.
SERIES = ("stories", "replies", "reactions", "reads", "joins")


@dataclass(frozen=True)
class Response:
    """Response-guarantee figures: the share answered in time, median and 90th percentile
    (None when unknown or left out for privacy)."""

    stories: int
    within_target: float | None
    median: timedelta | None
    p90: timedelta | None


@dataclass(frozen=True)
class Share:
    """The share of anonymous posts (None when there are none, or left out)."""

    anonymous: int
    posts: int
    value: float | None


@dataclass
class Figures:
    """Everything counted for one period: totals and per group."""

    period: Period
    totals: dict[str, Shown] = field(default_factory=dict)
    by_group: dict[int, dict[str, Shown]] = field(default_factory=dict)
    response: Response | None = None
    response_by_group: dict[int, Response] = field(default_factory=dict)
    anonymous: Share | None = None
    anonymous_by_group: dict[int, Share] = field(default_factory=dict)


@dataclass(frozen=True)
class Dashboard:
    """The dashboard: the chosen period and the one before it, the per-day series and the
    groups compared."""

    choice: Choice
    scope: Scope
    current: Figures
    previous: Figures
    series: dict[str, list[tuple[date, Shown]]]

    @property
    def groups(self) -> list[Group]:
        return self.scope.chosen


def _add(a: PerGroup, b: PerGroup) -> PerGroup:
    return {gid: a.get(gid, 0) + b.get(gid, 0) for gid in set(a) | set(b)}


def _event_counts(
    scope: Scope, period: Period, found: dict[str, PerGroup]
) -> dict[str, tuple[PerGroup, int]]:
    """Figures that are a plain count per group; their total is the sum (plus, for
    moderation, what concerns no group at all when everything is shown)."""
    per_key: dict[str, PerGroup] = {
        "join_requests": found["join_requests"],
        "stories": found["stories"],
        "reads": found["reads"],
        "replies": found["replies"],
        "reactions": _add(found["story_reactions"], found["reply_reactions"]),
        "items": found["items"],
        "decisions": found["decisions"],
        "anonymous_posts": _add(found["anonymous_stories"], found["anonymous_replies"]),
    }
    result = {key: (per, sum(per.values())) for key, per in per_key.items()}
    if scope.everything:
        for key, source in (("items", counts.ITEMS), ("decisions", counts.DECISIONS)):
            per, total = result[key]
            result[key] = (per, total + counts.without_group(source, period))
    return result


def _people_counts(scope: Scope, period: Period) -> dict[str, tuple[PerGroup, int]]:
    ids = scope.chosen_ids
    return {
        "members": counts.members(ids, period),
        "new_members": counts.new_members(ids, period),
        "active_members": daily.active_members(ids, period),
    }


def _response(row: response_times.Times, protected: bool) -> Response:
    if privacy.base_too_small(row.stories, protected):
        return Response(row.stories, None, None, None)
    return Response(row.stories, row.within_target, row.median, row.p90)


def _share(anonymous: int, posts: int, protected: bool) -> Share:
    if not posts or privacy.base_too_small(posts, protected):
        return Share(anonymous, posts, None)
    return Share(anonymous, posts, anonymous / posts)


def compute_period(scope: Scope, period: Period) -> Figures:
    """Every figure for ``period`` over the scope's chosen groups."""
    protected = scope.protected_ids
    ids = scope.chosen_ids
    result = Figures(period)
    raw = daily.per_group_all(counts.SOURCES, ids, period)
    found = {**_people_counts(scope, period), **_event_counts(scope, period, raw)}
    for key in COUNTS:
        per, total = found[key]
        result.totals[key] = privacy.for_total(total, per, ids, protected)
        for gid in ids:
            result.by_group.setdefault(gid, {})[key] = privacy.for_group(
                per.get(gid, 0), gid in protected
            )
    overall, per_group = response_times.for_groups(ids, period, raw)
    # A selection of closed or hidden groups only is as small as one such group.
    only_protected = bool(ids) and all(gid in protected for gid in ids)
    result.response = _response(overall, only_protected)
    result.response_by_group = {
        gid: _response(times, gid in protected) for gid, times in per_group.items()
    }
    anonymous = found["anonymous_posts"][0]
    posts = _add(found["stories"][0], found["replies"][0])
    result.anonymous = _share(sum(anonymous.values()), sum(posts.values()), only_protected)
    result.anonymous_by_group = {
        gid: _share(anonymous.get(gid, 0), posts.get(gid, 0), gid in protected) for gid in ids
    }
    return result


def _days(period: Period) -> list[date]:
    return [period.since + timedelta(days=n) for n in range((period.until - period.since).days + 1)]


def _series(scope: Scope, period: Period) -> dict[str, list[tuple[date, Shown]]]:
    ids, protected = scope.chosen_ids, scope.protected_ids
    only_protected = bool(ids) and all(gid in protected for gid in ids)

    wanted_sources = (
        counts.STORIES,
        counts.REPLIES,
        counts.STORY_REACTIONS,
        counts.REPLY_REACTIONS,
        counts.READS,
        counts.JOINS,
    )
    found = daily.per_day_all(wanted_sources, ids, protected, period)

    def combined(*names: str) -> counts.DayCounts:
        total: dict[date, int] = {}
        shielded: dict[date, int] = {}
        for name in names:
            for day, n in found[name].total.items():
                total[day] = total.get(day, 0) + n
            for day, n in found[name].protected.items():
                shielded[day] = shielded.get(day, 0) + n
        return counts.DayCounts(total, shielded)

    wanted = {
        "stories": combined("stories"),
        "replies": combined("replies"),
        "reactions": combined("story_reactions", "reply_reactions"),
        "reads": combined("reads"),
        "joins": combined("joins"),
    }
    series = {}
    for key in SERIES:
        day_counts = wanted[key]
        series[key] = [
            (
                day,
                privacy.shown(
                    day_counts.total.get(day, 0), day_counts.protected.get(day, 0), only_protected
                ),
            )
            for day in _days(period)
        ]
    return series


def build(scope: Scope, choice: Choice) -> Dashboard:
    """The dashboard for the scope's chosen groups in the chosen period."""
    return Dashboard(
        choice=choice,
        scope=scope,
        current=compute_period(scope, choice.period),
        previous=compute_period(scope, choice.previous),
        series=_series(scope, choice.period),
    )
