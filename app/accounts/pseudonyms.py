"""What makes a pseudonym acceptable, and the folded key that decides uniqueness."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 3
MAX_LENGTH = 30

_SEPARATORS = re.compile(r"[\s._-]+")
_ALLOWED_PUNCTUATION = set(" -_.")
_PHONE_LIKE = re.compile(r"(?:\+|00)?\d[\d\s.\-()]{6,}\d")
_RESERVED = {
    "anoniem",
    "anoniem-lid",
    "anonymous",
    "verwijderd-lid",
    "deleted-member",
    "moderator",
    "moderatie",
    "beheerder",
    "beheer",
    "admin",
    "administrator",
    "ambassadeur",
    "team",
    "staf",
    "staff",
    "systeem",
    "system",
    "lotgenoten",
}


class PseudonymRejected(ValueError):
    """The pseudonym cannot be used; the message says why, in plain Dutch."""


def normalise(raw: str) -> str:
    """Return the pseudonym as it will be shown: NFKC-normalised with single spaces."""
    return " ".join(unicodedata.normalize("NFKC", raw).split())


def key_for(pseudonym: str) -> str:
    """Fold case, accents and separators, so look-alike pseudonyms count as the same one."""
    decomposed = unicodedata.normalize("NFKD", normalise(pseudonym).casefold())
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub("-", without_marks).strip("-")


def _is_allowed_character(ch: str) -> bool:
    if ch in _ALLOWED_PUNCTUATION or (ch.isdigit() and ch.isascii()):
        return True
    # Latin letters only: other scripts have letters that look like Latin ones.
    return ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN")


def validate(raw: str) -> str:
    """Return the normalised pseudonym, or raise ``PseudonymRejected`` with the reason."""
    pseudonym = normalise(raw)
    if len(pseudonym) < MIN_LENGTH or len(pseudonym) > MAX_LENGTH:
        raise PseudonymRejected(str(_l("Kies een schuilnaam van 3 tot 30 tekens.")))
    if "@" in pseudonym:
        raise PseudonymRejected(
            str(_l("Gebruik geen e-mailadres als schuilnaam. Zo blijf je onherkenbaar."))
        )
    if _PHONE_LIKE.search(pseudonym):
        raise PseudonymRejected(
            str(_l("Gebruik geen telefoonnummer als schuilnaam. Zo blijf je onherkenbaar."))
        )
    if not all(_is_allowed_character(ch) for ch in pseudonym):
        raise PseudonymRejected(
            str(
                _l(
                    "Gebruik alleen letters, cijfers, spaties, punten, streepjes "
                    "of liggende streepjes."
                )
            )
        )
    key = key_for(pseudonym)
    if not any(ch.isalnum() for ch in key):
        raise PseudonymRejected(str(_l("Gebruik ten minste één letter of cijfer.")))
    if key in _RESERVED:
        raise PseudonymRejected(str(_l("Deze schuilnaam is niet beschikbaar. Kies een andere.")))
    return pseudonym
