"""A group's page costs a bounded number of SQL queries, for a member too (no N+1)."""

from __future__ import annotations

from flask import Flask

from tests.functional.test_stories_queries import counted_queries
from tests.support import Factory, Visitor


def test_a_members_group_page_with_a_full_page_of_stories_needs_few_queries(
    app: Flask, make: Factory, visitor: Visitor
):
    member = make.user()
    group = make.group()
    make.membership(member, group)
    for _ in range(25):
        make.story(group, make.user())
    visitor.login(member)
    with counted_queries(app) as statements:
        response = visitor.get(f"/groepen/{group.slug}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count('class="story-card"') == 20
    assert "Je bent lid van deze groep." in page
    listing = "\n\n".join(statements)
    # The login and its member come in one query; a member has no request to join to look for.
    assert sum("FROM auth_sessions" in statement for statement in statements) == 1, listing
    assert not any(statement.lstrip().startswith("SELECT users.") for statement in statements)
    assert not any("join_requests" in statement for statement in statements), listing
    assert len(statements) <= 7, listing


def test_a_visitors_group_page_needs_few_queries(app: Flask, make: Factory, visitor: Visitor):
    group = make.group()
    for _ in range(25):
        make.story(group, make.user())
    with counted_queries(app) as statements:
        response = visitor.get(f"/groepen/{group.slug}")
    assert response.status_code == 200
    assert response.get_data(as_text=True).count('class="story-card"') == 20
    assert len(statements) <= 4, "\n\n".join(statements)
