"""The daily aggregates: counted by the worker, and never used for a day that changed since."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask import Flask

from app import clock
from app.accounts.models import SiteRole, User
from app.dashboard import counts, daily, scope
from app.dashboard.models import ActivityDay, CountedDay, FigureDay
from app.database import unit_of_work
from app.extensions import db
from app.groups.models import Visibility
from app.periods import Period
from app.stories.models import PostStatus, Reply, Story
from app.worker import run_round
from tests.support import Factory

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))


def _story(make: Factory, group, when: datetime, author: User | None = None) -> Story:
    with clock.frozen(when):
        return make.story(group, author=author)


def _counted() -> set[date]:
    return set(db.session.execute(sa.select(CountedDay.day)).scalars())


def _stories(group_id: int, period: Period) -> int:
    return daily.per_group(counts.STORIES, [group_id], period).get(group_id, 0)


def test_a_change_on_a_counted_day_is_seen_at_once(app: Flask, ctx, make: Factory):
    group = make.group()
    stories = [_story(make, group, datetime(2026, 10, 5, 9, tzinfo=UTC)) for _ in range(3)]
    with clock.frozen(NOW):
        daily.count_all()
        assert date(2026, 10, 5) in _counted()
        assert _stories(group.id, OCTOBER) == 3
        with unit_of_work() as session:
            session.get(Story, stories[0].id).status = PostStatus.REMOVED.value
        # The day is no longer counted, so the figure comes from the rows: right away.
        assert date(2026, 10, 5) not in _counted()
        assert _stories(group.id, OCTOBER) == 2
        daily.keep_up(clock.utcnow())
        assert date(2026, 10, 5) in _counted()
        assert _stories(group.id, OCTOBER) == 2


def test_moving_a_story_uncounts_the_days_of_its_replies(app: Flask, ctx, make: Factory):
    first, second = make.group(), make.group()
    story = _story(make, first, datetime(2026, 10, 1, 9, tzinfo=UTC))
    with clock.frozen(datetime(2026, 10, 9, 9, tzinfo=UTC)):
        make.reply(story)
    with clock.frozen(NOW):
        daily.count_all()
        replies = daily.per_group(counts.REPLIES, [first.id, second.id], OCTOBER)
        assert replies == {first.id: 1}
        with unit_of_work() as session:
            session.get(Story, story.id).group_id = second.id
        assert date(2026, 10, 9) not in _counted()
        replies = daily.per_group(counts.REPLIES, [first.id, second.id], OCTOBER)
        assert replies == {second.id: 1}


def test_todays_activity_leaves_counted_days_alone(app: Flask, ctx, make: Factory):
    group = make.group()
    _story(make, group, datetime(2026, 10, 5, 9, tzinfo=UTC))
    with clock.frozen(NOW):
        daily.count_all()
        before = _counted()
        make.story(group)
        assert _counted() == before
        # Today is counted live.
        assert _stories(group.id, Period(date(2026, 11, 20), date(2026, 11, 20))) == 1


def test_the_worker_counts_new_days_newest_first_then_recounts_old_ones(
    app: Flask, ctx, make: Factory
):
    group = make.group()
    _story(make, group, datetime(2026, 1, 1, 9, tzinfo=UTC))
    with clock.frozen(NOW):
        first_round = daily.keep_up(clock.utcnow())
        assert first_round["new"] == daily.NEW_DAYS_PER_ROUND
        assert max(_counted()) == date(2026, 11, 19)
        while daily.keep_up(clock.utcnow())["new"]:
            pass
        assert len(_counted()) == (date(2026, 11, 19) - date(2026, 1, 1)).days + 1
    with clock.frozen(NOW + timedelta(days=1, hours=1)) as moved:
        again = daily.keep_up(moved.advance(minutes=1))
        assert again["new"] == 1  # 20 November, now yesterday
        assert again["again"] == daily.AGAIN_DAYS_PER_ROUND


def test_the_worker_job_is_registered(app: Flask, make: Factory):
    group = make.group()
    _story(make, group, datetime(2026, 11, 1, 9, tzinfo=UTC))
    with clock.frozen(NOW):
        outcome = run_round(app)
    assert outcome["dagcijfers"] == {"new": 19, "again": 0}


def test_deleting_an_account_takes_its_activity_along(app: Flask, ctx, make: Factory):
    group = make.group(Visibility.CLOSED)
    writer = make.user()
    _story(make, group, datetime(2026, 10, 5, 9, tzinfo=UTC), author=writer)
    with clock.frozen(NOW):
        daily.count_all()
        assert db.session.execute(
            sa.select(ActivityDay).where(ActivityDay.user_id == writer.id)
        ).first()
        with unit_of_work() as session:
            session.execute(sa.update(Story).values(author_id=None))
            session.delete(session.get(User, writer.id))
        assert not db.session.execute(
            sa.select(ActivityDay).where(ActivityDay.user_id == writer.id)
        ).first()


def test_aggregates_hold_counts_only(app: Flask, ctx, make: Factory):
    """What the aggregates keep: numbers per group and day, no text and no reader."""
    group = make.group()
    story = _story(make, group, datetime(2026, 10, 5, 9, tzinfo=UTC))
    with clock.frozen(datetime(2026, 10, 6, 9, tzinfo=UTC)):
        make.reply(story, anonymous=True)
    with clock.frozen(NOW):
        daily.count_all()
    rows = {
        (row.figure, row.day): row.count
        for row in db.session.execute(sa.select(FigureDay)).scalars()
    }
    assert rows[("stories", date(2026, 10, 5))] == 1
    assert rows[("replies", date(2026, 10, 6))] == 1
    assert rows[("anonymous_replies", date(2026, 10, 6))] == 1
    assert set(FigureDay.__table__.columns.keys()) == {"day", "group_id", "figure", "count"}


def test_the_command_counts_every_day(app: Flask, runner, make: Factory):
    group = make.group()
    _story(make, group, datetime(2026, 11, 10, 9, tzinfo=UTC))
    with clock.frozen(NOW):
        result = runner.invoke(args=["cijfers", "tellen"])
    assert result.exit_code == 0, result.output
    assert "10 dagen geteld" in result.output


def test_dashboard_scope_ignores_counted_rows_of_other_groups(app: Flask, ctx, make: Factory):
    seen, unseen = make.group(), make.group(Visibility.HIDDEN)
    _story(make, unseen, datetime(2026, 10, 5, 9, tzinfo=UTC))
    _story(make, seen, datetime(2026, 10, 5, 9, tzinfo=UTC))
    viewer = make.user(role=SiteRole.CONTENT_MANAGER)
    with clock.frozen(NOW):
        daily.count_all()
        chosen = scope.for_actor(db.session.get(User, viewer.id), seen.slug)
        assert daily.per_group(counts.STORIES, chosen.chosen_ids, OCTOBER) == {seen.id: 1}


def test_a_member_no_longer_active_on_a_day_drops_out_after_the_recount(
    app: Flask, ctx, make: Factory
):
    group = make.group()
    writer, other = make.user(), make.user()
    story = _story(make, group, datetime(2026, 10, 5, 9, tzinfo=UTC), author=other)
    with clock.frozen(datetime(2026, 10, 6, 9, tzinfo=UTC)):
        reply = make.reply(story, author=writer)
    with clock.frozen(NOW):
        daily.count_all()
        assert daily.active_members([group.id], OCTOBER) == ({group.id: 2}, 2)
        with unit_of_work() as session:
            session.get(Reply, reply.id).status = PostStatus.REMOVED.value
        assert daily.active_members([group.id], OCTOBER) == ({group.id: 1}, 1)
        daily.keep_up(clock.utcnow())
        # Counted again: the year bitmap no longer has the writer on 6 October.
        assert date(2026, 10, 6) in _counted()
        assert daily.active_members([group.id], OCTOBER) == ({group.id: 1}, 1)
        assert daily.active_members([group.id], Period(date(2026, 10, 6), date(2026, 10, 6))) == (
            {},
            0,
        )


def test_a_late_first_reply_counts_at_once_for_the_day_the_clock_started(
    app: Flask, ctx, make: Factory
):
    from app.dashboard import response_times
    from app.stories import services

    group = make.group()
    writer, helper = make.user(), make.user()
    make.membership(writer, group)
    make.membership(helper, group)
    with clock.frozen(datetime(2026, 10, 5, 9, tzinfo=UTC)):
        story = services.publish_story(db.session.get(User, writer.id), group, "Titel", "Tekst")
    with clock.frozen(NOW):
        daily.count_all()
        before, _per = response_times.for_groups([group.id], OCTOBER)
        assert (before.stories, before.known, before.median) == (1, 1, None)
        services.add_reply(db.session.get(User, helper.id), db.session.get(Story, story.id), "Hoi")
        after, _per = response_times.for_groups([group.id], OCTOBER)
    assert after.stories == 1 and after.known == 1 and after.in_time == 0
    assert after.median == NOW - datetime(2026, 10, 5, 9, tzinfo=UTC)


def test_a_members_own_data_export_lists_their_active_days(app: Flask, ctx, make: Factory):
    from app.accounts import data_export

    group = make.group(name="Inbraak")
    writer = make.user()
    _story(make, group, datetime(2026, 10, 5, 9, tzinfo=UTC), author=writer)
    with clock.frozen(NOW):
        daily.count_all()
    exported = data_export.collect(db.session.get(User, writer.id))
    assert exported["active_days"] == [{"group": "Inbraak", "day": "2026-10-05"}]


def test_reads_removed_by_the_retention_job_stay_counted(app: Flask, ctx, make: Factory):
    from app import retention
    from app.stories.models import StoryRead

    group = make.group()
    story = _story(make, group, datetime(2025, 1, 5, 9, tzinfo=UTC))
    with unit_of_work() as session:
        session.add(StoryRead(story_id=story.id, reader_key="lezer", day=date(2025, 1, 6)))
    january = Period(date(2025, 1, 1), date(2025, 1, 31))
    with clock.frozen(datetime(2025, 2, 1, 12, tzinfo=UTC)):
        daily.count_all()
    with clock.frozen(NOW):
        assert daily.per_group(counts.READS, [group.id], january) == {group.id: 1}
        retention.purge(clock.utcnow())
        assert not db.session.execute(sa.select(StoryRead)).first()
        # Counted again (as the worker does every day): the read stays in the figures.
        daily.count_day(date(2025, 1, 6))
        assert daily.per_group(counts.READS, [group.id], january) == {group.id: 1}
        assert daily.per_group(counts.STORIES, [group.id], january) == {group.id: 1}
