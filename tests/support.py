"""Test helpers: factories for data, and a visitor that fills in forms like a person would."""

from __future__ import annotations

import itertools
import re
from datetime import datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app import clock
from app.accounts import passwords, pseudonyms
from app.accounts.models import SiteRole, User
from app.extensions import db
from app.groups.models import (
    Group,
    GroupKind,
    GroupRole,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Visibility,
)
from app.stories.models import PostStatus, Reply, Story

PASSWORD = "fiets wolk pannenkoek"
_counter = itertools.count(1)
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class Factory:
    """Makes rows directly in the test database; each method commits its own row and returns
    it detached, with its columns loaded."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def user(
        self,
        pseudonym: str | None = None,
        role: SiteRole = SiteRole.MEMBER,
        password: str = PASSWORD,
        email: str | None = None,
        accepted_house_rules: bool = True,
    ) -> User:
        name = pseudonym or f"lid-{next(_counter)}"
        with self.app.app_context():
            password_hash = passwords.hash_password(password)
        user = User(
            pseudonym=name,
            pseudonym_key=pseudonyms.key_for(name),
            email=email,
            email_key=email.lower() if email else None,
            password_hash=password_hash,
            role=role.value,
            house_rules_accepted_at=clock.utcnow() if accepted_house_rules else None,
        )
        return self._save(user)

    def group(
        self,
        visibility: Visibility = Visibility.PUBLIC,
        kind: GroupKind = GroupKind.PEER,
        slug: str | None = None,
        name: str | None = None,
        theme: str = "geweld",
    ) -> Group:
        number = next(_counter)
        group = Group(
            slug=slug or f"groep-{number}",
            name=name or f"Groep {number}",
            description="Een groep om ervaringen te delen.",
            house_rules="Wees vriendelijk.",
            kind=kind.value,
            theme=theme,
            visibility=visibility.value,
        )
        return self._save(group)

    def membership(
        self, user: User, group: Group, role: GroupRole = GroupRole.MEMBER
    ) -> Membership:
        return self._save(Membership(user_id=user.id, group_id=group.id, role=role.value))

    def story(
        self,
        group: Group,
        author: User | None = None,
        title: str = "Mijn verhaal",
        body: str = "Het gebeurde op een gewone dinsdag.",
        anonymous: bool = False,
        status: PostStatus = PostStatus.PUBLISHED,
        published_at: datetime | None = None,
    ) -> Story:
        author = author or self.user()
        now = published_at or clock.utcnow()
        return self._save(
            Story(
                group_id=group.id,
                author_id=author.id,
                anonymous=anonymous,
                title=title,
                body_source=body,
                body_html=f"<p>{body}</p>",
                status=status.value,
                created_at=now,
                published_at=now if status is PostStatus.PUBLISHED else None,
            )
        )

    def reply(
        self,
        story: Story,
        author: User | None = None,
        body: str = "Sterkte.",
        anonymous: bool = False,
    ) -> Reply:
        author = author or self.user()
        return self._save(
            Reply(
                story_id=story.id,
                author_id=author.id,
                anonymous=anonymous,
                body_source=body,
                body_html=f"<p>{body}</p>",
            )
        )

    def join_request(self, user: User, group: Group, motivation: str = "") -> JoinRequest:
        """A pending request to join, made directly (any group, whatever its visibility)."""
        return self._save(
            JoinRequest(
                group_id=group.id,
                user_id=user.id,
                motivation=motivation,
                status=JoinRequestStatus.PENDING.value,
                created_at=clock.utcnow(),
            )
        )

    def _save(self, row: Any) -> Any:
        with self.app.app_context():
            db.session.add(row)
            db.session.commit()
            db.session.refresh(row)
        return row


class Visitor:
    """Drives the test client like a person: reads the CSRF token from the page it is on."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def csrf_token(self, path: str = "/") -> str:
        page = self.client.get(path)
        match = _CSRF_META.search(page.get_data(as_text=True))
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> TestResponse:
        """Submit a form as the browser would, with a valid CSRF token."""
        form = {"csrf_token": self.csrf_token(), **(data or {})}
        return self.client.post(path, data=form, **kwargs)

    def login(self, user: User, password: str = PASSWORD, remember: bool = False) -> TestResponse:
        data = {"pseudonym": user.pseudonym, "password": password}
        if remember:
            data["remember"] = "y"
        response = self.post("/inloggen", data)
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    def logout(self) -> TestResponse:
        return self.post("/uitloggen")
