"""Details that identify a person or a place: phone numbers, e-mail and postal addresses,
bank accounts, citizen service numbers and licence plates.

Decisions on ambiguous cases:

- A postcode on its own ("1234 AB") is not reported: it covers a whole stretch of street and
  is often used to talk about a neighbourhood. It is reported as ``postcode_address`` when a
  house number follows it ("1234 AB 12") or a street address precedes it ("Kerkstraat 12,
  1234 AB Amsterdam"); the finding then covers the street, the postcode and the town.
- Service numbers (0800, 0900) identify organisations, such as the help line 0800-0113, not
  people, and are not reported.
- An 8-digit BSN (written without its leading zero) is only reported right after a word such
  as "BSN", because plenty of ordinary 8-digit numbers pass the eleven-check by chance.
- Licence plates must be written with their dashes and in capitals, in one of the official
  sidecodes; without dashes they are indistinguishable from codes and words.
- A street address needs a capitalised street name and a house number; a house number that
  looks like a year (1900-2099) without a letter is taken for a year ("Arbeidsmarkt 2023").
- When spans overlap the more specific kind wins: IBAN, e-mail, phone, BSN, postcode address,
  street address, licence plate.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from moderation.checks.findings import Finding, FindingKind

_PRIORITY: list[FindingKind | None] = [
    None,
    FindingKind.IBAN,
    FindingKind.EMAIL,
    FindingKind.PHONE,
    FindingKind.BSN,
    FindingKind.POSTCODE_ADDRESS,
    FindingKind.STREET_ADDRESS,
    FindingKind.LICENCE_PLATE,
]

# --- phone numbers -------------------------------------------------------------------------


def _digits(count: int) -> str:
    """``count`` digits, optionally grouped by one kind of separator used throughout."""
    groups = (rf"[0-9](?:{sep}?[0-9]){{{count - 1}}}" for sep in (" ", "-", r"\."))
    return "(?:" + "|".join(groups) + ")"


_TWO_DIGIT_AREAS = (
    "10|13|15|20|23|24|26|30|33|35|36|38|40|43|45|46|50|53|55|58|"
    "70|71|72|73|74|75|76|77|78|79|84|85|87|88|91"
)
_AREA_END = r"(?:[ ./-]|\) ?)?"
_PHONE = re.compile(
    r"(?<![0-9A-Za-z+.,/-])"
    r"(?:(?:\+|00)31[ .-]?(?:\(0\)[ .-]?)?|\(?0)"
    rf"(?:6{_AREA_END}{_digits(8)}"
    rf"|(?:{_TWO_DIGIT_AREAS}){_AREA_END}{_digits(7)}"
    rf"|[1-5][0-9]{{2}}{_AREA_END}{_digits(6)})"
    r"(?![0-9])"
)

# --- e-mail addresses -----------------------------------------------------------------------

_LOCAL = r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}"
_LABEL = r"[A-Za-z0-9][A-Za-z0-9-]{0,62}"
_EMAIL = re.compile(rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,24}}(?![\w-])")
# "naam [at] domein [punt] nl": people write addresses like this to dodge spam robots.
_AT = r" ?[\[(] ?(?:at|apenstaartje|@) ?[\])] ?"
_DOT = r"(?: ?[\[(] ?(?:dot|punt) ?[\])] ?|\.)"
_OBFUSCATED_EMAIL = re.compile(
    rf"{_LOCAL}{_AT}{_LABEL}(?:{_DOT}{_LABEL})*?{_DOT}[A-Za-z]{{2,24}}(?![\w-])", re.IGNORECASE
)

# --- IBAN -----------------------------------------------------------------------------------

_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?:[ \u00a0]?[A-Za-z0-9]){11,30}")

# --- BSN ------------------------------------------------------------------------------------

_BSN = re.compile(
    r"(?<![0-9A-Za-z.,/+-])(?:[0-9]{8,9}|[0-9]{4}\.[0-9]{2}\.[0-9]{3}|[0-9]{3} [0-9]{3} [0-9]{3})"
    r"(?![0-9]|[.,/-][0-9]| [0-9])"
)
_BSN_CONTEXT = re.compile(r"(?:bsn|burgerservicenummer|sofi-?nummer)\W{0,20}$", re.IGNORECASE)
_MONEY_BEFORE = re.compile(r"(?:€|eur|euro|\$|£)\s?$", re.IGNORECASE)

# --- licence plates -------------------------------------------------------------------------

_SIDECODES = (
    "LL-DD-DD", "DD-DD-LL", "DD-LL-DD", "LL-DD-LL", "LL-LL-DD", "DD-LL-LL", "DD-LLL-D",
    "D-LLL-DD", "LL-DDD-L", "L-DDD-LL", "LLL-DD-L", "L-DD-LLL", "D-LL-DDD", "DDD-LL-D",
)  # fmt: skip
_PLATE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(code.replace("L", "[A-Z]").replace("D", "[0-9]") for code in _SIDECODES)
    + r")(?![\w]|-\w)"
)

# --- street addresses and postcodes -----------------------------------------------------------

_UPPER = "A-ZÀ-ÖØ-Þ"
_LETTERS = "A-Za-zÀ-ÖØ-öø-ÿ"
_NAME_WORD = rf"[{_UPPER}][{_LETTERS}'’.-]*"
_PARTICLE = r"(?:de|den|der|van|het|ten|ter|'t|’t|la|le)"
_TOWN_WORD = rf"(?:'s-|’s-)?[{_UPPER}][{_LETTERS}'’-]*"
# "ring" after a vowel is "Aflevering" or "Haring", not a ring road.
_STREET_SUFFIX = (
    r"(?:straat|laan|weg|plein|gracht|kade|singel|dijk|steeg|pad|hof|park|dreef|markt|baan"
    r"|(?<![aeiou])ring|wal|allee|boulevard)"
)
_STREET = re.compile(
    rf"(?<![{_LETTERS}'’.-])"
    rf"(?:{_NAME_WORD}[ \u00a0](?:(?:{_NAME_WORD}|{_PARTICLE})[ \u00a0]){{0,2}})?"
    rf"(?:[{_UPPER}][{_LETTERS}'’-]*{_STREET_SUFFIX}|Markt|Plein|Kade"
    rf"|(?:Laan|Weg|Plein|Kade|Singel|Dreef|Straat)(?:[ ]{_PARTICLE}){{1,2}}[ ]{_NAME_WORD})"
    rf"(?![{_LETTERS}])"
    r"[ \u00a0](?P<number>[1-9][0-9]{0,3})"
    r"(?P<addition>-?(?:hoog|bis|hs|huis)|[ -]?[A-Za-z]|[-/][0-9]{1,3})?"
    rf"(?![{_LETTERS}0-9])"
)
_POSTCODE = re.compile(
    r"(?<![0-9A-Za-z])[1-9][0-9]{3}(?P<letters> ?[A-Z]{2}|[a-z]{2})(?![0-9A-Za-z])"
    r"(?P<number>[ ,]{1,2}(?:nr\.? ?)?[1-9][0-9]{0,4}(?:-?[A-Za-z](?![A-Za-z])|-[0-9]{1,3})?"
    r"(?![0-9A-Za-z]))?"
    rf"(?P<town>[ \u00a0]{_TOWN_WORD}(?:[ -](?:{_PARTICLE}[ -]){{0,2}}{_TOWN_WORD})?)?"
)
_BETWEEN_STREET_AND_POSTCODE = re.compile(r"[ \t]*,?[ \t]*(?:\r?\n)?[ \t]*")


def _mod97(value: str) -> int:
    remainder = 0
    for char in value:
        remainder = (remainder * (10 if char.isdigit() else 100) + int(char, 36)) % 97
    return remainder


def _ibans(text: str) -> Iterator[tuple[int, int, bool]]:
    """IBAN-shaped spans, and whether their check digits are right."""
    position = 0
    while match := _IBAN.search(text, position):
        start = match.start()
        position = start + 1
        length = _IBAN_LENGTHS.get(text[start : start + 2].upper())
        compact = match.group().replace(" ", "").replace("\u00a0", "")
        if length is None or len(compact) < length:
            continue
        end, seen = start, 0
        while seen < length:
            seen += text[end].isalnum()
            end += 1
        # The IBAN must end on a group boundary, not half-way into a following word.
        if end < len(text) and text[end].isalnum():
            continue
        candidate = compact[:length].upper()
        yield start, end, _mod97(candidate[4:] + candidate[:4]) == 1
        position = end


def passes_eleven_check(digits: str) -> bool:
    """Whether nine digits pass the BSN eleven-check (and are not all zeros)."""
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit() or set(digits) == {"0"}:
        return False
    total = sum(weight * int(d) for weight, d in zip(range(9, 1, -1), digits[:8], strict=True))
    return (total - int(digits[8])) % 11 == 0


def _bsns(text: str) -> Iterator[tuple[int, int]]:
    for match in _BSN.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        # A spaced "123 456 782" preceded by another digit group is part of a longer number.
        if _MONEY_BEFORE.search(before) or re.search(r"[0-9][ ,.]$", before):
            continue
        digits = re.sub("[^0-9]", "", match.group())
        if len(digits) == 8:
            if not _BSN_CONTEXT.search(before):
                continue
            digits = "0" + digits
        if passes_eleven_check(digits):
            yield match.span()


def _streets(text: str) -> Iterator[tuple[int, int]]:
    for match in _STREET.finditer(text):
        number = int(match.group("number"))
        if 1900 <= number <= 2099 and not match.group("addition"):
            continue
        yield match.span()


def _postcodes(text: str, streets: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    street_ends = {end: start for start, end in streets}
    street_end_list = sorted(street_ends)
    for match in _POSTCODE.finditer(text):
        if match.group("letters").strip().upper() in {"SA", "SD", "SS"}:
            continue
        start, end = match.start(), match.end("letters")
        if match.group("number"):
            end = match.end("number")
        index = bisect.bisect_right(street_end_list, start) - 1
        if index >= 0:
            street_end = street_end_list[index]
            if _BETWEEN_STREET_AND_POSTCODE.fullmatch(text, street_end, start):
                start = street_ends[street_end]
                end = max(end, match.end("town") if match.group("town") else end)
                yield start, end
                continue
        if match.group("number"):
            yield start, end


def _spans(text: str) -> Iterator[tuple[FindingKind | None, int, int]]:
    """Candidate spans; ``None`` marks an IBAN with wrong check digits, inside which nothing
    else (such as a phone-like digit group) may be reported either."""
    for start, end, valid in _ibans(text):
        yield (FindingKind.IBAN if valid else None), start, end
    for pattern in (_EMAIL, _OBFUSCATED_EMAIL):
        for match in pattern.finditer(text):
            yield FindingKind.EMAIL, match.start(), match.end()
    for match in _PHONE.finditer(text):
        yield FindingKind.PHONE, match.start(), match.end()
    for start, end in _bsns(text):
        yield FindingKind.BSN, start, end
    streets = list(_streets(text))
    for start, end in _postcodes(text, streets):
        yield FindingKind.POSTCODE_ADDRESS, start, end
    for start, end in streets:
        yield FindingKind.STREET_ADDRESS, start, end
    for match in _PLATE.finditer(text):
        yield FindingKind.LICENCE_PLATE, match.start(), match.end()


def find_identifying_details(text: str) -> list[Finding]:
    """Phone numbers, e-mail and postal addresses, IBANs, BSNs and licence plates in ``text``,
    sorted by position and never overlapping."""
    candidates = sorted(_spans(text), key=lambda s: (_PRIORITY.index(s[0]), s[1] - s[2], s[1]))
    starts: list[int] = []
    kept: list[tuple[int, int, FindingKind | None]] = []
    for kind, start, end in candidates:
        index = bisect.bisect_left(starts, start)
        overlaps_next = index < len(kept) and kept[index][0] < end
        overlaps_previous = index > 0 and kept[index - 1][1] > start
        if not (overlaps_next or overlaps_previous):
            starts.insert(index, start)
            kept.insert(index, (start, end, kind))
    return [Finding(kind, start, end, text[start:end]) for start, end, kind in kept if kind]
