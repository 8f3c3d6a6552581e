"""Pure checks on a text before it is published: identifying details, crisis language and
watched words. No Flask, no database; every finding points into the text it was given."""

from moderation.checks.crisis import find_crisis_language
from moderation.checks.findings import Finding, FindingKind
from moderation.checks.identifying import find_identifying_details
from moderation.checks.watched_words import (
    WatchAction,
    WatchedMatch,
    WatchedWord,
    apply_replacements,
    find_watched_words,
    match_watched_words,
)

__all__ = [
    "Finding",
    "FindingKind",
    "WatchAction",
    "WatchedMatch",
    "WatchedWord",
    "apply_replacements",
    "find_crisis_language",
    "find_identifying_details",
    "find_watched_words",
    "match_watched_words",
]
