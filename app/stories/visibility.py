"""Making a story or reply visible, or taking it away, with everything that follows from it:
reply counts, followers' notifications, the response clock and the pages that have it open.

Used when something is published at once and when a moderator decides on held content; each
function works inside the caller's unit of work.
"""

from __future__ import annotations

import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.groups.models import Group, GroupKind
from app.guarantee import clocks
from app.realtime import events
from app.stories import follows
from app.stories.models import PostStatus, Reply, Story


def show_story(story: Story, group: Group) -> None:
    """Make a story visible now (or keep it so) and start its response clock. A story its
    writer withdrew from a study stays withdrawn."""
    if story.status == PostStatus.WITHDRAWN.value:
        return
    story.status = PostStatus.PUBLISHED.value
    if story.published_at is None:
        story.published_at = clock.utcnow()
    db.session.flush()
    if group.kind != GroupKind.RESEARCH.value:
        # Research content stays inside its group: no clock, so no queue or dashboard
        # outside it shows it. The group's researchers answer there themselves.
        clocks.start_clock(story, group)
    events.publish_story(story)


# Counted in SQL so that two replies at the same moment both count. Built once, as building
# the statement cost more than running it.
_CHANGE = sa.bindparam("change", type_=sa.Integer)
_COUNT_REPLY = (
    sa.update(Story)
    .where(Story.id == sa.bindparam("counted_story_id"), Story.reply_count + _CHANGE >= 0)
    .values(reply_count=Story.reply_count + _CHANGE)
    .execution_options(synchronize_session=False)
)


def _count_reply(story_id: int, change: int) -> None:
    db.session.execute(_COUNT_REPLY, {"counted_story_id": story_id, "change": change})


def show_reply(reply: Reply) -> None:
    """Make a reply visible: it counts, followers hear of it, and it may answer the story.
    A reply its writer withdrew from a study stays withdrawn."""
    if reply.status == PostStatus.WITHDRAWN.value:
        return
    reply.status = PostStatus.PUBLISHED.value
    db.session.flush()
    _count_reply(reply.story_id, +1)
    follows.notify_followers(reply)
    clocks.refresh_answer(reply.story_id)
    events.publish_reply(reply, _group_id(reply))


def hide_story(story: Story, status: PostStatus) -> None:
    """Take a story out of view: held for a moderator, or removed by one."""
    story.status = status.value
    db.session.flush()
    events.publish_ambassador_queue(story.group_id)
    events.publish_story_changed(story)


def hide_reply(reply: Reply, status: PostStatus) -> None:
    """Take a reply out of view (held or removed): it no longer counts or answers."""
    was_visible = reply.status == PostStatus.PUBLISHED.value
    reply.status = status.value
    db.session.flush()
    if was_visible:
        _count_reply(reply.story_id, -1)
    clocks.refresh_answer(reply.story_id)
    events.publish_ambassador_queue(_group_id(reply))
    events.publish_reply_changed(reply)


def _group_id(reply: Reply) -> int:
    story = db.session.get(Story, reply.story_id)
    assert story is not None
    return story.group_id


def withdraw_story(story: Story) -> None:
    """Take a story out of view for good because its writer withdrew from the study."""
    story.status = PostStatus.WITHDRAWN.value
    db.session.flush()
    events.publish_story_changed(story)


def withdraw_reply(reply: Reply) -> None:
    """Take a reply out of view for good because its writer withdrew from the study."""
    hide_reply(reply, PostStatus.WITHDRAWN)
