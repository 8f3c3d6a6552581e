"""Onboarding in three screens: register, choose groups, accept the house rules."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from app.accounts.models import SiteRole, User
from app.extensions import db
from app.groups.models import GroupRole, JoinRequest, JoinRequestStatus, Membership, Visibility
from tests.support import PASSWORD, Factory, Visitor


def _user(app: Flask, pseudonym: str) -> User:
    with app.app_context():
        return db.session.execute(sa.select(User).filter_by(pseudonym=pseudonym)).scalar_one()


def _group_ids(app: Flask, model: type, user: User) -> set[int]:
    with app.app_context():
        return set(
            db.session.execute(sa.select(model.group_id).filter_by(user_id=user.id)).scalars()
        )


def test_a_newcomer_goes_from_registering_to_the_stories_in_three_screens(
    app, make: Factory, visitor: Visitor
):
    public = make.group(name="Na een inbraak", theme="geweld")
    closed = make.group(Visibility.CLOSED, name="Na misbruik", theme="seksueel-misbruik")
    untouched = make.group(name="Niet gekozen", theme="fraude")
    manager = make.user()
    make.membership(manager, closed, GroupRole.MANAGER)

    # Screen 1: registering.
    response = visitor.post("/registreren", {"pseudonym": "Nieuwe Ster", "password": PASSWORD})
    assert response.headers["Location"].endswith("/welkom/groepen")

    # Screen 2: choosing groups.
    page = visitor.get("/welkom/groepen").get_data(as_text=True)
    assert "Stap 2 van 3" in page
    assert "Na een inbraak" in page
    assert "Na misbruik" in page
    assert "alleen leden lezen mee" in page
    response = visitor.post(
        "/welkom/groepen",
        {
            f"group_{public.id}": "y",
            f"group_{closed.id}": "y",
            f"motivation_{closed.id}": "Ik herken veel in deze groep.",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/welkom/huisregels")
    user = _user(app, "Nieuwe Ster")
    assert _group_ids(app, Membership, user) == {public.id}
    with app.app_context():
        [asked] = db.session.execute(sa.select(JoinRequest).filter_by(user_id=user.id)).scalars()
    assert asked.group_id == closed.id
    assert asked.status == JoinRequestStatus.PENDING.value
    assert asked.motivation == "Ik herken veel in deze groep."
    assert untouched.id not in _group_ids(app, Membership, user)

    # Screen 3: the house rules.
    page = visitor.get("/welkom/huisregels").get_data(as_text=True)
    assert "Stap 3 van 3" in page
    assert "Houd het onherkenbaar" in page
    assert user.house_rules_accepted_at is None
    response = visitor.post("/welkom/huisregels")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/")
    assert _user(app, "Nieuwe Ster").house_rules_accepted_at is not None
    assert visitor.get("/").status_code == 200


def test_the_group_choice_may_be_left_empty(app, make: Factory, visitor: Visitor):
    make.group()
    user = make.user(accepted_house_rules=False)
    visitor.login(user)
    response = visitor.post("/welkom/groepen", {})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/welkom/huisregels")
    assert _group_ids(app, Membership, user) == set()


def test_the_group_choice_shows_groups_already_joined_or_asked(make: Factory, visitor: Visitor):
    user = make.user(accepted_house_rules=False)
    joined = make.group(name="Al binnen")
    make.membership(user, joined)
    asked = make.group(Visibility.CLOSED, name="Al gevraagd")
    visitor.login(user)
    visitor.post(f"/groepen/{asked.slug}/aanvraag", {"motivation": ""})

    page = visitor.get("/welkom/groepen").get_data(as_text=True)

    assert f'name="group_{joined.id}"' not in page
    assert f'name="group_{asked.id}"' not in page
    assert "Je bent al lid." in page
    assert "Je aanvraag is in behandeling." in page


def test_hidden_groups_are_not_offered_during_onboarding(make: Factory, visitor: Visitor):
    hidden = make.group(Visibility.HIDDEN, name="Verborgen panel")
    visitor.login(make.user(role=SiteRole.ADMIN, accepted_house_rules=False))
    page = visitor.get("/welkom/groepen").get_data(as_text=True)
    assert f'name="group_{hidden.id}"' not in page


def test_a_too_long_motivation_keeps_the_choices_on_screen(app, make: Factory, visitor: Visitor):
    public = make.group()
    closed = make.group(Visibility.CLOSED)
    user = make.user(accepted_house_rules=False)
    visitor.login(user)

    response = visitor.post(
        "/welkom/groepen",
        {
            f"group_{public.id}": "y",
            f"group_{closed.id}": "y",
            f"motivation_{closed.id}": "heel lang " * 60,
        },
    )

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "hoogstens 500 tekens" in page
    assert "heel lang heel lang" in page
    assert _group_ids(app, Membership, user) == set()


def test_onboarding_screens_ask_to_log_in(client):
    for path in ("/welkom/groepen", "/welkom/huisregels"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/inloggen" in response.headers["Location"]


def test_accepting_the_house_rules_needs_a_csrf_token(app, make: Factory, visitor: Visitor):
    user = make.user(accepted_house_rules=False)
    visitor.login(user)
    assert visitor.client.post("/welkom/huisregels").status_code == 400
    assert _user(app, user.pseudonym).house_rules_accepted_at is None


def test_logging_in_without_accepted_house_rules_returns_to_onboarding(
    make: Factory, visitor: Visitor
):
    response = visitor.login(make.user(accepted_house_rules=False))
    assert response.headers["Location"].endswith("/welkom/groepen")
