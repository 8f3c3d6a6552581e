"""The panel programme: prompts open by time, participants hear of it once, respond, and
researchers see who answered and remind the others once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from app import clock
from app.extensions import db
from app.notifications import kinds
from app.notifications.models import Notification
from app.research import programme
from app.research.models import Prompt
from app.stories.models import PostStatus
from app.worker import run_round
from tests.research.conftest import StudyKit
from tests.support import Visitor

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _notifications(kit: StudyKit, kind: str) -> list[int]:
    with kit.app.app_context():
        return list(
            db.session.execute(
                sa.select(Notification.user_id).where(Notification.kind == kind)
            ).scalars()
        )


def _answer(kit: StudyKit, prompt: Prompt, user, body: str = "Praten hielp.", status=None):
    reply = kit.make.reply(SimpleNamespace(id=prompt.story_id), user, body=body)
    if status is not None:
        with kit.app.app_context():
            db.session.execute(
                sa.text("UPDATE replies SET status = :s WHERE id = :i"),
                {"s": status.value, "i": reply.id},
            )
            db.session.commit()
    return reply


def test_a_prompt_is_seen_only_from_its_opening_time(kit, client):
    with clock.frozen(START) as moving:
        kit.plan(1, opens_at=START + timedelta(minutes=30), title="Wat gaf je kracht")
        member = kit.participant()
        visitor = Visitor(client)
        visitor.login(member)
        assert "Wat gaf je kracht" not in visitor.get(f"/onderzoek/{kit.slug}").get_data(
            as_text=True
        )
        assert visitor.get(f"/onderzoek/{kit.slug}/dag/1").status_code == 404

        moving.advance(minutes=30)
        assert "Wat gaf je kracht" in visitor.get(f"/onderzoek/{kit.slug}").get_data(as_text=True)
        page = visitor.get(f"/onderzoek/{kit.slug}/dag/1")
        assert page.status_code == 200
        assert "Wat hielp jou op dag 1?" in page.get_data(as_text=True)


def test_researchers_see_the_whole_programme_before_it_opens(kit, client):
    with clock.frozen(START):
        kit.plan(1, opens_at=START + timedelta(days=1), title="Morgen pas")
        visitor = Visitor(client)
        visitor.login(kit.researcher)
        assert "Morgen pas" in visitor.get(f"/onderzoek/{kit.slug}/programma").get_data(
            as_text=True
        )
        assert visitor.get(f"/onderzoek/{kit.slug}/dag/1").status_code == 200


def test_participants_are_told_once_when_a_prompt_opens(kit, make):
    with clock.frozen(START) as moving:
        kit.plan(1, opens_at=START + timedelta(hours=1))
        first, second = kit.participant(), kit.participant()
        outsider = make.user()
        run_round(kit.app)
        assert _notifications(kit, kinds.RESEARCH_PROMPT_OPENED) == []

        moving.advance(hours=1)
        run_round(kit.app)
        run_round(kit.app)
    told = _notifications(kit, kinds.RESEARCH_PROMPT_OPENED)
    assert sorted(told) == sorted([first.id, second.id])
    assert outsider.id not in told
    with kit.app.app_context():
        prompt = db.session.execute(sa.select(Prompt)).scalar_one()
        assert prompt.story_id is not None and prompt.reflection_story_id is not None


def test_withdrawn_participants_hear_nothing_more(kit, client):
    with clock.frozen(START) as moving:
        kit.plan(1, opens_at=START + timedelta(hours=1))
        staying, leaving = kit.participant(), kit.participant()
        visitor = Visitor(client)
        visitor.login(leaving)
        visitor.post(f"/onderzoek/{kit.slug}/terugtrekken")
        moving.advance(hours=1)
        run_round(kit.app)
    assert _notifications(kit, kinds.RESEARCH_PROMPT_OPENED) == [staying.id]


def test_a_participant_answers_on_the_prompt_page(kit, client):
    prompt_id = kit.plan(1)
    member = kit.participant()
    visitor = Visitor(client)
    visitor.login(member)
    page = visitor.get(f"/onderzoek/{kit.slug}/dag/1").get_data(as_text=True)
    prompt = kit.opened(prompt_id)
    assert f'action="/verhalen/{prompt.story_id}/reageren"' in page
    response = visitor.post(
        f"/verhalen/{prompt.story_id}/reageren", {"body": "Even naar buiten gaan hielp mij."}
    )
    assert response.status_code == 302
    again = visitor.get(f"/onderzoek/{kit.slug}/dag/1").get_data(as_text=True)
    assert "Je hebt op deze vraag gereageerd" in again


def test_the_matrix_shows_who_answered_which_prompt_by_study_code(kit, client):
    day1, day2 = kit.opened(kit.plan(1)), kit.opened(kit.plan(2))
    kit.plan(3, opens_at=clock.utcnow() + timedelta(days=1))
    p01, p02, p03, p04 = (kit.participant() for _ in range(4))
    _answer(kit, day1, p01)
    _answer(kit, day2, p01)
    _answer(kit, day1, p02, status=PostStatus.HELD)  # waiting for a moderator: answered
    _answer(kit, day2, p03, status=PostStatus.REMOVED)  # removed: not an answer
    visitor = Visitor(client)
    visitor.login(p04)
    visitor.post(f"/onderzoek/{kit.slug}/terugtrekken")

    with kit.app.test_request_context():
        researcher = db.session.get(type(kit.researcher), kit.researcher.id)
        matrix = programme.matrix(kit.group(), actor=researcher)
    assert [prompt.day for prompt in matrix.prompts] == [1, 2]
    assert {row.code: row.answered for row in matrix.rows} == {
        "P01": [True, True],
        "P02": [True, False],
        "P03": [False, False],
    }
    assert matrix.withdrawn == 1

    researcher_page = Visitor(kit.app.test_client())
    researcher_page.login(kit.researcher)
    html = researcher_page.get(f"/onderzoek/{kit.slug}/deelname").get_data(as_text=True)
    assert 'data-code="P01"' in html and 'data-code="P04"' not in html
    for person in (p01, p02, p03, p04):
        assert person.pseudonym not in html


def test_a_reminder_reaches_only_those_who_have_not_answered_and_only_once(kit, client):
    day1 = kit.opened(kit.plan(1))
    answered, waiting = kit.participant(), kit.participant()
    _answer(kit, day1, answered)
    visitor = Visitor(client)
    visitor.login(kit.researcher)
    first = visitor.post(f"/onderzoek/{kit.slug}/programma/1/herinnering", follow_redirects=True)
    assert "1 deelnemer kreeg een herinnering" in first.get_data(as_text=True)
    second = visitor.post(f"/onderzoek/{kit.slug}/programma/1/herinnering", follow_redirects=True)
    assert "al een herinnering gestuurd" in second.get_data(as_text=True)
    assert _notifications(kit, kinds.RESEARCH_REMINDER) == [waiting.id]


def test_planning_with_a_bad_date_gives_the_text_back(kit, client):
    visitor = Visitor(client)
    visitor.login(kit.researcher)
    response = visitor.post(
        f"/onderzoek/{kit.slug}/programma",
        {
            "day": "1",
            "title": "Steun van buren",
            "body": "Wie hielp jou het meest?",
            "opens_on": "2026-02-31",
            "opens_time": "25:99",
        },
    )
    assert response.status_code == 422
    assert "Wie hielp jou het meest?" in response.get_data(as_text=True)


def test_planning_a_day_twice_or_a_script_link_is_refused_kindly(kit, client):
    kit.plan(1)
    visitor = Visitor(client)
    visitor.login(kit.researcher)
    form = {"title": "Nog een", "body": "Tekst", "opens_on": "2026-03-02", "opens_time": "09:00"}
    twice = visitor.post(f"/onderzoek/{kit.slug}/programma", {**form, "day": "1"})
    assert twice.status_code == 409
    script = visitor.post(
        f"/onderzoek/{kit.slug}/programma",
        {**form, "day": "2", "video_url": "javascript:alert(1)"},
    )
    assert script.status_code == 422
    assert "https://" in script.get_data(as_text=True)


def test_planning_reads_the_time_as_amsterdam_time(kit, client):
    visitor = Visitor(client)
    visitor.login(kit.researcher)
    response = visitor.post(
        f"/onderzoek/{kit.slug}/programma",
        {"day": "1", "title": "T", "body": "B", "opens_on": "2026-07-01", "opens_time": "09:00"},
    )
    assert response.status_code == 302
    with kit.app.app_context():
        opens = db.session.execute(sa.select(Prompt.opens_at)).scalar_one()
    assert clock.as_utc(opens) == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)


def test_a_researcher_changes_a_prompt_until_it_opens(kit, client, make):
    later = clock.utcnow() + timedelta(days=3)
    kit.plan(1, opens_at=later, title="Eerste versie")
    visitor = Visitor(client)
    visitor.login(kit.researcher)
    edit = f"/onderzoek/{kit.slug}/programma/1/bewerken"
    page = visitor.get(edit).get_data(as_text=True)
    assert "Eerste versie" in page
    form = {
        "title": "Wat gaf je steun?",
        "body": "Vertel het kort.",
        "opens_on": "2026-07-01",
        "opens_time": "09:00",
    }
    bad = visitor.post(edit, {**form, "opens_time": "25:99"})
    assert bad.status_code == 422 and "Vertel het kort." in bad.get_data(as_text=True)
    assert visitor.post(edit, form).status_code == 302
    with kit.app.app_context():
        prompt = db.session.execute(sa.select(Prompt)).scalar_one()
        assert prompt.title == "Wat gaf je steun?" and prompt.day == 1
        assert clock.as_utc(prompt.opens_at) == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)

    # Someone else's study cannot be changed, and an open prompt stays as it was.
    other = Visitor(kit.app.test_client())
    from app.accounts.models import SiteRole

    other.login(make.user("Andere-Onderzoeker", role=SiteRole.RESEARCHER))
    assert other.post(edit, form).status_code == 404
    kit.plan(2, title="Al open")
    assert visitor.post(f"/onderzoek/{kit.slug}/programma/2/bewerken", form).status_code == 409
