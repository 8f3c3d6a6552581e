"""A story's replies come in pages of fifty, oldest first; every link to a reply leads to the
page it is on, through its lasting address /reacties/<id>."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app import clock
from app.accounts.models import User
from app.extensions import db
from app.groups.models import Visibility
from app.stories.models import PostStatus, Reaction, ReactionKind, Reply, Story
from app.stories.reply_pages import REPLIES_PER_PAGE
from tests.functional.test_stories_queries import counted_queries
from tests.support import Factory, Visitor

_REPLY_IDS = re.compile(r'<li class="reply" id="reactie-(\d+)">')


def _add_replies(
    app: Flask, story: Story, author: User, count: int, status: PostStatus = PostStatus.PUBLISHED
) -> list[int]:
    """``count`` replies a minute apart, after any already there and before now; their ids
    in order."""
    with app.app_context():
        latest = db.session.execute(
            sa.select(sa.func.max(Reply.created_at)).where(Reply.story_id == story.id)
        ).scalar_one()
        start = (latest or clock.utcnow() - timedelta(days=1)) + timedelta(minutes=1)
        rows = [
            Reply(
                story_id=story.id,
                author_id=author.id,
                body_source=f"Reactie {number}",
                body_html=f"<p>Reactie {number}</p>",
                status=status.value,
                created_at=start + timedelta(minutes=number),
            )
            for number in range(count)
        ]
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


@pytest.fixture
def thread(app: Flask, make: Factory, visitor: Visitor):
    """A public story with 120 replies and a member reading it."""
    group = make.group()
    story = make.story(group)
    writer = make.user(pseudonym="Lijster")
    make.membership(writer, group)
    reader = make.user()
    make.membership(reader, group)
    visitor.login(reader)
    return group, story, _add_replies(app, story, writer, 120)


def _shown(page: str) -> list[int]:
    return [int(found) for found in _REPLY_IDS.findall(page)]


def test_the_first_page_shows_the_oldest_fifty_and_counts_them_all(visitor: Visitor, thread):
    _group, story, ids = thread
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert _shown(page) == ids[:REPLIES_PER_PAGE]
    assert "120 reacties" in page
    assert "Pagina 1 van 3" in page
    assert f'href="/verhalen/{story.id}?pagina=2#reacties-titel" rel="next"' in page
    assert 'rel="prev"' not in page


def test_later_pages_show_the_rest_and_a_way_back(visitor: Visitor, thread):
    _group, story, ids = thread
    second = visitor.get(f"/verhalen/{story.id}?pagina=2").get_data(as_text=True)
    assert _shown(second) == ids[50:100]
    assert f'href="/verhalen/{story.id}#reacties-titel" rel="prev"' in second
    assert '<span aria-current="page">2</span>' in second
    last = visitor.get(f"/verhalen/{story.id}?pagina=3").get_data(as_text=True)
    assert _shown(last) == ids[100:]
    assert 'rel="next"' not in last
    # The story itself is on every page.
    assert "Het gebeurde op een gewone dinsdag." in last


@pytest.mark.parametrize(("asked", "expected"), [("99", 3), ("0", 1), ("-2", 1), ("drie", 1)])
def test_a_page_number_out_of_range_gives_the_nearest_page(
    visitor: Visitor, thread, asked: str, expected: int
):
    _group, story, ids = thread
    response = visitor.get(f"/verhalen/{story.id}?pagina={asked}")
    assert response.status_code == 200
    first = (expected - 1) * REPLIES_PER_PAGE
    assert _shown(response.get_data(as_text=True)) == ids[first : first + REPLIES_PER_PAGE]


def test_a_story_with_few_replies_shows_no_page_links(app, make: Factory, visitor: Visitor):
    story = make.story(make.group())
    _add_replies(app, story, make.user(), REPLIES_PER_PAGE)
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert len(_shown(page)) == REPLIES_PER_PAGE
    assert "Pagina 1 van" not in page and 'class="pager"' not in page


def test_a_reply_link_leads_to_the_page_it_is_on(visitor: Visitor, thread):
    _group, story, ids = thread
    for index, page_number in ((0, 1), (49, 1), (50, 2), (119, 3)):
        response = visitor.get(f"/reacties/{ids[index]}")
        assert response.status_code == 302
        target = f"/verhalen/{story.id}?pagina={page_number}#reactie-{ids[index]}"
        assert response.headers["Location"] == target
        page = visitor.get(target.split("#")[0]).get_data(as_text=True)
        assert f'id="reactie-{ids[index]}"' in page


def test_reply_links_are_closed_where_the_story_is(app, make: Factory, visitor: Visitor):
    group = make.group(visibility=Visibility.CLOSED)
    member = make.user()
    make.membership(member, group)
    story = make.story(group)
    [reply_id] = _add_replies(app, story, member, 1)
    assert visitor.get(f"/reacties/{reply_id}").status_code == 404
    outsider = make.user()
    visitor.login(outsider)
    assert visitor.get(f"/reacties/{reply_id}").status_code == 404
    assert visitor.get("/reacties/999999").status_code == 404
    visitor.logout()
    visitor.login(member)
    assert visitor.get(f"/reacties/{reply_id}").status_code == 302


def test_a_held_reply_has_a_place_only_for_its_writer(app, make: Factory, visitor: Visitor):
    group = make.group()
    story = make.story(group)
    writer, other = make.user(), make.user()
    make.membership(writer, group)
    make.membership(other, group)
    _add_replies(app, story, other, REPLIES_PER_PAGE)
    [held] = _add_replies(app, story, writer, 1, status=PostStatus.HELD)
    visitor.login(other)
    assert visitor.get(f"/reacties/{held}").status_code == 404
    # The other member counts fifty replies: one page, the held one not among them.
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert "Pagina 1 van" not in page and f"reactie-{held}" not in page
    visitor.logout()
    visitor.login(writer)
    location = visitor.get(f"/reacties/{held}").headers["Location"]
    assert location == f"/verhalen/{story.id}?pagina=2#reactie-{held}"
    assert f'id="reactie-{held}"' in visitor.get(location).get_data(as_text=True)


def test_a_new_reply_takes_its_writer_to_the_last_page(
    app, make: Factory, visitor: Visitor, thread
):
    _group, story, _ids = thread
    response = visitor.post(f"/verhalen/{story.id}/reageren", {"body": "Ik lees met je mee."})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert re.fullmatch(rf"/verhalen/{story.id}\?pagina=3#reactie-\d+", location)
    assert "Ik lees met je mee." in visitor.get(location).get_data(as_text=True)


def test_quoting_a_reply_keeps_to_its_page(visitor: Visitor, thread):
    _group, story, ids = thread
    second = visitor.get(f"/verhalen/{story.id}?pagina=2").get_data(as_text=True)
    cite = f"/verhalen/{story.id}?pagina=2&amp;citeer={ids[60]}#reageren"
    assert cite in second
    quoted = visitor.get(cite.replace("&amp;", "&")).get_data(as_text=True)
    assert "&gt; Reactie 60" in quoted


def test_reactions_show_on_every_page(app: Flask, make: Factory, visitor: Visitor, thread):
    _group, story, ids = thread
    giver = make.user()
    with app.app_context():
        db.session.add(Reaction(user_id=giver.id, reply_id=ids[110], kind=ReactionKind.THANKS))
        db.session.commit()
    page = visitor.get(f"/verhalen/{story.id}?pagina=3").get_data(as_text=True)
    bar = page.split(f'data-reactions="reply-{ids[110]}"')[1].split("data-reactions=")[0]
    assert re.search(r'data-kind="thanks">(?:(?!</button>).)*data-count>1<', bar, re.S), bar


def test_the_live_reply_list_keeps_to_the_page_asked_for(visitor: Visitor, thread):
    _group, story, ids = thread
    listed = visitor.get(f"/verhalen/{story.id}/reacties?pagina=2").get_data(as_text=True)
    assert _shown(listed) == ids[50:100]
    assert 'data-heading="120 reacties"' in listed
    assert 'data-reply-pager="top"' in listed and 'data-reply-pager="bottom"' in listed
    page = visitor.get(f"/verhalen/{story.id}?pagina=2").get_data(as_text=True)
    assert f'data-live-replies="/verhalen/{story.id}/reacties?pagina=2"' in page


def test_a_later_page_stays_within_the_query_budget(app: Flask, visitor: Visitor, thread):
    _group, story, _ids = thread
    with counted_queries(app) as statements:
        response = visitor.get(f"/verhalen/{story.id}?pagina=2")
    assert response.status_code == 200
    assert len(statements) <= 11, "\n\n".join(statements)


def test_old_links_with_only_a_reply_anchor_are_sent_on_by_the_page(
    app: Flask, visitor: Visitor, thread
):
    """Links from before the pages ("/verhalen/1#reactie-80") cannot be sent on by the server,
    which never sees the anchor; the page carries a script that does it and the address it
    needs."""
    _group, story, _ids = thread
    page = visitor.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert 'data-reply-permalink="/reacties/0"' in page
    assert "/static/js/reply-anchor.js" in page
