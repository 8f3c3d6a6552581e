"""The Dutch analyzer for the Whoosh index: words, lower case, accents folded (so *reünie*
finds *reunie*), common Dutch words left out, and Snowball's Dutch stemmer (so *verhalen*
finds *verhaal*)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import Schema
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map

# The same word pattern as the query reader: letters and digits, apostrophes inside a word.
WORD_PATTERN = r"[^\W_]+(?:['’][^\W_]+)*"
STEM_CACHE = 50_000
DUTCH_STOP_WORDS = frozenset(stopwords_for_language("nl"))


def dutch_analyzer() -> Analyzer:
    """Tokenise, lower-case, fold accents, drop stop words, stem (Dutch Snowball)."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=DUTCH_STOP_WORDS, minsize=1)
        | StemFilter(lang="nl", cachesize=STEM_CACHE)
    )


def name_analyzer() -> Analyzer:
    """Pseudonyms and group names as whole words: lower case and accents folded, no stems."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)


def _stem_filters(schema: Schema) -> Iterator[StemFilter]:
    for _name, field in schema.items():
        analyzer = getattr(field, "analyzer", None)
        for item in getattr(analyzer, "items", ()):
            if isinstance(item, StemFilter):
                yield item


@contextmanager
def without_stem_cache(schema: Schema) -> Iterator[None]:
    """Stem without a cache while bulk indexing: a rebuild meets far more distinct words than
    any cache holds, and keeping it up costs more than stemming again."""
    filters = list(_stem_filters(schema))
    for item in filters:
        item.cachesize = None
        item.clear()
    try:
        yield
    finally:
        for item in filters:
            item.cachesize = STEM_CACHE
            item.clear()
