"""What each kind of notification says.

A notification stores a ``kind`` and a little ``data``; its text is made when it is shown, in
the reader's language. Every kind declares the data fields it uses, and ``notify`` refuses
anything else, so no personal detail ends up in a notification unless a kind asks for it.

Names of people are a ``name`` field. A name is stored as None when the person wrote
anonymously (see :func:`shown_name`), and shown as "Anoniem lid": the pseudonym of an
anonymous author is never written into a notification.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l


class Named(Protocol):
    pseudonym: str


@dataclass(frozen=True)
class Kind:
    """One kind of notification: its message, the data it uses and which of that are names."""

    message: LazyString
    fields: frozenset[str]
    names: frozenset[str] = field(default_factory=frozenset)


JOIN_REQUEST_NEW = "join_request.new"
JOIN_REQUEST_APPROVED = "join_request.approved"
JOIN_REQUEST_DECLINED = "join_request.declined"
REPLY_ON_MY_STORY = "story.reply_on_mine"
REPLY_ON_FOLLOWED_STORY = "story.reply_on_followed"
STORY_WAITING = "guarantee.waiting"
AMBASSADOR_ASSIGNED = "group.ambassador_assigned"
URGENT_ITEM = "moderation.urgent"
ITEM_OVERDUE = "moderation.item_overdue"
ITEM_VERY_OVERDUE = "moderation.item_very_overdue"
POST_APPROVED = "moderation.approved"
DECISION_ON_POST = "moderation.decision_on_post"
DECISION_ON_ACCOUNT = "moderation.decision_on_account"
REPORT_RECEIVED = "moderation.report_received"
REPORT_UPHELD = "moderation.report_upheld"
REPORT_NOT_UPHELD = "moderation.report_not_upheld"
STORY_OVERDUE = "guarantee.overdue"
RESEARCH_PROMPT_OPENED = "research.prompt_opened"
RESEARCH_REMINDER = "research.reminder"
RESEARCH_CONSENT_CHANGED = "research.consent_changed"
DATA_EXPORT_READY = "account.data_export_ready"

KINDS: dict[str, Kind] = {
    JOIN_REQUEST_NEW: Kind(
        _l("%(requester)s wil graag lid worden van %(group)s. Wil je de aanvraag bekijken?"),
        fields=frozenset({"requester", "group"}),
        names=frozenset({"requester"}),
    ),
    JOIN_REQUEST_APPROVED: Kind(
        _l("Welkom! Je bent nu lid van %(group)s."),
        fields=frozenset({"group"}),
    ),
    JOIN_REQUEST_DECLINED: Kind(
        _l(
            "Je aanvraag voor %(group)s is niet goedgekeurd. "
            "Je bent van harte welkom in de andere groepen."
        ),
        fields=frozenset({"group"}),
    ),
    REPLY_ON_MY_STORY: Kind(
        _l('%(name)s reageerde op je verhaal "%(story)s".'),
        fields=frozenset({"name", "story"}),
        names=frozenset({"name"}),
    ),
    REPLY_ON_FOLLOWED_STORY: Kind(
        _l('%(name)s reageerde op "%(story)s", een verhaal dat je volgt.'),
        fields=frozenset({"name", "story"}),
        names=frozenset({"name"}),
    ),
    STORY_WAITING: Kind(
        _l('"%(story)s" in %(group)s wacht nog op een eerste reactie. Wil jij reageren?'),
        fields=frozenset({"story", "group"}),
    ),
    AMBASSADOR_ASSIGNED: Kind(
        _l(
            "Je bent nu ambassadeur in %(group)s. Dank je wel! In je wachtrij zie je de "
            "verhalen die nog op een reactie wachten."
        ),
        fields=frozenset({"group"}),
    ),
    URGENT_ITEM: Kind(
        _l("Dringend: iemand schreef iets waaruit zorgen spreken. Kijk er zo snel mogelijk naar."),
        fields=frozenset(),
    ),
    ITEM_OVERDUE: Kind(
        _l("Iets in de moderatie wacht langer dan de streeftijd. Kun je ernaar kijken?"),
        fields=frozenset(),
    ),
    ITEM_VERY_OVERDUE: Kind(
        _l(
            "Iets in de moderatie wacht al veel te lang, ook na een herinnering aan de "
            "moderatoren. Wil je zorgen dat iemand ernaar kijkt?"
        ),
        fields=frozenset(),
    ),
    POST_APPROVED: Kind(
        _l("Je bericht is bekeken en staat nu voor iedereen in %(group)s."),
        fields=frozenset({"group"}),
    ),
    DECISION_ON_POST: Kind(
        _l(
            "Een moderator heeft een besluit genomen over je bericht in %(group)s. Lees wat "
            "er besloten is, waarom, en hoe je bezwaar kunt maken."
        ),
        fields=frozenset({"group"}),
    ),
    DECISION_ON_ACCOUNT: Kind(
        _l(
            "Een moderator heeft een besluit genomen over je account. Lees wat er besloten "
            "is, waarom, en hoe je bezwaar kunt maken."
        ),
        fields=frozenset(),
    ),
    REPORT_RECEIVED: Kind(
        _l(
            "Dank je voor je melding. Een moderator kijkt ernaar. Je hoort het als er een "
            "besluit is."
        ),
        fields=frozenset(),
    ),
    REPORT_UPHELD: Kind(
        _l("Dank je voor je melding. Een moderator heeft het bericht weggehaald."),
        fields=frozenset(),
    ),
    REPORT_NOT_UPHELD: Kind(
        _l(
            "Dank je voor je melding. Een moderator heeft gekeken en het bericht mag blijven "
            "staan. Blijf gerust melden als je je zorgen maakt."
        ),
        fields=frozenset(),
    ),
    STORY_OVERDUE: Kind(
        _l(
            "Een verhaal in %(group)s heeft na %(hours)s uur nog geen reactie. "
            "Kun je zorgen dat iemand reageert?"
        ),
        fields=frozenset({"group", "hours"}),
    ),
    RESEARCH_PROMPT_OPENED: Kind(
        _l('Er staat een nieuwe vraag voor je klaar in %(group)s: "%(prompt)s".'),
        fields=frozenset({"group", "prompt"}),
    ),
    RESEARCH_REMINDER: Kind(
        _l(
            'Wil je nog reageren op "%(prompt)s" in %(group)s? Het mag kort zijn. '
            "En als het vandaag niet lukt, is dat ook goed."
        ),
        fields=frozenset({"group", "prompt"}),
    ),
    RESEARCH_CONSENT_CHANGED: Kind(
        _l(
            "De uitleg over het onderzoek in %(group)s is aangepast. Lees de nieuwe tekst. "
            "Wil je blijven meedoen? Geef dan opnieuw toestemming."
        ),
        fields=frozenset({"group"}),
    ),
    DATA_EXPORT_READY: Kind(
        _l("Het bestand met je gegevens staat klaar. Je kunt het een week lang downloaden."),
        fields=frozenset(),
    ),
}


class UnknownKind(ValueError):
    """The kind is not in the registry, or the data has fields the kind does not declare."""


def shown_name(person: Named | None, anonymous: bool) -> str | None:
    """The name to store for a person in notification data: None when they are anonymous."""
    if anonymous or person is None:
        return None
    return person.pseudonym


def check(kind: str, data: Mapping[str, Any]) -> None:
    """Raise UnknownKind unless ``kind`` is known and ``data`` only has its declared fields."""
    spec = KINDS.get(kind)
    if spec is None:
        raise UnknownKind(f"unknown notification kind {kind!r}")
    extra = set(data) - spec.fields
    if extra:
        raise UnknownKind(f"{kind!r} does not use {sorted(extra)}")
    for name in spec.names:
        if data.get(name) is not None and not isinstance(data[name], str):
            raise UnknownKind(f"{kind!r}: {name!r} must be a name made by shown_name()")


def text(kind: str, data: Mapping[str, Any]) -> str:
    """The notification's text in the reader's language; never fails on old or odd data."""
    spec = KINDS.get(kind)
    if spec is None:
        return _("Er is iets nieuws voor je.")
    values: dict[str, str] = {}
    for name in spec.fields:
        value = data.get(name)
        if name in spec.names and not value:
            values[name] = _("Anoniem lid")
        else:
            values[name] = "" if value is None else str(value)
    return str(spec.message) % values
