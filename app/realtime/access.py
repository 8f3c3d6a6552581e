"""Who may be in which Socket.IO room.

A room is joined only after the same checks as the page it belongs to (``app.permissions``
and the story look-up the story page uses), so no closed-group or hidden content reaches a
socket that could not load the page. Every refusal looks the same: a room that does not
exist and a room one may not join cannot be told apart.
"""

from __future__ import annotations

from app import permissions
from app.errors import NotFound
from app.extensions import db
from app.groups.models import Group
from app.permissions import Actor
from app.realtime.rooms import (
    AMBASSADORS,
    GROUP,
    GUARANTEE,
    MODERATORS,
    STORY,
    USER,
    Room,
    moderators_room,
    user_room,
)
from app.stories import services as stories


def may_join(actor: Actor | None, room: Room) -> bool:
    """May ``actor`` be in ``room``? The same answer the matching page gives."""
    user = permissions.as_user(actor)
    if room.kind == STORY:
        return _may_read_story(actor, room.id)
    if room.kind == GROUP:
        group = db.session.get(Group, room.id)
        return (
            group is not None
            and permissions.can_see_group(actor, group)
            and permissions.can_read_group(actor, group)
        )
    if room.kind == USER:
        return user is not None and user.id == room.id
    if room.kind == AMBASSADORS:
        group = db.session.get(Group, room.id)
        return group is not None and permissions.is_ambassador(actor, group)
    if room.kind == MODERATORS:
        return permissions.is_moderator(actor)
    if room.kind == GUARANTEE:
        return permissions.can_watch_responses(actor)
    return False


def _may_read_story(actor: Actor | None, story_id: int) -> bool:
    # The story page's own look-up: group permissions, the reader's blocks, the story's state.
    try:
        stories.story_for_reader(actor, story_id)
    except NotFound:
        return False
    return True


def joined_on_connect(actor: Actor | None) -> list[str]:
    """The rooms a connection enters by itself: the member's own room and, for moderators,
    theirs (so an urgent item reaches them on any page)."""
    user = permissions.as_user(actor)
    if user is None:
        return []
    names = [user_room(user.id)]
    if permissions.is_moderator(user):
        names.append(moderators_room())
    return names
