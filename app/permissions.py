"""The one place that answers "may this person see or do X to Y", and the matching query filters.

Pages, API, search, socket rooms, feeds and exports all ask here. Where the existence of a
thing must stay hidden (a hidden group, a story in a closed group the reader cannot see),
callers raise ``NotFound``; otherwise ``NotAllowed``.
"""

from __future__ import annotations

from typing import Any, Protocol

import sqlalchemy as sa
from flask import g, has_request_context

from app import clock
from app.accounts import two_factor
from app.accounts.models import SiteRole, User
from app.extensions import db
from app.groups.models import Group, GroupKind, GroupRole, Membership, Visibility
from app.research.models import Participation, Study


class Actor(Protocol):
    """Anyone asking: a logged-in ``User`` or Flask-Login's anonymous visitor."""

    is_authenticated: bool


STAFF_ROLES = frozenset(
    {SiteRole.MODERATOR, SiteRole.CONTENT_MANAGER, SiteRole.RESEARCHER, SiteRole.ADMIN}
)


def as_user(actor: Actor | None) -> User | None:
    """The logged-in ``User`` behind ``actor``, or None for a visitor."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor  # type: ignore[return-value]


def has_site_role(actor: Actor | None, *roles: SiteRole) -> bool:
    """Tell whether the actor holds one of ``roles`` (admins hold them all), in a login
    that passed two-step verification where staff need it."""
    user = as_user(actor)
    if user is None:
        return False
    role = user.site_role
    if not (role is SiteRole.ADMIN or role in roles):
        return False
    # Staff powers count only in a login that passed two-step verification.
    return two_factor.staff_powers_allowed(user)


def is_moderator(actor: Actor | None) -> bool:
    """Tell whether the actor is a moderator (or an admin)."""
    return has_site_role(actor, SiteRole.MODERATOR)


def is_admin(actor: Actor | None) -> bool:
    """Tell whether the actor is an admin."""
    return has_site_role(actor, SiteRole.ADMIN)


# Built once: every page a member opens asks for their memberships.
_MEMBERSHIPS = (
    sa.select(Membership.group_id, Membership.role, Group.kind)
    .join(Group, Group.id == Membership.group_id)
    .where(Membership.user_id == sa.bindparam("user_id"))
)


def group_roles(actor: Actor | None) -> dict[int, GroupRole]:
    """Map group id to the actor's role in it; cached for the length of a request."""
    user = as_user(actor)
    if user is None:
        return {}
    cache: dict[int, dict[int, GroupRole]] | None = None
    if has_request_context():
        cache = g.setdefault("_group_roles", {})
        if user.id in cache:
            return cache[user.id]
    rows = db.session.execute(_MEMBERSHIPS, {"user_id": user.id}).all()
    roles = {group_id: GroupRole(role) for group_id, role, _kind in rows}
    # Research groups where the actor takes part (not as researcher): their consent decides
    # whether they read it, which research_waiting_group_ids asks only when there are any.
    taking_part = frozenset(
        group_id
        for group_id, role, kind in rows
        if kind == GroupKind.RESEARCH.value and role != GroupRole.MANAGER.value
    )
    if cache is not None:
        cache[user.id] = roles
        g.setdefault("_research_taking_part", {})[user.id] = taking_part
    return roles


def _research_taking_part(user: User) -> frozenset[int]:
    roles = group_roles(user)
    if has_request_context():
        cached: dict[int, frozenset[int]] = g.get("_research_taking_part", {})
        if user.id in cached:
            return cached[user.id]
    if not roles:
        return frozenset()
    rows = db.session.execute(
        sa.select(Group.id).where(
            Group.id.in_(list(roles)),
            Group.kind == GroupKind.RESEARCH.value,
        )
    ).scalars()
    return frozenset(gid for gid in rows if roles[gid] is not GroupRole.MANAGER)


def forget_group_roles() -> None:
    """Drop the request's cached memberships (and research consents) after they changed."""
    if has_request_context():
        g.pop("_group_roles", None)
        g.pop("_research_taking_part", None)
        g.pop("_research_waiting", None)


