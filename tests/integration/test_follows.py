"""Following a story: followers hear about new replies; anonymous repliers stay unnamed."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from app.accounts.models import User
from app.database import unit_of_work
from app.extensions import db
from app.groups.models import Group, Visibility
from app.notifications import kinds
from app.notifications.models import Notification
from app.stories import follows, services
from app.stories.models import Follow, Reply, Story
from tests.support import Factory, Visitor


def _follow(user: User, story: Story) -> None:
    with unit_of_work():
        follows.follow(db.session.get(User, user.id), db.session.get(Story, story.id))


def _notify(reply: Reply) -> None:
    with unit_of_work():
        follows.notify_followers(db.session.get(Reply, reply.id))


def _notifications(user: User) -> list[Notification]:
    return list(
        db.session.execute(sa.select(Notification).where(Notification.user_id == user.id))
        .scalars()
        .all()
    )


def test_following_twice_keeps_one_follow(app: Flask, ctx, make: Factory):
    story = make.story(make.group())
    reader = make.user()
    _follow(reader, story)
    _follow(reader, story)
    count = db.session.execute(
        sa.select(sa.func.count()).select_from(Follow).filter_by(story_id=story.id)
    ).scalar_one()
    assert count == 1


def test_a_reply_notifies_the_followers_but_not_the_replier(app: Flask, ctx, make: Factory):
    group = make.group()
    writer, follower, replier = make.user(), make.user(), make.user(pseudonym="Merel")
    story = make.story(group, author=writer, title="Na de inbraak")
    for person in (writer, follower, replier):
        _follow(person, story)
    reply = make.reply(story, author=replier)
    _notify(reply)

    [to_writer] = _notifications(writer)
    assert to_writer.kind == kinds.REPLY_ON_MY_STORY
    assert to_writer.data == {"name": "Merel", "story": "Na de inbraak"}
    assert to_writer.link == f"/reacties/{reply.id}"
    [to_follower] = _notifications(follower)
    assert to_follower.kind == kinds.REPLY_ON_FOLLOWED_STORY
    assert kinds.text(to_follower.kind, to_follower.data) == (
        'Merel reageerde op "Na de inbraak", een verhaal dat je volgt.'
    )
    assert _notifications(replier) == []


def test_followers_who_can_no_longer_read_the_group_hear_nothing(app: Flask, ctx, make: Factory):
    group = make.group(Visibility.CLOSED)
    stays, left = make.user(), make.user()
    writer = make.user()
    for person in (stays, left, writer):
        make.membership(person, group)
    story = make.story(group, author=writer)
    _follow(stays, story)
    _follow(left, story)
    db.session.execute(sa.text("DELETE FROM memberships WHERE user_id = :id"), {"id": left.id})
    db.session.commit()
    _notify(make.reply(story, author=writer))
    assert len(_notifications(stays)) == 1
    assert _notifications(left) == []


def test_an_anonymous_reply_never_names_the_replier(app: Flask, make: Factory, visitor: Visitor):
    group = make.group()
    follower = make.user()
    replier = make.user(pseudonym="Geheimnaam")
    story = make.story(group, author=make.user())
    with app.test_request_context():
        _follow(follower, story)
        reply = make.reply(story, author=replier)
        with unit_of_work():
            db.session.get(Reply, reply.id).anonymous = True
        _notify(reply)
        [row] = _notifications(follower)
        assert row.data["name"] is None
        assert "Geheimnaam" not in str(row.data)
    visitor.login(follower)
    page = visitor.get("/meldingen").get_data(as_text=True)
    assert "Anoniem lid reageerde op" in page
    assert "Geheimnaam" not in page


def test_the_writer_follows_a_new_story_and_hears_about_replies(app: Flask, ctx, make: Factory):
    group = make.group()
    writer, replier = make.user(), make.user(pseudonym="Reiger")
    make.membership(writer, group)
    make.membership(replier, group)
    story = services.publish_story(
        db.session.get(User, writer.id),
        db.session.get(Group, group.id),
        title="Een jaar later",
        body="Het gaat beter, met kleine stapjes.",
    )
    services.add_reply(
        db.session.get(User, replier.id),
        db.session.get(Story, story.id),
        "Dank je voor je verhaal.",
    )
    [row] = _notifications(writer)
    assert row.kind == kinds.REPLY_ON_MY_STORY
    assert row.data["name"] == "Reiger"
