"""The interface through which publishing asks for a piece of content to be screened.

``app`` defines what it needs here; the ``moderation`` package plugs in the real screener
(``use``) from ``create_app``. Without one, everything is published as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from flask import current_app

from app.accounts.models import User
from app.errors import ValidationFailed
from app.groups.models import Group


class Verdict(StrEnum):
    PUBLISH = "publish"
    HOLD = "hold"  # saved, shown only to its writer (and moderators) until approved


class ContentKind(StrEnum):
    STORY = "story"
    REPLY = "reply"


@dataclass(frozen=True)
class Draft:
    """What someone is about to publish, as screening sees it."""

    author: User
    group: Group
    kind: ContentKind
    title: str
    body: str
    is_edit: bool = False
    # The writer saw a warning about identifying details and chose to post anyway.
    post_anyway: bool = False


@dataclass(frozen=True)
class Screening:
    """The outcome: publish or hold, the text to store (a watched word may be replaced), and
    whether the writer should see where to find help right now."""

    verdict: Verdict
    title: str
    body: str
    crisis: bool = False
    signals: tuple[str, ...] = field(default_factory=tuple)


class Blocked(ValidationFailed):
    """The text cannot be published as it is; the message says kindly why."""


class NeedsConfirmation(ValidationFailed):
    """The text seems to contain identifying details: the writer may edit it, or post it
    anyway, in which case a moderator looks first."""


class Screener(Protocol):
    def screen(self, draft: Draft) -> Screening:
        """Screen ``draft``; raises Blocked or NeedsConfirmation."""
        ...

    def record(
        self, draft: Draft, screening: Screening, story_id: int, reply_id: int | None
    ) -> None:
        """Inside the publishing unit of work: put what needs a look in the review queue."""
        ...


class _PublishAll:
    def screen(self, draft: Draft) -> Screening:
        return Screening(Verdict.PUBLISH, draft.title, draft.body)

    def record(
        self, draft: Draft, screening: Screening, story_id: int, reply_id: int | None
    ) -> None:
        return None


_KEY = "screener"


def use(app: object, screener: Screener) -> None:
    """Make ``screener`` the one that screens everything ``app`` publishes."""
    app.extensions[_KEY] = screener  # type: ignore[attr-defined]


def screener() -> Screener:
    """The screener of the current app."""
    found: Screener | None = current_app.extensions.get(_KEY)
    return found if found is not None else _PublishAll()
