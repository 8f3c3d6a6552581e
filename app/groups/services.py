"""Joining and leaving groups, and deciding on requests to join a closed group.

Each public operation is one unit of work. ``enrol`` and ``file_request`` do their work inside
the caller's unit of work, so that onboarding can join several groups in one commit.
Operations are idempotent where a second click should do no harm: joining twice, leaving
twice, asking twice.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app import clock, permissions
from app.accounts.models import User
from app.database import unit_of_work
from app.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from app.extensions import db
from app.groups import exclusions
from app.groups.models import Group, GroupRole, JoinRequest, JoinRequestStatus, Membership
from app.groups.queries import pending_request
from app.notifications import kinds
from app.notifications.services import notify
from app.realtime import events

MOTIVATION_MAX = 500


class LastManager(Conflict):
    """The group's only manager cannot leave it; someone else must be made manager first."""


def _lock(group: Group) -> None:
    # Serialises membership changes per group on PostgreSQL (SQLite already writes one at a
    # time), so two clicks cannot make two memberships or remove the last two managers.
    db.session.execute(sa.select(Group.id).where(Group.id == group.id).with_for_update())


def _membership(group: Group, user: User) -> Membership | None:
    return db.session.execute(
        sa.select(Membership).where(Membership.group_id == group.id, Membership.user_id == user.id)
    ).scalar_one_or_none()


def _not_now() -> str:
    # Said to someone moderators keep out of a group: it neither explains nor names anyone.
    return _("Je kunt op dit moment geen lid worden van deze groep.")


def _how_to_join(group: Group) -> str:
    if group.is_public:
        return _("Deze groep is openbaar. Je kunt direct lid worden.")
    if group.is_closed:
        return _("Dit is een besloten groep. Vraag of je lid mag worden.")
    return _("Je kunt alleen lid worden van deze groep met een uitnodiging.")


def clean_motivation(raw: str | None) -> str:
    """Tidy a motivation (line endings, NUL bytes, outer spaces); raises ValidationFailed."""
    text = (raw or "").replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > MOTIVATION_MAX:
        raise ValidationFailed(
            _(
                "Je tekst is %(length)d tekens. Maak hem wat korter: hoogstens %(max)d tekens.",
                length=len(text),
                max=MOTIVATION_MAX,
            ),
            field="motivation",
        )
    return text


def enrol(group: Group, *, actor: User) -> Membership:
    """Inside the caller's unit of work: make ``actor`` a member of a public group at once.

    Returns the existing membership when already a member. Raises NotFound for a group hidden
    from the actor and NotAllowed for a closed group (ask to join instead).
    """
    _lock(group)
    existing = _membership(group, actor)
    if existing is not None:
        return existing
    if not permissions.can_see_group(actor, group):
        raise NotFound
    if exclusions.is_excluded(group, actor):
        raise NotAllowed(_not_now())
    if not permissions.can_join_directly(actor, group):
        raise NotAllowed(_how_to_join(group))
    membership = Membership(group_id=group.id, user_id=actor.id, role=GroupRole.MEMBER.value)
    db.session.add(membership)
    return membership


def join(group: Group, *, actor: User) -> Membership:
    """Join a public group at once; see ``enrol`` for what it raises."""
    with unit_of_work():
        membership = enrol(group, actor=actor)
    permissions.forget_group_roles()
    return membership


def leave(group: Group, *, actor: User) -> None:
    """Leave ``group`` (nothing happens when not a member); raises LastManager."""
    with unit_of_work() as session:
        _lock(group)
        membership = _membership(group, actor)
        if membership is None:
            return
        if membership.role == GroupRole.MANAGER.value and manager_count(group) <= 1:
            raise LastManager(
                _(
                    "Je bent de enige beheerder van deze groep. Maak eerst iemand anders "
                    "beheerder, dan kun je de groep verlaten."
                )
            )
        session.delete(membership)
        events.publish_access_changed(actor.id)
    permissions.forget_group_roles()


def manager_count(group: Group) -> int:
    """How many managers the group has."""
    count = db.session.execute(
        sa.select(sa.func.count())
        .select_from(Membership)
        .where(Membership.group_id == group.id, Membership.role == GroupRole.MANAGER.value)
    ).scalar_one()
    return int(count)


def _decider_ids(group: Group, other_than: User) -> list[int]:
    rows = db.session.execute(
        sa.select(Membership.user_id).where(
            Membership.group_id == group.id,
            Membership.role.in_([GroupRole.MANAGER.value, GroupRole.AMBASSADOR.value]),
            Membership.user_id != other_than.id,
        )
    ).scalars()
    return list(rows)


