"""Supportive reactions (Herkenning, Steun, Sterkte, Dank je) on stories and replies.

A member gives each kind at most once per post. There are no down-votes and no scores: counts
are shown next to the buttons and never used to rank anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app import permissions
from app.accounts.models import User
from app.blocks import services as blocks
from app.database import unit_of_work
from app.errors import NotAllowed, NotFound
from app.extensions import db
from app.groups.models import Group
from app.permissions import Actor
from app.realtime import events
from app.stories.models import Follow, PostStatus, Reaction, ReactionKind, Reply, Story

LABELS: dict[ReactionKind, LazyString] = {
    ReactionKind.RECOGNITION: _l("Herkenning"),
    ReactionKind.SUPPORT: _l("Steun"),
    ReactionKind.STRENGTH: _l("Sterkte"),
    ReactionKind.THANKS: _l("Dank je"),
}
KINDS: tuple[ReactionKind, ...] = tuple(ReactionKind)

# A post on the page: ("story", id) or ("reply", id).
PostKey = tuple[str, int]
# Marks the reader's follow row in the page query (see ``board_for``).
_FOLLOWING = "_following"


def key_of(post: Story | Reply) -> PostKey:
    """The key a post has on the board."""
    return ("story", post.id) if isinstance(post, Story) else ("reply", post.id)


@dataclass
class Tally:
    """The reactions on one post: how many of each kind, and which the reader gave."""

    counts: dict[str, int] = field(default_factory=dict)
    given: set[str] = field(default_factory=set)

    def count(self, kind: str) -> int:
        return self.counts.get(kind, 0)

    def as_json(self) -> dict[str, object]:
        """Counts and the reader's own kinds; deliberately no names of anyone."""
        return {
            "counts": {kind.value: self.count(kind.value) for kind in KINDS},
            "given": sorted(self.given),
        }


@dataclass
class Board:
    """The reactions on a story and its replies, and whether the reader follows the story."""

    tallies: dict[PostKey, Tally] = field(default_factory=dict)
    following: bool = False

    def tally(self, post: Story | Reply) -> Tally:
        return self.tallies.get(key_of(post), Tally())


def board_for(story: Story, reader: Actor | None, replies: Sequence[Reply] | None = None) -> Board:
    """The reactions on ``story`` and its replies (all of them, or only ``replies``: the page
    on screen), with the reader's own, in one query.

    The reader's follow row rides along in the same round trip (a UNION ALL) because the story
    page has a tight query budget.
    """
    user = permissions.as_user(reader)
    mine: sa.ColumnElement[int]
    if user is None:
        mine = sa.literal(0)
    else:
        mine = sa.func.sum(sa.case((Reaction.user_id == user.id, 1), else_=0))
    if replies is None:
        on_replies = Reaction.reply_id.in_(sa.select(Reply.id).where(Reply.story_id == story.id))
    else:
        on_replies = Reaction.reply_id.in_([reply.id for reply in replies])
    reactions = (
        sa.select(
            Reaction.story_id, Reaction.reply_id, Reaction.kind, sa.func.count(Reaction.id), mine
        )
        .where(sa.or_(Reaction.story_id == story.id, on_replies))
        .group_by(Reaction.story_id, Reaction.reply_id, Reaction.kind)
    )
    query: sa.Executable = reactions
    if user is not None:
        follow = sa.select(
            Follow.story_id,
            sa.cast(sa.null(), sa.Integer),
            sa.literal(_FOLLOWING, sa.String),
            sa.literal(0, sa.Integer),
            sa.literal(1, sa.Integer),
        ).where(Follow.story_id == story.id, Follow.user_id == user.id)
        query = sa.union_all(reactions, follow)
    board = Board()
    for story_id, reply_id, kind, count, given in db.session.execute(query):
        if kind == _FOLLOWING:
            board.following = True
            continue
        key: PostKey = ("story", story_id) if story_id is not None else ("reply", reply_id)
        tally = board.tallies.setdefault(key, Tally())
        tally.counts[kind] = int(count)
        if given:
            tally.given.add(kind)
    return board


