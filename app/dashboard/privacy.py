"""Small counts from closed and hidden groups are not shown.

In closed and hidden groups a handful of posts or members can point at a person, so a count
below 5 for such a group is shown as "< 5". A total over several groups would give the hidden
number away by subtraction, so when hidden counts add up to 1–4 of it, the total is rounded up
to a multiple of 5 and marked as approximate ("≈ 125"). Shares and response times of such a
group are left out when they rest on fewer than 5 stories or posts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

THRESHOLD = 5
HIDDEN_TEXT = "< 5"


@dataclass(frozen=True)
class Shown:
    """A count as it may be shown: exact, approximate (rounded up to 5) or hidden (None)."""

    value: int | None
    approximate: bool = False

    @property
    def hidden(self) -> bool:
        return self.value is None

    @property
    def text(self) -> str:
        if self.value is None:
            return HIDDEN_TEXT
        return f"≈ {self.value}" if self.approximate else str(self.value)


def _round_up(value: int) -> int:
    return -(-value // THRESHOLD) * THRESHOLD


def shown(total: int, hidden_part: int, only_protected: bool) -> Shown:
    """How to show ``total`` when ``hidden_part`` of it comes from counts that are hidden
    elsewhere, and ``only_protected`` says every group in it is closed or hidden."""
    if only_protected and total < THRESHOLD:
        return Shown(None)
    if 0 < hidden_part < THRESHOLD:
        return Shown(_round_up(total), approximate=True)
    return Shown(total)


def for_group(count: int, protected: bool) -> Shown:
    """One group's count."""
    return shown(count, count if protected else 0, protected)


def for_total(
    total: int, per_group: dict[int, int], group_ids: Iterable[int], protected_ids: frozenset[int]
) -> Shown:
    """A total over ``group_ids`` whose per-group counts are shown beside it."""
    ids = list(group_ids)
    hidden_part = sum(
        per_group.get(gid, 0)
        for gid in ids
        if gid in protected_ids and per_group.get(gid, 0) < THRESHOLD
    )
    return shown(total, hidden_part, bool(ids) and all(gid in protected_ids for gid in ids))


def base_too_small(base: int, protected: bool) -> bool:
    """Should a share or time resting on ``base`` items of one group be left out?"""
    return protected and base < THRESHOLD
