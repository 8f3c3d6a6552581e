"""Text folded for matching (case, diacritics, invisible characters) with a way back to
offsets in the original text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

# Apostrophe look-alikes become one, so that "don’t" and "don't" are the same word.
_APOSTROPHES = dict.fromkeys(map(ord, "\u2018\u2019\u201b\u02bc\u02b9\u00b4\uff07"), "'")
_ASCII_RUN = re.compile(r"[\x00-\x7f]+")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    if char.isascii():
        return char.lower()
    # Invisible format characters (zero-width, bidi marks, soft hyphen) would otherwise let
    # "zelf\u200bmoord" slip past a word match.
    if unicodedata.category(char) in {"Cf", "Mn", "Me"}:
        return ""
    # Casefold first: it can itself produce combining marks ("İ" becomes "i" + dot above).
    decomposed = unicodedata.normalize("NFKD", char.translate(_APOSTROPHES).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class Folded:
    """A casefolded, diacritic-free copy of ``original`` that remembers where each character
    came from."""

    original: str
    text: str
    # _sources[i] is the index in ``original`` of the character that produced text[i];
    # None when text is original.lower() character for character.
    _sources: tuple[int, ...] | None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span in the original text that produced ``text[start:end]`` (end > start)."""
        if self._sources is None:
            return start, end
        first = self._sources[start]
        last = self._sources[end - 1] + 1
        while last < len(self.original) and unicodedata.combining(self.original[last]):
            last += 1
        return first, last


class Word(NamedTuple):
    """A word of folded text: apostrophes removed, offsets into the folded text."""

    text: str
    start: int
    end: int


def fold(text: str) -> Folded:
    """Casefold ``text``, strip diacritics and drop invisible characters, keeping offsets."""
    if text.isascii():
        return Folded(text, text.lower(), None)
    pieces: list[str] = []
    sources: list[int] = []
    position = 0
    # Dutch text is mostly ASCII with the odd "ë": fold the ASCII stretches in one go.
    for run in _ASCII_RUN.finditer(text):
        _fold_slow(text, position, run.start(), pieces, sources)
        pieces.append(run.group().lower())
        sources.extend(range(run.start(), run.end()))
        position = run.end()
    _fold_slow(text, position, len(text), pieces, sources)
    return Folded(text, "".join(pieces), tuple(sources))


def _fold_slow(text: str, start: int, end: int, pieces: list[str], sources: list[int]) -> None:
    for index in range(start, end):
        folded = _fold_char(text[index])
        if folded:
            pieces.append(folded)
            sources.extend([index] * len(folded))


def fold_phrase(phrase: str) -> str:
    """Fold a phrase (a moderator's word list entry) the same way as the text it is sought in."""
    return fold(phrase).text


def words(folded: str) -> list[Word]:
    """The words of already folded text, in order."""
    return [
        Word(match.group().replace("'", ""), match.start(), match.end())
        for match in _WORD.finditer(folded)
    ]
