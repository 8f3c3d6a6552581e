"""Studies, informed consent, invitations and withdrawal.

Each public operation is one unit of work and raises domain errors: ``NotFound`` where the
study's existence must stay hidden (everyone outside the group), ``NotAllowed`` for members
who may know it exists, ``ValidationFailed`` for input, ``Conflict`` for a changed state.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from datetime import timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from app import clock, markup, permissions
from app.accounts.models import User
from app.audit import services as audit
from app.database import unit_of_work
from app.errors import Conflict, DomainError, NotAllowed, NotFound, ValidationFailed
from app.extensions import db
from app.groups import exclusions
from app.groups.models import Group, GroupKind, GroupRole, Membership, Visibility
from app.notifications import kinds
from app.notifications.services import notify
from app.permissions import Actor
from app.research.models import (
    ConsentAction,
    ConsentRecord,
    ConsentText,
    Invitation,
    Participation,
    Study,
)
from app.stories import visibility
from app.stories.models import PostStatus, Reply, Story

NAME_MAX = 120
DESCRIPTION_MAX = 2_000
CONSENT_MAX = 20_000
LABEL_MAX = 80
INVITATION_DAYS = (1, 90)
INVITATION_USES = (1, 500)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")
_SPACES = re.compile(r"\s+")
# Addresses under /onderzoek/ that a study's slug must not take.
_RESERVED_SLUGS = {"nieuw", "uitnodiging"}

HOUSE_RULES = (
    "Dit is een besloten onderzoeksgroep. Wat hier staat, blijft in deze groep.\n\n"
    "Er zijn geen goede of foute antwoorden. Deel wat je wilt delen, en niet meer dan dat. "
    "Noem geen namen, adressen of andere gegevens waaraan iemand te herkennen is."
)


class InvitationUnusable(DomainError):
    """The invitation link is known but no longer works: expired, used up or withdrawn."""

    status = 410
    code = "gone"


def hash_token(token: str) -> str:
    """The stored form of an invitation token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _one_line(text: str | None) -> str:
    return _SPACES.sub(" ", markup.clean_text(text or "")).strip()


def _text(text: str | None, maximum: int, field: str, empty: str | None) -> str:
    clean = markup.clean_text(text or "").strip()
    if not clean and empty is not None:
        raise ValidationFailed(empty, field=field)
    if len(clean) > maximum:
        raise ValidationFailed(
            _("Maak de tekst wat korter: hoogstens %(max)d tekens.", max=maximum), field=field
        )
    return clean


# --- finding a study -----------------------------------------------------------------------


def study_of(group: Group) -> Study:
    """The study run in ``group``; raises NotFound when it is no research group with a study."""
    study = db.session.execute(
        sa.select(Study).where(Study.group_id == group.id)
    ).scalar_one_or_none()
    if study is None or not permissions.is_research(group):
        raise NotFound
    return study


def find(slug: str, *, actor: Actor | None) -> tuple[Group, Study]:
    """The research group with ``slug`` and its study; raises NotFound when absent or hidden
    from the actor (anyone who is not a member, researcher or admin)."""
    group = db.session.execute(sa.select(Group).where(Group.slug == slug)).scalar_one_or_none()
    if group is None or not permissions.is_research(group):
        raise NotFound
    if not permissions.can_see_group(actor, group):
        raise NotFound
    return group, study_of(group)


def check_researcher(actor: Actor | None, group: Group) -> User:
    """The acting researcher of this study; raises NotFound (outsiders) or NotAllowed
    (participants, who know the study exists)."""
    user = permissions.as_user(actor)
    if user is None or not permissions.can_see_group(actor, group):
        raise NotFound
    if not permissions.can_run_study(actor, group):
        raise NotAllowed(_("Deze pagina is voor de onderzoekers van deze groep."))
    return user


def participation_of(study: Study, user: User) -> Participation | None:
    """The user's participation in ``study``, withdrawn or not."""
    return db.session.execute(
        sa.select(Participation).where(
            Participation.study_id == study.id, Participation.user_id == user.id
        )
    ).scalar_one_or_none()


def current_consent(study: Study) -> ConsentText:
    """The consent text participants must have accepted to take part now."""
    text = db.session.execute(
        sa.select(ConsentText).where(
            ConsentText.study_id == study.id, ConsentText.version == study.consent_version
        )
    ).scalar_one_or_none()
    if text is None:
        raise NotFound
    return text


