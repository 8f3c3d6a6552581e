"""Blocking a member, and what a block keeps apart.

A block acts on *named* posts only, in both directions. An anonymous post behaves exactly
as if no block existed, because any difference would name its writer by trial: block a
pseudonym and watch which anonymous stories vanish, or reply to anonymous stories until one
refuses. A member who must be kept away from anonymous content can report it; moderators
see who wrote it.

Nobody is told about a block: the blocked member gets no notification, and where they meet
a block they get the same neutral refusal as anywhere replying or reacting is not possible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias, TypeVar

import sqlalchemy as sa
from flask import g, has_request_context
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import QueryableAttribute

from app import permissions
from app.accounts import services as accounts
from app.accounts.models import AccountStatus, User
from app.blocks.models import MemberBlock
from app.database import unit_of_work
from app.errors import NotFound, ValidationFailed
from app.extensions import db
from app.permissions import Actor
from app.realtime import events

_CACHE = "_member_blocks"
T = TypeVar("T")
# A column of a mapped class (``Story.author_id``) or of a subquery.
Column: TypeAlias = QueryableAttribute[T] | sa.ColumnElement[T]


class Post(Protocol):
    """A story or reply, as far as blocks are concerned."""

    author_id: int | None
    anonymous: bool


@dataclass(frozen=True)
class Blocks:
    """One member's blocks: whom they blocked (``hidden``) and who blocked them
    (``blockers``)."""

    hidden: frozenset[int] = frozenset()
    blockers: frozenset[int] = frozenset()

    @property
    def either_way(self) -> frozenset[int]:
        return self.hidden | self.blockers


def blocks_of(user_id: int) -> Blocks:
    """Both directions of one member's blocks in one query; cached for the request."""
    if has_request_context():
        cached: Blocks | None = g.setdefault(_CACHE, {}).get(user_id)
        if cached is not None:
            return cached
    rows = db.session.execute(_BLOCKS_OF, {"user_id": user_id}).all()
    return _remember(user_id, [(blocker, blocked) for blocker, blocked in rows])


def with_blocks(actor: Actor | None, query: sa.Select[Any]) -> sa.Select[Any]:
    """``query`` (for one row) with the actor's blocks joined on, one row for each, so that
    a page with a tight query budget learns them in a round trip it makes anyway.

    Read the result with :func:`first_with_blocks`.
    """
    user = permissions.as_user(actor)
    if user is None:
        return query
    return query.outerjoin(MemberBlock, _involving(user.id)).add_columns(
        MemberBlock.blocker_id, MemberBlock.blocked_id
    )


def first_with_blocks(actor: Actor | None, rows: Sequence[Sequence[Any]]) -> Any:
    """The first entity of the rows of a :func:`with_blocks` query (None without rows);
    the blocks that came along are remembered for the request."""
    if not rows:
        return None
    user = permissions.as_user(actor)
    if user is not None:
        _remember(user.id, [(row[-2], row[-1]) for row in rows if row[-2] is not None])
    return rows[0][0]


def _involving(user_id: int | sa.BindParameter[int]) -> sa.ColumnElement[bool]:
    return sa.or_(MemberBlock.blocker_id == user_id, MemberBlock.blocked_id == user_id)


# Built once: it runs for every reply (for its followers), and building it cost more than
# running it.
_BLOCKS_OF = sa.select(MemberBlock.blocker_id, MemberBlock.blocked_id).where(
    _involving(sa.bindparam("user_id"))
)


def _remember(user_id: int, pairs: Sequence[tuple[int, int]]) -> Blocks:
    found = Blocks(
        hidden=frozenset(blocked for blocker, blocked in pairs if blocker == user_id),
        blockers=frozenset(blocker for blocker, blocked in pairs if blocked == user_id),
    )
    if has_request_context():
        g.setdefault(_CACHE, {})[user_id] = found
    return found


def _forget() -> None:
    if has_request_context():
        g.pop(_CACHE, None)


def hidden_author_ids(actor: Actor | None) -> set[int]:
    """The ids of the members the actor blocked (empty for visitors); cached per request."""
    user = permissions.as_user(actor)
    return set(blocks_of(user.id).hidden) if user is not None else set()


