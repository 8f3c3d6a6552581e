"""Group themes and the plain-language labels for a group's kind and visibility.

Themes are stored as slugs; the Dutch labels live here so that lists, filters and forms all
say the same thing. The order of ``THEMES`` is the order in which lists show them.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.groups.models import GroupKind, Visibility

THEMES: dict[str, LazyString] = {
    "geweld": _l("Geweld"),
    "seksueel-misbruik": _l("Seksueel misbruik"),
    "fraude": _l("Fraude"),
    "verkeer": _l("Verkeer"),
    "stalking": _l("Stalking"),
    "nabestaanden-moord": _l("Nabestaanden na moord"),
    "nabestaanden-zelfdoding": _l("Nabestaanden na zelfdoding"),
    "online-criminaliteit": _l("Online criminaliteit"),
    "helpers": _l("Voor helpers"),
    "onderzoek": _l("Onderzoek"),
}

KINDS: dict[str, LazyString] = {
    GroupKind.PEER.value: _l("Lotgenoten"),
    GroupKind.HELPERS.value: _l("Helpers"),
    GroupKind.RESEARCH.value: _l("Onderzoek"),
}

VISIBILITIES: dict[str, LazyString] = {
    Visibility.PUBLIC.value: _l("Openbaar: iedereen kan lezen"),
    Visibility.CLOSED.value: _l("Besloten: alleen leden lezen mee"),
    Visibility.HIDDEN.value: _l("Verborgen: alleen op uitnodiging"),
}


def theme_label(slug: str) -> str:
    """The theme's label in the reader's language; an unknown slug is shown as it is."""
    label = THEMES.get(slug)
    return str(label) if label is not None else slug


def theme_order(slug: str) -> int:
    """Where a theme comes in lists; unknown themes come last."""
    order = list(THEMES)
    return order.index(slug) if slug in THEMES else len(order)


def kind_label(kind: str) -> str:
    """The group kind in plain words."""
    label = KINDS.get(kind)
    return str(label) if label is not None else kind


def visibility_label(visibility: str) -> str:
    """Who can read the group, in plain words."""
    label = VISIBILITIES.get(visibility)
    return str(label) if label is not None else visibility