def studies_for(actor: Actor | None) -> tuple[list[Group], list[Group]]:
    """The research groups the actor runs, and those they take part in (by name)."""
    roles = permissions.group_roles(actor)
    if not roles:
        return [], []
    groups = list(
        db.session.execute(
            sa.select(Group)
            .join(Study, Study.group_id == Group.id)
            .where(Group.id.in_(list(roles)), Group.kind == GroupKind.RESEARCH.value)
            .order_by(Group.name)
        ).scalars()
    )
    running = [group for group in groups if roles[group.id] is GroupRole.MANAGER]
    taking_part = [group for group in groups if roles[group.id] is not GroupRole.MANAGER]
    return running, taking_part


# --- starting a study and changing its consent text ---------------------------------------


def _slug_for(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:60] or "onderzoek"
    if base in _RESERVED_SLUGS:
        base = f"{base}-onderzoek"
    slug, number = base, 1
    while db.session.execute(sa.select(Group.id).where(Group.slug == slug)).first():
        number += 1
        slug = f"{base}-{number}"
    return slug


def start_study(name: str, description: str, consent: str, *, actor: User) -> Group:
    """Make a hidden research group with its study and first consent text, with ``actor``
    as its researcher; raises NotAllowed (no researcher) or ValidationFailed."""
    if not permissions.can_start_study(actor):
        raise NotAllowed(_("Alleen onderzoekers kunnen een onderzoek starten."))
    clean_name = _one_line(name)
    if len(clean_name) < 3:
        raise ValidationFailed(_("Geef het onderzoek een naam."), field="name")
    if len(clean_name) > NAME_MAX:
        raise ValidationFailed(
            _("Maak de naam wat korter: hoogstens %(max)d tekens.", max=NAME_MAX), field="name"
        )
    clean_description = _text(description, DESCRIPTION_MAX, "description", None)
    consent_text = _text(
        consent, CONSENT_MAX, "consent", _("Schrijf uit waar deelnemers toestemming voor geven.")
    )
    with unit_of_work() as session:
        group = Group(
            slug=_slug_for(clean_name),
            name=clean_name,
            description=clean_description,
            house_rules=HOUSE_RULES,
            kind=GroupKind.RESEARCH.value,
            theme="onderzoek",
            visibility=Visibility.HIDDEN.value,
        )
        session.add(group)
        session.flush()
        study = Study(group_id=group.id, consent_version=1, last_code=0)
        session.add(study)
        session.add(Membership(group_id=group.id, user_id=actor.id, role=GroupRole.MANAGER.value))
        session.flush()
        session.add(
            ConsentText(
                study_id=study.id, version=1, text=consent_text, created_by_name=actor.pseudonym
            )
        )
        audit.record(actor, "research.study_started", "study", study.id, group_id=group.id)
    permissions.forget_group_roles()
    return group


def active_participations(study: Study) -> list[Participation]:
    """Participants who have not withdrawn, by study code."""
    return list(
        db.session.execute(
            sa.select(Participation)
            .where(Participation.study_id == study.id, Participation.withdrawn_at.is_(None))
            .order_by(Participation.code)
        ).scalars()
    )


def change_consent(group: Group, text: str, *, actor: User) -> ConsentText:
    """Publish a new version of the consent text; every participant is asked to accept it
    before they see the group's content again. Raises NotFound, NotAllowed, ValidationFailed."""
    check_researcher(actor, group)
    study = study_of(group)
    clean = _text(
        text, CONSENT_MAX, "text", _("Schrijf uit waar deelnemers toestemming voor geven.")
    )
    with unit_of_work() as session:
        _lock(study)
        if clean == current_consent(study).text:
            raise ValidationFailed(_("De tekst is niet veranderd."), field="text")
        study.consent_version += 1
        version = ConsentText(
            study_id=study.id,
            version=study.consent_version,
            text=clean,
            created_by_name=actor.pseudonym,
        )
        session.add(version)
        link = url_for("research.consent", slug=group.slug)
        for participation in active_participations(study):
            notify(
                participation.user_id, kinds.RESEARCH_CONSENT_CHANGED, {"group": group.name}, link
            )
        audit.record(
            actor,
            "research.consent_changed",
            "study",
            study.id,
            group_id=group.id,
            details={"version": study.consent_version},
        )
    permissions.forget_group_roles()
    return version


def _lock(study: Study) -> None:
    # Serialises code hand-outs and consent changes per study on PostgreSQL.
    db.session.execute(sa.select(Study.id).where(Study.id == study.id).with_for_update())
    db.session.refresh(study)


