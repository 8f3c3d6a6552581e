"""Joining a study: invitation links that expire and run out, informed consent before any
content, a changed consent text asked again, and withdrawing."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.groups.models import Membership
from app.research.models import ConsentRecord, Invitation, Participation
from app.stories.models import PostStatus, Reply
from tests.research.conftest import CONSENT, StudyKit
from tests.support import Visitor


def _participation(kit: StudyKit, user_id: int) -> Participation | None:
    with kit.app.app_context():
        return db.session.execute(
            sa.select(Participation).where(Participation.user_id == user_id)
        ).scalar_one_or_none()


def _is_member(kit: StudyKit, user_id: int) -> bool:
    with kit.app.app_context():
        return (
            db.session.execute(
                sa.select(Membership).filter_by(group_id=kit.group_id, user_id=user_id)
            ).first()
            is not None
        )


def test_an_invited_member_reads_the_consent_text_and_joins_with_a_study_code(kit, make, client):
    token = kit.invite()
    member = make.user(pseudonym="Zonnedauw")
    visitor = Visitor(client)
    visitor.login(member)
    page = visitor.get(f"/onderzoek/uitnodiging/{token}")
    assert page.status_code == 200
    assert CONSENT in page.get_data(as_text=True)
    response = visitor.post(f"/onderzoek/uitnodiging/{token}", {"version": "1", "agree": "y"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/onderzoek/{kit.slug}")
    participation = _participation(kit, member.id)
    assert participation is not None and participation.code == "P01"
    assert participation.consent_version == 1 and participation.consented_at is not None
    assert _is_member(kit, member.id)


def test_joining_without_ticking_consent_is_refused_kindly_and_nobody_joins(kit, make, client):
    token = kit.invite()
    member = make.user()
    visitor = Visitor(client)
    visitor.login(member)
    response = visitor.post(f"/onderzoek/uitnodiging/{token}", {"version": "1"})
    assert response.status_code == 422
    assert "Vink dit aan" in response.get_data(as_text=True)
    assert _participation(kit, member.id) is None
    assert not _is_member(kit, member.id)


def test_a_visitor_sees_the_invitation_but_must_log_in_to_join(kit, client):
    token = kit.invite()
    page = client.get(f"/onderzoek/uitnodiging/{token}")
    assert page.status_code == 200
    assert "/inloggen?next=" in page.get_data(as_text=True)


def test_an_expired_invitation_no_longer_works(kit, make, client):
    start = clock.utcnow()
    with clock.frozen(start) as moving:
        token = kit.invite(days=1)
        moving.advance(days=1, seconds=1)
        member = make.user()
        visitor = Visitor(client)
        visitor.login(member)
        assert visitor.get(f"/onderzoek/uitnodiging/{token}").status_code == 410
        response = visitor.post(f"/onderzoek/uitnodiging/{token}", {"version": "1", "agree": "y"})
        assert response.status_code == 410
        assert "werkt niet meer" in response.get_data(as_text=True)
    assert _participation(kit, member.id) is None


def test_an_invitation_works_for_at_most_its_number_of_people(kit, make, client):
    token = kit.invite(max_uses=2)
    assert kit.join(make.user(), token) == "P01"
    assert kit.join(make.user(), token) == "P02"
    third = make.user()
    visitor = Visitor(client)
    visitor.login(third)
    response = visitor.post(f"/onderzoek/uitnodiging/{token}", {"version": "1", "agree": "y"})
    assert response.status_code == 410
    assert _participation(kit, third.id) is None
    with kit.app.app_context():
        assert db.session.execute(sa.select(Invitation.uses)).scalar_one() == 2


def test_following_the_link_again_keeps_ones_place_and_uses_nothing(kit, make):
    token = kit.invite(max_uses=1)
    member = make.user()
    assert kit.join(member, token) == "P01"
    assert kit.join(member, token) == "P01"


def test_a_revoked_or_unknown_invitation_does_not_work(kit, make, client):
    token = kit.invite()
    researcher = Visitor(client)
    researcher.login(kit.researcher)
    with kit.app.app_context():
        invitation_id = db.session.execute(sa.select(Invitation.id)).scalar_one()
    revoked = researcher.post(f"/onderzoek/{kit.slug}/uitnodigingen/{invitation_id}/intrekken")
    assert revoked.status_code == 302
    assert client.get(f"/onderzoek/uitnodiging/{token}").status_code == 410
    assert client.get("/onderzoek/uitnodiging/" + "x" * 43).status_code == 404
    assert client.get("/onderzoek/uitnodiging/%3Cscript%3E").status_code == 404


def test_only_a_hash_of_the_invitation_token_is_stored(kit):
    token = kit.invite()
    with kit.app.app_context():
        stored = db.session.execute(sa.select(Invitation.token_hash)).scalar_one()
    assert token not in stored and len(stored) == 64


def test_a_member_of_the_group_without_consent_sees_no_content(kit, make, client):
    """Someone put in the group another way (not through the consent step) reads nothing."""
    prompt = kit.opened(kit.plan(1))
    outsider_inside = make.user()
    with kit.app.app_context():
        group = kit.group()
        make.membership(outsider_inside, group)
    visitor = Visitor(client)
    visitor.login(outsider_inside)
    assert visitor.get(f"/verhalen/{prompt.story_id}").status_code == 404
    assert "Wat hielp jou op dag 1" not in visitor.get(f"/groepen/{kit.slug}").get_data(
        as_text=True
    )
    assert visitor.get(f"/onderzoek/{kit.slug}/dag/1").status_code == 404


def test_a_new_consent_text_hides_the_group_until_it_is_accepted(kit, make, client):
    prompt = kit.opened(kit.plan(1))
    member = kit.participant()
    visitor = Visitor(client)
    visitor.login(member)
    assert visitor.get(f"/verhalen/{prompt.story_id}").status_code == 200

    researcher = Visitor(kit.app.test_client())
    researcher.login(kit.researcher)
    changed = researcher.post(
        f"/onderzoek/{kit.slug}/toestemmingstekst", {"text": CONSENT + " We bewaren alles 5 jaar."}
    )
    assert changed.status_code == 302

    assert visitor.get(f"/verhalen/{prompt.story_id}").status_code == 404
    hub = visitor.get(f"/onderzoek/{kit.slug}")
    assert hub.status_code == 302 and hub.headers["Location"].endswith("/toestemming")
    page = visitor.get(f"/onderzoek/{kit.slug}/toestemming")
    assert "We bewaren alles 5 jaar." in page.get_data(as_text=True)
    # Accepting the text one read before it changed does not count.
    stale = visitor.post(f"/onderzoek/{kit.slug}/toestemming", {"version": "1", "agree": "y"})
    assert stale.status_code == 409
    accepted = visitor.post(f"/onderzoek/{kit.slug}/toestemming", {"version": "2", "agree": "y"})
    assert accepted.status_code == 302
    assert visitor.get(f"/verhalen/{prompt.story_id}").status_code == 200

    with kit.app.app_context():
        records = db.session.execute(
            sa.select(ConsentRecord.action, ConsentRecord.version).order_by(ConsentRecord.id)
        ).all()
    assert [tuple(row) for row in records] == [("accepted", 1), ("accepted", 2)]


def test_a_garbled_consent_version_is_a_friendly_answer_not_an_error(kit, make, client):
    token = kit.invite()
    visitor = Visitor(client)
    visitor.login(make.user())
    for version in ("9" * 40, "-1", "één", ""):
        response = visitor.post(
            f"/onderzoek/uitnodiging/{token}", {"version": version, "agree": "y"}
        )
        assert response.status_code == 409, version


def test_withdrawing_ends_membership_and_hides_what_one_wrote(kit, make, client):
    prompt = kit.opened(kit.plan(1))
    leaving, staying = kit.participant(), kit.participant()
    with kit.app.app_context():
        story = type("S", (), {"id": prompt.story_id})
        make.reply(story, leaving, body="Mijn fiets gaf me rust.")
        make.reply(story, staying, body="Wandelen hielp mij.")
    visitor = Visitor(client)
    visitor.login(leaving)
    assert visitor.get(f"/onderzoek/{kit.slug}/terugtrekken").status_code == 200
    assert visitor.post(f"/onderzoek/{kit.slug}/terugtrekken").status_code == 302

    assert not _is_member(kit, leaving.id)
    participation = _participation(kit, leaving.id)
    assert participation is not None and participation.withdrawn_at is not None
    assert visitor.get(f"/onderzoek/{kit.slug}").status_code == 404
    assert visitor.get(f"/verhalen/{prompt.story_id}").status_code == 404

    other = Visitor(kit.app.test_client())
    other.login(staying)
    thread = other.get(f"/verhalen/{prompt.story_id}").get_data(as_text=True)
    assert "Wandelen hielp mij." in thread
    assert "Mijn fiets gaf me rust." not in thread
    with kit.app.app_context():
        statuses = db.session.execute(
            sa.select(Reply.status).where(Reply.author_id == leaving.id)
        ).scalars()
        assert set(statuses) == {PostStatus.WITHDRAWN.value}
        records = db.session.execute(sa.select(ConsentRecord.action)).scalars().all()
        assert "withdrawn" in records
    # Following an invitation again does not bring anyone back in silently.
    again = visitor.post(f"/onderzoek/uitnodiging/{kit.invite()}", {"version": "1", "agree": "y"})
    assert again.status_code == 409
    assert not _is_member(kit, leaving.id)


def test_the_expiry_is_counted_from_when_the_link_was_made(kit):
    start = clock.utcnow()
    with clock.frozen(start):
        kit.invite(days=3)
    with kit.app.app_context():
        expires = db.session.execute(sa.select(Invitation.expires_at)).scalar_one()
    assert clock.as_utc(expires) - start == timedelta(days=3)
