"""Following a story: its followers hear about new replies."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app import permissions
from app.accounts.models import User
from app.blocks import services as blocks
from app.database import unit_of_work
from app.errors import NotAllowed
from app.extensions import db
from app.groups.models import Group
from app.notifications import kinds
from app.notifications.services import notify
from app.permissions import Actor
from app.stories.models import Follow, Reply, Story


def may_follow(actor: Actor | None, story: Story) -> bool:
    """May the actor follow this story? Active members who may read its group, while the
    story is published, unless its named writer blocked them."""
    user = permissions.as_user(actor)
    if user is None or not user.is_active or not story.is_visible:
        return False
    if blocks.shuts_out(user, story):
        return False
    return permissions.can_read_group(user, story.group)


def follow(user: User, story: Story) -> None:
    """Inside the caller's unit of work: make ``user`` follow ``story`` (idempotent)."""
    session = db.session()
    exists = session.execute(
        sa.select(Follow.id).where(Follow.story_id == story.id, Follow.user_id == user.id)
    ).first()
    if exists is not None:
        return
    try:
        with session.begin_nested():
            session.add(Follow(story_id=story.id, user_id=user.id))
    except IntegrityError:
        # Followed a moment ago by a parallel request: that is the state we wanted.
        pass


def unfollow(user: User, story: Story) -> None:
    """Inside the caller's unit of work: stop ``user`` following ``story`` (idempotent)."""
    db.session.execute(
        sa.delete(Follow).where(Follow.story_id == story.id, Follow.user_id == user.id)
    )


def set_following(actor: Actor | None, story: Story, following: bool) -> None:
    """Follow or stop following a story the actor may read, in one unit of work.

    Raises NotAllowed for visitors, inactive accounts and members the story's named writer
    blocked.
    """
    user = permissions.as_user(actor)
    if user is None:
        raise NotAllowed(_("Log in om een verhaal te volgen."))
    if not may_follow(user, story):
        # Neutral on purpose: nobody is told that they were blocked.
        raise NotAllowed(_("Volgen kan hier op dit moment niet."))
    with unit_of_work():
        if following:
            follow(user, story)
        else:
            unfollow(user, story)


def notify_followers(reply: Reply) -> None:
    """Inside the caller's unit of work: notify the story's followers of ``reply``.

    The replier is not notified of their own reply, and an anonymous replier is never named.
    Followers who can no longer read the group hear nothing, and neither do followers kept
    apart by a block from the named writer of the reply or of the story.
    """
    session = db.session()
    if reply.id is None:
        session.flush()
    story = session.get(Story, reply.story_id)
    if story is None:
        return
    group = session.get(Group, story.group_id)
    if group is None:
        return
    followers = [
        follower
        for follower in session.execute(
            sa.select(User)
            .join(Follow, Follow.user_id == User.id)
            .where(Follow.story_id == story.id)
            .order_by(User.id)
        ).scalars()
        if follower.id != reply.author_id and follower.is_active
    ]
    if not followers:
        return  # and no need to look up the writer or the blocks
    author = session.get(User, reply.author_id) if reply.author_id is not None else None
    name = kinds.shown_name(author, reply.anonymous)
    link = url_for("stories.reply_at", reply_id=reply.id)
    kept_apart = _kept_apart(story, reply)
    for follower in followers:
        if follower.id in kept_apart:
            continue
        if not permissions.can_read_group(follower, group):
            continue
        kind = (
            kinds.REPLY_ON_MY_STORY
            if follower.id == story.author_id
            else kinds.REPLY_ON_FOLLOWED_STORY
        )
        notify(follower.id, kind, {"name": name, "story": story.title}, link=link)


def _kept_apart(story: Story, reply: Reply) -> frozenset[int]:
    """Members who hear nothing of ``reply`` because of a block, either way, with its named
    writer or the story's named writer.

    Anonymous posts are left out on purpose: a notification that stays away for one anonymous
    reply would tell a blocked member, or someone who blocked a pseudonym to try, who wrote it.
    """
    apart: frozenset[int] = frozenset()
    for post in (reply, story):
        if not post.anonymous and post.author_id is not None:
            apart |= blocks.blocks_of(post.author_id).either_way
    return apart
