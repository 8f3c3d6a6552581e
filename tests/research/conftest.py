"""A study to test with: a researcher, their hidden research group with its first consent
text, and helpers that invite participants and plan prompts through the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from flask import Flask

from app import clock
from app.accounts.models import SiteRole, User
from app.extensions import db
from app.groups.models import Group
from app.research import programme, services
from app.research.models import Prompt
from tests.support import Factory

CONSENT = "Je doet vrijwillig mee. We gebruiken je antwoorden zonder je schuilnaam."


@dataclass
class StudyKit:
    """One study and ways to fill it, each in its own request context like a page would."""

    app: Flask
    make: Factory
    researcher: User
    slug: str
    group_id: int
    participants: list[User] = field(default_factory=list)

    def group(self) -> Group:
        group = db.session.get(Group, self.group_id)
        assert group is not None
        return group

    def invite(self, days: int = 14, max_uses: int = 15) -> str:
        """A fresh invitation token."""
        with self.app.test_request_context():
            actor = db.session.get(User, self.researcher.id)
            _invitation, token = services.create_invitation(
                self.group(), days, max_uses, "test", actor=actor
            )
            return token

    def join(self, user: User, token: str | None = None) -> str:
        """Let ``user`` accept an invitation (with the current consent); their study code."""
        token = token or self.invite()
        with self.app.test_request_context():
            version = services.study_of(self.group()).consent_version
            actor = db.session.get(User, user.id)
            participation = services.accept_invitation(token, version, actor=actor)
            self.participants.append(user)
            return participation.code

    def participant(self, pseudonym: str | None = None) -> User:
        """A new member who joined the study."""
        user = self.make.user(pseudonym=pseudonym)
        self.join(user)
        return user

    def plan(
        self, day: int, opens_at: datetime | None = None, video_url: str = "", title: str = ""
    ) -> int:
        """Plan a prompt for ``day``; returns its id."""
        with self.app.test_request_context():
            actor = db.session.get(User, self.researcher.id)
            prompt = programme.plan(
                self.group(),
                day,
                title or f"Vraag van dag {day}",
                f"Wat hielp jou op dag {day}?",
                video_url,
                opens_at or clock.utcnow() - timedelta(minutes=1),
                actor=actor,
            )
            return prompt.id

    def opened(self, prompt_id: int) -> Prompt:
        """The prompt with its threads opened (as the worker would)."""
        with self.app.test_request_context():
            prompt = db.session.get(Prompt, prompt_id)
            assert prompt is not None
            programme.ensure_open(prompt)
            db.session.refresh(prompt)
            db.session.expunge(prompt)
            return prompt


@pytest.fixture
def kit(app: Flask, make: Factory) -> StudyKit:
    researcher = make.user(pseudonym="Onderzoeker-Anna", role=SiteRole.RESEARCHER)
    with app.test_request_context():
        actor = db.session.get(User, researcher.id)
        group = services.start_study(
            "Tien dagen meedenken", "Elke dag een vraag.", CONSENT, actor=actor
        )
        slug, group_id = group.slug, group.id
    return StudyKit(app, make, researcher, slug, group_id)
