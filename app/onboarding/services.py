"""Onboarding: joining the first groups in one go, and accepting the house rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app import clock, permissions
from app.accounts.models import User
from app.database import unit_of_work
from app.errors import ValidationFailed
from app.groups import services as groups
from app.groups.models import Group


@dataclass(frozen=True)
class Choice:
    """A group ticked during onboarding, with the motivation given for a closed one."""

    group: Group
    motivation: str | None = None


@dataclass(frozen=True)
class Outcome:
    """The names of the groups joined at once and of those asked to join."""

    joined: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)


def join_chosen_groups(choices: Sequence[Choice], *, actor: User) -> Outcome:
    """Join the chosen public groups and ask to join the closed ones, in one unit of work.

    Groups the actor is already in, or may no longer join, are left out. Raises
    ValidationFailed naming the motivation field (``motivation_<group id>``) that is too long.
    """
    for choice in choices:
        if choice.group.is_closed:
            try:
                groups.clean_motivation(choice.motivation)
            except ValidationFailed as error:
                raise ValidationFailed(
                    error.message, field=f"motivation_{choice.group.id}"
                ) from error
    outcome = Outcome()
    with unit_of_work():
        for choice in choices:
            group = choice.group
            if permissions.is_member(actor, group):
                continue
            if permissions.can_join_directly(actor, group):
                groups.enrol(group, actor=actor)
                outcome.joined.append(group.name)
            elif permissions.can_request_to_join(actor, group):
                groups.file_request(group, choice.motivation, actor=actor)
                outcome.requested.append(group.name)
    permissions.forget_group_roles()
    return outcome


def accept_house_rules(user: User) -> None:
    """Record that ``user`` accepted the house rules (the first time counts)."""
    with unit_of_work():
        if user.house_rules_accepted_at is None:
            user.house_rules_accepted_at = clock.utcnow()
