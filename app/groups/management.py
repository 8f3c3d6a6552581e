"""Managing a group: who serves it as ambassador or manager, and its response guarantee.

Every change is written to the audit log in the same unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app import clock, permissions
from app.accounts.models import AccountStatus, AuthSession, User
from app.audit import services as audit
from app.database import unit_of_work
from app.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from app.extensions import db
from app.groups import services as group_services
from app.groups.models import Group, GroupRole, Membership
from app.notifications import kinds
from app.notifications.services import notify
from app.permissions import Actor
from app.realtime import events

# An ambassador counts as active when their account is active and they were here lately.
ACTIVE_WITHIN = timedelta(days=30)
TARGET_HOURS = (1, 168)
CLAIM_MINUTES = (15, 24 * 60)
MEMBER_LIST_LIMIT = 100

_ROLE_ACTIONS = {
    GroupRole.AMBASSADOR: "group.ambassador_assigned",
    GroupRole.MANAGER: "group.manager_assigned",
    GroupRole.MEMBER: "group.role_removed",
}


@dataclass(frozen=True)
class ManagedGroup:
    """A group as its manager's overview shows it."""

    group: Group
    ambassadors: int
    active_ambassadors: int


def _check_manager(group: Group, actor: Actor) -> None:
    if not permissions.can_see_group(actor, group):
        raise NotFound
    if not permissions.can_manage_group(actor, group):
        raise NotAllowed(_("Alleen de beheerders van deze groep kunnen dit doen."))


def _recently_seen() -> sa.Exists:
    return (
        sa.select(AuthSession.id)
        .where(
            AuthSession.user_id == Membership.user_id,
            AuthSession.last_seen_at >= clock.utcnow() - ACTIVE_WITHIN,
        )
        .exists()
    )


def managed_groups(actor: Actor) -> list[ManagedGroup]:
    """The groups the actor manages (admins: all), with how many (active) ambassadors each
    has; raises NotAllowed for someone who manages none."""
    if not permissions.manages_any_group(actor):
        raise NotAllowed(_("Deze pagina is voor beheerders van een groep."))
    condition: sa.ColumnElement[bool] = sa.true()
    if not permissions.is_admin(actor):
        ids = [g for g, r in permissions.group_roles(actor).items() if r is GroupRole.MANAGER]
        condition = Group.id.in_(ids)
    is_ambassador = Membership.role == GroupRole.AMBASSADOR.value
    active = sa.and_(is_ambassador, User.status == AccountStatus.ACTIVE.value, _recently_seen())
    counts = (
        sa.select(
            Membership.group_id,
            sa.func.count().filter(is_ambassador).label("ambassadors"),
            sa.func.count().filter(active).label("active"),
        )
        .join(User, User.id == Membership.user_id)
        .group_by(Membership.group_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Group, counts.c.ambassadors, counts.c.active)
        .outerjoin(counts, counts.c.group_id == Group.id)
        .where(condition)
        .order_by(Group.name)
    ).all()
    return [ManagedGroup(group, int(amb or 0), int(act or 0)) for group, amb, act in rows]


def members(group: Group, *, actor: Actor, search: str = "") -> list[Membership]:
    """Managers and ambassadors first, then members (filtered by the start of their
    pseudonym, at most MEMBER_LIST_LIMIT); raises NotFound or NotAllowed."""
    _check_manager(group, actor)
    rank = sa.case(
        (Membership.role == GroupRole.MANAGER.value, 0),
        (Membership.role == GroupRole.AMBASSADOR.value, 1),
        else_=2,
    )
    query = (
        sa.select(Membership)
        .join(Membership.user)
        .options(joinedload(Membership.user))
        .where(Membership.group_id == group.id, User.status != AccountStatus.DELETED.value)
        .order_by(rank, User.pseudonym_key)
        .limit(MEMBER_LIST_LIMIT)
    )
    search = search.replace("\x00", "").strip().casefold()[:30]
    if search:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(
            sa.or_(
                Membership.role != GroupRole.MEMBER.value,
                User.pseudonym_key.like(f"{escaped}%", escape="\\"),
            )
        )
    return list(db.session.execute(query).scalars())


def set_role(group: Group, user_id: int, role: str, *, actor: User) -> Membership:
    """Make a member ambassador, manager or plain member again, and log it.

    Raises NotFound (no such member), NotAllowed (not a manager), ValidationFailed (unknown
    role) or Conflict (the last manager cannot step down).
    """
    _check_manager(group, actor)
    try:
        new_role = GroupRole(role)
    except ValueError:
        raise ValidationFailed(_("Kies een rol uit de lijst."), field="role") from None
    with unit_of_work() as session:
        session.execute(sa.select(Group.id).where(Group.id == group.id).with_for_update())
        membership = session.execute(
            sa.select(Membership)
            .where(Membership.group_id == group.id, Membership.user_id == user_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).scalar_one_or_none()
        if membership is None:
            raise NotFound
        old_role = GroupRole(membership.role)
        if old_role is new_role:
            return membership
        if old_role is GroupRole.MANAGER and group_services.manager_count(group) <= 1:
            raise Conflict(
                _(
                    "Een groep heeft altijd minstens één beheerder. "
                    "Maak eerst iemand anders beheerder."
                )
            )
        membership.role = new_role.value
        # An ambassador no longer: out of the queue's room.
        events.publish_access_changed(user_id)
        audit.record(
            actor,
            _ROLE_ACTIONS[new_role],
            "user",
            user_id,
            group_id=group.id,
            details={"from": old_role.value, "to": new_role.value},
        )
        if new_role is GroupRole.AMBASSADOR:
            notify(
                user_id,
                kinds.AMBASSADOR_ASSIGNED,
                {"group": group.name},
                url_for("guarantee.queue_page"),
            )
    permissions.forget_group_roles()
    return membership


def set_guarantee(group: Group, target_hours: int, claim_minutes: int, *, actor: User) -> None:
    """Change the group's response target and claim time, and log it; new stories use them.

    Raises NotFound, NotAllowed or ValidationFailed (out of range).
    """
    _check_manager(group, actor)
    low, high = TARGET_HOURS
    if not low <= target_hours <= high:
        raise ValidationFailed(
            _("Kies een tijd tussen %(low)d en %(high)d uur.", low=low, high=high),
            field="target_hours",
        )
    low, high = CLAIM_MINUTES
    if not low <= claim_minutes <= high:
        raise ValidationFailed(
            _("Kies een tijd tussen %(low)d en %(high)d minuten.", low=low, high=high),
            field="claim_minutes",
        )
    with unit_of_work():
        before = {
            "target_minutes": group.response_target_minutes,
            "claim_minutes": group.claim_minutes,
        }
        group.response_target_minutes = target_hours * 60
        group.claim_minutes = claim_minutes
        after = {"target_minutes": group.response_target_minutes, "claim_minutes": claim_minutes}
        if before != after:
            audit.record(
                actor,
                "group.guarantee_changed",
                "group",
                group.id,
                group_id=group.id,
                details={"from": before, "to": after},
            )
