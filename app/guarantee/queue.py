"""What ambassadors and staff see: the unanswered stories, most urgent first, and claims."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager, joinedload

from app import clock, permissions
from app.accounts.models import User
from app.database import unit_of_work
from app.errors import Conflict, NotAllowed, NotFound
from app.extensions import db
from app.groups.models import Group
from app.guarantee.models import ResponseWatch
from app.permissions import Actor
from app.realtime import events
from app.stories.models import PostStatus, Story

QUEUE_LIMIT = 200


@dataclass(frozen=True)
class Waiting:
    """One unanswered story as the queue shows it."""

    story: Story
    watch: ResponseWatch
    time_left: timedelta
    claimed_by: User | None

    @property
    def overdue(self) -> bool:
        return self.time_left <= timedelta(0)


def _unanswered() -> sa.Select[Any]:
    return (
        sa.select(ResponseWatch)
        .join(ResponseWatch.story)
        .join(Story.group)
        .where(ResponseWatch.answered_at.is_(None), Story.status == PostStatus.PUBLISHED.value)
        .options(
            contains_eager(ResponseWatch.story).contains_eager(Story.group),
            contains_eager(ResponseWatch.story).joinedload(Story.author),
            joinedload(ResponseWatch.claimed_by),
        )
        .order_by(ResponseWatch.due_at, ResponseWatch.story_id)
        .limit(QUEUE_LIMIT)
    )


def _shown(rows: list[ResponseWatch], now: datetime) -> list[Waiting]:
    return [
        Waiting(
            story=watch.story,
            watch=watch,
            time_left=watch.due_at - now,
            claimed_by=watch.claimed_by if watch.claimed_at(now) else None,
        )
        for watch in rows
    ]


def ambassador_queue(actor: User) -> list[Waiting]:
    """The unanswered stories in the actor's groups as ambassador, least time left first;
    their own stories are left out. Raises NotAllowed for someone who is no ambassador."""
    group_ids = permissions.ambassador_group_ids(actor)
    if not group_ids:
        raise NotAllowed(_("Deze pagina is voor ambassadeurs."))
    query = _unanswered().where(
        Story.group_id.in_(group_ids),
        sa.or_(Story.author_id.is_(None), Story.author_id != actor.id),
    )
    return _shown(list(db.session.execute(query).unique().scalars()), clock.utcnow())


def overdue_stories(actor: Actor) -> list[Waiting]:
    """Stories past their response target, for moderators and content managers: only in
    groups they may read. Raises NotAllowed for anyone else."""
    if not permissions.can_watch_responses(actor):
        raise NotAllowed
    now = clock.utcnow()
    query = _unanswered().where(
        ResponseWatch.due_at <= now, Group.id.in_(permissions.readable_group_ids(actor))
    )
    return _shown(list(db.session.execute(query).unique().scalars()), now)


def _watch_for_ambassador(actor: User, story_id: int) -> ResponseWatch:
    watch = db.session.execute(
        sa.select(ResponseWatch)
        .join(ResponseWatch.story)
        .where(ResponseWatch.story_id == story_id, Story.status == PostStatus.PUBLISHED.value)
        .options(contains_eager(ResponseWatch.story))
    ).scalar_one_or_none()
    if watch is None:
        raise NotFound
    group = db.session.get(Group, watch.story.group_id)
    if group is None or not permissions.can_read_group(actor, group):
        raise NotFound
    if not permissions.is_ambassador(actor, group):
        raise NotAllowed(_("Alleen ambassadeurs van deze groep kunnen een verhaal oppakken."))
    return watch


def claim(actor: User, story_id: int) -> ResponseWatch:
    """Claim an unanswered story so that no other ambassador answers it at the same time.

    Claiming again extends one's own claim. Raises NotFound, NotAllowed (not an ambassador of
    the group) or Conflict (answered already, or another ambassador claimed it first).
    """
    watch = _watch_for_ambassador(actor, story_id)
    group = db.session.get(Group, watch.story.group_id)
    assert group is not None
    now = clock.utcnow()
    with unit_of_work() as session:
        # One conditional update: of two ambassadors clicking at once, one wins.
        result = session.execute(
            sa.update(ResponseWatch)
            .where(
                ResponseWatch.story_id == story_id,
                ResponseWatch.answered_at.is_(None),
                sa.or_(
                    ResponseWatch.claimed_by_id.is_(None),
                    ResponseWatch.claimed_by_id == actor.id,
                    ResponseWatch.claim_expires_at <= now,
                ),
            )
            .values(
                claimed_by_id=actor.id,
                claim_expires_at=now + timedelta(minutes=max(1, group.claim_minutes)),
            )
            .execution_options(synchronize_session=False)
        )
        events.publish_ambassador_queue(group.id)
        if result.rowcount != 1:  # type: ignore[attr-defined]
            session.refresh(watch)
            if watch.answered_at is not None:
                raise Conflict(_("Dit verhaal heeft intussen al een reactie gekregen."))
            raise Conflict(
                _(
                    "%(name)s heeft dit verhaal net opgepakt. Kies gerust een ander verhaal.",
                    name=watch.claimed_by.pseudonym if watch.claimed_by else _("Een ander"),
                )
            )
    db.session.refresh(watch)
    return watch


def release(actor: User, story_id: int) -> None:
    """Give up one's own claim, so the story returns to the queue; a no-op otherwise."""
    watch = _watch_for_ambassador(actor, story_id)
    with unit_of_work() as session:
        session.execute(
            sa.update(ResponseWatch)
            .where(ResponseWatch.story_id == story_id, ResponseWatch.claimed_by_id == actor.id)
            .values(claimed_by_id=None, claim_expires_at=None)
            .execution_options(synchronize_session=False)
        )
        events.publish_ambassador_queue(watch.story.group_id)
