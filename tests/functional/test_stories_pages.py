"""The story page: what a reader sees, who may see it, and what stays anonymous."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from app.accounts.models import SiteRole
from app.extensions import db
from app.groups.models import GroupKind, GroupRole, Visibility
from app.stories.models import PostStatus, Reply
from tests.support import Factory, Visitor


def _page(visitor: Visitor, story_id: int) -> str:
    response = visitor.get(f"/verhalen/{story_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_visitor_reads_a_public_story_with_its_replies(make: Factory, visitor: Visitor):
    group = make.group(name="Verkeersongevallen")
    author = make.user("Zeewind")
    story = make.story(group, author, title="De auto reed door", body="Het was een dinsdag.")
    make.reply(story, make.user("Kompas"), body="Wat naar, sterkte.")
    page = _page(visitor, story.id)
    assert "De auto reed door" in page
    assert "<p>Het was een dinsdag.</p>" in page
    assert "Verkeersongevallen" in page
    assert "Zeewind" in page and "Kompas" in page
    assert "Wat naar, sterkte." in page
    assert "<time datetime=" in page
    assert 'name="robots"' not in page
    assert "Doe mee onder een schuilnaam" in page


def test_the_group_name_links_to_the_group(app, make: Factory, visitor: Visitor):
    group = make.group(slug="fraude-test")
    page = _page(visitor, make.story(group).id)
    if "groups.show" in app.view_functions:
        assert 'href="/groepen/fraude-test"' in page


def test_an_anonymous_story_and_reply_never_reveal_the_writer(
    app: Flask, make: Factory, visitor: Visitor
):
    group = make.group()
    writer = make.user("Geheime Reiger")
    replier = make.user("Stille Uil")
    make.membership(replier, group, GroupRole.AMBASSADOR)
    story = make.story(group, writer, title="Niemand weet het", anonymous=True)
    reply = make.reply(story, replier, body="Ik lees met je mee.")
    with app.app_context():
        db.session.execute(sa.update(Reply).where(Reply.id == reply.id).values(anonymous=True))
        db.session.commit()
    reader = make.user("Meelezer")
    make.membership(reader, group)

    for login in (None, reader):
        if login is not None:
            visitor.login(login)
        page = _page(visitor, story.id)
        home = visitor.get("/").get_data(as_text=True)
        assert "Niemand weet het" in home
        for html in (page, home):
            for secret in ("geheime reiger", "geheime-reiger", "stille uil", "stille-uil"):
                assert secret not in html.lower()
        assert page.count('class="author-anonymous">Anoniem lid') == 2
        # Not even the badge: there are few ambassadors, so it would narrow it down.
        assert 'class="tag">ambassadeur' not in page


def test_the_writer_of_an_anonymous_story_is_told_others_cannot_see_them(
    make: Factory, visitor: Visitor
):
    group = make.group()
    writer = make.user()
    make.membership(writer, group)
    story = make.story(group, writer, anonymous=True)
    visitor.login(writer)
    assert "anderen zien niet wie het schreef" in _page(visitor, story.id)


def test_an_ambassador_reply_is_marked(make: Factory, visitor: Visitor):
    group = make.group()
    ambassador = make.user("Vuurtoren")
    make.membership(ambassador, group, GroupRole.AMBASSADOR)
    story = make.story(group)
    make.reply(story, ambassador)
    assert 'class="tag">ambassadeur<' in _page(visitor, story.id)


STAFF_BADGE = 'class="tag tag-staff">medewerker<'


@pytest.mark.parametrize(
    "role", [SiteRole.MODERATOR, SiteRole.CONTENT_MANAGER, SiteRole.ADMIN], ids=str
)
def test_a_staff_reply_carries_the_team_badge(make: Factory, visitor: Visitor, role: SiteRole):
    group = make.group()
    story = make.story(group)
    make.reply(story, make.user("Teamlid", role=role), body="Wij lezen mee.")
    page = _page(visitor, story.id)
    assert page.count(STAFF_BADGE) == 1
    assert "Teamlid</span> <span " + STAFF_BADGE in page


def test_a_members_reply_carries_no_team_badge(make: Factory, visitor: Visitor):
    group = make.group()
    story = make.story(group)
    make.reply(story, make.user())
    assert STAFF_BADGE not in _page(visitor, story.id)


def test_an_anonymous_staff_reply_carries_no_badge_that_could_point_at_its_writer(
    make: Factory, visitor: Visitor
):
    group = make.group()
    moderator = make.user("Stille Moderator", role=SiteRole.MODERATOR)
    make.membership(moderator, group, GroupRole.AMBASSADOR)
    story = make.story(group, moderator, anonymous=True)
    make.reply(story, moderator, anonymous=True)
    page = _page(visitor, story.id)
    assert STAFF_BADGE not in page
    assert "medewerker" not in page and "ambassadeur" not in page
    assert "stille moderator" not in page.lower()


def test_a_researcher_carries_the_team_badge_only_in_a_research_group(
    make: Factory, visitor: Visitor
):
    researcher = make.user("Onderzoeker", role=SiteRole.RESEARCHER)
    peer_story = make.story(make.group(kind=GroupKind.PEER))
    make.reply(peer_story, researcher)
    # Research content is read only inside its study: here by the study's researcher.
    research_group = make.group(kind=GroupKind.RESEARCH)
    make.membership(researcher, research_group, GroupRole.MANAGER)
    research_story = make.story(research_group)
    make.reply(research_story, researcher)
    visitor.login(researcher)
    assert STAFF_BADGE not in _page(visitor, peer_story.id)
    assert STAFF_BADGE in _page(visitor, research_story.id)


def test_a_closed_group_story_is_for_members_only(make: Factory, visitor: Visitor):
    group = make.group(Visibility.CLOSED)
    story = make.story(group, title="Besloten verhaal")
    assert visitor.get(f"/verhalen/{story.id}").status_code == 404
    outsider = make.user()
    visitor.login(outsider)
    assert visitor.get(f"/verhalen/{story.id}").status_code == 404
    visitor.logout()
    member = make.user()
    make.membership(member, group)
    visitor.login(member)
    page = _page(visitor, story.id)
    assert "Besloten verhaal" in page
    assert '<meta name="robots" content="noindex">' in page


def test_a_hidden_group_story_is_not_found_for_outsiders(make: Factory, visitor: Visitor):
    group = make.group(Visibility.HIDDEN)
    story = make.story(group)
    assert visitor.get(f"/verhalen/{story.id}").status_code == 404
    visitor.login(make.user(role=SiteRole.MODERATOR))
    assert visitor.get(f"/verhalen/{story.id}").status_code == 404
    visitor.logout()
    member = make.user()
    make.membership(member, group)
    visitor.login(member)
    assert '<meta name="robots" content="noindex">' in _page(visitor, story.id)


# A story its writer deleted shows a tombstone instead: see tests/functional/test_writing.py.
@pytest.mark.parametrize("status", [PostStatus.HELD, PostStatus.REMOVED])
def test_an_unpublished_story_is_not_found(make: Factory, visitor: Visitor, status: PostStatus):
    story = make.story(make.group(), status=status)
    assert visitor.get(f"/verhalen/{story.id}").status_code == 404


def test_a_missing_story_gives_the_friendly_not_found_page(visitor: Visitor):
    response = visitor.get("/verhalen/999999")
    assert response.status_code == 404
    assert "bestaat niet" in response.get_data(as_text=True)


def test_a_logged_in_non_member_is_invited_to_join_to_reply(make: Factory, visitor: Visitor):
    group = make.group(name="Stalking")
    story = make.story(group)
    visitor.login(make.user())
    page = _page(visitor, story.id)
    assert "Dat kan als je lid bent van de groep Stalking." in page


def test_a_member_is_not_asked_to_join(make: Factory, visitor: Visitor):
    group = make.group()
    story = make.story(group)
    member = make.user()
    make.membership(member, group)
    visitor.login(member)
    page = _page(visitor, story.id)
    assert "Dat kan als je lid bent" not in page
    assert "Nog geen reactie" in page
    assert "Een paar woorden van jou kunnen veel betekenen" in page


def test_story_html_is_shown_but_titles_are_escaped(make: Factory, visitor: Visitor):
    story = make.story(make.group(), title="<script>alert(1)</script>")
    page = _page(visitor, story.id)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