def is_research(group: Group) -> bool:
    """Is ``group`` a research group (a study's closed co-creation group)?"""
    return group.kind == GroupKind.RESEARCH.value


def is_researcher_of(actor: Actor | None, group: Group) -> bool:
    """Is the actor one of the study's researchers: a manager of the research group (or an
    admin)? Researchers of another study are not."""
    return is_research(group) and (role_in(actor, group) is GroupRole.MANAGER or is_admin(actor))


def research_waiting_group_ids(actor: Actor | None) -> frozenset[int]:
    """Research groups the actor is a member of but may not read yet: no consent to the
    study's current text (never given, an older version, or withdrawn). Cached per request."""
    user = as_user(actor)
    if user is None:
        return frozenset()
    cache: dict[int, frozenset[int]] | None = None
    if has_request_context():
        cache = g.setdefault("_research_waiting", {})
        if user.id in cache:
            return cache[user.id]
    candidates = _research_taking_part(user)
    if not candidates:
        return frozenset()
    consented = (
        sa.select(Participation.id)
        .where(
            Participation.study_id == Study.id,
            Participation.user_id == user.id,
            Participation.withdrawn_at.is_(None),
            Participation.consent_version >= Study.consent_version,
        )
        .exists()
    )
    rows = db.session.execute(
        sa.select(Membership.group_id)
        .join(Group, Group.id == Membership.group_id)
        .outerjoin(Study, Study.group_id == Group.id)
        .where(
            Membership.user_id == user.id,
            Membership.group_id.in_(list(candidates)),
            Membership.role != GroupRole.MANAGER.value,
            Group.kind == GroupKind.RESEARCH.value,
            sa.or_(Study.id.is_(None), ~consented),
        )
    ).scalars()
    waiting = frozenset(rows)
    if cache is not None:
        cache[user.id] = waiting
    return waiting


def has_current_consent(actor: Actor | None, group: Group) -> bool:
    """Has the actor, a member of a research group, accepted the study's current consent
    text (and not withdrawn)? True for any group that is not a research group."""
    return group.id not in research_waiting_group_ids(actor)


def can_run_study(actor: Actor | None, group: Group) -> bool:
    """May the actor plan the programme, invite, see the participation matrix and export?"""
    return is_researcher_of(actor, group)


def can_start_study(actor: Actor | None) -> bool:
    """May the actor start a new study (and its hidden research group)? Researchers."""
    return has_site_role(actor, SiteRole.RESEARCHER)


def role_in(actor: Actor | None, group: Group) -> GroupRole | None:
    """Return the actor's role in ``group``, or None when not a member."""
    return group_roles(actor).get(group.id)


def is_member(actor: Actor | None, group: Group) -> bool:
    """Tell whether the actor is a member of ``group``, in any role."""
    return role_in(actor, group) is not None


def can_see_group(actor: Actor | None, group: Group) -> bool:
    """May the actor know this group exists (its name, description, house rules)?"""
    if not group.is_hidden:
        return True
    return is_member(actor, group) or is_admin(actor)


def can_read_group(actor: Actor | None, group: Group) -> bool:
    """May the actor read the stories and replies in this group? In a research group:
    its researchers, and members who accepted the study's current consent text."""
    if is_research(group):
        if is_researcher_of(actor, group):
            return True
        return is_member(actor, group) and has_current_consent(actor, group)
    if group.is_public:
        return True
    if is_member(actor, group):
        return True
    if group.is_closed:
        return is_moderator(actor)
    return is_admin(actor)


def can_join_directly(actor: Actor | None, group: Group) -> bool:
    """May the actor join at once (a public group) rather than by request?"""
    return as_user(actor) is not None and group.is_public and not is_member(actor, group)


def can_request_to_join(actor: Actor | None, group: Group) -> bool:
    """May the actor ask to join (a closed group they are not in)? Hidden groups: invite only."""
    return as_user(actor) is not None and group.is_closed and not is_member(actor, group)


