"""Deleting an account: in both modes no pseudonym (and, when asked, no text) of the member
stays in the database, the search index or any page; the pseudonym is reserved for a while."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from flask import Flask

from app.accounts.models import SiteRole, User
from app.database import unit_of_work
from app.extensions import db
from app.groups.models import GroupRole, JoinRequest
from app.notifications import kinds
from app.notifications.services import notify
from app.search import current_engine, indexer, service
from app.stories.models import Reaction, Story
from tests.support import PASSWORD, Factory, Visitor

NAME = "Zilvermeeuw Zoë"  # an accent: JSON columns may hold it as "Zo\\u00eb"
STORY_TEXT = "Vannacht werd er bij ons ingebroken en ik slaap slecht."
REPLY_TEXT = "Ik herken je angst voor de donkere kamer."


def _everything_in_the_database(app: Flask) -> str:
    """Every text and JSON value of every table, as one string to search in."""
    parts: list[str] = []
    with app.app_context():
        inspector = sa.inspect(db.engine)
        for table in inspector.get_table_names():
            for row in db.session.execute(sa.text(f'SELECT * FROM "{table}"')):  # noqa: S608
                parts.extend(str(value) for value in row if isinstance(value, str | dict | list))
    return "\n".join(parts)


def _holds_name(everything: str) -> bool:
    return NAME in everything or json.dumps(NAME)[1:-1] in everything


def _scene(app: Flask, make: Factory):
    group = make.group(name="Na de inbraak")
    member = make.user(NAME, email="zilver@example.org")
    neighbour = make.user("Buurman")
    make.membership(member, group, GroupRole.MEMBER)
    make.membership(neighbour, group, GroupRole.MEMBER)
    story = make.story(group, author=member, title="Slapeloze nachten", body=STORY_TEXT)
    theirs = make.story(group, author=neighbour, title="Bij ons ook", body="Het was in mei.")
    make.reply(theirs, author=member, body=REPLY_TEXT)
    make.reply(story, author=neighbour, body="Sterkte, je staat er niet alleen voor.")
    with app.test_request_context(), unit_of_work() as session:
        session.add(Reaction(user_id=member.id, story_id=theirs.id, kind="heart"))
        session.add(JoinRequest(group_id=group.id, user_id=member.id, motivation="Graag erbij."))
        notify(neighbour.id, kinds.JOIN_REQUEST_NEW, {"requester": NAME, "group": group.name})
    # A moderator looked at the member (audited with their pseudonym) and wrote a note.
    moderator = Visitor(app.test_client())
    moderator.login(make.user("Moderator Mia", role=SiteRole.MODERATOR))
    assert moderator.get(f"/moderatie/leden/{member.id}").status_code == 200
    moderator.post(
        f"/moderatie/leden/{member.id}/notitie", {"body": f"{NAME} lijkt het zwaar te hebben."}
    )
    return group, member, neighbour, story, theirs


def _found_by_name(app: Flask, reader: User) -> list[object]:
    from app import permissions

    with app.test_request_context():
        permissions.forget_group_roles()
        return list(service.search(db.session.get(User, reader.id), {"q": NAME}).results)


@pytest.mark.parametrize("mode", ["verwijderen", "bewaren"])
def test_a_member_deletes_their_account(app: Flask, make: Factory, visitor: Visitor, mode):
    group, member, neighbour, story, theirs = _scene(app, make)
    engine = current_engine(app)
    with app.app_context():
        indexer.run_once(engine)
    assert _found_by_name(app, neighbour)  # a named story is found by its writer's pseudonym
    visitor.login(member)
    refused = visitor.post(
        "/account/verwijderen", {"mode": mode, "password": "niet mijn wachtwoord", "confirm": "y"}
    )
    assert refused.status_code == 422 and "Dit is niet je wachtwoord" in refused.get_data(
        as_text=True
    )
    done = visitor.post(
        "/account/verwijderen", {"mode": mode, "password": PASSWORD, "confirm": "y"}
    )
    assert done.status_code == 200 and "Je account is verwijderd" in done.get_data(as_text=True)
    assert NAME not in visitor.get("/").get_data(as_text=True)  # logged out

    everything = _everything_in_the_database(app)
    assert not _holds_name(everything) and "zilver@example.org" not in everything
    if mode == "verwijderen":
        assert STORY_TEXT not in everything and REPLY_TEXT not in everything
    with app.app_context():
        assert db.session.execute(sa.select(User).where(User.pseudonym == NAME)).first() is None
        assert db.session.execute(sa.select(Reaction)).first() is None
        indexer.run_once(engine)

    reader = Visitor(app.test_client())
    reader.login(neighbour)
    pages = [f"/verhalen/{story.id}", f"/verhalen/{theirs.id}", f"/groepen/{group.slug}", "/"]
    for path in pages:
        html = reader.get(path).get_data(as_text=True)
        assert NAME not in html
        if mode == "verwijderen":
            assert STORY_TEXT not in html and REPLY_TEXT not in html
    own_story = reader.get(f"/verhalen/{story.id}").get_data(as_text=True)
    if mode == "bewaren":
        assert STORY_TEXT in own_story and "Voormalig lid" in own_story
    # Others' replies under a deleted story stay readable.
    assert "je staat er niet alleen voor" in own_story
    assert not _found_by_name(app, neighbour)
    with app.test_request_context():
        from app import permissions

        permissions.forget_group_roles()
        found = service.search(db.session.get(User, neighbour.id), {"q": "slapeloze"})
        texts = " ".join(r.snippet + r.title for r in found.results)
        assert NAME not in texts
        if mode == "verwijderen":
            assert not found.results
        else:
            assert found.results


def test_a_deleted_pseudonym_cannot_be_taken_at_once(app: Flask, make: Factory, visitor: Visitor):
    member = make.user(NAME)
    visitor.login(member)
    visitor.post("/account/verwijderen", {"mode": "bewaren", "password": PASSWORD, "confirm": "y"})
    again = visitor.post(
        "/registreren", {"pseudonym": NAME.lower(), "password": "een heel ander wachtwoord 9"}
    )
    assert again.status_code == 422
    assert "al in gebruik" in again.get_data(as_text=True)


def test_nothing_is_deleted_without_the_confirmation(app: Flask, make: Factory, visitor: Visitor):
    member = make.user(NAME)
    visitor.login(member)
    answer = visitor.post("/account/verwijderen", {"mode": "verwijderen", "password": PASSWORD})
    assert answer.status_code == 422
    with app.app_context():
        assert db.session.get(User, member.id) is not None


def test_an_admin_deletes_an_account_for_a_request_by_mail(
    app: Flask, make: Factory, visitor: Visitor
):
    from app.audit.models import AuditEntry

    _group, member, _neighbour, story, _theirs = _scene(app, make)
    admin = make.user("Beheerder", role=SiteRole.ADMIN)
    moderator = make.user("Moderator", role=SiteRole.MODERATOR)
    visitor.login(moderator)
    assert visitor.get("/beheer/account-verwijderen").status_code == 404
    visitor.logout()
    visitor.login(admin)
    answer = visitor.post(
        "/beheer/account-verwijderen",
        {"pseudonym": NAME, "mode": "verwijderen", "source": "e-mail van 3 maart", "confirm": "y"},
    )
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.get(User, member.id) is None
        assert db.session.get(Story, story.id).body_source == ""
        entry = db.session.execute(
            sa.select(AuditEntry).where(AuditEntry.action == "account.deleted_on_request")
        ).scalar_one()
        assert entry.reason == "e-mail van 3 maart"
    assert not _holds_name(_everything_in_the_database(app))


def test_a_staff_member_can_delete_their_account_and_the_audit_log_stays_whole(
    app: Flask, make: Factory, visitor: Visitor
):
    from app.audit.models import AuditEntry

    member = make.user("Gewoon Lid")
    moderator = make.user("Moderator Max", role=SiteRole.MODERATOR)
    visitor.login(moderator)
    assert visitor.get(f"/moderatie/leden/{member.id}").status_code == 200
    done = visitor.post(
        "/account/verwijderen", {"mode": "bewaren", "password": PASSWORD, "confirm": "y"}
    )
    assert done.status_code == 200
    with app.app_context():
        [entry] = db.session.execute(
            sa.select(AuditEntry).where(AuditEntry.action == "moderation.member_viewed")
        ).scalars()
        # Who acted stays on record (the log cannot be changed); whom it was about is an id.
        assert entry.actor_name == "Moderator Max" and entry.target_id == member.id
        assert "Gewoon Lid" not in str(entry.details)
