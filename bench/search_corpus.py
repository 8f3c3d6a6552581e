"""A made-up but plausible Dutch corpus for the search benchmark: stories and replies from a
peer-support community of victims of crime and bereaved relatives.

Text is put together from a few hundred Dutch words and phrases (with inflected forms such
as *verhalen*/*verhaal* and accented words such as *reünie* and *geïnd*), so that stemming,
accent folding, common and rare words all get exercised. Everything follows from one seed:
the same arguments give the same documents.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from app.groups.themes import THEMES
from app.search.documents import REPLY, STORY, SearchDocument
from app.stories.models import ContentWarning
from bench import search_words as words

SEED = 2026
START = datetime(2023, 1, 1, tzinfo=UTC)
SPAN_SECONDS = 3 * 365 * 24 * 3600
AUTHORS = 4000
ANONYMOUS_SHARE = 0.3
WARNING_SHARE = 0.15
SENTENCE_VARIANTS = 40  # filled-in versions of each template that has slots


@dataclass(frozen=True)
class Group:
    """A group of the made-up community."""

    id: int
    name: str
    theme: str
    visibility: str


@dataclass(frozen=True)
class Corpus:
    """The generated groups and documents (stories first, then replies)."""

    groups: tuple[Group, ...]
    documents: list[SearchDocument]

    @property
    def member_group_ids(self) -> frozenset[int]:
        """The groups a logged-in member sees: every public and closed one, no hidden one."""
        return frozenset(g.id for g in self.groups if g.visibility != "hidden")


class _Pool:
    """Sentences with weights, drawn quickly with ``rng.choices`` and cumulative weights.

    Each part is a list of templates (each a list of its filled-in variants) with its share
    of the text; every template of a part is equally likely, whatever its variant count."""

    def __init__(self, parts: Sequence[tuple[Sequence[Sequence[str]], float]]) -> None:
        self.sentences: list[str] = []
        weights: list[float] = []
        for templates, share in parts:
            for variants in templates:
                self.sentences.extend(variants)
                weights.extend([share / len(templates) / len(variants)] * len(variants))
        self.cumulative = list(accumulate(weights))
        total = self.cumulative[-1]
        self.mean_words = (
            sum(len(s.split()) * w for s, w in zip(self.sentences, weights, strict=True)) / total
        )

    def text(self, rng: random.Random, word_count: int) -> str:
        """About ``word_count`` words of sentences drawn from the pool."""
        k = max(1, round(word_count / self.mean_words))
        return " ".join(rng.choices(self.sentences, cum_weights=self.cumulative, k=k))


def _capitalise(sentence: str) -> str:
    if sentence.startswith("'s "):
        return "'s " + sentence[3].upper() + sentence[4:]
    return sentence[0].upper() + sentence[1:]


def _fill(rng: random.Random, templates: Sequence[str], variants: int) -> list[list[str]]:
    """Per template, its slots ({wie}, {wanneer}, {plek}, {ding}) filled ``variants`` times
    over (once when it has none)."""
    filled: list[list[str]] = []
    for template in templates:
        times = variants if "{" in template else 1
        sentences = {
            _capitalise(
                template.format(
                    wie=rng.choice(words.WHO),
                    wanneer=rng.choice(words.WHEN),
                    plek=rng.choice(words.WHERE),
                    ding=rng.choice(words.THINGS),
                )
            ): None
            for _ in range(times)
        }
        filled.append(list(sentences))
    return filled


def _titles(rng: random.Random, templates: Sequence[str]) -> list[str]:
    """Titles of 4 to 10 words."""
    titles: list[str] = []
    for title in (t for variants in _fill(rng, templates, 12) for t in variants):
        parts = title.rstrip(".").split()
        if len(parts) < 4:
            parts += ["–", "mijn", "verhaal"]
        titles.append(" ".join(parts[:10]))
    return titles


def _groups() -> tuple[Group, ...]:
    """Four groups per theme, numbered from 1; raises ValueError when the word lists name
    themes the app does not have (or miss some)."""
    if set(words.GROUPS) != set(THEMES):
        raise ValueError("bench/search_words.py: GROUPS must cover app.groups.themes.THEMES")
    groups: list[Group] = []
    for theme, names in words.GROUPS.items():
        for name, visibility in names:
            groups.append(Group(len(groups) + 1, name, theme, visibility))
    return tuple(groups)


def generate(stories: int, replies: int, seed: int = SEED) -> Corpus:
    """``stories`` stories and ``replies`` replies, spread over the groups and three years."""
    rng = random.Random(seed)
    groups = _groups()
    general = {name: _fill(rng, templates, 8) for name, templates in words.GENERAL.items()}
    details = _fill(rng, words.DETAILS, 120)
    story_pools: dict[str, _Pool] = {}
    reply_pools: dict[str, _Pool] = {}
    title_pools: dict[str, list[str]] = {}
    for theme, templates in words.THEME_SENTENCES.items():
        own = _fill(rng, templates, SENTENCE_VARIANTS)
        story_pools[theme] = _Pool(
            [
                (own, 0.45),
                (general["feelings"], 0.17),
                (general["justice"], 0.13),
                (general["family"], 0.11),
                (general["community"], 0.07),
                (details, 0.07),
            ]
        )
        reply_pools[theme] = _Pool(
            [
                (_fill(rng, words.REPLY_SENTENCES, 8), 0.5),
                (own, 0.15),
                (general["feelings"], 0.15),
                (general["justice"], 0.1),
                (general["family"], 0.1),
            ]
        )
        title_pools[theme] = _titles(rng, words.TITLES[theme])

    pseudonyms = [
        f"{rng.choice(words.NAME_PARTS)}{rng.choice(words.NAME_ENDS)}{rng.randint(1, 99)}"
        for _ in range(AUTHORS)
    ]
    # A few prolific writers and a long tail, as in any community.
    author_weights = list(accumulate(1 / number**0.8 for number in range(1, AUTHORS + 1)))
    author_ids = range(1, AUTHORS + 1)
    # Some groups are much busier than others.
    group_weights = list(accumulate(rng.uniform(0.3, 3.0) for _ in groups))
    warnings = [w.value for w in ContentWarning]

    def author() -> tuple[int | None, str | None]:
        if rng.random() < ANONYMOUS_SHARE:
            return None, None
        number = rng.choices(author_ids, cum_weights=author_weights)[0]
        return number, pseudonyms[number - 1]

    documents: list[SearchDocument] = []
    for story_id in range(1, stories + 1):
        group = rng.choices(groups, cum_weights=group_weights)[0]
        author_id, author_name = author()
        documents.append(
            SearchDocument(
                kind=STORY,
                story_id=story_id,
                reply_id=None,
                group_id=group.id,
                group_name=group.name,
                theme=group.theme,
                visibility=group.visibility,
                published_at=START + timedelta(seconds=rng.randrange(SPAN_SECONDS)),
                title=rng.choice(title_pools[group.theme]),
                body=story_pools[group.theme].text(rng, rng.randint(80, 250)),
                warnings=(
                    tuple(sorted(set(rng.sample(warnings, rng.randint(1, 2)))))
                    if rng.random() < WARNING_SHARE
                    else ()
                ),
                author_id=author_id,
                author_name=author_name,
            )
        )
    for reply_id in range(1, replies + 1):
        # Some stories draw many more replies than others; a reply follows within weeks.
        story = documents[min(int(stories * rng.random() ** 0.7), stories - 1)]
        author_id, author_name = author()
        documents.append(
            SearchDocument(
                kind=REPLY,
                story_id=story.story_id,
                reply_id=reply_id,
                group_id=story.group_id,
                group_name=story.group_name,
                theme=story.theme,
                visibility=story.visibility,
                published_at=story.published_at + timedelta(seconds=rng.randrange(30 * 86400)),
                title="",
                body=reply_pools[story.theme].text(rng, rng.randint(20, 80)),
                warnings=story.warnings,
                author_id=author_id,
                author_name=author_name,
            )
        )
    return Corpus(groups, documents)
