"""What a check reports: the kind of content found and where it sits in the original text."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FindingKind(StrEnum):
    """The kinds of content the checks look for."""

    PHONE = "phone"
    EMAIL = "email"
    IBAN = "iban"
    BSN = "bsn"
    POSTCODE_ADDRESS = "postcode_address"
    LICENCE_PLATE = "licence_plate"
    STREET_ADDRESS = "street_address"
    CRISIS = "crisis"
    WATCHED_WORD = "watched_word"


@dataclass(frozen=True, slots=True)
class Finding:
    """One match: ``text[start:end] == excerpt`` in the text that was checked."""

    kind: FindingKind
    start: int
    end: int
    excerpt: str