def is_blocked_between(blocker_id: int, other_id: int) -> bool:
    """Tell whether ``blocker_id`` has blocked ``other_id`` (one direction only)."""
    return other_id in blocks_of(blocker_id).hidden


def hides(actor: Actor | None, post: Post) -> bool:
    """Has the actor blocked the named writer of ``post``? Never true for anonymous posts."""
    user = permissions.as_user(actor)
    if user is None or post.anonymous or post.author_id is None:
        return False
    return post.author_id in blocks_of(user.id).hidden


def shuts_out(actor: Actor | None, post: Post) -> bool:
    """Has the named writer of ``post`` blocked the actor? Never true for anonymous posts."""
    user = permissions.as_user(actor)
    if user is None or post.anonymous or post.author_id is None:
        return False
    return post.author_id in blocks_of(user.id).blockers


def not_blocked_filter(
    actor: Actor | None,
    author_column: Column[int | None],
    anonymous_column: Column[bool],
) -> sa.ColumnElement[bool]:
    """Rows the actor has not hidden by a block: anonymous ones, and named ones by members
    the actor did not block. As a subquery, so a list costs no extra round trip.

    ``anonymous_column`` is required: leaving anonymous rows out would name their writers.
    """
    user = permissions.as_user(actor)
    if user is None:
        return sa.true()
    blocked = (
        sa.select(MemberBlock.id)
        .where(MemberBlock.blocker_id == user.id, MemberBlock.blocked_id == author_column)
        .exists()
    )
    return sa.or_(anonymous_column.is_(True), sa.not_(blocked))


def member_to_block(actor: User, pseudonym_or_user_id: str | int) -> User:
    """The member ``actor`` asks to block, by pseudonym or id.

    Raises NotFound for an unknown or deleted account, ValidationFailed for oneself.
    """
    if isinstance(pseudonym_or_user_id, int):
        other = db.session.get(User, pseudonym_or_user_id)
    else:
        other = accounts.find_member(pseudonym_or_user_id)
    if other is None or other.status == AccountStatus.DELETED.value:
        raise NotFound(_("We vinden geen lid met deze schuilnaam."))
    if other.id == actor.id:
        raise ValidationFailed(_("Jezelf blokkeren kan niet."), field="pseudonym")
    return other


def block(actor: User, pseudonym_or_user_id: str | int) -> MemberBlock:
    """Block a member; blocking twice changes nothing. Nobody is notified.

    Raises NotFound for an unknown or deleted account, ValidationFailed for oneself.
    """
    other = member_to_block(actor, pseudonym_or_user_id)
    if _block_row(actor.id, other.id) is None:
        try:
            with unit_of_work() as session:
                session.add(MemberBlock(blocker_id=actor.id, blocked_id=other.id))
                # Only the blocker's reading changes (``stories.story_for_reader``).
                events.publish_access_changed(actor.id)
        except IntegrityError:
            # Blocked a moment ago by a parallel request: that is the state we wanted.
            pass
        _forget()
    row = _block_row(actor.id, other.id)
    assert row is not None
    return row


def unblock(actor: User, user_id: int) -> None:
    """Lift the actor's block on ``user_id``; lifting one that is not there changes nothing."""
    with unit_of_work() as session:
        session.execute(
            sa.delete(MemberBlock).where(
                MemberBlock.blocker_id == actor.id, MemberBlock.blocked_id == user_id
            )
        )
    _forget()


def blocked_by(actor: User) -> list[User]:
    """The members ``actor`` blocked, by pseudonym; deleted accounts left out."""
    return list(
        db.session.execute(
            sa.select(User)
            .join(MemberBlock, MemberBlock.blocked_id == User.id)
            .where(
                MemberBlock.blocker_id == actor.id,
                User.status != AccountStatus.DELETED.value,
            )
            .order_by(User.pseudonym_key)
        ).scalars()
    )


def _block_row(blocker_id: int, blocked_id: int) -> MemberBlock | None:
    return db.session.execute(
        sa.select(MemberBlock).where(
            MemberBlock.blocker_id == blocker_id, MemberBlock.blocked_id == blocked_id
        )
    ).scalar_one_or_none()