def _target(actor: Actor | None, story_id: int | None, reply_id: int | None) -> Story | Reply:
    """The published post to react to; raises NotFound, or NotAllowed for non-members."""
    post: Story | Reply | None
    if reply_id is not None:
        post = db.session.get(Reply, reply_id)
        story = db.session.get(Story, post.story_id) if post is not None else None
    else:
        post = story = db.session.get(Story, story_id) if story_id is not None else None
    if post is None or story is None:
        raise NotFound()
    if post.status != PostStatus.PUBLISHED.value or story.status != PostStatus.PUBLISHED.value:
        raise NotFound()
    group = db.session.get(Group, story.group_id)
    if group is None or not permissions.can_read_group(actor, group):
        raise NotFound()
    if not permissions.can_post_in_group(actor, group):
        raise NotAllowed(_("Steun geven kan in groepen waar je lid van bent."))
    return post


def _on(post: Story | Reply) -> sa.ColumnElement[bool]:
    if isinstance(post, Story):
        return Reaction.story_id == post.id
    return Reaction.reply_id == post.id


def _already_given(post: Story | Reply, user: User, kind: ReactionKind) -> bool:
    return (
        db.session.execute(
            sa.select(Reaction.id).where(
                _on(post), Reaction.user_id == user.id, Reaction.kind == kind.value
            )
        ).first()
        is not None
    )


def tally_of(post: Story | Reply, user: User) -> Tally:
    """The reactions on one post, with the ones ``user`` gave."""
    rows = db.session.execute(
        sa.select(
            Reaction.kind,
            sa.func.count(Reaction.id),
            sa.func.sum(sa.case((Reaction.user_id == user.id, 1), else_=0)),
        )
        .where(_on(post))
        .group_by(Reaction.kind)
    )
    tally = Tally()
    for kind, count, given in rows:
        tally.counts[kind] = int(count)
        if given:
            tally.given.add(kind)
    return tally


def set_reaction(
    actor: User,
    kind: ReactionKind,
    given: bool,
    *,
    story_id: int | None = None,
    reply_id: int | None = None,
) -> tuple[Story | Reply, Tally]:
    """Give (``given``) or take back one kind of reaction on a story or reply; idempotent.

    Returns the post and its tally afterwards. Raises NotFound for a post the actor cannot see
    or that is not published, and NotAllowed when the actor may not post in its group or the
    post's named writer blocked them (taking a reaction back stays possible).
    """
    post = _target(actor, story_id, reply_id)
    if given and blocks.shuts_out(actor, post):
        # Neutral on purpose: nobody is told that they were blocked.
        raise NotAllowed(_("Steun geven kan hier op dit moment niet."))
    post_id = post.id
    if given:
        try:
            with unit_of_work() as session:
                if not _already_given(post, actor, kind):
                    session.add(
                        Reaction(
                            user_id=actor.id,
                            story_id=post_id if isinstance(post, Story) else None,
                            reply_id=post_id if isinstance(post, Reply) else None,
                            kind=kind.value,
                        )
                    )
                    session.flush()
                    events.publish_reactions(post, _counts(post))
        except IntegrityError:
            # A double click raced us to it: the reaction is there, which is what was asked.
            pass
    else:
        with unit_of_work() as session:
            removed = session.execute(
                sa.delete(Reaction).where(
                    _on(post), Reaction.user_id == actor.id, Reaction.kind == kind.value
                )
            )
            if getattr(removed, "rowcount", 0):
                events.publish_reactions(post, _counts(post))
    return post, tally_of(post, actor)


def _counts(post: Story | Reply) -> dict[str, int]:
    """How many of each kind a post has, inside the writing transaction: what readers of its
    story are sent once it commits."""
    query = sa.select(Reaction.kind, sa.func.count(Reaction.id)).where(_on(post))
    rows = db.session.execute(query.group_by(Reaction.kind))
    found = {kind: int(count) for kind, count in rows}
    return {kind.value: found.get(kind.value, 0) for kind in KINDS}
