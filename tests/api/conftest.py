"""Fixtures for the JSON API: a client that speaks JSON as a member (by cookie or by token),
and a small world of groups and people to try every permission on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app import clock
from app.accounts import tokens
from app.accounts.models import SiteRole, User
from app.extensions import db
from app.groups.models import Group, GroupRole, Visibility
from app.guarantee import ladder
from moderation.models import ModerationItem
from tests.support import PASSWORD, Factory

ROLES = ("visitor", "member", "other", "ambassador", "moderator")
# With the groups' manager, for what managers may do (the ``manager`` fixture adds them).
WITH_MANAGER = (*ROLES, "manager")
VISIBILITIES = ("public", "closed", "hidden")


class Api:
    """A program using the API: logs in by session (and then sends the CSRF token) or by
    a personal access token."""

    def __init__(self, app: Flask, client: FlaskClient) -> None:
        self.app = app
        self.client = client
        self.headers: dict[str, str] = {}

    def login(self, user: User, password: str = PASSWORD) -> TestResponse:
        response = self.post("/session", {"pseudonym": user.pseudonym, "password": password})
        assert response.status_code == 201, response.json
        self.headers["X-CSRF-Token"] = response.json["csrf_token"]
        return response

    def use_token(self, user: User, scope: str = "write") -> str:
        with self.app.test_request_context():
            secret = tokens.make(user, "test", scope).secret
        self.headers = {"Authorization": f"Bearer {secret}"}
        return secret

    def as_role(self, role: str, people: dict[str, User]) -> Api:
        if role != "visitor":
            self.login(people[role])
        return self

    def _call(self, method: str, path: str, body: Any = None, **kwargs: Any) -> TestResponse:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        if body is not None:
            kwargs["json"] = body
        return self.client.open("/api/v1" + path, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self._call("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> TestResponse:
        return self._call("POST", path, body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> TestResponse:
        return self._call("PUT", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> TestResponse:
        return self._call("PATCH", path, body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        return self._call("DELETE", path, **kwargs)


@pytest.fixture
def api(app: Flask, client: FlaskClient) -> Api:
    return Api(app, client)


@pytest.fixture
def new_api(app: Flask) -> Any:
    """Another program, with a cookie jar of its own."""
    return lambda: Api(app, app.test_client())


@dataclass
class World:
    groups: dict[str, Group]
    people: dict[str, User]
    stories: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def world(make: Factory) -> World:
    """A public, a closed and a hidden group, each with one story; a member and an
    ambassador of all three, a member of another group only, and a moderator."""
    groups = {v: make.group(Visibility(v)) for v in VISIBILITIES}
    elsewhere = make.group()
    member, ambassador, other = make.user(), make.user(), make.user()
    moderator = make.user(role=SiteRole.MODERATOR)
    for group in groups.values():
        make.membership(member, group)
        make.membership(ambassador, group, GroupRole.AMBASSADOR)
    make.membership(other, elsewhere)
    world = World(
        groups=groups,
        people={"member": member, "other": other, "ambassador": ambassador, "moderator": moderator},
    )
    writer = make.user()
    for visibility, group in groups.items():
        make.membership(writer, group)
        world.stories[visibility] = make.story(group, writer, title=f"Verhaal {visibility}")
    world.people["writer"] = writer
    return world


@pytest.fixture
def manager(make: Factory, world: World) -> User:
    """The only manager of each of the world's groups, added to its people."""
    person = make.user()
    for group in world.groups.values():
        make.membership(person, group, GroupRole.MANAGER)
    world.people["manager"] = person
    return person


@pytest.fixture
def waiting_requests(make: Factory, world: World) -> dict[str, Any]:
    """A pending request to join each of the world's groups, by someone outside them all."""
    requester = make.user()
    world.people["requester"] = requester
    return {
        visibility: make.join_request(requester, group, "Ik wil graag meepraten.")
        for visibility, group in world.groups.items()
    }


@pytest.fixture
def replies(make: Factory, world: World) -> dict[str, Any]:
    """A reply by the world's writer under each group's story."""
    return {
        visibility: make.reply(world.stories[visibility], world.people["writer"])
        for visibility in VISIBILITIES
    }


@pytest.fixture
def clocks(app: Flask, world: World) -> World:
    """The response clocks running on the world's stories, as the worker starts them."""
    with app.test_request_context():
        while ladder.start_missing_clocks(clock.utcnow()):
            pass
    return world


@pytest.fixture
def reported(app: Flask, new_api: Any, world: World) -> dict[str, Any]:
    """Each group's story reported by the member, so each has an open moderation item;
    returns the items by visibility (ids and versions, detached)."""
    reporter = new_api()
    reporter.login(world.people["member"])
    for visibility in VISIBILITIES:
        body = {"target_type": "story", "target_id": world.stories[visibility].id, "reason": "spam"}
        assert reporter.post("/reports", body).status_code == 201
    with app.app_context():
        items = {
            item.target_id: item for item in db.session.execute(sa.select(ModerationItem)).scalars()
        }
        return {
            visibility: {"id": items[story.id].id, "version": items[story.id].version}
            for visibility, story in world.stories.items()
        }