# --- invitations ----------------------------------------------------------------------------


def invitations(group: Group, *, actor: User) -> list[Invitation]:
    """The study's invitations, newest first; raises NotFound or NotAllowed."""
    check_researcher(actor, group)
    study = study_of(group)
    return list(
        db.session.execute(
            sa.select(Invitation)
            .where(Invitation.study_id == study.id)
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        ).scalars()
    )


def create_invitation(
    group: Group, days: int | None, max_uses: int | None, label: str = "", *, actor: User
) -> tuple[Invitation, str]:
    """Make an invitation link valid for ``days`` and ``max_uses`` people; returns it with
    its token, which is shown once and never stored. Raises NotFound, NotAllowed or
    ValidationFailed."""
    check_researcher(actor, group)
    study = study_of(group)
    if days is None or not INVITATION_DAYS[0] <= days <= INVITATION_DAYS[1]:
        raise ValidationFailed(
            _("Kies een geldigheid van %(min)d tot %(max)d dagen.", min=1, max=90), field="days"
        )
    if max_uses is None or not INVITATION_USES[0] <= max_uses <= INVITATION_USES[1]:
        raise ValidationFailed(
            _("Kies hoeveel mensen de link mogen gebruiken: %(min)d tot %(max)d.", min=1, max=500),
            field="max_uses",
        )
    clean_label = _one_line(label)[:LABEL_MAX]
    token = secrets.token_urlsafe(32)
    now = clock.utcnow()
    with unit_of_work() as session:
        invitation = Invitation(
            study_id=study.id,
            token_hash=hash_token(token),
            label=clean_label,
            expires_at=now + timedelta(days=days),
            max_uses=max_uses,
            uses=0,
            created_at=now,
            created_by_name=actor.pseudonym,
        )
        session.add(invitation)
        session.flush()
        audit.record(
            actor,
            "research.invitation_created",
            "research_invitation",
            invitation.id,
            group_id=group.id,
            details={"days": days, "max_uses": max_uses},
        )
    return invitation, token


def revoke_invitation(group: Group, invitation_id: int, *, actor: User) -> Invitation:
    """Make an invitation link stop working (again: no change); raises NotFound, NotAllowed."""
    check_researcher(actor, group)
    study = study_of(group)
    with unit_of_work():
        invitation = db.session.execute(
            sa.select(Invitation).where(
                Invitation.id == invitation_id, Invitation.study_id == study.id
            )
        ).scalar_one_or_none()
        if invitation is None:
            raise NotFound
        if invitation.revoked_at is None:
            invitation.revoked_at = clock.utcnow()
            audit.record(
                actor,
                "research.invitation_revoked",
                "research_invitation",
                invitation.id,
                group_id=group.id,
            )
    return invitation


def _unusable() -> InvitationUnusable:
    return InvitationUnusable(
        _(
            "Deze uitnodiging werkt niet meer. Misschien is ze verlopen of al door genoeg "
            "mensen gebruikt. Vraag de onderzoeker om een nieuwe link."
        )
    )


def _invitation(token: str, lock: bool = False, usable: bool = True) -> Invitation:
    if not _TOKEN.fullmatch(token or ""):
        raise NotFound
    query = sa.select(Invitation).where(Invitation.token_hash == hash_token(token))
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    invitation = db.session.execute(query).scalar_one_or_none()
    if invitation is None:
        raise NotFound
    if usable:
        _check_usable(invitation)
    return invitation


def _check_usable(invitation: Invitation) -> None:
    if invitation.revoked_at is not None:
        raise _unusable()
    if clock.as_utc(invitation.expires_at) <= clock.utcnow():
        raise _unusable()
    if invitation.uses >= invitation.max_uses:
        raise _unusable()


def open_invitation(token: str) -> tuple[Group, Study, ConsentText]:
    """What an invitation link invites to: the group, its study and the consent text to
    read first. Raises NotFound (unknown link) or InvitationUnusable."""
    invitation = _invitation(token)
    study = db.session.get(Study, invitation.study_id)
    if study is None:
        raise NotFound
    return study.group, study, current_consent(study)


