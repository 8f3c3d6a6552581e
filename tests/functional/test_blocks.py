"""Blocking a member: the pages, and what the blocker and the blocked member notice.

A block keeps two members apart on named posts; anonymous posts behave as if there were no
block, so that a block can never be used to find out who wrote one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask import Flask

from app.accounts.models import AccountStatus, User
from app.blocks.models import MemberBlock
from app.extensions import db
from app.groups.models import Group
from app.notifications.models import Notification
from app.stories.models import Follow, Reaction, Reply, Story
from tests.functional.test_stories_queries import counted_queries
from tests.support import Factory, Visitor

FOLDED = "Je hebt dit lid geblokkeerd."
NEUTRAL_REPLY = "Reageren kan hier op dit moment niet."
_BLOCK_LINK = re.compile(r'href="/blokkeren/(\d+)[?"]')


@dataclass
class Pair:
    group: Group
    blocker: User
    blocked: User


@pytest.fixture
def pair(make: Factory) -> Pair:
    """Two members of one public group: Zonnebloem, who will block, and Klaproos."""
    group = make.group()
    blocker, blocked = make.user(pseudonym="Zonnebloem"), make.user(pseudonym="Klaproos")
    for member in (blocker, blocked):
        make.membership(member, group)
    return Pair(group, blocker, blocked)


def _block(app: Flask, blocker: User, blocked: User) -> None:
    with app.app_context():
        db.session.add(MemberBlock(blocker_id=blocker.id, blocked_id=blocked.id))
        db.session.commit()


def _count(app: Flask, model: type, **where: object) -> int:
    with app.app_context():
        return db.session.execute(
            sa.select(sa.func.count()).select_from(model).filter_by(**where)
        ).scalar_one()


def _follow(app: Flask, user: User, story: Story) -> None:
    with app.app_context():
        db.session.add(Follow(story_id=story.id, user_id=user.id))
        db.session.commit()


def _page(visitor: Visitor, path: str) -> str:
    response = visitor.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


# --- who may use the pages ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/blokkeren/{id}"),
        ("post", "/blokkeren/{id}"),
        ("post", "/blokkeren/{id}/opheffen"),
        ("get", "/account/geblokkeerd"),
        ("post", "/account/geblokkeerd"),
    ],
)
def test_visitors_are_sent_to_log_in(app, make: Factory, visitor: Visitor, method, path):
    someone = make.user()
    response = getattr(visitor, method)(path.format(id=someone.id))
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]
    assert _count(app, MemberBlock) == 0


# --- blocking and unblocking --------------------------------------------------------------


def test_a_member_blocks_the_writer_of_a_named_reply_after_a_kind_explanation(
    app, make: Factory, visitor: Visitor, pair: Pair
):
    story = make.story(pair.group)
    reply = make.reply(story, pair.blocked, body="Ik weet waar je woont.")
    visitor.login(pair.blocker)
    page = _page(visitor, f"/verhalen/{story.id}")
    assert [int(found) for found in _BLOCK_LINK.findall(page)] == [story.author_id, pair.blocked.id]

    confirm = _page(
        visitor, f"/blokkeren/{pair.blocked.id}?terug=/verhalen/{story.id}%23reactie-{reply.id}"
    )
    assert "Klaproos blokkeren" in confirm
    assert "Niemand krijgt hier een bericht over, ook Klaproos niet." in confirm
    assert f'href="/verhalen/{story.id}#reactie-{reply.id}"' in confirm  # "Nee, terug"
    assert _count(app, MemberBlock) == 0  # asking is not blocking

    response = visitor.post(
        f"/blokkeren/{pair.blocked.id}", {"terug": f"/verhalen/{story.id}#reactie-{reply.id}"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/verhalen/{story.id}#reactie-{reply.id}"
    assert _count(app, MemberBlock, blocker_id=pair.blocker.id, blocked_id=pair.blocked.id) == 1

    page = _page(visitor, f"/verhalen/{story.id}")
    assert "Je hebt Klaproos geblokkeerd. Niemand krijgt hier een bericht over." in page
    assert FOLDED in page
    assert "Ik weet waar je woont." not in page
    assert "Klaproos" not in page.split("Je hebt Klaproos geblokkeerd.")[1]


def test_blocking_the_writer_of_a_story_leads_to_its_group_afterwards(
    app, make: Factory, visitor: Visitor, pair: Pair
):
    story = make.story(pair.group, pair.blocked)
    visitor.login(pair.blocker)
    page = _page(visitor, f"/verhalen/{story.id}")
    [link] = re.findall(r'href="(/blokkeren/[^"]+)"', page)
    confirm = _page(visitor, link.replace("&amp;", "&"))
    assert f'value="/groepen/{pair.group.slug}"' in confirm
    response = visitor.post(
        f"/blokkeren/{pair.blocked.id}",
        {"terug": f"/verhalen/{story.id}", "daarna": f"/groepen/{pair.group.slug}"},
    )
    assert response.headers["Location"] == f"/groepen/{pair.group.slug}"


def test_blocking_twice_changes_nothing(app, visitor: Visitor, pair: Pair):
    visitor.login(pair.blocker)
    for _ in range(2):
        assert visitor.post(f"/blokkeren/{pair.blocked.id}").status_code == 302
    assert _count(app, MemberBlock, blocker_id=pair.blocker.id) == 1
    page = _page(visitor, f"/blokkeren/{pair.blocked.id}")
    assert "Blokkade opheffen" in page


def test_a_redirect_after_blocking_never_leaves_the_site(app, visitor: Visitor, pair: Pair):
    visitor.login(pair.blocker)
    response = visitor.post(f"/blokkeren/{pair.blocked.id}", {"terug": "https://example.org/"})
    assert response.headers["Location"] == "/account/geblokkeerd"


def test_nobody_is_notified_of_a_block(app, visitor: Visitor, pair: Pair):
    visitor.login(pair.blocker)
    visitor.post(f"/blokkeren/{pair.blocked.id}")
    assert _count(app, Notification) == 0


def test_a_member_cannot_block_themselves(app, visitor: Visitor, pair: Pair):
    visitor.login(pair.blocker)
    response = visitor.get(f"/blokkeren/{pair.blocker.id}")
    assert response.status_code == 422
    assert "Jezelf blokkeren kan niet." in response.get_data(as_text=True)
    assert visitor.post(f"/blokkeren/{pair.blocker.id}").status_code == 422
    assert _count(app, MemberBlock) == 0


def test_an_unknown_or_deleted_member_is_not_found(app, make: Factory, visitor: Visitor, pair):
    gone = make.user()
    with app.app_context():
        db.session.get(User, gone.id).status = AccountStatus.DELETED.value
        db.session.commit()
    visitor.login(pair.blocker)
    for user_id in (gone.id, 987654):
        assert visitor.get(f"/blokkeren/{user_id}").status_code == 404
        assert visitor.post(f"/blokkeren/{user_id}").status_code == 404
    assert _count(app, MemberBlock) == 0


def test_the_list_shows_whom_one_blocked_and_lifting_a_block_restores_everything(
    app, make: Factory, visitor: Visitor, pair: Pair
):
    story = make.story(pair.group, pair.blocked, title="Over de rechtszaak")
    other_story = make.story(pair.group)
    make.reply(other_story, pair.blocked, body="Ik herken dit.")
    _block(app, pair.blocker, pair.blocked)
    visitor.login(pair.blocker)
    assert 'href="/account/geblokkeerd"' in _page(visitor, "/account")
    listing = _page(visitor, "/account/geblokkeerd")
    assert "Klaproos" in listing
    assert f'action="/blokkeren/{pair.blocked.id}/opheffen"' in listing
    assert "Over de rechtszaak" not in _page(visitor, "/")

    response = visitor.post(f"/blokkeren/{pair.blocked.id}/opheffen")
    assert response.headers["Location"] == "/account/geblokkeerd"
    assert _count(app, MemberBlock) == 0
    assert "Je hebt niemand geblokkeerd." in _page(visitor, "/account/geblokkeerd")
    assert "Over de rechtszaak" in _page(visitor, "/")
    assert visitor.get(f"/verhalen/{story.id}").status_code == 200
    page = _page(visitor, f"/verhalen/{other_story.id}")
    assert "Ik herken dit." in page
    assert FOLDED not in page
    # Lifting a block that is not there is no error.
    assert visitor.post(f"/blokkeren/{pair.blocked.id}/opheffen").status_code == 302


def test_a_member_blocks_someone_by_pseudonym_through_the_same_confirmation(
    app, visitor: Visitor, pair: Pair
):
    visitor.login(pair.blocker)
    response = visitor.post("/account/geblokkeerd", {"schuilnaam": " klaproos "})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/blokkeren/{pair.blocked.id}?")
    assert _count(app, MemberBlock) == 0

    unknown = visitor.post("/account/geblokkeerd", {"schuilnaam": "Niemand-hier"})
    assert unknown.status_code == 422
    assert "We vinden geen lid met deze schuilnaam." in unknown.get_data(as_text=True)
    assert 'value="Niemand-hier"' in unknown.get_data(as_text=True)
    yourself = visitor.post("/account/geblokkeerd", {"schuilnaam": "Zonnebloem"})
    assert yourself.status_code == 422
    assert "Jezelf blokkeren kan niet." in yourself.get_data(as_text=True)
    assert visitor.post("/account/geblokkeerd", {"schuilnaam": ""}).status_code == 422


# --- what the blocker no longer sees ------------------------------------------------------


def test_the_blocked_members_named_stories_leave_the_blockers_lists_and_pages(
    app, make: Factory, visitor: Visitor, pair: Pair
):
    named = make.story(pair.group, pair.blocked, title="Wat mij overkwam")
    others = make.story(pair.group, title="Een ander verhaal")
    _block(app, pair.blocker, pair.blocked)
    visitor.login(pair.blocker)
    for path in ("/", f"/groepen/{pair.group.slug}"):
        page = _page(visitor, path)
        assert "Wat mij overkwam" not in page
        assert "Een ander verhaal" in page
    assert visitor.get(f"/verhalen/{named.id}").status_code == 404
    assert visitor.get(f"/verhalen/{others.id}").status_code == 200
    # Others still see it.
    visitor.logout()
    visitor.login(make.user())
    assert "Wat mij overkwam" in _page(visitor, f"/groepen/{pair.group.slug}")


def test_anonymous_posts_look_the_same_before_and_after_a_block(
    app, make: Factory, visitor: Visitor, pair: Pair
):
    """Otherwise blocking a pseudonym and looking again would tell who wrote them."""
    story = make.story(pair.group, pair.blocked, title="Anoniem gedeeld", anonymous=True)
    make.reply(story, pair.blocked, body="Nog iets anoniems.", anonymous=True)
    visitor.login(pair.blocker)
    before = [_page(visitor, path) for path in ("/", f"/groepen/{pair.group.slug}")]
    before_story = _page(visitor, f"/verhalen/{story.id}")
    _block(app, pair.blocker, pair.blocked)
    after = [_page(visitor, path) for path in ("/", f"/groepen/{pair.group.slug}")]
    after_story = _page(visitor, f"/verhalen/{story.id}")
    for page in (*before, *after):
        assert "Anoniem gedeeld" in page
    assert "Nog iets anoniems." in after_story
    assert FOLDED not in after_story
    assert "Klaproos" not in after_story
    assert _without_tokens(after_story) == _without_tokens(before_story)


def _without_tokens(page: str) -> str:
    return re.sub(r"<(input|meta)[^>]*csrf[^>]*>", "", page)


def test_anonymous_posts_never_offer_a_block_link(app, make: Factory, visitor: Visitor, pair):
    story = make.story(pair.group, pair.blocked, anonymous=True)
    make.reply(story, pair.blocked, anonymous=True)
    named = make.reply(story, pair.blocked)
    make.reply(story, pair.blocker)
    visitor.login(pair.blocker)
    page = _page(visitor, f"/verhalen/{story.id}")
    assert _BLOCK_LINK.findall(page) == [str(pair.blocked.id)]
    back = f'{pair.blocked.id}?terug=/reacties/{named.id}"'
    assert page.split("/blokkeren/")[1].startswith(back)
    assert f"/blokkeren/{pair.blocker.id}" not in page  # not on one's own reply


def test_visitors_see_no_block_links(app, make: Factory, visitor: Visitor, pair: Pair):
    story = make.story(pair.group, pair.blocked)
    make.reply(story, pair.blocker)
    assert "/blokkeren/" not in _page(visitor, f"/verhalen/{story.id}")


def test_the_story_page_of_a_blocker_stays_within_its_query_budget(
    app, make: Factory, visitor: Visitor, pair: Pair
):
    story = make.story(pair.group)
    for number in range(10):
        make.reply(story, pair.blocked if number % 2 else None, body=f"Reactie {number}")
    _block(app, pair.blocker, pair.blocked)
    visitor.login(pair.blocker)
    with counted_queries(app) as statements:
        response = visitor.get(f"/verhalen/{story.id}")
    assert response.get_data(as_text=True).count(FOLDED) == 5
    assert len(statements) <= 10, "\n\n".join(statements)


# --- what the blocked member meets --------------------------------------------------------


def test_a_reply_to_the_blockers_story_is_refused_neutrally_and_the_text_kept(
    app, make: Factory, visitor: Visitor, pair: Pair
):
    story = make.story(pair.group, pair.blocker)
    _block(app, pair.blocker, pair.blocked)
    visitor.login(pair.blocked)
    response = visitor.post(f"/verhalen/{story.id}/reageren", {"body": "Mijn lange reactie."})
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert NEUTRAL_REPLY in page
    assert "Mijn lange reactie." in page
    assert "geblokkeerd" not in page.lower()
    assert _count(app, Reply, story_id=story.id) == 0
    assert _count(app, Notification) == 0


def test_a_reply_to_the_blockers_anonymous_story_goes_through(
    app, make: Factory, visitor: Visitor, pair: Pair
):
    """A refusal would tell the blocked member who wrote the anonymous story."""
    story = make.story(pair.group, pair.blocker, anonymous=True)
    _block(app, pair.blocker, pair.blocked)
    visitor.login(pair.blocked)
    response = visitor.post(f"/verhalen/{story.id}/reageren", {"body": "Sterkte gewenst."})
    assert response.status_code == 302
    assert _count(app, Reply, story_id=story.id) == 1


@pytest.mark.parametrize("on", ["story", "reply"])
def test_reacting_to_the_blockers_posts_is_refused_neutrally(
    app, make: Factory, visitor: Visitor, pair: Pair, on: str
):
    story = make.story(pair.group, pair.blocker)
    reply = make.reply(make.story(pair.group), pair.blocker)
    path = f"/verhalen/{story.id}/steun" if on == "story" else f"/reacties/{reply.id}/steun"
    _block(app, pair.blocker, pair.blocked)
    visitor.login(pair.blocked)
    response = visitor.post(path, {"soort": "support"})
    assert response.status_code == 403
    assert "Steun geven kan hier op dit moment niet." in response.get_data(as_text=True)
    answer = visitor.post(path, {"soort": "support"}, headers={"Accept": "application/json"})
    assert answer.status_code == 403
    assert answer.get_json()["error"] == {
        "code": "forbidden",
        "message": "Steun geven kan hier op dit moment niet.",
    }
    assert _count(app, Reaction) == 0


def test_a_reaction_given_before_the_block_can_still_be_taken_back(
    app, make: Factory, visitor: Visitor, pair: Pair
):
    story = make.story(pair.group, pair.blocker)
    visitor.login(pair.blocked)
    visitor.post(f"/verhalen/{story.id}/steun", {"soort": "thanks"})
    _block(app, pair.blocker, pair.blocked)
    visitor.post(f"/verhalen/{story.id}/steun", {"soort": "thanks", "geven": "0"})
    assert _count(app, Reaction) == 0


def test_the_blocked_member_cannot_follow_the_blockers_named_story(
    app, make: Factory, visitor: Visitor, pair: Pair
):
    story = make.story(pair.group, pair.blocker)
    anonymous = make.story(pair.group, pair.blocker, anonymous=True)
    _block(app, pair.blocker, pair.blocked)
    visitor.login(pair.blocked)
    assert ">Volgen</button>" not in _page(visitor, f"/verhalen/{story.id}")
    response = visitor.post(f"/verhalen/{story.id}/volgen")
    assert response.status_code == 403
    assert "geblokkeerd" not in response.get_data(as_text=True).lower()
    assert _count(app, Follow, story_id=story.id) == 0
    # No difference on an anonymous story: that would name its writer.
    assert ">Volgen</button>" in _page(visitor, f"/verhalen/{anonymous.id}")


def test_no_follow_notifications_pass_a_block_either_way(
    app, make: Factory, visitor: Visitor, pair: Pair
):
    writer = make.user()
    story = make.story(pair.group, writer)
    for member in (writer, pair.blocker, pair.blocked):
        _follow(app, member, story)
    _block(app, pair.blocker, pair.blocked)

    visitor.login(pair.blocker)
    visitor.post(f"/verhalen/{story.id}/reageren", {"body": "Ik ben er ook."})
    assert _count(app, Notification, user_id=pair.blocked.id) == 0
    visitor.logout()
    visitor.login(pair.blocked)
    visitor.post(f"/verhalen/{story.id}/reageren", {"body": "En ik ook."})
    assert _count(app, Notification, user_id=pair.blocker.id) == 0
    assert _count(app, Notification, user_id=writer.id) == 2

    # Someone else's reply still reaches both.
    visitor.logout()
    third = make.user()
    make.membership(third, pair.group)
    visitor.login(third)
    visitor.post(f"/verhalen/{story.id}/reageren", {"body": "Sterkte allebei."})
    assert _count(app, Notification, user_id=pair.blocker.id) == 1
    assert _count(app, Notification, user_id=pair.blocked.id) == 1
