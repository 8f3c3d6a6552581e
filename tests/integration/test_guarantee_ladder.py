"""The escalation ladder, moved through time: nobody is left alone, nobody is told twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app import clock
from app.accounts.models import SiteRole, User
from app.database import unit_of_work
from app.errors import Conflict
from app.extensions import db
from app.groups.models import Group, GroupRole, Visibility
from app.guarantee import clocks, ladder, queue
from app.guarantee.models import ResponseWatch
from app.notifications import kinds
from app.notifications.models import Notification
from app.stories import services, writing
from app.stories.models import PostStatus, Story
from tests.support import Factory

START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(app: Flask, ctx, make: Factory) -> dict:
    """A public group with two ambassadors, a writer, a reader and the staff."""
    group = make.group(name="Na een inbraak")
    people = {
        "writer": make.user("Schrijver"),
        "reader": make.user("Lezer"),
        "amb1": make.user("Ambassadeur Een"),
        "amb2": make.user("Ambassadeur Twee"),
        "moderator": make.user("Moderator", role=SiteRole.MODERATOR),
        "content": make.user("Inhoud", role=SiteRole.CONTENT_MANAGER),
        "researcher": make.user("Onderzoeker", role=SiteRole.RESEARCHER),
    }
    for name in ("writer", "reader"):
        make.membership(people[name], group)
    for name in ("amb1", "amb2"):
        make.membership(people[name], group, GroupRole.AMBASSADOR)
    return {"group": group, **people}


def _get(model, row_id):
    return db.session.get(model, row_id)


def _publish(world: dict, anonymous: bool = False, title: str = "Het gebeurde") -> Story:
    return services.publish_story(
        _get(User, world["writer"].id),
        _get(Group, world["group"].id),
        title,
        "Ik wil het graag kwijt.",
        anonymous=anonymous,
    )


def _told(user: User, kind: str) -> list[Notification]:
    return list(
        db.session.execute(
            sa.select(Notification).where(
                Notification.user_id == user.id, Notification.kind == kind
            )
        ).scalars()
    )


def test_before_half_the_target_nobody_is_disturbed(world):
    with clock.frozen(START) as time:
        _publish(world)
        time.advance(hours=11, minutes=59)
        ladder.climb(clock.utcnow())
    assert _told(world["amb1"], kinds.STORY_WAITING) == []
    assert _told(world["moderator"], kinds.STORY_OVERDUE) == []


def test_at_half_the_target_every_ambassador_is_told_once(world):
    with clock.frozen(START) as time:
        story = _publish(world)
        time.advance(hours=12)
        assert ladder.climb(clock.utcnow()).ambassadors_told == 1
        time.advance(minutes=1)
        assert ladder.climb(clock.utcnow()).ambassadors_told == 0
    for name in ("amb1", "amb2"):
        [note] = _told(world[name], kinds.STORY_WAITING)
        assert note.link == f"/verhalen/{story.id}"
        assert note.data == {"story": "Het gebeurde", "group": "Na een inbraak"}
    assert _told(world["writer"], kinds.STORY_WAITING) == []
    assert _told(world["reader"], kinds.STORY_WAITING) == []
    assert _told(world["moderator"], kinds.STORY_OVERDUE) == []


def test_an_ambassador_who_wrote_the_story_is_not_asked_to_answer_it(world, make: Factory):
    with clock.frozen(START) as time:
        services.publish_story(
            _get(User, world["amb1"].id), _get(Group, world["group"].id), "Van mij", "Tekst."
        )
        time.advance(hours=12)
        ladder.climb(clock.utcnow())
    assert _told(world["amb1"], kinds.STORY_WAITING) == []
    assert len(_told(world["amb2"], kinds.STORY_WAITING)) == 1


def test_at_the_target_moderators_and_content_managers_are_told_once(world):
    with clock.frozen(START) as time:
        story = _publish(world)
        time.advance(hours=24)
        climbed = ladder.climb(clock.utcnow())
        assert climbed.overdue == 1
        time.advance(hours=1)
        assert ladder.climb(clock.utcnow()).overdue == 0
        overdue = queue.overdue_stories(_get(User, world["moderator"].id))
    for name in ("moderator", "content"):
        [note] = _told(world[name], kinds.STORY_OVERDUE)
        assert note.data == {"group": "Na een inbraak", "hours": 24}
        assert note.link == f"/reactiegarantie#verhaal-{story.id}"
    assert _told(world["researcher"], kinds.STORY_OVERDUE) == []
    # The ambassadors, told at once as both steps passed together, were told one time.
    assert len(_told(world["amb1"], kinds.STORY_WAITING)) == 1
    assert [item.story.title for item in overdue] == ["Het gebeurde"]
    assert overdue[0].overdue


def test_a_reply_from_someone_else_stops_the_ladder(world):
    with clock.frozen(START) as time:
        story = _publish(world)
        time.advance(hours=11)
        services.add_reply(_get(User, world["reader"].id), _get(Story, story.id), "Sterkte!")
        time.advance(hours=13)
        climbed = ladder.climb(clock.utcnow())
        waiting = queue.ambassador_queue(_get(User, world["amb1"].id))
    assert (climbed.ambassadors_told, climbed.overdue) == (0, 0)
    assert waiting == []
    watch = _get(ResponseWatch, story.id)
    assert clock.as_utc(watch.answered_at) == START + timedelta(hours=11)


def test_the_writers_own_reply_does_not_count_as_an_answer(world):
    with clock.frozen(START) as time:
        story = _publish(world)
        time.advance(hours=1)
        services.add_reply(_get(User, world["writer"].id), _get(Story, story.id), "Aanvulling.")
        time.advance(hours=11)
        assert ladder.climb(clock.utcnow()).ambassadors_told == 1
    assert _get(ResponseWatch, story.id).answered_at is None


def test_when_the_only_answer_is_deleted_the_story_waits_again(world):
    with clock.frozen(START) as time:
        story = _publish(world)
        time.advance(hours=1)
        reply = services.add_reply(_get(User, world["reader"].id), _get(Story, story.id), "Hoi.")
        time.advance(hours=1)
        writing.delete_reply(_get(User, world["reader"].id), reply.id)
        time.advance(hours=22)
        assert ladder.climb(clock.utcnow()).overdue == 1


def test_a_deleted_story_is_not_escalated(world):
    with clock.frozen(START) as time:
        story = _publish(world)
        writing.delete_story(_get(User, world["writer"].id), story.id)
        time.advance(hours=30)
        climbed = ladder.climb(clock.utcnow())
    assert (climbed.ambassadors_told, climbed.overdue) == (0, 0)


def test_a_held_story_starts_its_clock_when_it_is_published(world, make: Factory):
    with clock.frozen(START) as time:
        held = make.story(world["group"], world["writer"], status=PostStatus.HELD)
        time.advance(hours=30)
        assert ladder.climb(clock.utcnow()).clocks_started == 0
        with unit_of_work():
            story = _get(Story, held.id)
            story.status = PostStatus.PUBLISHED.value
            story.published_at = clock.utcnow()
            clocks.start_clock(story, _get(Group, world["group"].id))
        climbed = ladder.climb(clock.utcnow())
        assert (climbed.ambassadors_told, climbed.overdue) == (0, 0)
        time.advance(hours=12)
        assert ladder.climb(clock.utcnow()).ambassadors_told == 1


def test_a_story_published_without_a_clock_gets_one_from_the_worker(world, make: Factory):
    with clock.frozen(START) as time:
        story = make.story(world["group"], world["writer"])
        time.advance(minutes=1)
        assert ladder.climb(clock.utcnow()).clocks_started == 1
    watch = _get(ResponseWatch, story.id)
    assert clock.as_utc(watch.due_at) == START + timedelta(hours=24)


def test_the_group_target_decides_the_ladder(world):
    with unit_of_work():
        _get(Group, world["group"].id).response_target_minutes = 4 * 60
    with clock.frozen(START) as time:
        _publish(world)
        time.advance(hours=2)
        assert ladder.climb(clock.utcnow()).ambassadors_told == 1
        time.advance(hours=2)
        assert ladder.climb(clock.utcnow()).overdue == 1
    [note] = _told(world["moderator"], kinds.STORY_OVERDUE)
    assert note.data["hours"] == 4


def test_an_anonymous_story_is_never_named_in_reminders(world):
    with clock.frozen(START) as time:
        _publish(world, anonymous=True)
        time.advance(hours=25)
        ladder.climb(clock.utcnow())
    notes = _told(world["amb1"], kinds.STORY_WAITING) + _told(
        world["moderator"], kinds.STORY_OVERDUE
    )
    assert notes
    for note in notes:
        assert "Schrijver" not in repr(note.data)


def test_staff_are_not_told_about_a_hidden_group_they_cannot_see(world, make: Factory):
    hidden = make.group(visibility=Visibility.HIDDEN, name="Verborgen")
    make.membership(world["writer"], hidden)
    admin = make.user("Beheer", role=SiteRole.ADMIN)
    with clock.frozen(START) as time:
        services.publish_story(_get(User, world["writer"].id), _get(Group, hidden.id), "Stil", "x")
        time.advance(hours=24)
        ladder.climb(clock.utcnow())
    assert _told(world["moderator"], kinds.STORY_OVERDUE) == []
    assert _told(world["content"], kinds.STORY_OVERDUE) == []
    assert len(_told(admin, kinds.STORY_OVERDUE)) == 1


def test_a_claim_keeps_others_off_until_it_lapses(world):
    amb1, amb2 = world["amb1"], world["amb2"]
    with clock.frozen(START) as time:
        story = _publish(world)
        time.advance(hours=1)
        queue.claim(_get(User, amb1.id), story.id)
        [item] = queue.ambassador_queue(_get(User, amb2.id))
        assert item.claimed_by is not None and item.claimed_by.id == amb1.id
        time.advance(minutes=119)
        with pytest.raises(Conflict, match="Ambassadeur Een heeft dit verhaal net opgepakt"):
            queue.claim(_get(User, amb2.id), story.id)
        time.advance(minutes=1)
        assert ladder.climb(clock.utcnow()).claims_lapsed == 1
        [item] = queue.ambassador_queue(_get(User, amb2.id))
        assert item.claimed_by is None
        queue.claim(_get(User, amb2.id), story.id)
    assert _get(ResponseWatch, story.id).claimed_by_id == amb2.id


def test_a_claimed_story_cannot_be_claimed_once_it_is_answered(world):
    with clock.frozen(START):
        story = _publish(world)
        services.add_reply(_get(User, world["reader"].id), _get(Story, story.id), "Ik lees mee.")
        with pytest.raises(Conflict, match="al een reactie"):
            queue.claim(_get(User, world["amb1"].id), story.id)


def test_the_queue_puts_the_least_time_left_first(world, make: Factory):
    slow = make.group(name="Langzaam")
    make.membership(world["amb1"], slow, GroupRole.AMBASSADOR)
    make.membership(world["writer"], slow)
    with unit_of_work():
        _get(Group, slow.id).response_target_minutes = 72 * 60
    with clock.frozen(START) as time:
        services.publish_story(_get(User, world["writer"].id), _get(Group, slow.id), "Oud", "x")
        time.advance(hours=2)
        _publish(world, title="Nieuw")
        titles = [w.story.title for w in queue.ambassador_queue(_get(User, world["amb1"].id))]
    assert titles == ["Nieuw", "Oud"]
