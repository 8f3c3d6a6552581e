"""A member's page for moderators at /moderatie/leden/<id>: posts (anonymous ones marked),
earlier items, notes, linked accounts; every view and note in the audit log, and never an
e-mail address on the page."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from markupsafe import escape

from app import clock
from app.accounts.models import SiteRole
from app.audit.models import AuditEntry
from app.extensions import db
from app.groups.models import GroupRole
from moderation.models import ItemSignal, ItemStatus, ModerationItem, ModeratorNote
from tests.support import Factory, Visitor

SECRET_ADDRESS = "verborgen.adres@example.nl"


@pytest.fixture
def member(app: Flask, make: Factory) -> dict:
    group = make.group(name="Samen sterk")
    writer = make.user("Schrijver Sam", email=SECRET_ADDRESS)
    make.membership(writer, group)
    open_story = make.story(group, writer, title="Wat mij overkwam")
    hidden_story = make.story(group, writer, title="Wat niemand mag weten", anonymous=True)
    make.reply(open_story, writer, body="Dank voor het lezen.")
    make.reply(hidden_story, writer, body="Anoniem bedankje.", anonymous=True)
    now = clock.utcnow()
    with app.app_context():
        db.session.add(
            ModerationItem(
                target_type="story",
                target_id=open_story.id,
                group_id=group.id,
                subject_user_id=writer.id,
                priority=2,
                status=ItemStatus.DECIDED.value,
                created_at=now - timedelta(days=3),
                due_at=now - timedelta(days=2),
                decided_at=now - timedelta(days=2),
                decided_by_name="Moderator Mo",
                decision="remove",
                reason="Noemde een straatnaam",
                signals=[ItemSignal(kind="report", created_at=now - timedelta(days=3))],
            )
        )
        db.session.commit()
    return {"group": group, "writer": writer}


@pytest.fixture
def moderator(make: Factory):
    return make.user("Moderator Mo", role=SiteRole.MODERATOR)


def _path(user) -> str:
    return f"/moderatie/leden/{user.id}"


def _audit(app: Flask, action: str) -> list[AuditEntry]:
    with app.app_context():
        return list(
            db.session.execute(
                sa.select(AuditEntry).filter_by(action=action).order_by(AuditEntry.id)
            ).scalars()
        )


def test_the_page_shows_the_members_posts_with_anonymous_ones_marked(member, moderator, visitor):
    visitor.login(moderator)
    page = visitor.get(_path(member["writer"]))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<meta name="robots" content="noindex">' in html
    assert "Schrijver Sam" in html and "Actief" in html
    assert "Wat mij overkwam" in html and "Wat niemand mag weten" in html
    assert "Dank voor het lezen." in html and "Anoniem bedankje." in html
    assert html.count("anoniem geplaatst") == 2
    assert "Noemde een straatnaam" in html and "weggehaald door Moderator Mo" in html


def test_every_view_is_written_to_the_audit_log(app, member, moderator, visitor):
    visitor.login(moderator)
    visitor.get(_path(member["writer"]))
    visitor.get(_path(member["writer"]))
    entries = _audit(app, "moderation.member_viewed")
    assert len(entries) == 2
    assert entries[0].actor_id == moderator.id and entries[0].actor_name == "Moderator Mo"
    assert (entries[0].target_type, entries[0].target_id) == ("user", member["writer"].id)


def test_a_note_is_saved_shown_and_audited(app, member, moderator, visitor):
    visitor.login(moderator)
    response = visitor.post(
        f"{_path(member['writer'])}/notitie", {"body": "Let op <b>toon</b> in reacties."}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{_path(member['writer'])}#notities")
    html = visitor.get(_path(member["writer"])).get_data(as_text=True)
    assert str(escape("Let op <b>toon</b> in reacties.")) in html
    with app.app_context():
        [note] = db.session.execute(sa.select(ModeratorNote)).scalars()
        assert note.about_user_id == member["writer"].id and note.item_id is None
        assert note.author_name == "Moderator Mo"
    [entry] = _audit(app, "moderation.member_note_added")
    assert entry.target_id == member["writer"].id and entry.details["note"] == note.id


def test_an_empty_note_is_refused_kindly(app, member, moderator, visitor):
    visitor.login(moderator)
    response = visitor.post(
        f"{_path(member['writer'])}/notitie", {"body": "  \x00 "}, follow_redirects=True
    )
    assert "Je notitie is nog leeg." in response.get_data(as_text=True)
    assert _audit(app, "moderation.member_note_added") == []


def test_accounts_with_the_same_address_are_linked_without_the_address(
    member, moderator, make: Factory, visitor
):
    make.user("Tweede Sam", email=SECRET_ADDRESS.upper())
    make.user("Iemand anders", email="ander@example.nl")
    make.user("Zonder adres")
    visitor.login(moderator)
    html = visitor.get(_path(member["writer"])).get_data(as_text=True)
    assert "Tweede Sam" in html
    assert "Iemand anders" not in html and "Zonder adres" not in html
    assert SECRET_ADDRESS not in html.lower()
    assert "example.nl" not in html


def test_a_member_without_shared_address_has_no_linked_accounts(make, moderator, visitor):
    loner = make.user("Alleen")
    make.user("Ook zonder adres")
    visitor.login(moderator)
    html = visitor.get(_path(loner)).get_data(as_text=True)
    assert "Ook zonder adres" not in html
    assert "meer accounts" not in html


def test_an_unknown_member_is_not_found(moderator, visitor):
    visitor.login(moderator)
    assert visitor.get("/moderatie/leden/999999").status_code == 404
    assert visitor.post("/moderatie/leden/999999/notitie", {"body": "x"}).status_code == 404


def test_the_item_page_links_to_the_member(app, member, moderator, visitor):
    with app.app_context():
        item_id = db.session.execute(sa.select(ModerationItem.id)).scalar_one()
    visitor.login(moderator)
    html = visitor.get(f"/moderatie/items/{item_id}").get_data(as_text=True)
    assert f'href="{_path(member["writer"])}"' in html and "Alles over dit lid" in html


def test_an_admin_may_see_the_page(member, make: Factory, visitor):
    visitor.login(make.user(role=SiteRole.ADMIN))
    assert visitor.get(_path(member["writer"])).status_code == 200


@pytest.mark.parametrize("role", [SiteRole.MEMBER, SiteRole.CONTENT_MANAGER, SiteRole.RESEARCHER])
def test_only_moderators_see_a_member(app, role, member, make: Factory, visitor):
    visitor.login(make.user(role=role))
    assert visitor.get(_path(member["writer"])).status_code == 403
    assert visitor.post(f"{_path(member['writer'])}/notitie", {"body": "x"}).status_code == 403
    assert _audit(app, "moderation.member_viewed") == []
    with app.app_context():
        assert db.session.execute(sa.select(ModeratorNote)).first() is None


def test_an_ambassador_does_not_see_a_member(member, make: Factory, visitor):
    ambassador = make.user()
    make.membership(ambassador, member["group"], GroupRole.AMBASSADOR)
    visitor.login(ambassador)
    assert visitor.get(_path(member["writer"])).status_code == 403


def test_a_visitor_is_sent_to_the_login_page(member, visitor: Visitor):
    response = visitor.get(_path(member["writer"]))
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_accounts_logging_in_from_one_browser_are_linked(app: Flask, make: Factory):
    first, second, elsewhere = make.user("Eerste"), make.user("Tweede"), make.user("Elders")
    moderator_user = make.user("Mod", role=SiteRole.MODERATOR)
    browser = Visitor(app.test_client())
    browser.login(first)
    cookie = browser.client.get_cookie("apparaat")
    assert cookie is not None and cookie.http_only
    browser.logout()
    browser.login(second)  # the same browser, so the same device cookie
    other_browser = Visitor(app.test_client())
    other_browser.login(elsewhere)
    moderator = Visitor(app.test_client())
    moderator.login(moderator_user)
    page = moderator.get(f"/moderatie/leden/{first.id}").get_data(as_text=True)
    assert "dezelfde browser" in page and "Tweede" in page and "Elders" not in page
    with app.app_context():
        from app.accounts.models import DeviceMark

        hashes = db.session.execute(sa.select(DeviceMark.token_hash)).scalars().all()
        assert cookie.value not in hashes  # only a keyed hash is stored
