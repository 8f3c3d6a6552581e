"""Publishing stories and replies, and reading them back through the permission module."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app import clock, permissions
from app.accounts.models import SiteRole
from app.errors import NotAllowed, NotFound, ValidationFailed
from app.extensions import db
from app.groups.models import GroupRole, Visibility
from app.stories import services
from app.stories.models import PostStatus, Reply, Story
from tests.support import Factory

pytestmark = pytest.mark.usefixtures("ctx")


def _fresh_request_cache() -> None:
    permissions.forget_group_roles()


def test_a_member_publishes_a_story_that_is_rendered_and_sanitised(make: Factory):
    group = make.group()
    author = make.user()
    make.membership(author, group)
    moment = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
    with clock.frozen(moment):
        story = services.publish_story(
            author, group, "  Een   titel\n", "Hallo **jij**\n\n<script>x</script>"
        )
    saved = db.session.get(Story, story.id)
    assert saved is not None
    assert saved.title == "Een titel"
    assert saved.body_source == "Hallo **jij**\n\n<script>x</script>"
    assert "<strong>jij</strong>" in saved.body_html
    assert "<script" not in saved.body_html
    assert saved.published_at == moment
    assert saved.status == PostStatus.PUBLISHED.value
    assert saved.reply_count == 0


def test_a_non_member_may_not_publish(make: Factory):
    group = make.group()
    with pytest.raises(NotAllowed):
        services.publish_story(make.user(), group, "Titel", "Tekst")


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("", "Tekst", "title"),
        ("   ", "Tekst", "title"),
        ("x" * 151, "Tekst", "title"),
        ("Titel", "", "body"),
        ("Titel", " \n\t ", "body"),
        ("Titel", "x" * 20_001, "body"),
    ],
)
def test_titles_and_bodies_are_checked(make: Factory, title: str, body: str, field: str):
    group = make.group()
    author = make.user()
    make.membership(author, group)
    with pytest.raises(ValidationFailed) as raised:
        services.publish_story(author, group, title, body)
    assert raised.value.field == field


def test_the_longest_allowed_title_and_body_are_accepted(make: Factory):
    group = make.group()
    author = make.user()
    make.membership(author, group)
    story = services.publish_story(author, group, "t" * 150, "b" * 20_000)
    assert len(db.session.get(Story, story.id).title) == 150


def test_a_reply_keeps_the_reply_count_in_step(make: Factory):
    group = make.group()
    author = make.user()
    make.membership(author, group)
    story = make.story(group, author)
    services.add_reply(author, story, "Sterkte *echt*")
    services.add_reply(author, story, "Nog een", anonymous=True)
    db.session.expire_all()
    saved = db.session.get(Story, story.id)
    assert saved.reply_count == 2
    replies = services.replies_to(saved)
    assert [reply.body_source for reply in replies] == ["Sterkte *echt*", "Nog een"]
    assert "<em>echt</em>" in replies[0].body_html
    assert replies[1].anonymous


def test_replying_outside_ones_groups_is_refused(make: Factory):
    public, closed = make.group(), make.group(Visibility.CLOSED)
    outsider = make.user()
    with pytest.raises(NotAllowed):
        services.add_reply(outsider, make.story(public), "Hoi")
    with pytest.raises(NotFound):
        services.add_reply(outsider, make.story(closed), "Hoi")


def test_replying_to_a_held_story_is_not_found(make: Factory):
    group = make.group()
    member = make.user()
    make.membership(member, group)
    held = make.story(group, status=PostStatus.HELD)
    with pytest.raises(NotFound):
        services.add_reply(member, held, "Hoi")


def test_replies_are_published_ones_oldest_first(make: Factory):
    group = make.group()
    story = make.story(group)
    with clock.frozen(datetime(2024, 1, 1, tzinfo=UTC)):
        later = make.reply(story, body="later")
    with clock.frozen(datetime(2023, 12, 31, tzinfo=UTC)):
        earlier = make.reply(story, body="eerder")
        hidden = make.reply(story, body="weg")
    with db.session.begin_nested():
        db.session.execute(
            sa.update(Reply).where(Reply.id == hidden.id).values(status=PostStatus.REMOVED.value)
        )
    ids = [reply.id for reply in services.replies_to(db.session.get(Story, story.id))]
    assert ids == [earlier.id, later.id]


def test_a_story_is_found_only_for_readers_of_its_group(make: Factory):
    closed, hidden = make.group(Visibility.CLOSED), make.group(Visibility.HIDDEN)
    closed_story, hidden_story = make.story(closed), make.story(hidden)
    member = make.user()
    make.membership(member, closed)
    moderator = make.user(role=SiteRole.MODERATOR)
    admin = make.user(role=SiteRole.ADMIN)

    for actor in (None, make.user()):
        for story in (closed_story, hidden_story):
            with pytest.raises(NotFound):
                services.story_for_reader(actor, story.id)
    assert services.story_for_reader(member, closed_story.id).id == closed_story.id
    assert services.story_for_reader(moderator, closed_story.id).id == closed_story.id
    with pytest.raises(NotFound):
        services.story_for_reader(moderator, hidden_story.id)
    assert services.story_for_reader(admin, hidden_story.id).id == hidden_story.id


def test_missing_or_unpublished_stories_are_not_found(make: Factory):
    group = make.group()
    held = make.story(group, status=PostStatus.HELD)
    with pytest.raises(NotFound):
        services.story_for_reader(None, held.id)
    with pytest.raises(NotFound):
        services.story_for_reader(None, 987_654)


def test_the_feed_shows_public_and_own_groups_only(make: Factory):
    public, closed, other_closed, hidden = (
        make.group(),
        make.group(Visibility.CLOSED),
        make.group(Visibility.CLOSED),
        make.group(Visibility.HIDDEN),
    )
    stories = {
        name: make.story(group)
        for name, group in [
            ("public", public),
            ("closed", closed),
            ("other", other_closed),
            ("hidden", hidden),
        ]
    }
    member = make.user()
    make.membership(member, closed)
    make.membership(member, hidden)
    moderator = make.user(role=SiteRole.MODERATOR)
    admin = make.user(role=SiteRole.ADMIN)

    def feed(actor: object) -> set[int]:
        _fresh_request_cache()
        return {story.id for story in services.recent_stories(actor).stories}

    ids = {name: story.id for name, story in stories.items()}
    assert feed(None) == {ids["public"]}
    assert feed(member) == {ids["public"], ids["closed"], ids["hidden"]}
    # Staff may read more, but the home feed stays a member's view.
    assert feed(moderator) == {ids["public"]}
    assert feed(admin) == {ids["public"]}


def test_the_feed_leaves_out_unpublished_stories(make: Factory):
    group = make.group()
    shown = make.story(group)
    make.story(group, status=PostStatus.HELD)
    make.story(group, status=PostStatus.REMOVED)
    assert [story.id for story in services.recent_stories(None).stories] == [shown.id]


def test_feed_pages_have_no_gaps_or_duplicates_even_with_equal_times(make: Factory):
    group = make.group()
    author = make.user()
    made = []
    with clock.frozen(datetime(2024, 3, 1, tzinfo=UTC)) as moving:
        for number in range(25):
            made.append(make.story(group, author, title=f"Verhaal {number}"))
            if number % 3 == 0:  # several stories share a moment
                moving.advance(minutes=5)
    expected = [
        story.id
        for story in sorted(made, key=lambda story: (story.published_at, story.id), reverse=True)
    ]
    seen: list[int] = []
    cursor = None
    while True:
        page = services.recent_stories(None, before=cursor, limit=7)
        seen.extend(story.id for story in page.stories)
        if page.next_cursor is None:
            break
        cursor = services.FeedCursor.from_token(page.next_cursor.token)
    assert seen == expected


def test_the_ambassador_badge_never_points_at_an_anonymous_post(make: Factory):
    group = make.group()
    ambassador = make.user()
    make.membership(ambassador, group, GroupRole.AMBASSADOR)
    story = make.story(group)
    named = make.reply(story, ambassador)
    anonymous = make.reply(story, ambassador)
    with db.session.begin_nested():
        db.session.execute(sa.update(Reply).where(Reply.id == anonymous.id).values(anonymous=True))
    replies = services.replies_to(db.session.get(Story, story.id))
    assert services.ambassadors_among(group.id, replies) == {ambassador.id}
    assert services.ambassadors_among(group.id, [r for r in replies if r.id != named.id]) == set()


def test_staff_among_names_only_named_staff_writers(make: Factory, ctx):
    group = make.group()
    story = make.story(group)
    moderator = make.user(role=SiteRole.MODERATOR)
    researcher = make.user(role=SiteRole.RESEARCHER)
    member = make.user()
    make.reply(story, moderator)
    make.reply(story, moderator, anonymous=True)
    make.reply(story, researcher)
    make.reply(story, member)
    loaded = db.session.get(Story, story.id)
    replies = services.replies_to(loaded)
    assert services.staff_among(loaded.group, replies) == {moderator.id}
    anonymous_only = [reply for reply in replies if reply.anonymous]
    assert services.staff_among(loaded.group, anonymous_only) == set()


def test_a_feed_cursor_survives_a_round_trip():
    cursor = services.FeedCursor(datetime(2024, 2, 29, 23, 59, 59, 123456, tzinfo=UTC), 42)
    assert services.FeedCursor.from_token(cursor.token) == cursor


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc",
        "1",
        "-1-1",
        "1-0",
        "1--1",
        "1-99999999999999999999",
        "9" * 18 + "-1",
        "1.5-2",
        "１-２",
        "1-2\x00",
        "1-2 OR 1=1",
    ],
)
def test_a_malformed_cursor_is_rejected(token: str):
    with pytest.raises(ValueError):
        services.FeedCursor.from_token(token)
