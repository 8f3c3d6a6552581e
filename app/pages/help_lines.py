"""Where to get help right now. Shown in the house rules and during onboarding.

The defaults are the Dutch national lines; a deployment can replace them with ``HELP_LINES``
in the configuration (a list of mappings with the same keys), for example to add its own
victim-support line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class HelpLine:
    """One place to turn to: who, when, and how to reach them."""

    name: str
    when: str | LazyString
    phone: str = ""
    url: str = ""

    @property
    def tel(self) -> str:
        """The phone number as a ``tel:`` link target."""
        return "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")

    @property
    def site(self) -> str:
        """The web address as people say it: ``113.nl`` for ``https://www.113.nl``."""
        return self.url.split("//", 1)[-1].removeprefix("www.").rstrip("/")


DEFAULT_HELP_LINES = (
    HelpLine(
        name="113 Zelfmoordpreventie",
        when=_l("Denk je aan zelfdoding? Praat erover, gratis en anoniem, dag en nacht."),
        phone="0800-0113",
        url="https://www.113.nl",
    ),
    HelpLine(name="112", when=_l("Bij direct gevaar, als elke seconde telt."), phone="112"),
    HelpLine(
        name="Slachtofferhulp Nederland",
        when=_l("Voor praktische, juridische en emotionele hulp na een misdrijf of ongeluk."),
        phone="0900-0101",
        url="https://www.slachtofferhulp.nl",
    ),
)


def help_lines() -> tuple[HelpLine, ...]:
    """The help lines for this site: ``HELP_LINES`` from the configuration, or the defaults."""
    configured: list[Mapping[str, Any]] | None = current_app.config.get("HELP_LINES")
    if not configured:
        return DEFAULT_HELP_LINES
    return tuple(
        HelpLine(
            name=str(line["name"]),
            when=str(line.get("when", "")),
            phone=str(line.get("phone", "")),
            url=str(line.get("url", "")),
        )
        for line in configured
    )
