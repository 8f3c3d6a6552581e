"""Socket.IO rooms by name: one per story, group and member, and the staff rooms.

Who may be in which room is decided in :mod:`app.realtime.access`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

STORY = "story"
GROUP = "group"
USER = "user"
AMBASSADORS = "ambassadors"
MODERATORS = "moderators"
GUARANTEE = "guarantee"
# Rooms without an id: one per staff task.
_STAFF = (MODERATORS, GUARANTEE)

_NAME = re.compile(r"(story|group|user|ambassadors):([1-9][0-9]{0,17})|(moderators|guarantee)")


def story_room(story_id: int) -> str:
    """Readers of one story page: new replies and reaction counts."""
    return f"{STORY}:{story_id}"


def group_room(group_id: int) -> str:
    """Readers of one group page: new stories."""
    return f"{GROUP}:{group_id}"


def user_room(user_id: int) -> str:
    """One member on all their devices: their notification bell."""
    return f"{USER}:{user_id}"


def ambassadors_room(group_id: int) -> str:
    """The ambassadors of one group: their queue of stories waiting for a reply."""
    return f"{AMBASSADORS}:{group_id}"


def moderators_room() -> str:
    """Moderators on duty: the moderation queue and urgent items."""
    return MODERATORS


def guarantee_room() -> str:
    """Staff watching the response guarantee: the overdue dashboard (``/reactiegarantie``)."""
    return GUARANTEE


@dataclass(frozen=True)
class Room:
    """A parsed room name: its kind and, except for the staff rooms, the id it is about."""

    kind: str
    id: int = 0

    @property
    def name(self) -> str:
        return self.kind if self.kind in _STAFF else f"{self.kind}:{self.id}"


def parse(name: object) -> Room | None:
    """The room a client asked for, or None for anything that is not a room name."""
    if not isinstance(name, str):
        return None
    match = _NAME.fullmatch(name)
    if match is None:
        return None
    if match.group(3):
        return Room(match.group(3))
    return Room(match.group(1), int(match.group(2)))
