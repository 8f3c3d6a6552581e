"""Keeping a member out of a group, when moderators decide so on a confidential request.

The member is taken out of the group and cannot join or ask to join it again; they are not
told who asked. Works inside the caller's unit of work.
"""

from __future__ import annotations

import sqlalchemy as sa

from app import clock, permissions
from app.accounts.models import User
from app.extensions import db
from app.groups.models import (
    Group,
    GroupExclusion,
    JoinRequest,
    JoinRequestStatus,
    Membership,
)
from app.realtime import events


def is_excluded(group: Group, user: User) -> bool:
    """Tell whether moderators keep ``user`` out of ``group``."""
    return (
        db.session.execute(
            sa.select(GroupExclusion.id).where(
                GroupExclusion.group_id == group.id, GroupExclusion.user_id == user.id
            )
        ).first()
        is not None
    )


def exclude(group: Group, user_id: int, *, by: User) -> None:
    """Take the member out of ``group`` and keep them out (idempotent)."""
    db.session.execute(
        sa.delete(Membership).where(Membership.group_id == group.id, Membership.user_id == user_id)
    )
    db.session.execute(
        sa.update(JoinRequest)
        .where(
            JoinRequest.group_id == group.id,
            JoinRequest.user_id == user_id,
            JoinRequest.status == JoinRequestStatus.PENDING.value,
        )
        .values(status=JoinRequestStatus.DECLINED.value, decided_at=clock.utcnow())
        .execution_options(synchronize_session=False)
    )
    known = db.session.execute(
        sa.select(GroupExclusion.id).where(
            GroupExclusion.group_id == group.id, GroupExclusion.user_id == user_id
        )
    ).first()
    if known is None:
        db.session.add(
            GroupExclusion(
                group_id=group.id,
                user_id=user_id,
                created_at=clock.utcnow(),
                created_by_name=by.pseudonym,
            )
        )
    events.publish_access_changed(user_id)
    permissions.forget_group_roles()
