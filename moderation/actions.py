"""What a decision does: to the content (publish, remove, redact, move, close) and to its
writer (warn, silence, suspend, ban). Each works inside the caller's unit of work; the
decision module checks, audits and tells people."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import gettext as _

from app import clock, markup
from app.accounts.models import AccountStatus, AuthSession, User
from app.errors import ValidationFailed
from app.extensions import db
from app.groups import exclusions
from app.groups.models import Group
from app.realtime import events, rooms
from app.stories import visibility
from app.stories.models import PostStatus, Reply, Revision, Story
from app.stories.services import checked_body

MAX_DAYS = 365


class ContentAction(StrEnum):
    APPROVE = "approve"  # publish held or hidden content, or keep it as it is
    REMOVE = "remove"  # take it out of view
    REDACT = "redact"  # change the text; the original stays in the revisions
    MOVE = "move"  # move a story to another group
    CLOSE = "close"  # close a story for new replies
    KEEP_OUT = "keep_out"  # keep a member out of the item's group (a confidential request)


class MemberAction(StrEnum):
    NONE = ""
    WARN = "warn"
    SILENCE = "silence"  # read-only for a number of days
    SUSPEND = "suspend"  # no login for a number of days
    BAN = "ban"


_VISIBLE_OR_WAITING = (PostStatus.PUBLISHED.value, PostStatus.HELD.value)
_OUT_OF_VIEW = (PostStatus.HELD.value, PostStatus.REMOVED.value)


def publish(story: Story | None, reply: Reply | None) -> None:
    """Make held, hidden or removed content visible (again)."""
    if reply is not None:
        if reply.status in _OUT_OF_VIEW:
            visibility.show_reply(reply)
    elif story is not None and story.status in _OUT_OF_VIEW:
        group = db.session.get(Group, story.group_id)
        assert group is not None
        visibility.show_story(story, group)


def remove(story: Story | None, reply: Reply | None) -> None:
    """Take content out of view."""
    if reply is not None:
        if reply.status in _VISIBLE_OR_WAITING:
            visibility.hide_reply(reply, PostStatus.REMOVED)
    elif story is not None and story.status in _VISIBLE_OR_WAITING:
        visibility.hide_story(story, PostStatus.REMOVED)


def redact(story: Story | None, reply: Reply | None, new_text: str, editor: User) -> None:
    """Replace the text (a moderator's edit, with a reason); the original is kept as a
    revision only moderators see, and the content is made visible."""
    source = checked_body(new_text)
    post: Story | Reply | None = reply if reply is not None else story
    if post is None:
        return
    db.session.add(
        Revision(
            story_id=post.id if isinstance(post, Story) else None,
            reply_id=post.id if isinstance(post, Reply) else None,
            title=post.title if isinstance(post, Story) else None,
            body_source=post.body_source,
            created_at=clock.utcnow(),
            editor_id=editor.id,
        )
    )
    post.body_source = source
    post.body_html = markup.render(source)
    post.edited_at = clock.utcnow()
    if isinstance(post, Reply):
        events.publish_reply_changed(post)
    else:
        events.publish_story_changed(post)
    publish(story, reply)


def move(story: Story | None, target: Group | None) -> None:
    """Move a story to another group; raises ValidationFailed without both."""
    if story is None or target is None:
        raise ValidationFailed(_("Kies de groep waar het verhaal heen moet."), field="group")
    story.group_id = target.id
    db.session.flush()
    events.publish_story_changed(story)
    # Readers of the old group may not be allowed in the new one.
    events.publish_room_access_changed(rooms.story_room(story.id))


def close(story: Story | None) -> None:
    """Close a story for new replies; the thread stays readable."""
    if story is not None and story.replies_closed_at is None:
        story.replies_closed_at = clock.utcnow()
        events.publish_story_changed(story)


def checked_days(action: MemberAction, days: int | None) -> int:
    """The number of days a silence or suspension lasts; raises ValidationFailed."""
    if action not in (MemberAction.SILENCE, MemberAction.SUSPEND):
        return 0
    if days is None or not 1 <= days <= MAX_DAYS:
        raise ValidationFailed(
            _("Kies een aantal dagen van 1 tot en met %(max)d.", max=MAX_DAYS), field="days"
        )
    return days


def apply_to_member(member: User, action: MemberAction, days: int) -> None:
    """Warn (nothing changes here), silence, suspend or ban the member. Suspending and
    banning end every login at once."""
    now = clock.utcnow()
    if action is MemberAction.SILENCE:
        member.silenced_until = now + timedelta(days=days)
    elif action is MemberAction.SUSPEND:
        member.status = AccountStatus.SUSPENDED.value
        member.suspended_until = now + timedelta(days=days)
    elif action is MemberAction.BAN:
        member.status = AccountStatus.BANNED.value
        member.suspended_until = None
    if action in (MemberAction.SUSPEND, MemberAction.BAN):
        db.session.execute(sa.delete(AuthSession).where(AuthSession.user_id == member.id))
        events.publish_access_changed(member.id)


def lift(member: User) -> None:
    """Undo a silence, suspension or ban (an appeal was granted)."""
    member.silenced_until = None
    if member.status in (AccountStatus.SUSPENDED.value, AccountStatus.BANNED.value):
        member.status = AccountStatus.ACTIVE.value
        member.suspended_until = None


def lift_ended_suspensions() -> int:
    """Suspended members whose suspension ended may log in again; returns how many."""
    result = db.session.execute(
        sa.update(User)
        .where(
            User.status == AccountStatus.SUSPENDED.value,
            User.suspended_until.is_not(None),
            User.suspended_until <= clock.utcnow(),
        )
        .values(status=AccountStatus.ACTIVE.value, suspended_until=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def keep_out(group_id: int | None, member: User | None, moderator: User) -> None:
    """Take the member out of the group and keep them out; raises ValidationFailed when the
    item names no group or member."""
    group = db.session.get(Group, group_id) if group_id is not None else None
    if group is None or member is None:
        raise ValidationFailed(
            _("Dit kan alleen bij een verzoek over een groep."), field="decision"
        )
    exclusions.exclude(group, member.id, by=moderator)
