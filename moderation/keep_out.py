"""A member asks moderators, confidentially, to keep a named member out of a closed group.

The request becomes a queue item about the named member; moderators may keep them out
(``ContentAction.KEEP_OUT``). The named member is never told who asked, and hears nothing of
the request: telling a perpetrator would put the person who asked at risk.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app import clock, permissions
from app.accounts import services as accounts
from app.database import unit_of_work
from app.errors import NotAllowed, NotFound, ValidationFailed
from app.groups.models import Group
from app.permissions import Actor
from moderation.items import Subject, add_signal
from moderation.models import KeepOutRequest, ModerationItem, Priority, SignalKind, TargetType

NOTE_MAX = 2000
CATEGORY = "keep_out"


def may_ask(actor: Actor | None, group: Group) -> bool:
    """Members of a closed or hidden group may ask to keep someone out of it."""
    return not group.is_public and permissions.is_member(actor, group)


def ask(actor: Actor, group: Group, pseudonym: str, note: str) -> ModerationItem:
    """File the request; raises NotAllowed (not a member of a closed group), NotFound (no
    such member) or ValidationFailed (oneself, or a note too long)."""
    requester = permissions.as_user(actor)
    if requester is None or not may_ask(actor, group):
        raise NotAllowed(_("Dit kan in besloten groepen waar je lid van bent."))
    named = accounts.find_member(pseudonym)
    if named is None:
        raise NotFound(_("We vinden geen lid met deze schuilnaam."))
    if named.id == requester.id:
        raise ValidationFailed(_("Vul de schuilnaam van iemand anders in."), field="pseudonym")
    text = note.replace("\x00", "").strip()
    if len(text) > NOTE_MAX:
        raise ValidationFailed(
            _("Maak je toelichting wat korter: hoogstens %(max)d tekens.", max=NOTE_MAX),
            field="note",
        )
    with unit_of_work() as session:
        session.add(
            KeepOutRequest(
                requester_id=requester.id,
                group_id=group.id,
                named_user_id=named.id,
                note=text,
                created_at=clock.utcnow(),
            )
        )
        subject = Subject(TargetType.USER, named.id, group.id, named.id)
        item, _created = add_signal(
            subject,
            SignalKind.REPORT.value,
            Priority.IDENTIFYING,
            category=CATEGORY,
            note=text,
            reporter_id=requester.id,
        )
    return item
