"""Reporting a story, reply or member, and a visitor's notice, through the pages."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask, render_template_string
from markupsafe import escape

from app.accounts import mail
from app.accounts.models import SiteRole, User
from app.extensions import db
from app.groups.models import Group, Visibility
from app.notifications.models import Notification
from app.stories.models import Story
from moderation.models import ItemSignal, ModerationItem, Priority
from tests.support import Factory, Visitor

KIND_PROMISE = "Een moderator kijkt ernaar. De schrijver hoort niet wie het meldde."
_OWN_SCRIPTS = re.compile(
    r'<script src="/static/(js/[a-z-]+|vendor/socket\.io/socket\.io\.min)\.js" defer></script>'
)


def _signals(app: Flask) -> list[ItemSignal]:
    with app.app_context():
        return list(db.session.execute(sa.select(ItemSignal).order_by(ItemSignal.id)).scalars())


def _items(app: Flask) -> list[ModerationItem]:
    with app.app_context():
        return list(db.session.execute(sa.select(ModerationItem)).scalars())


def _notifications(app: Flask, user: User) -> list[Notification]:
    with app.app_context():
        return list(
            db.session.execute(sa.select(Notification).filter_by(user_id=user.id)).scalars()
        )


def _member(make: Factory, group: Group, name: str | None = None) -> User:
    user = make.user(name)
    make.membership(user, group)
    return user


def _assert_no_script(page: str) -> None:
    assert "<script" not in _OWN_SCRIPTS.sub("", page).lower()


@pytest.fixture
def group(make: Factory) -> Group:
    return make.group(name="Na geweld")


@pytest.fixture
def story(make: Factory, group: Group) -> Story:
    return make.story(group, make.user("Schrijver Sam"), title="Die ene avond", body="Toen.")


# --- members ----------------------------------------------------------------------------------


def test_a_member_reports_a_story_and_is_thanked_back_on_the_story(
    app: Flask, make: Factory, visitor: Visitor, group: Group, story: Story
):
    reporter = _member(make, group)
    visitor.login(reporter)

    form = visitor.get(f"/melden/verhaal/{story.id}")
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert KIND_PROMISE in page
    assert "Die ene avond" in page
    assert 'name="robots" content="noindex"' in page

    response = visitor.post(
        f"/melden/verhaal/{story.id}", {"reason": "hurtful", "note": "Dit vond ik naar."}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verhalen/{story.id}")
    assert "Dank je wel voor je melding" in visitor.get(response.headers["Location"]).get_data(
        as_text=True
    )

    [signal] = _signals(app)
    assert (signal.kind, signal.category, signal.note) == ("report", "hurtful", "Dit vond ik naar.")
    assert signal.reporter_id == reporter.id
    assert (signal.snapshot_title, signal.snapshot_body) == ("Die ene avond", "Toen.")
    assert "Dank je voor je melding" in visitor.get("/meldingen").get_data(as_text=True)


def test_a_member_reports_a_reply_and_returns_to_it(
    app: Flask, make: Factory, visitor: Visitor, group: Group, story: Story
):
    reply = make.reply(story, body="Een vervelende reactie.")
    visitor.login(_member(make, group))

    assert visitor.get(f"/melden/reactie/{reply.id}").status_code == 200
    response = visitor.post(f"/melden/reactie/{reply.id}", {"reason": "spam"})

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/reacties/{reply.id}")
    back = visitor.get(response.headers["Location"])
    assert back.headers["Location"].endswith(f"/verhalen/{story.id}?pagina=1#reactie-{reply.id}")
    [signal] = _signals(app)
    assert (signal.category, signal.snapshot_body) == ("spam", "Een vervelende reactie.")


def test_a_member_reports_another_member(app: Flask, make: Factory, visitor: Visitor, group: Group):
    someone = make.user("Ongewenst Iemand")
    visitor.login(_member(make, group))

    assert "Ongewenst Iemand" in visitor.get(f"/melden/lid/{someone.id}").get_data(as_text=True)
    response = visitor.post(f"/melden/lid/{someone.id}", {"reason": "unwanted_person"})

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/")
    [item] = _items(app)
    assert (item.target_type, item.target_id) == ("user", someone.id)


def test_a_second_report_by_the_same_member_is_a_conflict_with_the_text_kept(
    app: Flask, make: Factory, visitor: Visitor, group: Group, story: Story
):
    visitor.login(_member(make, group))
    visitor.post(f"/melden/verhaal/{story.id}", {"reason": "hurtful"})

    response = visitor.post(
        f"/melden/verhaal/{story.id}", {"reason": "spam", "note": "Nog eens, voor de zekerheid."}
    )

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Je hebt dit al gemeld. Een moderator kijkt ernaar." in page
    assert "Nog eens, voor de zekerheid." in page
    assert len(_signals(app)) == 1


def test_reports_from_several_members_merge_into_one_item(
    app: Flask, make: Factory, group: Group, story: Story
):
    for _ in range(2):
        other = Visitor(app.test_client())
        other.login(_member(make, group))
        assert other.post(f"/melden/verhaal/{story.id}", {"reason": "hurtful"}).status_code == 302

    [item] = _items(app)
    assert len(_signals(app)) == 2
    assert {signal.item_id for signal in _signals(app)} == {item.id}


def test_a_concern_report_becomes_a_crisis_item(
    app: Flask, make: Factory, visitor: Visitor, group: Group, story: Story
):
    visitor.login(_member(make, group))

    visitor.post(f"/melden/verhaal/{story.id}", {"reason": "concern", "note": "Gaat het wel?"})

    [item] = _items(app)
    assert item.priority == Priority.CRISIS


def test_a_report_without_a_reason_comes_back_with_the_text_in_it(
    app: Flask, make: Factory, visitor: Visitor, group: Group, story: Story
):
    visitor.login(_member(make, group))
    note = 'Er staat een <adres> & "naam" in.'

    response = visitor.post(f"/melden/verhaal/{story.id}", {"note": note})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Kies wat er aan de hand is." in page
    assert str(escape(note)) in page
    assert _items(app) == []


def test_a_report_with_an_expired_form_token_comes_back_with_the_text(
    app: Flask, make: Factory, visitor: Visitor, group: Group, story: Story
):
    visitor.login(_member(make, group))

    response = visitor.client.post(
        f"/melden/verhaal/{story.id}",
        data={"csrf_token": "verlopen", "reason": "other", "note": "Mijn eigen woorden."},
    )

    assert response.status_code == 400
    assert "Mijn eigen woorden." in response.get_data(as_text=True)
    assert _items(app) == []


def test_too_many_reports_in_an_hour_are_refused_with_the_text_kept(
    app: Flask, make: Factory, visitor: Visitor, group: Group, story: Story
):
    visitor.login(_member(make, group))
    for _ in range(10):
        # No reason chosen: refused, but it counts as an attempt.
        visitor.post(f"/melden/verhaal/{story.id}", {"note": "poging"})

    response = visitor.post(
        f"/melden/verhaal/{story.id}", {"reason": "other", "note": "De elfde keer."}
    )

    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "De elfde keer." in page
    assert "veel meldingen" in page


def test_a_closed_group_story_cannot_be_reported_by_a_non_member(
    app: Flask, make: Factory, visitor: Visitor
):
    closed = make.group(Visibility.CLOSED)
    story = make.story(closed, title="Alleen voor leden")
    visitor.login(make.user())

    assert visitor.get(f"/melden/verhaal/{story.id}").status_code == 404
    response = visitor.post(f"/melden/verhaal/{story.id}", {"reason": "hurtful"})
    assert response.status_code == 404
    assert "Alleen voor leden" not in response.get_data(as_text=True)
    assert _items(app) == []


def test_three_reports_take_a_story_out_of_view_until_a_moderator_looks(
    app: Flask, make: Factory, group: Group, story: Story
):
    for _ in range(3):
        other = Visitor(app.test_client())
        other.login(_member(make, group))
        other.post(f"/melden/verhaal/{story.id}", {"reason": "hurtful"})

    assert Visitor(app.test_client()).get(f"/verhalen/{story.id}").status_code == 404


def test_the_writer_of_a_reported_story_is_never_told_who_reported_it(
    app: Flask, make: Factory, group: Group
):
    writer = _member(make, group, "Schrijver Wim")
    story = make.story(group, writer, title="Mijn eigen verhaal")
    reporter = Visitor(app.test_client())
    reporter.login(_member(make, group, "Melder Mila"))
    reporter.post(f"/melden/verhaal/{story.id}", {"reason": "hurtful", "note": "Naar."})

    writer_visitor = Visitor(app.test_client())
    writer_visitor.login(writer)

    assert _notifications(app, writer) == []
    for path in ("/meldingen", f"/verhalen/{story.id}", "/"):
        assert "Melder Mila" not in writer_visitor.get(path).get_data(as_text=True)


# --- visitors ---------------------------------------------------------------------------------


def test_a_visitor_on_a_report_page_is_offered_the_notice_form(
    visitor: Visitor, story: Story, make: Factory
):
    page = visitor.get(f"/melden/verhaal/{story.id}")

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f"/melding-doen/verhaal/{story.id}" in text
    assert "/inloggen?next=" in text


def test_a_visitor_is_sent_to_log_in_for_what_they_cannot_send_a_notice_about(
    visitor: Visitor, make: Factory
):
    closed_story = make.story(make.group(Visibility.CLOSED))
    someone = make.user()

    for path in (f"/melden/verhaal/{closed_story.id}", f"/melden/lid/{someone.id}"):
        response = visitor.get(path)
        assert response.status_code == 302
        assert "/inloggen?next=" in response.headers["Location"]


def test_a_report_sent_after_the_login_ran_out_keeps_the_text(
    app: Flask, visitor: Visitor, story: Story
):
    response = visitor.post(
        f"/melden/verhaal/{story.id}", {"reason": "other", "note": "Bijna kwijt."}
    )

    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "Bijna kwijt." in page
    assert f"/melding-doen/verhaal/{story.id}" in page
    assert _items(app) == []


def test_a_visitor_sends_a_notice_about_a_public_story_while_logged_out(
    app: Flask, visitor: Visitor, story: Story
):
    form = visitor.get(f"/melding-doen/verhaal/{story.id}")
    assert form.status_code == 200
    assert "Die ene avond" in form.get_data(as_text=True)

    response = visitor.post(
        f"/melding-doen/verhaal/{story.id}",
        {
            "reason": "identifying",
            "explanation": "Hier staat het adres van mijn zus in.",
            "email": "zus@example.nl",
        },
    )

    assert response.status_code == 302
    thanks = visitor.get(response.headers["Location"]).get_data(as_text=True)
    assert "Je hoort per e-mail wat we met je melding doen." in thanks
    [signal] = _signals(app)
    assert (signal.kind, signal.category, signal.contact_email) == (
        "notice",
        "identifying",
        "zus@example.nl",
    )
    assert signal.reporter_id is None
    assert signal.note == "Hier staat het adres van mijn zus in."


def test_a_notice_without_an_address_says_no_answer_will_follow(
    visitor: Visitor, make: Factory, story: Story
):
    reply = make.reply(story)

    response = visitor.post(
        f"/melding-doen/reactie/{reply.id}",
        {"reason": "spam", "explanation": "Dit is reclame voor een webwinkel."},
    )

    assert response.status_code == 302
    thanks = visitor.get(response.headers["Location"]).get_data(as_text=True)
    assert "Je liet geen e-mailadres achter" in thanks
    assert "Je hoort per e-mail" not in thanks


def test_a_notice_about_a_closed_group_story_is_not_found(
    app: Flask, visitor: Visitor, make: Factory
):
    story = make.story(make.group(Visibility.CLOSED), title="Besloten verhaal")

    assert visitor.get(f"/melding-doen/verhaal/{story.id}").status_code == 404
    response = visitor.post(
        f"/melding-doen/verhaal/{story.id}",
        {"reason": "hurtful", "explanation": "Dit hoort hier echt niet."},
    )
    assert response.status_code == 404
    assert "Besloten verhaal" not in response.get_data(as_text=True)
    assert _items(app) == []


def test_a_notice_with_a_wrong_address_comes_back_with_the_text_in_it(
    app: Flask, visitor: Visitor, story: Story
):
    response = visitor.post(
        f"/melding-doen/verhaal/{story.id}",
        {"reason": "hurtful", "explanation": "Mijn uitleg blijft staan.", "email": "geen adres"},
    )

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Dit lijkt geen e-mailadres." in page
    assert "Mijn uitleg blijft staan." in page
    assert "geen adres" in page
    assert _items(app) == []


def test_too_many_notices_from_one_place_are_refused_with_the_text_kept(
    visitor: Visitor, story: Story
):
    for _ in range(5):
        visitor.post(f"/melding-doen/verhaal/{story.id}", {"explanation": "kort"})

    response = visitor.post(
        f"/melding-doen/verhaal/{story.id}",
        {"reason": "other", "explanation": "De zesde keer, met uitleg."},
    )

    assert response.status_code == 429
    assert "De zesde keer, met uitleg." in response.get_data(as_text=True)


# --- the link under a story or reply -------------------------------------------------------------

_INCLUDE = '{% include "moderation/_report_link.html" %}'
_LINK = "{% set report_type = kind %}{% set report_id = 7 %}" + _INCLUDE


@pytest.mark.parametrize(
    ("kind", "as_member", "path"),
    [
        ("verhaal", True, "/melden/verhaal/7"),
        ("reactie", True, "/melden/reactie/7"),
        ("verhaal", False, "/melding-doen/verhaal/7"),
        ("reactie", False, "/melding-doen/reactie/7"),
    ],
)
def test_the_report_link_leads_members_to_reports_and_visitors_to_notices(
    app: Flask, make: Factory, kind: str, as_member: bool, path: str
):
    member = make.user()
    with app.test_request_context():
        extra = {"current_user": member} if as_member else {}
        html = render_template_string(_LINK, kind=kind, **extra)
    assert f'href="{path}"' in html
    assert ">Melden</a>" in html


# --- hostile input --------------------------------------------------------------------------


def test_naughty_strings_as_report_notes_and_notice_explanations_never_break_a_page(
    app: Flask, make: Factory, visitor: Visitor, group: Group, naughty_strings: list[str]
):
    app.config["RATELIMIT_ENABLED"] = False
    sample = naughty_strings[::5]
    stories = [make.story(group) for _ in sample]
    visitor.login(_member(make, group))
    token = visitor.csrf_token()
    for text, target in zip(sample, stories, strict=True):
        response = visitor.client.post(
            f"/melden/verhaal/{target.id}",
            data={"csrf_token": token, "reason": "other", "note": text},
        )
        assert response.status_code in (302, 422), (text, response.status_code)
        _assert_no_script(response.get_data(as_text=True))
        response = visitor.client.post(
            f"/melding-doen/verhaal/{target.id}",
            data={"csrf_token": token, "reason": "other", "explanation": text, "email": text},
        )
        assert response.status_code in (302, 422), (text, response.status_code)
        _assert_no_script(response.get_data(as_text=True))
    assert len(_signals(app)) >= len(sample)


def test_a_visitor_hears_the_outcome_by_mail_and_the_address_is_then_erased(
    app: Flask, visitor: Visitor, story: Story, make: Factory
):
    visitor.post(
        f"/melding-doen/verhaal/{story.id}",
        {
            "reason": "identifying",
            "explanation": "Hier staat het adres van mijn zus in.",
            "email": "zus@example.nl",
        },
    )
    [item] = _items(app)
    moderator = Visitor(app.test_client())
    moderator.login(make.user(role=SiteRole.MODERATOR))
    moderator.post(
        f"/moderatie/items/{item.id}/besluit",
        {"decision": "remove", "version": str(item.version), "reason": "Een adres."},
    )
    [sent] = mail.outbox(app)
    assert sent.to == "zus@example.nl"
    assert "weggehaald" in sent.body and "gewist" in sent.body
    [signal] = _signals(app)
    assert signal.contact_email == ""
