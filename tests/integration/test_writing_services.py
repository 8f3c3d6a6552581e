"""The writing services on a real database: checks, revisions, tombstones and filters."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.errors import NotAllowed, NotFound, ValidationFailed
from app.extensions import db
from app.groups.models import Group
from app.stories import services, writing
from app.stories.models import PostStatus, Reply, Revision, Story
from tests.support import Factory

pytestmark = pytest.mark.usefixtures("ctx")


def _member(make: Factory) -> tuple[User, Group]:
    group = make.group()
    user = make.user()
    make.membership(user, group)
    return db.session.get(User, user.id), db.session.get(Group, group.id)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"body": "\x00 \n"}, "body"),
        ({"warnings": ["violence", "weather"]}, "content_warnings"),
        ({"warning_note": "x" * 201}, "content_warning_note"),
    ],
)
def test_publishing_names_the_field_that_is_not_right(make: Factory, changes: dict, field: str):
    author, group = _member(make)
    values = {"title": "Titel", "body": "Tekst", **changes}
    with pytest.raises(ValidationFailed) as refused:
        services.publish_story(author, group, **values)
    assert refused.value.field == field
    assert db.session.execute(sa.select(sa.func.count(Story.id))).scalar_one() == 0


def test_a_failing_follow_takes_the_story_back_with_it(make: Factory, monkeypatch):
    author, group = _member(make)

    def broken(user: User, story: Story) -> None:
        raise RuntimeError("follow failed")

    monkeypatch.setattr("app.stories.follows.follow", broken)
    with pytest.raises(RuntimeError):
        services.publish_story(author, group, "Titel", "Tekst")
    assert db.session.execute(sa.select(sa.func.count(Story.id))).scalar_one() == 0


def test_a_member_who_has_not_accepted_the_house_rules_cannot_publish(make: Factory):
    group = make.group()
    user = make.user(accepted_house_rules=False)
    make.membership(user, group)
    with pytest.raises(NotAllowed):
        services.publish_story(db.session.get(User, user.id), group, "Titel", "Tekst")


def test_only_the_writer_edits_and_a_deleted_story_is_no_longer_editable(make: Factory):
    author, group = _member(make)
    other = make.user()
    make.membership(other, group)
    story = services.publish_story(author, group, "Titel", "Tekst")
    with pytest.raises(NotAllowed):
        writing.edit_story(db.session.get(User, other.id), story.id, "Ander", "Ander")
    writing.delete_story(author, story.id)
    with pytest.raises(NotFound):
        writing.edit_story(author, story.id, "Weer", "Weer")
    with pytest.raises(NotFound):
        writing.delete_story(author, story.id)


def test_deleting_one_of_two_replies_leaves_one_counted(make: Factory):
    author, group = _member(make)
    story = services.publish_story(author, group, "Titel", "Tekst")
    first = services.add_reply(author, story, "Eerste")
    services.add_reply(author, story, "Tweede")
    writing.edit_reply(author, first.id, "Eerste, bewerkt")
    writing.delete_reply(author, first.id)
    db.session.expire_all()
    assert db.session.get(Story, story.id).reply_count == 1
    assert db.session.get(Reply, first.id).status == PostStatus.DELETED.value
    remaining = db.session.execute(sa.select(Revision.reply_id)).scalars().all()
    assert first.id not in remaining


def test_reading_choices_keep_only_what_should_not_be_shown(make: Factory):
    user = db.session.get(User, make.user().id)
    saved = writing.set_warning_filters(user, {"violence": "hide", "injury": "collapse"})
    assert saved == {"violence": "hide"}
    with pytest.raises(ValidationFailed):
        writing.set_warning_filters(user, {"weather": "hide"})
