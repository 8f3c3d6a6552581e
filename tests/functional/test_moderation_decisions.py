"""Decisions beyond approve and remove: redact, move, close, the writer's account; the
statement of reasons, appeals by another moderator, claims, and escalation of overdue items."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app import clock
from app.accounts.models import AccountStatus, AuthSession, SiteRole, User
from app.extensions import db
from app.notifications import kinds
from app.notifications.models import Notification
from app.stories.models import PostStatus, Revision, Story
from moderation import escalation
from moderation.models import ItemStatus, ModerationItem, ReasonTemplate
from tests.support import Factory, Visitor

START = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def case(app: Flask, make: Factory) -> dict:
    """A reported story, two moderators and an admin."""
    group = make.group(slug="samen", name="Samen")
    other_group = make.group(slug="elders", name="Elders")
    writer, reporter = make.user("Schrijver"), make.user("Melder")
    for person in (writer, reporter):
        make.membership(person, group)
    story = make.story(group, writer, title="Het verhaal", body="Een tekst met een naam erin.")
    first = make.user("Mod Een", role=SiteRole.MODERATOR)
    second = make.user("Mod Twee", role=SiteRole.MODERATOR)
    admin = make.user("Beheer", role=SiteRole.ADMIN)
    member = Visitor(app.test_client())
    member.login(reporter)
    member.post(f"/melden/verhaal/{story.id}", {"reason": "identifying", "note": "Een naam."})
    with app.app_context():
        item = db.session.execute(sa.select(ModerationItem)).scalar_one()
        item_id, version = item.id, item.version
    return {
        "group": group,
        "other_group": other_group,
        "writer": writer,
        "reporter": reporter,
        "story": story,
        "first": first,
        "second": second,
        "admin": admin,
        "item_id": item_id,
        "version": version,
    }


def _moderator(app: Flask, user: User) -> Visitor:
    visitor = Visitor(app.test_client())
    visitor.login(user)
    return visitor


def _decide(visitor: Visitor, case: dict, **form: str):
    data = {"version": str(case["version"]), **form}
    return visitor.post(f"/moderatie/items/{case['item_id']}/besluit", data, follow_redirects=True)


def _kinds(app: Flask, user: User) -> list[str]:
    with app.app_context():
        return list(
            db.session.execute(
                sa.select(Notification.kind).filter_by(user_id=user.id).order_by(Notification.id)
            ).scalars()
        )


def _story(app: Flask, story: Story) -> Story:
    with app.app_context():
        return db.session.get(Story, story.id)


def test_redacting_keeps_the_original_for_moderators_only(app, case):
    moderator = _moderator(app, case["first"])
    _decide(
        moderator, case, decision="redact", new_text="Een tekst zonder naam.", reason="Naam weg."
    )
    story = _story(app, case["story"])
    assert story.body_source == "Een tekst zonder naam." and story.status == "published"
    with app.app_context():
        [revision] = db.session.execute(sa.select(Revision)).scalars()
        assert revision.body_source == "Een tekst met een naam erin."
    reader = Visitor(app.test_client())
    assert "met een naam" not in reader.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert kinds.DECISION_ON_POST in _kinds(app, case["writer"])
    assert kinds.REPORT_UPHELD in _kinds(app, case["reporter"])


def test_moving_a_story_to_another_group(app, case):
    moderator = _moderator(app, case["first"])
    _decide(moderator, case, decision="move", group="elders", reason="Past beter in Elders.")
    assert _story(app, case["story"]).group_id == case["other_group"].id


def test_a_closed_story_keeps_its_thread_and_takes_no_new_replies(app, case):
    moderator = _moderator(app, case["first"])
    _decide(moderator, case, decision="close")
    assert _story(app, case["story"]).replies_closed_at is not None


def test_a_warning_with_a_reason_template_shows_the_rule(app, case):
    with app.app_context():
        db.session.add(
            ReasonTemplate(
                title="Namen", rule="Huisregel 3: geen namen", body="Noem geen namen van anderen."
            )
        )
        db.session.commit()
        template_id = db.session.execute(sa.select(ReasonTemplate.id)).scalar_one()
    moderator = _moderator(app, case["first"])
    _decide(moderator, case, decision="approve", member_action="warn", template_id=str(template_id))
    writer = _moderator(app, case["writer"])
    page = writer.get(f"/besluiten/{case['item_id']}").get_data(as_text=True)
    assert "Je krijgt een waarschuwing." in page
    assert "Noem geen namen van anderen." in page and "Huisregel 3: geen namen" in page


def test_only_the_writer_reads_the_statement(app, case):
    _decide(_moderator(app, case["first"]), case, decision="remove", reason="Naam.")
    assert _moderator(app, case["reporter"]).get(f"/besluiten/{case['item_id']}").status_code == 404
    assert _moderator(app, case["writer"]).get(f"/besluiten/{case['item_id']}").status_code == 200


def test_a_silenced_member_reads_but_cannot_post(app, case, make: Factory):
    _decide(
        _moderator(app, case["first"]),
        case,
        decision="approve",
        member_action="silence",
        days="3",
        reason="Even rust.",
    )
    writer = _moderator(app, case["writer"])
    story = make.story(case["group"], case["reporter"], title="Ander verhaal")
    assert writer.get(f"/verhalen/{story.id}").status_code == 200
    refused = writer.post(f"/verhalen/{story.id}/reageren", {"body": "Mag ik iets zeggen?"})
    assert refused.status_code == 403
    assert "Mag ik iets zeggen?" in refused.get_data(as_text=True)


def test_days_are_needed_for_a_silence_and_the_reason_typed_stays(app, case):
    page = _decide(
        _moderator(app, case["first"]),
        case,
        decision="approve",
        member_action="silence",
        reason="Een lange uitleg die ik niet opnieuw wil typen.",
    )
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "aantal dagen" in html
    assert "Een lange uitleg die ik niet opnieuw wil typen." in html
    with app.app_context():
        assert db.session.get(ModerationItem, case["item_id"]).status == ItemStatus.OPEN.value


def test_a_suspension_ends_every_login_and_is_lifted_by_the_worker(app, case, runner):
    writer = _moderator(app, case["writer"])
    with clock.frozen(clock.utcnow()) as time:
        _decide(
            _moderator(app, case["first"]),
            case,
            decision="remove",
            member_action="suspend",
            days="2",
            reason="Twee dagen pauze.",
        )
        with app.app_context():
            assert (
                db.session.execute(
                    sa.select(sa.func.count())
                    .select_from(AuthSession)
                    .filter_by(user_id=case["writer"].id)
                ).scalar()
                == 0
            )
            assert db.session.get(User, case["writer"].id).status == AccountStatus.SUSPENDED.value
        assert writer.get("/account").status_code == 302  # logged out
        login = Visitor(app.test_client()).post(
            "/inloggen", {"pseudonym": "Schrijver", "password": "fiets wolk pannenkoek"}
        )
        assert "geschorst tot" in login.get_data(as_text=True)
        time.advance(days=2, minutes=1)
        with app.test_request_context():
            assert escalation.escalate(clock.utcnow())["suspensions_lifted"] == 1
    with app.app_context():
        assert db.session.get(User, case["writer"].id).status == AccountStatus.ACTIVE.value


def test_a_ban_closes_the_account(app, case):
    _decide(
        _moderator(app, case["first"]),
        case,
        decision="remove",
        member_action="ban",
        reason="Dreigementen.",
    )
    login = Visitor(app.test_client()).post(
        "/inloggen", {"pseudonym": "Schrijver", "password": "fiets wolk pannenkoek"}
    )
    assert "gesloten door een moderator" in login.get_data(as_text=True)


def test_an_appeal_is_decided_by_another_moderator(app, case):
    first = _moderator(app, case["first"])
    _decide(first, case, decision="remove", reason="Er staat een naam in.")
    assert _story(app, case["story"]).status == PostStatus.REMOVED.value
    writer = _moderator(app, case["writer"])
    short = writer.post(f"/besluiten/{case['item_id']}/bezwaar", {"text": "Nee."})
    assert short.status_code == 422 and "Nee." in short.get_data(as_text=True)
    writer.post(
        f"/besluiten/{case['item_id']}/bezwaar", {"text": "Het is een verzonnen naam, echt waar."}
    )
    again = writer.post(
        f"/besluiten/{case['item_id']}/bezwaar", {"text": "Nog een keer bezwaar, graag."}
    )
    assert again.status_code == 409
    with app.app_context():
        appeal = db.session.execute(
            sa.select(ModerationItem).where(ModerationItem.appeal_of_id == case["item_id"])
        ).scalar_one()
        appeal_id, version = appeal.id, appeal.version
    same = first.post(
        f"/moderatie/items/{appeal_id}/besluit",
        {"decision": "approve", "version": str(version)},
        follow_redirects=True,
    )
    assert "een andere moderator" in same.get_data(as_text=True)
    assert _story(app, case["story"]).status == PostStatus.REMOVED.value
    second = _moderator(app, case["second"])
    second.post(
        f"/moderatie/items/{appeal_id}/besluit", {"decision": "approve", "version": str(version)}
    )
    assert _story(app, case["story"]).status == PostStatus.PUBLISHED.value
    page = writer.get(f"/besluiten/{case['item_id']}").get_data(as_text=True)
    assert "Je hebt gelijk gekregen" in page


def test_a_claim_shows_and_keeps_a_second_moderator_off(app, case):
    first, second = _moderator(app, case["first"]), _moderator(app, case["second"])
    first.post(f"/moderatie/items/{case['item_id']}/oppakken")
    page = second.post(f"/moderatie/items/{case['item_id']}/oppakken", follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "net opgepakt" in html and "Opgepakt door Mod Een" in html


def test_overdue_items_remind_moderators_once_then_admins_once(app, case):
    with app.app_context():
        created = db.session.get(ModerationItem, case["item_id"]).created_at
    due = clock.as_utc(created) + timedelta(hours=4)  # identifying details: four hours
    with app.test_request_context():
        with clock.frozen(due - timedelta(minutes=1)):
            assert escalation.escalate(clock.utcnow())["reminded"] == 0
        with clock.frozen(due):
            assert escalation.escalate(clock.utcnow())["reminded"] == 1
            assert escalation.escalate(clock.utcnow())["reminded"] == 0
        with clock.frozen(due + timedelta(hours=4)):
            assert escalation.escalate(clock.utcnow())["escalated"] == 1
            assert escalation.escalate(clock.utcnow())["escalated"] == 0
    for moderator in (case["first"], case["second"]):
        assert _kinds(app, moderator).count(kinds.ITEM_OVERDUE) == 1
    assert _kinds(app, case["admin"]).count(kinds.ITEM_VERY_OVERDUE) == 1
    assert kinds.ITEM_VERY_OVERDUE not in _kinds(app, case["first"])


def test_a_decided_item_is_never_escalated(app, case):
    _decide(_moderator(app, case["first"]), case, decision="approve")
    with app.test_request_context(), clock.frozen(clock.utcnow() + timedelta(days=3)):
        assert escalation.escalate(clock.utcnow())["reminded"] == 0


def test_nobody_can_reply_under_a_closed_story(app, case):
    _decide(_moderator(app, case["first"]), case, decision="close")
    reporter = _moderator(app, case["reporter"])
    page = reporter.get(f"/verhalen/{case['story'].id}").get_data(as_text=True)
    assert "kan niet meer worden gereageerd" in page and 'id="reageren"' not in page
    refused = reporter.post(f"/verhalen/{case['story'].id}/reageren", {"body": "Toch nog iets."})
    assert refused.status_code == 403 and "Toch nog iets." in refused.get_data(as_text=True)


def test_granting_an_appeal_lifts_what_was_done_to_the_account(app, case):
    _decide(
        _moderator(app, case["first"]),
        case,
        decision="remove",
        member_action="silence",
        days="30",
        reason="Een maand alleen lezen.",
    )
    writer = _moderator(app, case["writer"])
    writer.post(f"/besluiten/{case['item_id']}/bezwaar", {"text": "Het was een misverstand."})
    with app.app_context():
        appeal = db.session.execute(
            sa.select(ModerationItem).where(ModerationItem.appeal_of_id == case["item_id"])
        ).scalar_one()
        appeal_id, version = appeal.id, appeal.version
    second = _moderator(app, case["second"])
    path = f"/moderatie/items/{appeal_id}/besluit"
    second.post(path, {"decision": "approve", "version": str(version)})
    with app.app_context():
        assert db.session.get(User, case["writer"].id).silenced_until is None
    assert _story(app, case["story"]).status == PostStatus.PUBLISHED.value


def test_a_silenced_member_is_told_until_when(app, case, make: Factory):
    _decide(
        _moderator(app, case["first"]),
        case,
        decision="approve",
        member_action="silence",
        days="3",
        reason="Even rust.",
    )
    writer = _moderator(app, case["writer"])
    page = writer.post(
        "/groepen/samen/verhaal-delen", {"title": "Nog eentje", "body": "Mijn tekst."}
    )
    assert page.status_code == 403
    html = page.get_data(as_text=True)
    assert "alleen lezen" in html and "Mijn tekst." in html


def test_new_members_post_only_a_few_links_a_day(app, make: Factory):
    group = make.group(slug="links")
    newcomer = make.user("Nieuw")
    make.membership(newcomer, group)
    visitor = _moderator(app, newcomer)
    for number in range(2):
        response = visitor.post(
            "/groepen/links/verhaal-delen",
            {"title": f"Tip {number}", "body": "Kijk op https://www.slachtofferhulp.nl"},
        )
        assert response.status_code == 302
    third = visitor.post(
        "/groepen/links/verhaal-delen", {"title": "Tip 3", "body": "En www.113.nl helpt ook."}
    )
    assert third.status_code == 422
    assert "een paar keer per dag een link" in third.get_data(as_text=True)
    without = visitor.post(
        "/groepen/links/verhaal-delen", {"title": "Tip 4", "body": "Zonder link."}
    )
    assert without.status_code == 302


def test_a_suspended_member_reads_why_and_appeals_without_logging_in(app, case):
    _decide(
        _moderator(app, case["first"]),
        case,
        decision="remove",
        member_action="suspend",
        days="30",
        reason="Een maand pauze.",
    )
    visitor = Visitor(app.test_client())
    login = visitor.post(
        "/inloggen", {"pseudonym": "Schrijver", "password": "fiets wolk pannenkoek"}
    )
    html = login.get_data(as_text=True)
    link = re.search(r'href="(/besluiten\?t=[^"]+)"', html)
    assert link, "the login page offers the decisions"
    listing = visitor.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    item_link = re.search(r'href="(/besluiten/\d+\?t=[^"]+)"', listing).group(1)
    page = visitor.get(item_link.replace("&amp;", "&")).get_data(as_text=True)
    assert "Een maand pauze." in page and "geschorst" in page
    token = item_link.split("t=", 1)[1].replace("&amp;", "&")
    sent = visitor.post(
        f"/besluiten/{case['item_id']}/bezwaar", {"t": token, "text": "Ik heb er spijt van."}
    )
    assert sent.status_code == 302
    with app.app_context():
        assert db.session.execute(
            sa.select(ModerationItem).where(ModerationItem.appeal_of_id == case["item_id"])
        ).scalar_one()


def test_a_wrong_password_or_a_forged_token_shows_no_decisions(app, case):
    _decide(
        _moderator(app, case["first"]),
        case,
        decision="remove",
        member_action="ban",
        reason="Dreigementen.",
    )
    visitor = Visitor(app.test_client())
    wrong = visitor.post("/inloggen", {"pseudonym": "Schrijver", "password": "verkeerd wachtwoord"})
    assert "/besluiten?t=" not in wrong.get_data(as_text=True)
    forged = visitor.get(f"/besluiten/{case['item_id']}?t=bedacht.token.hier")
    assert forged.status_code == 302 and "/inloggen" in forged.headers["Location"]
