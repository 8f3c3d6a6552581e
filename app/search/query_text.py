"""What someone typed into the search box, read into words, phrases and words to leave out.

Neither engine ever sees the raw text: both build their query from a :class:`ParsedQuery`, so
query syntax (``*:*``, ``title:x``, unbalanced quotes, brackets) is just punctuation here and
cannot make a search fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app import markup

MAX_QUERY_CHARS = 200
MAX_PARTS = 12

# "a phrase", -"a phrase", a word, -word; a quote left open runs to the end.
_PART = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class ParsedQuery:
    """Words that must (or may) occur, phrases whose words occur in order, and words whose
    posts are left out."""

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()
    shortened: bool = False

    @property
    def is_empty(self) -> bool:
        """Nothing to look for (an exclusion on its own finds nothing)."""
        return not self.words and not self.phrases

    @property
    def part_count(self) -> int:
        return len(self.words) + len(self.phrases)

    def as_websearch(self, match_all: bool = True) -> str:
        """The query in PostgreSQL's ``websearch_to_tsquery`` syntax, rebuilt from clean parts."""
        # Every part is quoted, so that a word such as "or" is looked for, not obeyed.
        parts = [f'"{" ".join(part)}"' for part in (*((w,) for w in self.words), *self.phrases)]
        joined = (" " if match_all else " or ").join(parts)
        excluded = " ".join(f'-"{word}"' for word in self.excluded)
        return f"{joined} {excluded}".strip()


def _words(text: str) -> list[str]:
    return [word.replace("’", "'").lower() for word in _WORD.findall(text)]


def parse(raw: str) -> ParsedQuery:
    """Read a search box's text. Never raises; anything unreadable is simply left out."""
    text = markup.clean_text(raw or "").replace("\n", " ").strip()
    shortened = len(text) > MAX_QUERY_CHARS
    text = text[:MAX_QUERY_CHARS]
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    excluded: list[str] = []
    for match in _PART.finditer(text):
        negated = bool(match.group(1) or match.group(3))
        quoted = match.group(2) is not None
        found = _words(match.group(2) if quoted else match.group(4))
        if not found:
            continue
        if negated:
            excluded.extend(word for word in found if word not in excluded)
        elif quoted and len(found) > 1:
            phrase = tuple(found)
            if phrase not in phrases:
                phrases.append(phrase)
        else:
            # "whatsapp-fraude" and "e.d." are read as their separate words.
            words.extend(word for word in found if word not in words)
    if len(words) + len(phrases) > MAX_PARTS:
        shortened = True
        phrases = phrases[:MAX_PARTS]
        words = words[: max(0, MAX_PARTS - len(phrases))]
    return ParsedQuery(tuple(words), tuple(phrases), tuple(excluded[:MAX_PARTS]), shortened)
