"""The screener on its own: hostile input never breaks it; signals about one post merge."""

from __future__ import annotations

from flask import Flask

from app import clock
from app.accounts.models import User
from app.database import unit_of_work
from app.extensions import db
from app.groups.models import Group
from app.screening import Blocked, ContentKind, Draft, NeedsConfirmation, Verdict
from moderation.items import Subject, add_signal
from moderation.models import ModerationItem, Priority, SignalKind, TargetType
from moderation.screening import ModerationScreener
from tests.support import Factory


def test_every_naughty_string_is_screened_without_an_error(app: Flask, ctx, make, naughty_strings):
    author, group = make.user(), make.group()
    screener = ModerationScreener()
    user, place = db.session.get(User, author.id), db.session.get(Group, group.id)
    outcomes = set()
    for text in naughty_strings:
        draft = Draft(user, place, ContentKind.STORY, text[:150], text or "x")
        try:
            outcomes.add(screener.screen(draft).verdict)
        except (Blocked, NeedsConfirmation):
            outcomes.add("asked")
    assert Verdict.PUBLISH in outcomes


def test_signals_about_one_post_merge_into_one_item_at_the_most_urgent_priority(
    app: Flask, ctx, make: Factory
):
    story = make.story(make.group())
    subject = Subject(TargetType.STORY, story.id, story.group_id, story.author_id, "t", "b")
    with clock.frozen(clock.utcnow()):
        with unit_of_work():
            first, created_first = add_signal(subject, SignalKind.FLAGGED.value, Priority.NORMAL)
        with unit_of_work():
            second, created_second = add_signal(subject, SignalKind.CRISIS.value, Priority.CRISIS)
    assert (created_first, created_second) == (True, False)
    assert first.id == second.id
    item = db.session.get(ModerationItem, first.id)
    assert item.priority == Priority.CRISIS
    assert [signal.kind for signal in item.signals] == ["flagged", "crisis"]
    # The crisis target (one hour) now applies, not the normal day.
    assert (item.due_at - item.created_at).total_seconds() == 3600
