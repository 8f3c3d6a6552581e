"""The outbox is written in the same transaction as the change: committed together, or
rolled back together."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from app.database import unit_of_work
from app.extensions import db
from app.search.models import SearchOutboxEntry
from app.stories.models import Story
from tests.support import Factory


def _entries(app: Flask) -> set[tuple[str, int]]:
    with app.app_context():
        rows = db.session.execute(sa.select(SearchOutboxEntry.kind, SearchOutboxEntry.target_id))
        return {(row.kind, row.target_id) for row in rows}


def test_a_rolled_back_change_leaves_no_entry(make: Factory, app: Flask):
    group = make.group()
    story = make.story(group, title="Blijft staan")
    before = _entries(app)
    with app.app_context(), pytest.raises(RuntimeError), unit_of_work():
        db.session.get(Story, story.id).title = "Wordt niets"
        db.session.flush()
        raise RuntimeError("something failed after the flush")
    assert _entries(app) == before


def test_only_searchable_facts_make_entries(make: Factory, app: Flask):
    group = make.group()
    story = make.story(group, title="Telt")
    before = _entries(app)
    with app.app_context(), unit_of_work():
        db.session.get(Story, story.id).read_count = 5  # not searchable
    assert _entries(app) == before
    with app.app_context(), unit_of_work():
        db.session.get(Story, story.id).title = "Telt anders"
    assert ("story", story.id) in _entries(app) - before


def test_a_group_rename_and_a_new_reply_are_queued(make: Factory, app: Flask):
    from app.groups.models import Group

    group = make.group()
    story = make.story(group)
    reply = make.reply(story)
    with app.app_context(), unit_of_work():
        db.session.get(Group, group.id).name = "Nieuwe naam"
    entries = _entries(app)
    assert ("group", group.id) in entries
    assert ("reply", reply.id) in entries
    assert ("thread", story.id) in entries
