"""Words and phrases moderators watch for, and what happens when one is used.

A phrase matches whole words, ignoring case, diacritics and invisible characters; the words of
a phrase may be separated by any spaces or punctuation ("kut-wijf" matches "kut wijf"). A
``*`` at the end makes the last word a prefix ("kanker*" matches "kankerlijer"); a ``*``
anywhere else separates words like any other punctuation. A phrase without letters or digits
matches nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from moderation.checks.findings import Finding, FindingKind
from moderation.checks.normalise import Word, fold, words

DEFAULT_REPLACEMENT = "***"


class WatchAction(StrEnum):
    """What publishing does with a text that uses a watched word."""

    BLOCK = "block"
    HOLD = "hold"
    FLAG = "flag"
    REPLACE = "replace"


@dataclass(frozen=True, slots=True)
class WatchedWord:
    """A phrase moderators watch for and the action its use calls for."""

    phrase: str
    action: WatchAction
    replacement: str = ""


@dataclass(frozen=True, slots=True)
class WatchedMatch:
    """One use of a watched word: which entry matched, and where."""

    watched: WatchedWord
    finding: Finding


@dataclass(frozen=True, slots=True)
class _Pattern:
    watched: WatchedWord
    words: tuple[str, ...]
    prefix: bool

    @classmethod
    def parse(cls, watched: WatchedWord) -> _Pattern | None:
        folded = fold(watched.phrase).text.rstrip()
        found = words(folded)
        if not found:
            return None
        prefix = folded.endswith("*") and found[-1].end == len(folded) - 1
        return cls(watched, tuple(w.text for w in found), prefix)

    def matches_at(self, text_words: list[Word], first: int) -> bool:
        """Whether the text's words from ``first`` on spell this phrase (first word known)."""
        last = first + len(self.words) - 1
        if last >= len(text_words):
            return False
        for offset in range(1, len(self.words) - 1):
            if text_words[first + offset].text != self.words[offset]:
                return False
        final = text_words[last].text
        return final.startswith(self.words[-1]) if self.prefix else final == self.words[-1]


def _spans(text: str, watched: Iterable[WatchedWord]) -> list[tuple[int, int, WatchedWord]]:
    """Where each watched word is used, as spans of ``text``, by start and longest first."""
    exact: dict[str, list[_Pattern]] = {}
    prefixes: dict[int, dict[str, list[_Pattern]]] = {}
    for pattern in filter(None, map(_Pattern.parse, watched)):
        if pattern.prefix and len(pattern.words) == 1:
            length = len(pattern.words[0])
            prefixes.setdefault(length, {}).setdefault(pattern.words[0], []).append(pattern)
        else:
            exact.setdefault(pattern.words[0], []).append(pattern)
    folded = fold(text)
    text_words = words(folded.text)
    spans: list[tuple[int, int, WatchedWord]] = []
    for index, word in enumerate(text_words):
        candidates = list(exact.get(word.text, ()))
        for length, by_prefix in prefixes.items():
            candidates.extend(by_prefix.get(word.text[:length], ()))
        for pattern in candidates:
            if pattern.matches_at(text_words, index):
                last = text_words[index + len(pattern.words) - 1]
                spans.append((*folded.span(word.start, last.end), pattern.watched))
    spans.sort(key=lambda span: (span[0], -span[1]))
    return spans


def match_watched_words(text: str, watched: Iterable[WatchedWord]) -> list[WatchedMatch]:
    """Every use of a watched word in ``text``, with the entry that matched, by position."""
    return [
        WatchedMatch(entry, Finding(FindingKind.WATCHED_WORD, start, end, text[start:end]))
        for start, end, entry in _spans(text, watched)
    ]


def find_watched_words(text: str, watched: Iterable[WatchedWord]) -> list[Finding]:
    """Where watched words are used in ``text``, sorted by position, each span once."""
    unique = dict.fromkeys((start, end) for start, end, _ in _spans(text, watched))
    return [Finding(FindingKind.WATCHED_WORD, s, e, text[s:e]) for s, e in unique]


def apply_replacements(text: str, watched: Iterable[WatchedWord]) -> str:
    """``text`` with every use of a ``replace`` entry swapped for its replacement (``***`` by
    default); where uses overlap, the one that starts first and is longest wins."""
    replacing = [w for w in watched if w.action == WatchAction.REPLACE]
    pieces: list[str] = []
    position = 0
    for start, end, entry in _spans(text, replacing):
        if start < position:
            continue
        pieces.append(text[position:start])
        pieces.append(entry.replacement or DEFAULT_REPLACEMENT)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
