"""Content warnings: their Dutch labels, and what each reader wants done with them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.stories.models import ContentWarning

LABELS: dict[ContentWarning, LazyString] = {
    ContentWarning.VIOLENCE: _l("geweld"),
    ContentWarning.SEXUAL_VIOLENCE: _l("seksueel geweld"),
    ContentWarning.DEATH_AND_SUICIDE: _l("dood en zelfdoding"),
    ContentWarning.SELF_HARM: _l("zelfbeschadiging"),
    ContentWarning.CHILD_ABUSE: _l("misbruik van kinderen"),
    ContentWarning.INJURY: _l("letsel"),
    ContentWarning.DOMESTIC_ABUSE: _l("huiselijk geweld"),
}


class FilterChoice(StrEnum):
    """What a reader wants done with stories that carry a warning."""

    COLLAPSE = "collapse"  # the default: shown folded, opened with one click
    HIDE = "hide"  # left out of lists; the story page asks first


def label(value: str) -> str:
    """The Dutch label of a warning category; unknown values are shown as they are."""
    try:
        return str(LABELS[ContentWarning(value)])
    except ValueError:
        return value


def labels(values: Iterable[str]) -> list[str]:
    """The labels of ``values`` in the fixed order of the categories."""
    chosen = set(values)
    return [str(text) for warning, text in LABELS.items() if warning.value in chosen]


def choices() -> list[tuple[str, str]]:
    """(value, label) pairs for checkboxes, in the fixed order."""
    return [(warning.value, str(text)) for warning, text in LABELS.items()]


def hidden_categories(filters: Mapping[str, str] | None) -> set[str]:
    """The categories a reader asked not to be shown."""
    known = {warning.value for warning in ContentWarning}
    return {
        category
        for category, choice in (filters or {}).items()
        if choice == FilterChoice.HIDE.value and category in known
    }
