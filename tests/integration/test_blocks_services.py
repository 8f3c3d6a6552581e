"""Blocking through the services: blocking, lifting, and what a block keeps apart."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.accounts.models import AccountStatus, User
from app.blocks import services as blocks
from app.blocks.models import MemberBlock
from app.database import unit_of_work
from app.errors import NotAllowed, NotFound, ValidationFailed
from app.extensions import db
from app.groups.models import Group
from app.notifications.models import Notification
from app.stories import follows, reactions, services
from app.stories.models import Reaction, ReactionKind, Reply, Story
from tests.support import Factory

pytestmark = pytest.mark.usefixtures("ctx")


def _members(make: Factory, group: Group, *names: str) -> list[User]:
    people = [make.user(pseudonym=name) for name in names]
    for person in people:
        make.membership(person, group)
    return people


def _notified(user: User) -> int:
    return int(
        db.session.execute(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id)
        ).scalar_one()
    )


def _follow(user: User, story: Story) -> None:
    with unit_of_work():
        follows.follow(db.session.get(User, user.id), db.session.get(Story, story.id))


def _notify(reply: Reply) -> None:
    with unit_of_work():
        follows.notify_followers(db.session.get(Reply, reply.id))


# --- blocking and lifting -----------------------------------------------------------------


def test_blocking_twice_keeps_one_block(make: Factory):
    me, other = make.user(), make.user()
    first = blocks.block(me, other.id)
    second = blocks.block(me, other.id)
    assert first.id == second.id
    count = db.session.execute(sa.select(sa.func.count()).select_from(MemberBlock)).scalar_one()
    assert count == 1


def test_a_member_is_blocked_by_pseudonym_whatever_its_case_and_spacing(make: Factory):
    me, other = make.user(), make.user(pseudonym="Stille Wilg")
    row = blocks.block(me, "  stille-WILG ")
    assert (row.blocker_id, row.blocked_id) == (me.id, other.id)


def test_unknown_and_deleted_members_are_not_found(make: Factory):
    me, gone = make.user(), make.user(pseudonym="Vertrokken")
    db.session.get(User, gone.id).status = AccountStatus.DELETED.value
    db.session.commit()
    for target in (gone.id, "Vertrokken", 987654, "Bestaat-niet", ""):
        with pytest.raises(NotFound):
            blocks.block(me, target)


def test_blocking_oneself_is_refused(make: Factory):
    me = make.user(pseudonym="Ikzelf")
    for target in (me.id, "ikzelf"):
        with pytest.raises(ValidationFailed):
            blocks.block(me, target)


def test_lifting_a_block_is_idempotent(make: Factory):
    me, other = make.user(), make.user()
    blocks.block(me, other.id)
    assert blocks.is_blocked_between(me.id, other.id)
    blocks.unblock(me, other.id)
    blocks.unblock(me, other.id)
    assert not blocks.is_blocked_between(me.id, other.id)
    assert blocks.hidden_author_ids(me) == set()


def test_a_block_goes_one_way(make: Factory):
    me, other = make.user(), make.user()
    blocks.block(me, other.id)
    assert blocks.is_blocked_between(me.id, other.id)
    assert not blocks.is_blocked_between(other.id, me.id)
    assert blocks.hidden_author_ids(me) == {other.id}
    assert blocks.hidden_author_ids(other) == set()
    assert blocks.blocks_of(other.id).blockers == {me.id}


def test_the_list_of_blocked_members_is_by_pseudonym_without_deleted_accounts(make: Factory):
    me = make.user()
    later, earlier, gone = (make.user(pseudonym=name) for name in ("Zwaluw", "aalscholver", "Weg"))
    for other in (later, earlier, gone):
        blocks.block(me, other.id)
    db.session.get(User, gone.id).status = AccountStatus.DELETED.value
    db.session.commit()
    assert [user.pseudonym for user in blocks.blocked_by(me)] == ["aalscholver", "Zwaluw"]


def test_the_blocked_ids_are_read_once_per_request(app, make: Factory):
    me, other = make.user(), make.user()
    blocks.block(me, other.id)
    statements: list[str] = []
    engine = db.engine

    def _count(*_args: object) -> None:
        statements.append("query")

    sa.event.listen(engine, "before_cursor_execute", _count)
    try:
        for _ in range(3):
            assert blocks.hidden_author_ids(me) == {other.id}
    finally:
        sa.event.remove(engine, "before_cursor_execute", _count)
    assert len(statements) <= 1


def test_visitors_have_no_blocks():
    assert blocks.hidden_author_ids(None) == set()


# --- lists and look-ups -------------------------------------------------------------------


def test_the_filter_leaves_out_named_stories_of_blocked_members_only(make: Factory):
    group = make.group()
    me, other = _members(make, group, "Lezer", "Geblokkeerd")
    named = make.story(group, other, title="Met naam")
    anonymous = make.story(group, other, title="Zonder naam", anonymous=True)
    kept = make.story(group, title="Van een ander")
    blocks.block(me, other.id)
    titles = [story.title for story in services.group_stories(me, group).stories]
    assert sorted(titles) == ["Van een ander", "Zonder naam"]
    feed = [story.id for story in services.recent_stories(me).stories]
    assert named.id not in feed
    assert {anonymous.id, kept.id} <= set(feed)
    # Others, and visitors, still see it.
    assert named.id in [story.id for story in services.recent_stories(None).stories]
    assert named.id in [story.id for story in services.recent_stories(other).stories]


def test_a_named_story_of_a_blocked_member_is_not_found_for_the_blocker(make: Factory):
    group = make.group()
    me, other = _members(make, group, "Lezer", "Geblokkeerd")
    named = make.story(group, other)
    anonymous = make.story(group, other, anonymous=True)
    blocks.block(me, other.id)
    with pytest.raises(NotFound):
        services.story_for_reader(me, named.id)
    assert services.story_for_reader(me, anonymous.id).id == anonymous.id
    assert services.story_for_reader(other, named.id).id == named.id


# --- what the blocked member meets --------------------------------------------------------


def test_a_reply_to_the_blockers_named_story_is_refused_neutrally(make: Factory):
    group = make.group()
    blocker, blocked = _members(make, group, "Blokker", "Geblokkeerd")
    story = make.story(group, blocker)
    blocks.block(blocker, blocked.id)
    with pytest.raises(NotAllowed) as refused:
        services.post_reply(blocked, db.session.get(Story, story.id), "Hallo daar.")
    assert refused.value.message == "Reageren kan hier op dit moment niet."
    assert db.session.execute(sa.select(Reply)).first() is None
    # An anonymous reply is refused as well: it is the blocker's story that is closed.
    with pytest.raises(NotAllowed):
        services.post_reply(blocked, db.session.get(Story, story.id), "Hallo.", anonymous=True)


def test_replies_to_anonymous_stories_and_by_the_blocker_still_work(make: Factory):
    group = make.group()
    blocker, blocked = _members(make, group, "Blokker", "Geblokkeerd")
    anonymous = make.story(group, blocker, anonymous=True)
    theirs = make.story(group, blocked)
    blocks.block(blocker, blocked.id)
    assert services.post_reply(blocked, db.session.get(Story, anonymous.id), "Sterkte.").post.id
    # The blocker is kept from nothing by their own block.
    assert services.post_reply(blocker, db.session.get(Story, theirs.id), "Dank je.").post.id


def test_reacting_to_the_blockers_named_posts_is_refused(make: Factory):
    group = make.group()
    blocker, blocked = _members(make, group, "Blokker", "Geblokkeerd")
    story = make.story(group, blocker)
    reply = make.reply(make.story(group), blocker)
    anonymous = make.reply(make.story(group), blocker, anonymous=True)
    blocks.block(blocker, blocked.id)
    with pytest.raises(NotAllowed, match="Steun geven kan hier op dit moment niet"):
        reactions.set_reaction(blocked, ReactionKind.SUPPORT, True, story_id=story.id)
    with pytest.raises(NotAllowed):
        reactions.set_reaction(blocked, ReactionKind.SUPPORT, True, reply_id=reply.id)
    _post, tally = reactions.set_reaction(
        blocked, ReactionKind.SUPPORT, True, reply_id=anonymous.id
    )
    assert tally.count("support") == 1
    # Taking back is always possible.
    reactions.set_reaction(blocked, ReactionKind.SUPPORT, False, story_id=story.id)
    count = db.session.execute(sa.select(sa.func.count()).select_from(Reaction)).scalar_one()
    assert count == 1


def test_the_blocked_member_may_not_follow_the_blockers_named_story(make: Factory):
    group = make.group()
    blocker, blocked = _members(make, group, "Blokker", "Geblokkeerd")
    named_id = make.story(group, blocker).id
    anonymous_id = make.story(group, blocker, anonymous=True).id
    blocks.block(blocker, blocked.id)
    named, anonymous = db.session.get(Story, named_id), db.session.get(Story, anonymous_id)
    assert not follows.may_follow(blocked, named)
    assert follows.may_follow(blocked, anonymous)
    assert follows.may_follow(blocker, named)
    with pytest.raises(NotAllowed, match="Volgen kan hier op dit moment niet"):
        follows.set_following(blocked, named, following=True)


# --- notifications ------------------------------------------------------------------------


def test_named_replies_notify_nobody_across_a_block(make: Factory):
    group = make.group()
    blocker, blocked, other = _members(make, group, "Blokker", "Geblokkeerd", "Ander")
    story = make.story(group, other)
    for person in (blocker, blocked, other):
        _follow(person, story)
    blocks.block(blocker, blocked.id)
    _notify(make.reply(story, blocker))
    _notify(make.reply(story, blocked))
    assert (_notified(blocker), _notified(blocked), _notified(other)) == (0, 0, 2)


def test_replies_to_the_blockers_named_story_do_not_reach_a_blocked_follower(make: Factory):
    group = make.group()
    blocker, blocked, other = _members(make, group, "Blokker", "Geblokkeerd", "Ander")
    story = make.story(group, blocker)
    _follow(blocked, story)  # followed before the block
    blocks.block(blocker, blocked.id)
    _notify(make.reply(story, other))
    assert _notified(blocked) == 0


def test_anonymous_posts_notify_as_if_there_were_no_block(make: Factory):
    """A notification that stays away would tell who wrote the anonymous post."""
    group = make.group()
    blocker, blocked, other = _members(make, group, "Blokker", "Geblokkeerd", "Ander")
    story = make.story(group, other)
    anonymous_story = make.story(group, blocker, anonymous=True)
    for person in (blocker, blocked):
        _follow(person, story)
    _follow(blocked, anonymous_story)
    blocks.block(blocker, blocked.id)
    _notify(make.reply(story, blocker, anonymous=True))
    _notify(make.reply(story, blocked, anonymous=True))
    _notify(make.reply(anonymous_story, other))
    assert (_notified(blocker), _notified(blocked)) == (1, 2)


def test_a_block_notifies_nobody(make: Factory):
    me, other = make.user(), make.user()
    blocks.block(me, other.id)
    blocks.unblock(me, other.id)
    assert _notified(me) == _notified(other) == 0
