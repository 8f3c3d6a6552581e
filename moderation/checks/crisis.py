"""Language about suicide and self-harm, in Dutch and English, so that a writer can be offered
help and a moderator can look before anything else happens.

Matching works on words of the folded text (case, diacritics and invisible characters
ignored), so a phrase never matches inside a compound: "doodmoe", "doodsbang",
"zelfmoordpreventie" and "113 Zelfmoordpreventie" do not trigger. Words of a phrase may be
separated by punctuation, line breaks and up to two other words ("ik wil echt gewoon dood"),
but not by a negation or by a pronoun ("ik wil niet dood", "ik wil hem dood"), and other words
may not bridge the end of a sentence. A phrase preceded by a negation ("I'm not suicidal",
"I would never kill myself") is not reported.

Choices on idioms and mentions:

- "ik schrok me dood", "ik lach me dood", "ik wil me dood schamen" are idioms and are not
  reported: no phrase has a bare "dood", and a reflexive "me" may not stand between words.
- A standalone "suïcide" or "zelfdoding" is reported even when it is about someone else (a
  bereaved relative writing about a loss): the finding asks a moderator to look, it does not
  judge. "suicide bomber" and the like are not reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from moderation.checks.findings import Finding, FindingKind
from moderation.checks.normalise import Folded, fold, words

MAX_WORDS_BETWEEN = 2

# One phrase per line, in both Dutch word orders ("ik wil …" and, after a time or a
# reason, "… wil ik …"); "a|b" offers alternatives for one word. Inflections such as
# wil/wilde/willen and kill/killed/killing are covered by _variants, irregular ones are listed.
BUILT_IN_PHRASES = """
ik wil|wou dood
ik dood wil|wilde|willen|wou
ik wil|wou niet meer|langer leven
wil|wou ik dood
wil|wou ik niet meer|langer leven
wil|wou ik er niet meer zijn
zie|zag ik het niet meer zitten
denk|dacht ik aan zelfmoord|suicide|zelfdoding
snijd|snij|sneed ik mezelf|mijzelf
doe|deed ik mezelf|mijzelf pijn
ik wil|wou er niet meer zijn
ik wou dat ik dood was|ben
was ik maar dood
zelfmoord|suicide plegen|pleeg|pleegt|pleegde|gepleegd
pleeg|pleegt|pleegde|plegen zelfmoord|suicide
ik denk|dacht aan zelfmoord|suicide|zelfdoding
een eind|einde aan mijn leven maken|maak|maakte
maak|maakte een eind|einde aan mijn leven
er een eind|einde aan maken|maak
maak|maakte er een eind|einde aan
mezelf|mijzelf|me|mij van het leven beroven|beroof
ik zie|zag het niet meer zitten
mezelf|mijzelf snijden|snijd|snij|sneed|gesneden
ik snijd|snij|sneed mezelf|mijzelf
mezelf|mijzelf pijn doen|doe|deed|gedaan
ik doe|deed mezelf|mijzelf pijn
mezelf|mijzelf|me ophangen|verhangen
ik hang|hing mezelf|mijzelf|me op
voor de|een trein springen|spring|sprong
niet meer wakker worden|word|wordt
suicide
suicidaal|suicidale
zelfdoding
zelfmoordgedachten|suicidegedachten
zelfbeschadiging|automutilatie
kill myself
end my life
take|took my life
end it all
want to die
wanna die
wish i was|were dead
suicidal
self harm
selfharm
cut myself
dont want to live
do not want to live
dont want to be alive
"""

NEGATIONS = frozenset(
    {"not", "never", "dont", "didnt", "doesnt", "wont", "wouldnt", "cant", "cannot"}
    | {"niet", "nooit", "geen"}
)
_PRONOUNS = frozenset(
    {"me", "mij", "je", "jou", "u", "hem", "haar", "zich", "ze", "hen", "hun", "jullie", "zijn"}
    | {"you", "him", "her", "them", "it"}
)
_BLOCKING_FILLERS = NEGATIONS | _PRONOUNS
# A single word that is part of a name for something else: a bomber, a film, an attack.
_NOT_BEFORE = {
    "suicide": frozenset({"bomber", "bombers", "squad", "attack", "aanslag", "missie", "mission"})
}
_SENTENCE_END = re.compile(r"[.!?;:]")
_SUFFIXES = ("den", "ten", "ing", "en", "de", "te", "ed", "es", "s", "t")


@lru_cache(maxsize=16384)
def _variants(word: str) -> frozenset[str]:
    """The word and its light stems: two words match when their variants share one."""
    forms = {word}
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.add(word[: -len(suffix)])
    # Undoubled consonants make "willen" meet "wil" and "killed" meet "kill".
    for form in list(forms):
        if len(form) >= 3 and form[-1] == form[-2] and form[-1] not in "aeiou":
            forms.add(form[:-1])
    return frozenset(forms)


@dataclass(frozen=True, slots=True)
class _Phrase:
    slots: tuple[frozenset[str], ...]

    @classmethod
    def parse(cls, phrase: str) -> _Phrase | None:
        slots: list[frozenset[str]] = []
        for chunk in fold(phrase).text.split():
            alternatives = [[w.text for w in words(alt)] for alt in chunk.split("|")]
            alternatives = [alt for alt in alternatives if alt]
            if len(alternatives) == 1:
                slots.extend(_variants(w) for w in alternatives[0])
            elif alternatives:
                slots.append(frozenset().union(*(_variants("".join(a)) for a in alternatives)))
        return cls(tuple(slots)) if slots else None


def _parse_all(phrases: Iterable[str]) -> list[_Phrase]:
    parsed = (_Phrase.parse(p) for p in phrases if isinstance(p, str))
    return [p for p in parsed if p is not None]


_BUILT_IN = _parse_all(BUILT_IN_PHRASES.strip().splitlines())


class _Matcher:
    def __init__(self, folded: Folded) -> None:
        self.folded = folded
        self.words = words(folded.text)
        # Where each form occurs, so a phrase is only tried where all its words can be found.
        by_text: dict[str, list[int]] = {}
        for index, word in enumerate(self.words):
            by_text.setdefault(word.text, []).append(index)
        self.positions: dict[str, list[int]] = {}
        for text, indices in by_text.items():
            for form in _variants(text):
                self.positions.setdefault(form, []).extend(indices)

    def _may_join(self, left: int, right: int) -> bool:
        """Whether the words strictly between ``left`` and ``right`` may be skipped."""
        if right == left + 1:
            return True
        if any(self.words[i].text in _BLOCKING_FILLERS for i in range(left + 1, right)):
            return False
        gap = self.folded.text[self.words[left].end : self.words[right].start]
        return not _SENTENCE_END.search(gap)

    def _last_word(self, slots: list[set[int]], first: int) -> int | None:
        """The index of the last word of the shortest match from ``first``, if any."""
        reachable = [first]
        for positions in slots[1:]:
            following = sorted(
                {
                    right
                    for left in reachable
                    for right in range(left + 1, left + 2 + MAX_WORDS_BETWEEN)
                    if right in positions and self._may_join(left, right)
                }
            )
            if not following:
                return None
            reachable = following
        return reachable[0]

    def _negated(self, first: int) -> bool:
        if first == 0 or self.words[first - 1].text not in NEGATIONS:
            return False
        gap = self.folded.text[self.words[first - 1].end : self.words[first].start]
        return not _SENTENCE_END.search(gap)

    def _names_something_else(self, phrase: _Phrase, last: int) -> bool:
        if len(phrase.slots) != 1 or last + 1 >= len(self.words):
            return False
        blocked = _NOT_BEFORE.get(self.words[last].text, frozenset())
        return self.words[last + 1].text in blocked

    def spans(self, phrase: _Phrase) -> Iterator[tuple[int, int]]:
        slots = [
            {i for form in slot for i in self.positions.get(form, ())} for slot in phrase.slots
        ]
        if not all(slots):
            return
        for first in sorted(slots[0]):
            last = self._last_word(slots, first)
            if last is None or self._negated(first) or self._names_something_else(phrase, last):
                continue
            yield self.folded.span(self.words[first].start, self.words[last].end)


def find_crisis_language(text: str, extra_phrases: Iterable[str] = ()) -> list[Finding]:
    """Phrases about suicide or self-harm in ``text``, built-in and ``extra_phrases`` (written
    like the built-in ones), sorted by position and never overlapping."""
    matcher = _Matcher(fold(text))
    spans = [span for p in _BUILT_IN + _parse_all(extra_phrases) for span in matcher.spans(p)]
    spans.sort(key=lambda s: (s[0], -s[1]))
    findings: list[Finding] = []
    for start, end in spans:
        if findings and start < findings[-1].end:
            continue
        findings.append(Finding(FindingKind.CRISIS, start, end, text[start:end]))
    return findings