def file_request(group: Group, motivation: str | None, *, actor: User) -> JoinRequest:
    """Inside the caller's unit of work: ask to join a closed group, and tell its deciders.

    A second request while one is pending returns the pending one. Raises ValidationFailed
    (motivation too long), Conflict (already a member), NotFound (hidden group) or
    NotAllowed (a public group: join it directly; a hidden one: by invitation only).
    """
    text = clean_motivation(motivation)
    _lock(group)
    if _membership(group, actor) is not None:
        raise Conflict(_("Je bent al lid van deze groep."))
    if not permissions.can_see_group(actor, group):
        raise NotFound
    if exclusions.is_excluded(group, actor):
        raise NotAllowed(_not_now())
    if not permissions.can_request_to_join(actor, group):
        raise NotAllowed(_how_to_join(group))
    existing = pending_request(group, actor)
    if existing is not None:
        return existing
    join_request = JoinRequest(
        group_id=group.id,
        user_id=actor.id,
        motivation=text,
        status=JoinRequestStatus.PENDING.value,
        created_at=clock.utcnow(),
    )
    db.session.add(join_request)
    link = url_for("groups.join_requests", slug=group.slug)
    for decider_id in _decider_ids(group, other_than=actor):
        notify(
            decider_id,
            kinds.JOIN_REQUEST_NEW,
            {"requester": kinds.shown_name(actor, anonymous=False), "group": group.name},
            link,
        )
    return join_request


def request_to_join(group: Group, motivation: str | None, *, actor: User) -> JoinRequest:
    """Ask to join a closed group; see ``file_request`` for what it raises."""
    with unit_of_work():
        return file_request(group, motivation, actor=actor)


def withdraw_request(group: Group, *, actor: User) -> None:
    """Withdraw the actor's pending request to join ``group`` (nothing happens when none)."""
    with unit_of_work():
        join_request = pending_request(group, actor)
        if join_request is not None:
            join_request.status = JoinRequestStatus.WITHDRAWN.value


def _may_decide(group: Group, actor: User) -> None:
    if not permissions.can_see_group(actor, group):
        raise NotFound
    if not permissions.can_decide_join_requests(actor, group):
        raise NotAllowed


def pending_requests(group: Group, *, actor: User) -> list[JoinRequest]:
    """The requests waiting for a decision, oldest first; raises NotFound or NotAllowed."""
    _may_decide(group, actor)
    rows = db.session.execute(
        sa.select(JoinRequest)
        .options(joinedload(JoinRequest.user))
        .where(
            JoinRequest.group_id == group.id,
            JoinRequest.status == JoinRequestStatus.PENDING.value,
        )
        .order_by(JoinRequest.created_at, JoinRequest.id)
    ).scalars()
    return list(rows)


def decide(group: Group, request_id: int, *, approve: bool, actor: User) -> JoinRequest:
    """Approve (the requester becomes a member) or decline a request, and tell the requester.

    Raises NotFound or NotAllowed when the actor may not decide, NotFound for a request that
    is not this group's, and Conflict when the request was already decided or withdrawn.
    """
    _may_decide(group, actor)
    with unit_of_work() as session:
        _lock(group)
        join_request = session.execute(
            sa.select(JoinRequest)
            .where(JoinRequest.id == request_id, JoinRequest.group_id == group.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).scalar_one_or_none()
        if join_request is None:
            raise NotFound
        if join_request.status == JoinRequestStatus.WITHDRAWN.value:
            raise Conflict(_("Deze aanvraag is al ingetrokken."))
        if join_request.status != JoinRequestStatus.PENDING.value:
            raise Conflict(
                _(
                    "Over deze aanvraag is al beslist door %(name)s.",
                    name=join_request.decided_by_name or _("een ander"),
                )
            )
        join_request.status = (
            JoinRequestStatus.APPROVED.value if approve else JoinRequestStatus.DECLINED.value
        )
        join_request.decided_at = clock.utcnow()
        join_request.decided_by_id = actor.id
        join_request.decided_by_name = actor.pseudonym
        requester = join_request.user
        if approve and _membership(group, requester) is None:
            session.add(
                Membership(group_id=group.id, user_id=requester.id, role=GroupRole.MEMBER.value)
            )
        notify(
            requester.id,
            kinds.JOIN_REQUEST_APPROVED if approve else kinds.JOIN_REQUEST_DECLINED,
            {"group": group.name},
            url_for("groups.show", slug=group.slug) if approve else url_for("groups.index"),
        )
    permissions.forget_group_roles()
    return join_request
