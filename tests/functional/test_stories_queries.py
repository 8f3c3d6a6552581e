"""The home page and the story page cost a bounded number of SQL queries (no N+1)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from flask import Flask

from app.accounts.models import SiteRole
from app.extensions import db
from app.groups.models import GroupRole
from app.stories.models import Story
from tests.support import Factory, Visitor

_SAVEPOINTS = re.compile(r"\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.I)


@contextmanager
def counted_queries(app: Flask) -> Iterator[list[str]]:
    """Collect every SQL statement sent while the block runs."""
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def _count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # The test fixture's savepoints are not the page's doing.
        if not _SAVEPOINTS.match(statement):
            statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", _count)


def test_the_story_page_with_thirty_replies_needs_few_queries(
    app: Flask, make: Factory, visitor: Visitor
):
    group = make.group()
    story = make.story(group)
    for number in range(30):
        # Staff among the writers too: their badge is read from the authors already loaded.
        writer = make.user(role=SiteRole.MODERATOR if number % 7 == 3 else SiteRole.MEMBER)
        role = GroupRole.AMBASSADOR if number % 5 == 0 else GroupRole.MEMBER
        make.membership(writer, group, role)
        make.reply(story, writer, body=f"Reactie {number}")
    reader = make.user()
    make.membership(reader, group)
    visitor.login(reader)
    with counted_queries(app) as statements:
        response = visitor.get(f"/verhalen/{story.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count('class="reply"') == 30
    assert page.count('class="tag tag-staff"') == 4
    assert len(statements) <= 10, "\n\n".join(statements)


def test_the_home_page_with_a_full_page_of_stories_needs_few_queries(
    app: Flask, make: Factory, visitor: Visitor
):
    member = make.user()
    for _ in range(25):
        group = make.group()
        make.membership(member, group)
        make.story(group, make.user())
    visitor.login(member)
    with counted_queries(app) as statements:
        response = visitor.get("/")
    assert response.status_code == 200
    assert response.get_data(as_text=True).count('class="story-card"') == 20
    assert len(statements) <= 8, "\n\n".join(statements)
    visitor.logout()
    with counted_queries(app) as statements:
        assert visitor.get("/").status_code == 200
    assert len(statements) <= 5, "\n\n".join(statements)
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count()).select_from(Story)).scalar_one() == 25
