"""Checks before publishing, through the pages: identifying details, crisis language, watched
words and new members; held posts wait "in behandeling" until a moderator decides."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from markupsafe import escape

from app.accounts.models import SiteRole
from app.audit.models import AuditEntry
from app.extensions import db
from app.guarantee.models import ResponseWatch
from app.notifications import kinds
from app.notifications.models import Notification
from app.stories.models import PostStatus, Reply, Story
from moderation.models import (
    ItemStatus,
    ModerationItem,
    ModerationSetting,
    Priority,
    WatchedWordRule,
)
from tests.support import Factory, Visitor

PHONE_STORY = "Hij belde me steeds op 06-12345678, dag en nacht."
CRISIS_STORY = "Sinds die nacht wil ik niet meer leven. Ik weet het niet meer."


@pytest.fixture
def people(app: Flask, make: Factory) -> dict:
    group = make.group(slug="samen", name="Samen")
    writer, reader, ambassador = make.user("Schrijver"), make.user("Lezer"), make.user("Amb")
    for person in (writer, reader, ambassador):
        make.membership(person, group)
    moderator = make.user("Moderator", role=SiteRole.MODERATOR)
    return {"group": group, "writer": writer, "reader": reader, "moderator": moderator}


def _share(visitor: Visitor, title: str, body: str, **extra: str):
    return visitor.post("/groepen/samen/verhaal-delen", {"title": title, "body": body, **extra})


def _story(app: Flask, title: str) -> Story:
    with app.app_context():
        return db.session.execute(sa.select(Story).filter_by(title=title)).scalar_one()


def _items(app: Flask) -> list[ModerationItem]:
    with app.app_context():
        items = db.session.execute(sa.select(ModerationItem).order_by(ModerationItem.id)).scalars()
        result = list(items)
        for item in result:
            _ = item.signals
        return result


def _notes(app: Flask, user, kind: str) -> int:
    with app.app_context():
        return db.session.execute(
            sa.select(sa.func.count())
            .select_from(Notification)
            .filter_by(user_id=user.id, kind=kind)
        ).scalar_one()


def _add(app: Flask, row) -> None:
    with app.app_context():
        db.session.add(row)
        db.session.commit()


def test_identifying_details_are_pointed_out_and_the_text_stays(app, people, visitor):
    visitor.login(people["writer"])
    page = _share(visitor, "Het bellen", PHONE_STORY)
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "een telefoonnummer" in html
    assert str(escape(PHONE_STORY)) in html
    assert 'name="post_anyway"' in html
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count()).select_from(Story)).scalar() == 0


def test_posting_anyway_holds_the_story_for_a_moderator(app, people, visitor, client):
    visitor.login(people["writer"])
    response = _share(visitor, "Het bellen", PHONE_STORY, post_anyway="y")
    assert response.status_code == 302
    story = _story(app, "Het bellen")
    assert story.status == PostStatus.HELD.value and story.published_at is None
    own = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert "in behandeling" in own and "06-12345678" in own
    other = Visitor(app.test_client())
    other.login(people["reader"])
    assert other.get(f"/verhalen/{story.id}").status_code == 404
    assert "Het bellen" not in other.get("/").get_data(as_text=True)
    [item] = _items(app)
    assert item.priority == Priority.IDENTIFYING
    assert [s.kind for s in item.signals] == ["identifying"]
    with app.app_context():
        assert db.session.get(ResponseWatch, story.id) is None  # the clock waits too


def test_a_moderator_approves_a_held_story_and_the_writer_hears_it(app, people, visitor):
    visitor.login(people["writer"])
    _share(visitor, "Het bellen", PHONE_STORY, post_anyway="y")
    [item] = _items(app)
    moderator = Visitor(app.test_client())
    moderator.login(people["moderator"])
    page = moderator.get(f"/moderatie/items/{item.id}").get_data(as_text=True)
    assert "06-12345678" in page and "Schrijver" in page
    response = moderator.post(
        f"/moderatie/items/{item.id}/besluit", {"decision": "approve", "version": item.version}
    )
    assert response.status_code == 302
    story = _story(app, "Het bellen")
    assert story.status == PostStatus.PUBLISHED.value and story.published_at is not None
    assert _notes(app, people["writer"], kinds.POST_APPROVED) == 1
    with app.app_context():
        assert db.session.get(ResponseWatch, story.id) is not None
        [entry] = db.session.execute(sa.select(AuditEntry)).scalars()
        assert (entry.action, entry.actor_name) == ("moderation.approve", "Moderator")
    assert _items(app)[0].status == ItemStatus.DECIDED.value


def test_removing_needs_a_reason_which_the_writer_reads(app, people, visitor):
    visitor.login(people["writer"])
    _share(visitor, "Het bellen", PHONE_STORY, post_anyway="y")
    [item] = _items(app)
    moderator = Visitor(app.test_client())
    moderator.login(people["moderator"])
    path = f"/moderatie/items/{item.id}/besluit"
    refused = moderator.post(
        path, {"decision": "remove", "version": item.version}, follow_redirects=True
    )
    assert "Schrijf kort waarom" in refused.get_data(as_text=True)
    moderator.post(
        path,
        {
            "decision": "remove",
            "version": item.version,
            "reason": "Een telefoonnummer van iemand anders.",
        },
    )
    assert _story(app, "Het bellen").status == PostStatus.REMOVED.value
    with app.app_context():
        [note] = db.session.execute(
            sa.select(Notification).filter_by(
                user_id=people["writer"].id, kind=kinds.DECISION_ON_POST
            )
        ).scalars()
        assert note.data == {"group": "Samen"}
    statement = visitor.get(note.link).get_data(as_text=True)
    assert "Een telefoonnummer van iemand anders." in statement
    assert "Bezwaar maken" in statement


def test_two_moderators_deciding_at_once_act_once(app, people, visitor, make: Factory):
    visitor.login(people["writer"])
    _share(visitor, "Het bellen", PHONE_STORY, post_anyway="y")
    [item] = _items(app)
    first, second = Visitor(app.test_client()), Visitor(app.test_client())
    first.login(people["moderator"])
    second.login(make.user("Tweede", role=SiteRole.MODERATOR))
    path = f"/moderatie/items/{item.id}/besluit"
    first.post(path, {"decision": "approve", "version": item.version})
    late = second.post(
        path,
        {"decision": "remove", "version": item.version, "reason": "Te laat."},
        follow_redirects=True,
    )
    assert "net iets mee gedaan" in late.get_data(as_text=True)
    assert _story(app, "Het bellen").status == PostStatus.PUBLISHED.value
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count()).select_from(AuditEntry)).scalar() == 1


def test_crisis_language_shows_help_at_once_and_alerts_moderators(app, people, visitor):
    visitor.login(people["writer"])
    response = _share(visitor, "Die nacht", CRISIS_STORY)
    assert response.status_code == 302
    page = visitor.get(response.headers["Location"]).get_data(as_text=True)
    assert "0800-0113" in page and "112" in page
    assert _story(app, "Die nacht").status == PostStatus.PUBLISHED.value
    [item] = _items(app)
    assert item.priority == Priority.CRISIS
    assert _notes(app, people["moderator"], kinds.URGENT_ITEM) == 1
    assert _notes(app, people["reader"], kinds.URGENT_ITEM) == 0
    moderator = Visitor(app.test_client())
    moderator.login(people["moderator"])
    queue = moderator.get("/moderatie/").get_data(as_text=True)
    assert "Dringend" in queue


def test_crisis_posts_can_be_held_by_setting(app, people, visitor):
    _add(app, ModerationSetting(key="crisis_holds", value=True))
    visitor.login(people["writer"])
    _share(visitor, "Die nacht", CRISIS_STORY)
    assert _story(app, "Die nacht").status == PostStatus.HELD.value


def test_a_blocked_word_is_refused_kindly_with_the_text_kept(app, people, visitor):
    _add(app, WatchedWordRule(phrase="koop nu", action="block"))
    visitor.login(people["writer"])
    page = _share(visitor, "Aanbieding", "Koop nu goedkope pillen")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Koop nu" in html and "kan hier niet geplaatst worden" in html


def test_a_replaced_word_is_stored_replaced(app, people, visitor):
    _add(app, WatchedWordRule(phrase="rotzak", action="replace", replacement="[…]"))
    visitor.login(people["writer"])
    _share(visitor, "Boos", "Die rotzak liep gewoon weg.")
    assert _story(app, "Boos").body_source == "Die […] liep gewoon weg."


def test_a_held_word_holds_and_a_flagged_word_publishes_with_a_look(app, people, visitor):
    _add(app, WatchedWordRule(phrase="dader*", action="hold"))
    _add(app, WatchedWordRule(phrase="advocaat", action="flag"))
    visitor.login(people["writer"])
    _share(visitor, "Een", "De daders zijn nooit gevonden.")
    _share(visitor, "Twee", "Mijn advocaat belde vandaag.")
    assert _story(app, "Een").status == PostStatus.HELD.value
    assert _story(app, "Twee").status == PostStatus.PUBLISHED.value
    kinds_seen = sorted(s.kind for item in _items(app) for s in item.signals)
    assert kinds_seen == ["flagged", "held"]


def test_a_new_members_first_post_is_held(app, people, visitor):
    app.config["MODERATION_NEW_MEMBER_HELD_POSTS"] = 1
    visitor.login(people["writer"])
    _share(visitor, "Mijn eerste", "Hallo allemaal.")
    assert _story(app, "Mijn eerste").status == PostStatus.HELD.value
    [item] = _items(app)
    assert item.signals[0].category == "new_member"


def test_a_held_reply_waits_without_answering_the_story(app, people, visitor, make: Factory):
    story = make.story(people["group"], people["reader"], title="Vraag")
    visitor.login(people["writer"])
    page = visitor.post(f"/verhalen/{story.id}/reageren", {"body": "Bel me: 06-12345678"})
    assert page.status_code == 422 and 'name="post_anyway"' in page.get_data(as_text=True)
    visitor.post(
        f"/verhalen/{story.id}/reageren", {"body": "Bel me: 06-12345678", "post_anyway": "y"}
    )
    with app.app_context():
        reply = db.session.execute(sa.select(Reply)).scalar_one()
        assert reply.status == PostStatus.HELD.value
        assert db.session.get(Story, story.id).reply_count == 0
    own = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert "Je reactie is in behandeling" in own
    other = Visitor(app.test_client())
    other.login(people["reader"])
    assert "06-12345678" not in other.get(f"/verhalen/{story.id}").get_data(as_text=True)
    [item] = _items(app)
    moderator = Visitor(app.test_client())
    moderator.login(people["moderator"])
    moderator.post(
        f"/moderatie/items/{item.id}/besluit", {"decision": "approve", "version": item.version}
    )
    with app.app_context():
        assert db.session.get(Story, story.id).reply_count == 1
    assert "06-12345678" in other.get(f"/verhalen/{story.id}").get_data(as_text=True)


def test_an_edit_with_identifying_details_goes_back_for_a_look(app, people, visitor, make):
    visitor.login(people["writer"])
    _share(visitor, "Later", "Eerst zonder details.")
    story = _story(app, "Later")
    path = f"/verhalen/{story.id}/bewerken"
    visitor.post(path, {"title": "Later", "body": PHONE_STORY, "post_anyway": "y"})
    assert _story(app, "Later").status == PostStatus.HELD.value


def test_only_moderators_reach_the_queue(app, people, make: Factory, visitor):
    ambassador = make.user(role=SiteRole.CONTENT_MANAGER)
    for person in (people["reader"], ambassador):
        visitor.login(person)
        assert visitor.get("/moderatie/").status_code == 403
        visitor.logout()
    visitor.login(people["moderator"])
    assert visitor.get("/moderatie/").status_code == 200


def test_seeing_who_wrote_an_anonymous_post_is_logged(app, people, visitor):
    visitor.login(people["writer"])
    _share(visitor, "Stil", PHONE_STORY, post_anyway="y", anonymous="y")
    [item] = _items(app)
    moderator = Visitor(app.test_client())
    moderator.login(people["moderator"])
    page = moderator.get(f"/moderatie/items/{item.id}").get_data(as_text=True)
    assert "Schrijver" in page and "anoniem geplaatst" in page
    with app.app_context():
        [entry] = db.session.execute(sa.select(AuditEntry)).scalars()
        assert entry.action == "moderation.identity_viewed"
        assert entry.actor_name == "Moderator"


def test_moderators_manage_watched_words_and_it_is_logged(app, people, visitor):
    visitor.login(people["moderator"])
    visitor.post("/moderatie/woorden", {"phrase": "  koop   nu ", "action": "block"})
    again = visitor.post(
        "/moderatie/woorden", {"phrase": "Koop nu", "action": "block"}, follow_redirects=True
    )
    assert "staat al in de lijst" in again.get_data(as_text=True)
    with app.app_context():
        [rule] = db.session.execute(sa.select(WatchedWordRule)).scalars()
        assert rule.phrase == "koop nu"
        actions = db.session.execute(sa.select(AuditEntry.action)).scalars().all()
        assert actions == ["moderation.watched_word_added"]
    writer = Visitor(app.test_client())
    writer.login(people["writer"])
    assert _share(writer, "Reclame", "Koop nu!").status_code == 422
    visitor.post(f"/moderatie/woorden/{rule.id}/weg")
    assert _share(writer, "Reclame", "Koop nu!").status_code == 302


def test_moderators_change_the_settings_and_odd_values_come_back(app, people, visitor):
    visitor.login(people["moderator"])
    page = visitor.post(
        "/moderatie/instellingen",
        {
            "new_member_held_posts": "99",
            "hide_at_report_weight": "3",
            "extra_crisis_phrases": "ik geef op",
        },
    )
    assert page.status_code == 422
    assert "ik geef op" in page.get_data(as_text=True)
    saved = visitor.post(
        "/moderatie/instellingen",
        {
            "crisis_holds": "y",
            "new_member_held_posts": "0",
            "hide_at_report_weight": "4,5",
            "extra_crisis_phrases": "ik geef het op\n\n",
        },
    )
    assert saved.status_code == 302
    writer = Visitor(app.test_client())
    writer.login(people["writer"])
    _share(writer, "Moe", "Ik geef het op, echt.")
    assert _story(app, "Moe").status == PostStatus.HELD.value  # held by the crisis setting
    assert _items(app)[0].priority == Priority.CRISIS


def test_members_cannot_change_the_checks(people, visitor):
    visitor.login(people["reader"])
    assert visitor.get("/moderatie/instellingen").status_code == 403
    assert visitor.post("/moderatie/woorden", {"phrase": "x", "action": "block"}).status_code == 403


def test_moderators_see_every_version_and_who_wrote_it_and_that_is_logged(
    app, people, visitor, make: Factory
):
    visitor.login(people["writer"])
    _share(visitor, "Versies", "De eerste versie.", anonymous="y")
    story = _story(app, "Versies")
    visitor.post(f"/verhalen/{story.id}/bewerken", {"title": "Versies", "body": "De tweede."})
    reader = Visitor(app.test_client())
    reader.login(people["reader"])
    assert reader.get(f"/moderatie/verhalen/{story.id}/geschiedenis").status_code == 403
    moderator = Visitor(app.test_client())
    moderator.login(people["moderator"])
    page = moderator.get(f"/moderatie/verhalen/{story.id}/geschiedenis").get_data(as_text=True)
    assert "De eerste versie." in page and "Schrijver" in page
    with app.app_context():
        actions = db.session.execute(sa.select(AuditEntry.action)).scalars().all()
        assert "moderation.identity_viewed" in actions