def is_silenced(actor: Actor | None) -> bool:
    """Has a moderator made the actor read-only for now?"""
    user = as_user(actor)
    until = user.silenced_until if user is not None else None
    return until is not None and clock.as_utc(until) > clock.utcnow()


def can_post_in_group(actor: Actor | None, group: Group) -> bool:
    """May the actor share a story or reply in this group? Members who are not silenced."""
    user = as_user(actor)
    return (
        user is not None
        and user.is_active
        and is_member(actor, group)
        and not is_silenced(user)
        and has_current_consent(actor, group)
    )


def can_manage_group(actor: Actor | None, group: Group) -> bool:
    """May the actor manage the group (roles, settings)? Group managers and admins."""
    return role_in(actor, group) is GroupRole.MANAGER or is_admin(actor)


def can_decide_join_requests(actor: Actor | None, group: Group) -> bool:
    """Group managers, the group's ambassadors and moderators decide join requests."""
    if role_in(actor, group) in (GroupRole.MANAGER, GroupRole.AMBASSADOR):
        return True
    return group.is_closed and is_moderator(actor)


def can_see_figures(actor: Actor | None) -> bool:
    """May the actor see the numbers staff watch (such as how often a story was read)?"""
    return has_site_role(actor, SiteRole.MODERATOR, SiteRole.CONTENT_MANAGER)


def listed_groups_filter(actor: Actor | None) -> sa.ColumnElement[bool]:
    """Groups that appear in lists for the actor: public and closed, plus own hidden groups."""
    listed = Group.visibility.in_([Visibility.PUBLIC.value, Visibility.CLOSED.value])
    user = as_user(actor)
    if user is None:
        return listed
    if is_admin(actor):
        return sa.true()
    own = list(group_roles(actor))
    return sa.or_(listed, Group.id.in_(own)) if own else listed


# Built once: every list page filters on them (expressions are immutable, so sharing is safe).
_PUBLIC = Group.visibility == Visibility.PUBLIC.value
_CLOSED = Group.visibility == Visibility.CLOSED.value


def readable_groups_filter(actor: Actor | None) -> sa.ColumnElement[bool]:
    """Groups whose content the actor may read, as a filter on ``Group``."""
    user = as_user(actor)
    if user is None:
        return _PUBLIC
    if is_admin(actor):
        return sa.true()
    clauses: list[Any] = [_PUBLIC]
    waiting = research_waiting_group_ids(actor)
    own = [group_id for group_id in group_roles(actor) if group_id not in waiting]
    if own:
        clauses.append(Group.id.in_(own))
    if is_moderator(actor):
        clauses.append(_CLOSED)
    return sa.or_(*clauses)


def readable_group_ids(actor: Actor | None) -> sa.Select[Any]:
    """A subquery of the ids of groups whose content the actor may read."""
    return sa.select(Group.id).where(readable_groups_filter(actor))


def is_ambassador(actor: Actor | None, group: Group) -> bool:
    """Tell whether the actor is an ambassador of ``group``."""
    return role_in(actor, group) is GroupRole.AMBASSADOR


def ambassador_group_ids(actor: Actor | None) -> list[int]:
    """The groups in which the actor is an ambassador (whose unanswered stories they see)."""
    return [gid for gid, role in group_roles(actor).items() if role is GroupRole.AMBASSADOR]


def can_watch_responses(actor: Actor | None) -> bool:
    """May the actor see overdue stories across groups? Moderators and content managers."""
    return has_site_role(actor, SiteRole.MODERATOR, SiteRole.CONTENT_MANAGER)


def response_figure_group_ids(actor: Actor | None) -> list[int] | None:
    """The groups whose response figures the actor may see: their groups as ambassador or
    manager; None means every group they may see (staff). An empty list: none at all."""
    if can_watch_responses(actor):
        return None
    return [
        gid
        for gid, role in group_roles(actor).items()
        if role in (GroupRole.AMBASSADOR, GroupRole.MANAGER)
    ]


def manages_any_group(actor: Actor | None) -> bool:
    """Is the actor a manager of some group (or an admin, who manages them all)?"""
    return is_admin(actor) or GroupRole.MANAGER in set(group_roles(actor).values())
