"""Writing: sharing a story, replying, quoting, editing and deleting one's own posts."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask

from app.accounts.models import User
from app.extensions import db
from app.groups.models import Group, Visibility
from app.stories.models import PostStatus, Reply, Revision, Story
from tests.support import Factory, Visitor


def _member(make: Factory, visitor: Visitor, group: Group, name: str | None = None) -> User:
    user = make.user(name)
    make.membership(user, group)
    visitor.login(user)
    return user


def _stories(app: Flask) -> list[Story]:
    with app.app_context():
        return list(db.session.execute(sa.select(Story).order_by(Story.id)).scalars())


def test_a_member_shares_a_story_in_their_group_and_lands_on_it(
    app: Flask, make: Factory, visitor: Visitor
):
    group = make.group(slug="verkeer-test")
    writer = _member(make, visitor, group)
    form = visitor.get("/groepen/verkeer-test/verhaal-delen")
    assert form.status_code == 200
    assert "*schuin*" in form.get_data(as_text=True)
    response = visitor.post(
        "/groepen/verkeer-test/verhaal-delen",
        {"title": "Na het ongeluk", "body": "Het was **heel** stil.", "warnings": ["injury"]},
    )
    assert response.status_code == 302
    (story,) = _stories(app)
    assert response.headers["Location"].endswith(f"/verhalen/{story.id}")
    assert story.author_id == writer.id and story.content_warnings == ["injury"]
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert "<strong>heel</strong>" in page
    assert 'data-clear-draft="verhaal:verkeer-test"' in page


def test_the_general_share_page_lets_a_member_pick_one_of_their_groups(
    app: Flask, make: Factory, visitor: Visitor
):
    mine = make.group(name="Mijn groep", slug="mijn-groep")
    make.group(name="Andermans groep")
    _member(make, visitor, mine)
    page = visitor.get("/verhaal-delen").get_data(as_text=True)
    assert "Mijn groep" in page and "Andermans groep" not in page
    response = visitor.post(
        "/verhaal-delen", {"group": "mijn-groep", "title": "Titel", "body": "Tekst."}
    )
    assert response.status_code == 302
    assert _stories(app)[0].group_id == mine.id


def test_the_writer_follows_their_new_story(
    app: Flask, make: Factory, visitor: Visitor, monkeypatch
):
    calls: list[tuple[int, int]] = []
    monkeypatch.setattr(
        "app.stories.follows.follow", lambda user, story: calls.append((user.id, story.id))
    )
    group = make.group(slug="volg-test")
    writer = _member(make, visitor, group)
    visitor.post("/groepen/volg-test/verhaal-delen", {"title": "Titel", "body": "Tekst."})
    (story,) = _stories(app)
    assert calls == [(writer.id, story.id)]


def test_someone_who_is_not_a_member_is_kindly_invited_to_join(make: Factory, visitor: Visitor):
    make.group(slug="niet-lid", name="Stalking")
    visitor.login(make.user())
    response = visitor.get("/groepen/niet-lid/verhaal-delen")
    assert response.status_code == 403
    assert "kan als je lid bent" in response.get_data(as_text=True)
    assert visitor.get("/verhaal-delen").status_code == 403


def test_a_member_who_has_not_accepted_the_house_rules_goes_to_onboarding(
    make: Factory, visitor: Visitor
):
    group = make.group(slug="regels-test")
    user = make.user(accepted_house_rules=False)
    make.membership(user, group)
    visitor.login(user)
    response = visitor.get("/groepen/regels-test/verhaal-delen")
    assert response.status_code == 302
    assert "/welkom/huisregels" in response.headers["Location"]


def test_an_anonymous_story_never_shows_its_writer_to_other_members(
    app: Flask, make: Factory, visitor: Visitor
):
    group = make.group(slug="anoniem-test")
    _member(make, visitor, group, "Verborgen Merel")
    visitor.post(
        "/groepen/anoniem-test/verhaal-delen",
        {"title": "Zonder naam", "body": "Niemand weet wie.", "anonymous": "y"},
    )
    (story,) = _stories(app)
    assert story.anonymous
    visitor.logout()
    _member(make, visitor, group, "Nieuwsgierig")
    pages = [
        visitor.get("/").get_data(as_text=True),
        visitor.get("/groepen/anoniem-test").get_data(as_text=True),
        visitor.get(f"/verhalen/{story.id}").get_data(as_text=True),
    ]
    assert all("Zonder naam" in page for page in pages)
    for page in pages:
        assert "verborgen merel" not in page.lower()
        assert "verborgen-merel" not in page.lower()
    for path in (f"/verhalen/{story.id}/bewerken", f"/verhalen/{story.id}/verwijderen"):
        refused = visitor.get(path)
        assert refused.status_code in (403, 404)
        assert "verborgen merel" not in refused.get_data(as_text=True).lower()


def test_a_title_that_is_too_long_comes_back_with_all_the_text(
    app: Flask, make: Factory, visitor: Visitor
):
    group = make.group(slug="lang-test")
    _member(make, visitor, group)
    response = visitor.post(
        "/groepen/lang-test/verhaal-delen",
        {"title": "t" * 151, "body": "Dit wil ik niet kwijt.", "warning_note": "eigen woorden"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Maak de titel wat korter" in page
    assert "t" * 151 in page and "Dit wil ik niet kwijt." in page and "eigen woorden" in page
    assert _stories(app) == []


def test_an_empty_body_comes_back_with_the_title(make: Factory, visitor: Visitor):
    group = make.group(slug="leeg-test")
    _member(make, visitor, group)
    response = visitor.post(
        "/groepen/leeg-test/verhaal-delen", {"title": "Mijn titel", "body": "   "}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Je bericht is nog leeg." in page and 'value="Mijn titel"' in page


def test_an_expired_or_missing_form_token_keeps_the_text(
    app: Flask, make: Factory, visitor: Visitor
):
    group = make.group(slug="token-test")
    _member(make, visitor, group)
    for token in ({}, {"csrf_token": "verlopen"}):
        response = visitor.client.post(
            "/groepen/token-test/verhaal-delen",
            data={"title": "Bewaard", "body": "Mijn hele verhaal.", **token},
        )
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "Mijn hele verhaal." in page and "je tekst staat er nog" in page
    assert _stories(app) == []


def test_an_expired_login_keeps_the_text_and_offers_a_login_in_a_new_tab(
    app: Flask, make: Factory, visitor: Visitor
):
    from app.accounts.models import AuthSession

    group = make.group(slug="uitgelogd-test")
    _member(make, visitor, group)
    token = visitor.csrf_token("/groepen/uitgelogd-test/verhaal-delen")
    with app.app_context():
        db.session.execute(sa.delete(AuthSession))
        db.session.commit()
    response = visitor.client.post(
        "/groepen/uitgelogd-test/verhaal-delen",
        data={"csrf_token": token, "title": "Lang geschreven", "body": "Twee uur werk."},
    )
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "Je bent uitgelogd, maar je tekst staat er nog." in page
    assert "Twee uur werk." in page and 'value="Lang geschreven"' in page
    assert re.search(r'href="/inloggen"[^>]*target="_blank" rel="noopener"', page)
    assert _stories(app) == []


def test_an_idle_login_while_replying_keeps_the_reply(app: Flask, make: Factory, visitor: Visitor):
    from app import clock

    group = make.group(visibility=Visibility.CLOSED)
    story = make.story(group)
    _member(make, visitor, group)
    with clock.frozen(clock.utcnow()) as mover:
        token = visitor.csrf_token(f"/verhalen/{story.id}")
        mover.advance(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
        response = visitor.client.post(
            f"/verhalen/{story.id}/reageren",
            data={"csrf_token": token, "body": "Ik ken dit gevoel."},
        )
    assert response.status_code == 401
    assert "Ik ken dit gevoel." in response.get_data(as_text=True)


def test_too_many_stories_in_an_hour_are_refused_with_the_text_kept(
    app: Flask, make: Factory, visitor: Visitor, monkeypatch
):
    monkeypatch.setattr("app.ratelimits.STORIES_PER_USER", "2 per hour")
    group = make.group(slug="limiet-test")
    _member(make, visitor, group)
    path = "/groepen/limiet-test/verhaal-delen"
    for number in range(2):
        assert visitor.post(path, {"title": f"T{number}", "body": "Tekst."}).status_code == 302
    response = visitor.post(path, {"title": "Derde", "body": "Deze tekst blijft."})
    assert response.status_code == 429
    assert "Deze tekst blijft." in response.get_data(as_text=True)
    assert len(_stories(app)) == 2


def test_a_member_replies_anonymously_and_followers_are_told(
    app: Flask, make: Factory, visitor: Visitor, monkeypatch
):
    notified: list[int] = []
    monkeypatch.setattr("app.stories.follows.notify_followers", lambda r: notified.append(r.id))
    group = make.group()
    story = make.story(group)
    _member(make, visitor, group, "Open Vink")
    response = visitor.post(
        f"/verhalen/{story.id}/reageren", {"body": "Sterkte, ik lees mee.", "anonymous": "y"}
    )
    assert response.status_code == 302
    with app.app_context():
        reply = db.session.execute(sa.select(Reply)).scalar_one()
        assert reply.anonymous and db.session.get(Story, story.id).reply_count == 1
    assert notified == [reply.id]
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert "Sterkte, ik lees mee." in page and "dit schreef jij" in page


def test_an_empty_reply_comes_back_with_a_message(make: Factory, visitor: Visitor):
    group = make.group()
    story = make.story(group)
    _member(make, visitor, group)
    response = visitor.post(f"/verhalen/{story.id}/reageren", {"body": "", "anonymous": "y"})
    assert response.status_code == 422
    assert "Je bericht is nog leeg." in response.get_data(as_text=True)


def test_quoting_a_reply_fills_the_reply_box_with_its_text(make: Factory, visitor: Visitor):
    group = make.group()
    story = make.story(group)
    earlier = make.reply(story, body="Het **went** nooit.")
    _member(make, visitor, group)
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert f"citeer={earlier.id}" in page
    quoted = visitor.get(f"/verhalen/{story.id}?citeer={earlier.id}").get_data(as_text=True)
    assert re.search(r"<textarea[^>]*>\s*&gt; Het went nooit.", quoted)


def test_editing_a_story_keeps_the_old_text_as_a_revision(
    app: Flask, make: Factory, visitor: Visitor
):
    group = make.group()
    writer = _member(make, visitor, group)
    story = make.story(group, writer, title="Eerst", body="Oude tekst.")
    form = visitor.get(f"/verhalen/{story.id}/bewerken")
    assert "Oude tekst." in form.get_data(as_text=True)
    response = visitor.post(
        f"/verhalen/{story.id}/bewerken", {"title": "Daarna", "body": "Nieuwe tekst."}
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Story, story.id)
        assert saved.title == "Daarna" and saved.body_html == "<p>Nieuwe tekst.</p>"
        assert saved.edited_at is not None
        revision = db.session.execute(sa.select(Revision)).scalar_one()
        assert (revision.story_id, revision.title, revision.body_source) == (
            story.id,
            "Eerst",
            "Oude tekst.",
        )
    assert "bewerkt" in visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)


def test_editing_a_reply_keeps_the_old_text_as_a_revision(
    app: Flask, make: Factory, visitor: Visitor
):
    group = make.group()
    story = make.story(group)
    writer = _member(make, visitor, group)
    reply = make.reply(story, writer, body="Eerste versie.")
    response = visitor.post(f"/reacties/{reply.id}/bewerken", {"body": "Tweede versie."})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Reply, reply.id).body_source == "Tweede versie."
        revision = db.session.execute(sa.select(Revision)).scalar_one()
        assert (revision.reply_id, revision.body_source) == (reply.id, "Eerste versie.")


def test_nobody_edits_someone_elses_story_or_reply(app: Flask, make: Factory, visitor: Visitor):
    group = make.group()
    story = make.story(group, title="Van een ander", body="Blijft zo.")
    reply = make.reply(story, body="Ook van een ander.")
    _member(make, visitor, group)
    for path, data in (
        (f"/verhalen/{story.id}/bewerken", {"title": "Gekaapt", "body": "Weg."}),
        (f"/reacties/{reply.id}/bewerken", {"body": "Weg."}),
    ):
        assert visitor.get(path).status_code == 403
        refused = visitor.post(path, data)
        assert refused.status_code == 403
        assert "Blijft zo." not in refused.get_data(as_text=True)
    assert visitor.post(f"/verhalen/{story.id}/verwijderen").status_code == 403
    with app.app_context():
        assert db.session.get(Story, story.id).body_source == "Blijft zo."
        assert db.session.get(Reply, reply.id).body_source == "Ook van een ander."


def test_deleting_a_story_leaves_a_tombstone_and_removes_the_text(
    app: Flask, make: Factory, visitor: Visitor
):
    group = make.group(slug="weg-test")
    writer = _member(make, visitor, group, "Schrijver Wil")
    story = make.story(group, writer, title="Te persoonlijk", body="Geheime details.")
    make.reply(story, body="Dank je voor het delen.")
    visitor.post(f"/verhalen/{story.id}/bewerken", {"title": "Te persoonlijk", "body": "Versie 2."})
    confirm = visitor.get(f"/verhalen/{story.id}/verwijderen")
    assert confirm.status_code == 200 and "Weet je zeker" in confirm.get_data(as_text=True)
    assert visitor.post(f"/verhalen/{story.id}/verwijderen").status_code == 302
    with app.app_context():
        saved = db.session.get(Story, story.id)
        assert saved.status == PostStatus.DELETED.value and saved.deleted_at is not None
        assert saved.body_source == "" and saved.body_html == ""
        assert "persoonlijk" not in saved.title and saved.author_id is None
        assert db.session.execute(sa.select(sa.func.count(Revision.id))).scalar_one() == 0
    visitor.logout()
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert "Dit verhaal is verwijderd door de schrijver" in page
    assert "Dank je voor het delen." in page
    for gone in ("Te persoonlijk", "Geheime details", "Versie 2", "Schrijver Wil"):
        assert gone not in page
    assert "Te persoonlijk" not in visitor.get("/").get_data(as_text=True)
    assert "Te persoonlijk" not in visitor.get("/groepen/weg-test").get_data(as_text=True)


def test_deleting_a_reply_leaves_a_tombstone_and_lowers_the_count(
    app: Flask, make: Factory, visitor: Visitor
):
    group = make.group()
    story = make.story(group)
    writer = _member(make, visitor, group)
    visitor.post(f"/verhalen/{story.id}/reageren", {"body": "Spijt van deze woorden."})
    with app.app_context():
        reply = db.session.execute(sa.select(Reply)).scalar_one()
    assert visitor.get(f"/reacties/{reply.id}/verwijderen").status_code == 200
    assert visitor.post(f"/reacties/{reply.id}/verwijderen").status_code == 302
    with app.app_context():
        saved = db.session.get(Reply, reply.id)
        assert saved.status == PostStatus.DELETED.value and saved.body_source == ""
        assert saved.body_html == "" and saved.author_id is None
        assert db.session.get(Story, story.id).reply_count == 0
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert "Deze reactie is verwijderd door de schrijver" in page
    assert "Spijt van deze woorden." not in page
    thread = page.split('id="reacties-titel"', 1)[1].split('id="reageren"', 1)[0]
    assert writer.pseudonym not in thread


def test_the_old_text_of_an_edited_story_is_not_shown_to_readers(
    app: Flask, make: Factory, visitor: Visitor
):
    group = make.group()
    writer = _member(make, visitor, group)
    story = make.story(group, writer, body="Eerste woorden.")
    visitor.post(f"/verhalen/{story.id}/bewerken", {"title": "Titel", "body": "Nieuwe woorden."})
    visitor.logout()
    visitor.login(make.user())
    assert "Eerste woorden." not in visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)


def test_the_share_form_carries_draft_saving_without_inline_script(make: Factory, visitor: Visitor):
    group = make.group(slug="concept-test")
    _member(make, visitor, group)
    page = visitor.get("/groepen/concept-test/verhaal-delen").get_data(as_text=True)
    assert 'data-draft-key="verhaal:concept-test"' in page
    assert '<script src="/static/js/drafts.js" defer></script>' in page
    assert "<script>" not in page and " style=" not in page


def test_the_writing_forms_never_let_the_browser_cut_pasted_text_short(
    make: Factory, visitor: Visitor
):
    group = make.group(slug="plakken")
    _member(make, visitor, group)
    page = visitor.get("/groepen/plakken/verhaal-delen").get_data(as_text=True)
    assert "maxlength" not in page


def test_a_reply_to_a_story_removed_meanwhile_comes_back_with_its_text(
    make: Factory, visitor: Visitor
):
    group = make.group()
    story = make.story(group, status=PostStatus.REMOVED)
    _member(make, visitor, group)
    response = visitor.post(f"/verhalen/{story.id}/reageren", {"body": "Niet verloren."})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Niet verloren." in page and "Je tekst staat hieronder nog" in page


def _writing_forms(make: Factory, visitor: Visitor) -> list[tuple[str, dict[str, str]]]:
    group = make.group(slug="overal")
    writer = _member(make, visitor, group)
    story = make.story(group, writer)
    reply = make.reply(story, writer)
    text = "Deze zin mag nooit verloren gaan."
    return [
        ("/groepen/overal/verhaal-delen", {"title": "Titel", "body": text}),
        ("/verhaal-delen", {"group": "overal", "title": "Titel", "body": text}),
        (f"/verhalen/{story.id}/reageren", {"body": text}),
        (f"/verhalen/{story.id}/bewerken", {"title": "Titel", "body": text}),
        (f"/reacties/{reply.id}/bewerken", {"body": text}),
    ]


def test_every_writing_form_keeps_the_text_when_the_form_token_is_missing(
    make: Factory, visitor: Visitor
):
    for path, data in _writing_forms(make, visitor):
        response = visitor.client.post(path, data=data)
        assert response.status_code == 400, path
        assert data["body"] in response.get_data(as_text=True), path


def test_every_writing_form_keeps_the_text_after_logging_out(
    app: Flask, make: Factory, visitor: Visitor
):
    forms = _writing_forms(make, visitor)
    token = visitor.csrf_token()
    visitor.logout()
    for path, data in forms:
        response = visitor.client.post(path, data={"csrf_token": token, **data})
        assert response.status_code == 401, path
        page = response.get_data(as_text=True)
        assert data["body"] in page and "Je bent uitgelogd" in page, path
        assert 'target="_blank" rel="noopener"' in page


def test_too_many_replies_in_an_hour_are_refused_with_the_text_kept(
    app: Flask, make: Factory, visitor: Visitor, monkeypatch
):
    monkeypatch.setattr("app.ratelimits.REPLIES_PER_USER", "1 per hour")
    group = make.group()
    story = make.story(group)
    _member(make, visitor, group)
    path = f"/verhalen/{story.id}/reageren"
    assert visitor.post(path, {"body": "Eerste."}).status_code == 302
    response = visitor.post(path, {"body": "Tweede, niet kwijt."})
    assert response.status_code == 429
    assert "Tweede, niet kwijt." in response.get_data(as_text=True)


def test_members_find_the_share_form_from_the_group_page_and_the_home_page(make, visitor):
    from app.groups.models import GroupRole

    member = make.user("Deler")
    group = make.group()
    make.membership(member, group, GroupRole.MEMBER)
    outsider_page = visitor.get(f"/groepen/{group.slug}").get_data(as_text=True)
    assert f"/groepen/{group.slug}/verhaal-delen" not in outsider_page
    visitor.login(member)
    assert f"/groepen/{group.slug}/verhaal-delen" in visitor.get(f"/groepen/{group.slug}").get_data(
        as_text=True
    )
    assert 'href="/verhaal-delen"' in visitor.get("/").get_data(as_text=True)
