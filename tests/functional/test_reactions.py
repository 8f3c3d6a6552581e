"""Supportive reactions on stories and replies: given once per kind, counted, taken back."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.groups.models import Visibility
from app.stories import reactions
from app.stories.models import Follow, PostStatus, Reaction, ReactionKind, Story
from tests.functional.test_stories_queries import counted_queries
from tests.support import Factory, Visitor


def _count(app: Flask, **where: object) -> int:
    with app.app_context():
        return db.session.execute(
            sa.select(sa.func.count()).select_from(Reaction).filter_by(**where)
        ).scalar_one()


def _pressed(page: str, kind: str) -> str:
    match = re.search(rf'aria-pressed="(true|false)" data-kind="{kind}"', page)
    assert match, f"no button for {kind}"
    return match.group(1)


@pytest.fixture
def member_and_story(make: Factory, visitor: Visitor):
    group = make.group()
    story = make.story(group)
    member = make.user(pseudonym="Zonnebloem")
    make.membership(member, group)
    visitor.login(member)
    return member, story


def test_a_member_gives_a_reaction_and_takes_it_back(app, visitor: Visitor, member_and_story):
    member, story = member_and_story
    path = f"/verhalen/{story.id}/steun"
    response = visitor.post(path, {"soort": "support", "geven": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verhalen/{story.id}#verhaal-titel")
    assert _count(app, story_id=story.id, user_id=member.id, kind="support") == 1
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert _pressed(page, "support") == "true"
    assert _pressed(page, "thanks") == "false"

    visitor.post(path, {"soort": "support", "geven": "0"})
    assert _count(app, story_id=story.id, user_id=member.id) == 0
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert _pressed(page, "support") == "false"


def test_the_page_buttons_send_the_kind_and_the_state_they_ask_for(
    app, visitor: Visitor, member_and_story
):
    member, story = member_and_story
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert page.count('class="reactions reaction-form') == 1  # one form, four buttons
    assert 'name="steun" value="thanks:1"' in page
    visitor.post(f"/verhalen/{story.id}/steun", {"steun": "thanks:1"})
    assert _count(app, story_id=story.id, user_id=member.id, kind="thanks") == 1
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert 'name="steun" value="thanks:0"' in page and _pressed(page, "thanks") == "true"
    visitor.post(f"/verhalen/{story.id}/steun", {"steun": "thanks:0"})
    assert _count(app, story_id=story.id, user_id=member.id) == 0
    assert visitor.post(f"/verhalen/{story.id}/steun", {"steun": "boos:1"}).status_code == 404


def test_a_double_click_counts_once(app, visitor: Visitor, member_and_story):
    member, story = member_and_story
    for _ in range(2):
        response = visitor.post(f"/verhalen/{story.id}/steun", {"soort": "strength"})
        assert response.status_code == 302
    assert _count(app, story_id=story.id, user_id=member.id, kind="strength") == 1


def test_each_kind_can_be_given_once_by_each_member(app, make: Factory, visitor: Visitor):
    group = make.group()
    story = make.story(group)
    reply = make.reply(story)
    givers = [make.user() for _ in range(3)]
    for giver in givers:
        make.membership(giver, group)
    for number, giver in enumerate(givers):
        visitor.login(giver)
        for kind in ["recognition", "support", "thanks"][: number + 1]:
            visitor.post(f"/reacties/{reply.id}/steun", {"soort": kind})
            visitor.post(f"/reacties/{reply.id}/steun", {"soort": kind})
        visitor.logout()
    assert _count(app, reply_id=reply.id) == 6
    with app.app_context():
        board = reactions.board_for(db.session.get(type(story), story.id), None)
    tally = board.tallies[("reply", reply.id)]
    assert tally.counts == {"recognition": 3, "support": 2, "thanks": 1}
    assert ("story", story.id) not in board.tallies


def test_the_page_shows_the_counts_next_to_the_buttons(app, make: Factory, visitor: Visitor):
    group = make.group()
    story = make.story(group)
    givers = [make.user(), make.user()]
    with app.app_context():
        for giver in givers:
            db.session.add(Reaction(user_id=giver.id, story_id=story.id, kind="thanks"))
        db.session.commit()
    reader = make.user()
    make.membership(reader, group)
    visitor.login(reader)
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert re.search(
        r'data-kind="thanks">\s*<span[^>]*></span><span class="reaction-label">Dank je</span>'
        r'\s*<span class="reaction-count" data-count>2</span>',
        page,
    )


def test_someone_who_is_not_in_the_group_cannot_react(app, make: Factory, visitor: Visitor):
    story = make.story(make.group())
    outsider = make.user()
    visitor.login(outsider)
    response = visitor.post(f"/verhalen/{story.id}/steun", {"soort": "support"})
    assert response.status_code == 403
    assert _count(app, story_id=story.id) == 0


def test_a_closed_group_story_is_not_found_for_outsiders(app, make: Factory, visitor: Visitor):
    story = make.story(make.group(Visibility.CLOSED))
    visitor.login(make.user())
    response = visitor.post(f"/verhalen/{story.id}/steun", {"soort": "support"})
    assert response.status_code == 404


def test_a_visitor_sees_counts_but_no_buttons(app, make: Factory, client):
    group = make.group()
    story = make.story(group)
    giver = make.user()
    with app.app_context():
        db.session.add(Reaction(user_id=giver.id, story_id=story.id, kind="recognition"))
        db.session.commit()
    page = client.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert "reaction-button" not in page
    assert "aria-pressed" not in page
    assert re.search(r'Herkenning <span class="reaction-count">1</span>', page)


def test_reactions_on_unpublished_posts_are_not_found(app, make: Factory, visitor: Visitor):
    group = make.group()
    held = make.story(group, status=PostStatus.HELD)
    member = make.user()
    make.membership(member, group)
    visitor.login(member)
    assert visitor.post(f"/verhalen/{held.id}/steun", {"soort": "support"}).status_code == 404
    assert visitor.post("/reacties/999999/steun", {"soort": "support"}).status_code == 404
    assert _count(app, story_id=held.id) == 0


def test_an_unknown_kind_is_not_accepted(app, visitor: Visitor, member_and_story):
    _member, story = member_and_story
    response = visitor.post(f"/verhalen/{story.id}/steun", {"soort": "downvote"})
    assert response.status_code == 404
    assert _count(app, story_id=story.id) == 0


def test_the_json_answer_has_counts_and_never_a_pseudonym(
    app, make: Factory, visitor: Visitor, member_and_story
):
    member, story = member_and_story
    response = visitor.post(
        f"/verhalen/{story.id}/steun",
        {"soort": "recognition"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    answer = response.get_json()
    assert answer == {
        "counts": {kind.value: int(kind is ReactionKind.RECOGNITION) for kind in ReactionKind},
        "given": ["recognition"],
    }
    assert member.pseudonym not in response.get_data(as_text=True)


def test_the_story_page_with_reactions_and_a_follow_still_needs_few_queries(
    app, make: Factory, visitor: Visitor
):
    group = make.group()
    story = make.story(group)
    reader = make.user()
    make.membership(reader, group)
    replies = []
    for number in range(30):
        writer = make.user()
        make.membership(writer, group)
        replies.append(make.reply(story, writer, body=f"Reactie {number}"))
    with app.app_context():
        for reply in replies:
            for kind in ("support", "thanks"):
                db.session.add(Reaction(user_id=reader.id, reply_id=reply.id, kind=kind))
        db.session.add(Reaction(user_id=reader.id, story_id=story.id, kind="recognition"))
        db.session.add(Follow(user_id=reader.id, story_id=story.id))
        db.session.commit()
    visitor.login(reader)
    with counted_queries(app) as statements:
        response = visitor.get(f"/verhalen/{story.id}")
    page = response.get_data(as_text=True)
    assert page.count('aria-pressed="true"') == 61
    assert ">Niet meer volgen</button>" in page
    assert _read_count_of(app, story.id) == 1
    assert len(statements) <= 10, "\n\n".join(statements)


def _read_count_of(app: Flask, story_id: int) -> int:
    with app.app_context():
        return db.session.execute(
            sa.select(Story.read_count).where(Story.id == story_id)
        ).scalar_one()


def test_a_reaction_given_at_the_same_moment_elsewhere_is_no_error(
    app, visitor: Visitor, member_and_story, monkeypatch
):
    member, story = member_and_story
    visitor.post(f"/verhalen/{story.id}/steun", {"soort": "support"})
    # The second request does not see the first one's row yet: the database refuses the copy.
    monkeypatch.setattr(reactions, "_already_given", lambda *_args: False)
    response = visitor.post(f"/verhalen/{story.id}/steun", {"soort": "support"})
    assert response.status_code == 302
    assert _count(app, story_id=story.id, user_id=member.id, kind="support") == 1
