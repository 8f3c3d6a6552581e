"""What the server tells open pages, and when: only after the change has been committed.

Services call a ``publish_*`` function inside their unit of work; the event is sent once the
transaction commits, and dropped when it rolls back. With ``SOCKETIO_MESSAGE_QUEUE`` set, the
emit goes through the queue, so it reaches clients of every web process, also when it starts
in the background worker.

Payloads carry ids and counts, never names or text: a page that hears of a new reply or
notification fetches it over HTTP with its own session, and so gets exactly what the page
itself would show that reader (their language, their blocks, anonymity as the page keeps it).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.database import after_commit
from app.extensions import db, socketio
from app.realtime import rooms
from app.stories.models import Reply, Story

log = logging.getLogger(__name__)

# Event names, as the client listens for them (static/js/live.js).
NEW_REPLY = "reply"
REPLY_CHANGED = "reply_changed"
STORY_CHANGED = "story_changed"
REACTIONS = "reactions"
NEW_STORY = "story"
NOTIFICATION = "notification"
AMBASSADOR_QUEUE = "ambassador_queue"
MODERATION_QUEUE = "moderation_queue"
URGENT_ITEM = "moderation_urgent"
# Also handled by every process's manager before it reaches the pages: see ``app.realtime.recheck``.
ACCESS_CHANGED = "access_changed"

_PENDING_KEY = "realtime_pending"
_EVERYONE = ""  # the room of an emit to every open page


def _publish(name: str, payload: Mapping[str, Any], room: str) -> None:
    """Queue one emit for after the commit; the same event to the same room goes out once."""
    session = db.session()
    pending: dict[tuple[str, str, str], dict[str, Any]] | None = session.info.get(_PENDING_KEY)
    if pending is None:
        pending = session.info[_PENDING_KEY] = {}
        after_commit(lambda: _send(session.info.pop(_PENDING_KEY, {})))
    key = (name, room, json.dumps(payload, sort_keys=True))
    pending.setdefault(key, dict(payload))


def _send(pending: Mapping[tuple[str, str, str], dict[str, Any]]) -> None:
    for (name, room, _payload), payload in pending.items():
        try:
            socketio.emit(name, payload, to=room or None)
        except Exception:
            # A page that misses an event catches up over HTTP; the action itself succeeded.
            log.exception("sending the realtime event %r failed", name)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, _previous_transaction: Any) -> None:
    session.info.pop(_PENDING_KEY, None)


def publish_reply(reply: Reply, group_id: int) -> None:
    """A reply became visible: readers of its story fetch it; its group's ambassadors see
    their queue change."""
    payload = {"story_id": reply.story_id, "reply_id": reply.id}
    _publish(NEW_REPLY, payload, rooms.story_room(reply.story_id))
    publish_ambassador_queue(group_id)


def publish_reply_changed(reply: Reply) -> None:
    """A reply's text changed, or it is no longer shown as it was (hidden, removed, deleted):
    open pages of its story fetch the reply list again."""
    payload = {"story_id": reply.story_id, "reply_id": reply.id}
    _publish(REPLY_CHANGED, payload, rooms.story_room(reply.story_id))


def publish_story_changed(story: Story) -> None:
    """A story was edited, hidden, removed, deleted, moved or closed: open pages of it say so."""
    _publish(STORY_CHANGED, {"story_id": story.id}, rooms.story_room(story.id))


def publish_story(story: Story) -> None:
    """A story became visible: readers of its group hear of it, and so do its ambassadors."""
    payload = {"group_id": story.group_id, "story_id": story.id}
    _publish(NEW_STORY, payload, rooms.group_room(story.group_id))
    publish_ambassador_queue(story.group_id)


def publish_reactions(post: Story | Reply, counts: Mapping[str, int]) -> None:
    """The reaction counts on a post changed: counts only, never who gave them."""
    story_id = post.id if isinstance(post, Story) else post.story_id
    payload = {
        "story_id": story_id,
        "post": "story" if isinstance(post, Story) else "reply",
        "post_id": post.id,
        "counts": dict(counts),
    }
    _publish(REACTIONS, payload, rooms.story_room(story_id))


def publish_notification(user_id: int) -> None:
    """Something new for one member: their pages fetch it (``/meldingen/sinds/<id>``)."""
    _publish(NOTIFICATION, {}, rooms.user_room(user_id))


def publish_ambassador_queue(group_id: int) -> None:
    """The stories waiting for a reply in a group changed: its ambassadors' queue and the
    staff's overdue dashboard reload."""
    payload = {"group_id": group_id}
    _publish(AMBASSADOR_QUEUE, payload, rooms.ambassadors_room(group_id))
    _publish(AMBASSADOR_QUEUE, payload, rooms.guarantee_room())


def publish_moderation_queue(item_id: int) -> None:
    """An item in the moderation queue arrived, changed or was decided."""
    _publish(MODERATION_QUEUE, {"item_id": item_id}, rooms.moderators_room())


def publish_urgent_item(item_id: int, link: str) -> None:
    """Someone may be in crisis: moderators on duty are alerted on whatever page they are."""
    _publish(URGENT_ITEM, {"item_id": item_id, "link": link}, rooms.moderators_room())


def publish_access_changed(user_id: int) -> None:
    """What a member may see changed (a membership ended, a role or a block changed, the
    account was suspended): every process takes their open pages out of the rooms they may no
    longer be in, and the pages join their rooms again (each join checked anew)."""
    _publish(ACCESS_CHANGED, {}, rooms.user_room(user_id))


def publish_room_access_changed(room: str | None) -> None:
    """Who may be in ``room`` changed (a story moved to another group): every socket in it
    is checked again, in every process. ``None`` checks every open page (a group changed
    visibility)."""
    _publish(ACCESS_CHANGED, {}, room or _EVERYONE)
