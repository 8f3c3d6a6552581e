"""Who may see the dashboard, and the figures of which groups.

Content managers and admins see every group except research groups; a research group's figures
are seen only by its own researchers (the managers of that group), admins included only when
they are one. Someone who is a researcher and nothing more sees just their research groups.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from app import permissions
from app.accounts.models import SiteRole
from app.errors import NotAllowed
from app.extensions import db
from app.groups.models import Group, GroupKind, GroupRole, Membership, Visibility
from app.permissions import Actor


@dataclass(frozen=True)
class Scope:
    """The groups whose figures the viewer may see, by name, and the ones shown now."""

    groups: list[Group]
    chosen: list[Group]
    # Everything the viewer may see, not one group: figures that belong to no group (such as
    # reports about members) count in it.
    everything: bool

    @property
    def chosen_ids(self) -> list[int]:
        return [group.id for group in self.chosen]

    @property
    def protected_ids(self) -> frozenset[int]:
        """Groups whose small counts are hidden: closed and hidden groups."""
        return frozenset(g.id for g in self.chosen if g.visibility != Visibility.PUBLIC.value)


def _researched_group_ids(actor: Actor) -> list[int]:
    user = permissions.as_user(actor)
    if user is None:
        return []
    return list(
        db.session.execute(
            sa.select(Membership.group_id)
            .join(Group, Group.id == Membership.group_id)
            .where(
                Membership.user_id == user.id,
                Membership.role == GroupRole.MANAGER.value,
                Group.kind == GroupKind.RESEARCH.value,
            )
        ).scalars()
    )


def may_open(actor: Actor | None) -> bool:
    """May the actor open the dashboard at all?"""
    if permissions.has_site_role(actor, SiteRole.CONTENT_MANAGER):
        return True
    return permissions.has_site_role(actor, SiteRole.RESEARCHER) and bool(
        _researched_group_ids(actor)  # type: ignore[arg-type]
    )


def for_actor(actor: Actor, slug: str | None = None) -> Scope:
    """The viewer's groups and the chosen one (``slug``; every group for None or a group they
    may not see). Raises NotAllowed for someone who may not open the dashboard."""
    if not may_open(actor):
        raise NotAllowed
    researched = _researched_group_ids(actor)
    if permissions.has_site_role(actor, SiteRole.CONTENT_MANAGER):
        allowed = sa.or_(Group.kind != GroupKind.RESEARCH.value, Group.id.in_(researched))
    else:
        allowed = Group.id.in_(researched)
    groups = list(
        db.session.execute(sa.select(Group).where(allowed).order_by(Group.name)).scalars()
    )
    chosen = [group for group in groups if slug and group.slug == slug]
    return Scope(groups, chosen or groups, everything=not chosen)