def accept_invitation(token: str, version: int | None, *, actor: User) -> Participation:
    """Take part: accept consent text ``version`` (the one the person read), become a member
    and get a study code. A participant following the link again keeps their place.

    Raises NotFound, InvitationUnusable, Conflict (the text changed meanwhile; or withdrawn
    earlier) or NotAllowed (kept out of the group by moderators).
    """
    with unit_of_work() as session:
        invitation = _invitation(token, lock=True, usable=False)
        study = db.session.get(Study, invitation.study_id)
        if study is None:
            raise NotFound
        _lock(study)
        group = study.group
        existing = participation_of(study, actor)
        if existing is not None and existing.is_withdrawn:
            raise Conflict(
                _(
                    "Je hebt je eerder uit dit onderzoek teruggetrokken. Wil je toch weer "
                    "meedoen? Neem dan contact op met de onderzoeker."
                )
            )
        if existing is not None and existing.consent_version >= study.consent_version:
            return existing
        if version != study.consent_version:
            raise Conflict(_("De uitleg is net aangepast. Lees de nieuwe tekst en kies opnieuw."))
        if existing is None:
            _check_usable(invitation)
        if exclusions.is_excluded(group, actor):
            raise NotAllowed(_("Je kunt op dit moment geen lid worden van deze groep."))
        now = clock.utcnow()
        participation = existing
        if participation is None:
            study.last_code += 1
            participation = Participation(
                study_id=study.id,
                user_id=actor.id,
                code=f"P{study.last_code:02d}",
                joined_at=now,
                invitation_id=invitation.id,
            )
            session.add(participation)
            invitation.uses += 1
        _accept(participation, study.consent_version)
        membership = session.execute(
            sa.select(Membership).where(
                Membership.group_id == group.id, Membership.user_id == actor.id
            )
        ).scalar_one_or_none()
        if membership is None:
            session.add(
                Membership(group_id=group.id, user_id=actor.id, role=GroupRole.MEMBER.value)
            )
    permissions.forget_group_roles()
    return participation


def _accept(participation: Participation, version: int) -> None:
    participation.consent_version = version
    participation.consented_at = clock.utcnow()
    db.session.flush()
    db.session.add(
        ConsentRecord(
            participation_id=participation.id,
            action=ConsentAction.ACCEPTED.value,
            version=version,
            created_at=participation.consented_at,
        )
    )


def give_consent(group: Group, version: int | None, *, actor: User) -> Participation:
    """Accept the study's current consent text again after it changed; raises NotFound (not
    a participant, or withdrawn) or Conflict (the text changed while it was being read)."""
    study = study_of(group)
    with unit_of_work():
        _lock(study)
        participation = participation_of(study, actor)
        if participation is None or participation.is_withdrawn:
            raise NotFound
        if version != study.consent_version:
            raise Conflict(_("De uitleg is net aangepast. Lees de nieuwe tekst en kies opnieuw."))
        if participation.consent_version < study.consent_version:
            _accept(participation, study.consent_version)
    permissions.forget_group_roles()
    return participation


def withdraw(group: Group, *, actor: User) -> Participation:
    """Withdraw from the study: the consent ends (recorded with its moment), the membership
    ends, and everything the participant wrote in the group is hidden from it and left out
    of every export. Doing it twice changes nothing. Raises NotFound for a non-participant."""
    study = study_of(group)
    with unit_of_work() as session:
        participation = participation_of(study, actor)
        if participation is None:
            raise NotFound
        if participation.is_withdrawn:
            return participation
        now = clock.utcnow()
        participation.withdrawn_at = now
        session.add(
            ConsentRecord(
                participation_id=participation.id,
                action=ConsentAction.WITHDRAWN.value,
                version=participation.consent_version,
                created_at=now,
            )
        )
        _withdraw_contributions(group, actor)
        session.execute(
            sa.delete(Membership).where(
                Membership.group_id == group.id,
                Membership.user_id == actor.id,
                Membership.role != GroupRole.MANAGER.value,
            )
        )
    permissions.forget_group_roles()
    return participation


def _withdraw_contributions(group: Group, user: User) -> None:
    """Take the participant's stories and replies in ``group`` out of view."""
    gone = (PostStatus.WITHDRAWN.value,)
    replies = db.session.execute(
        sa.select(Reply)
        .join(Story, Story.id == Reply.story_id)
        .where(Story.group_id == group.id, Reply.author_id == user.id, Reply.status.not_in(gone))
    ).scalars()
    for reply in list(replies):
        visibility.withdraw_reply(reply)
    stories = db.session.execute(
        sa.select(Story).where(
            Story.group_id == group.id, Story.author_id == user.id, Story.status.not_in(gone)
        )
    ).scalars()
    for story in list(stories):
        visibility.withdraw_story(story)
