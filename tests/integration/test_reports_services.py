"""Reports and notices on a real database: signals and snapshots, one open item per target,
priorities, who may report what, reporter weights and hiding before review."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin

from app import clock
from app.accounts.models import AccountStatus, User
from app.database import unit_of_work
from app.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from app.extensions import db
from app.groups.models import Group, Visibility
from app.notifications import kinds
from app.notifications.models import Notification
from app.stories.models import PostStatus, Reply, Story
from moderation import reports
from moderation.models import (
    ItemSignal,
    ItemStatus,
    ModerationItem,
    ModerationSetting,
    Priority,
    SignalKind,
    TargetType,
)
from tests.support import Factory

pytestmark = pytest.mark.usefixtures("ctx")

STORY = TargetType.STORY
REPLY = TargetType.REPLY
USER = TargetType.USER


def _load_user(user: User) -> User:
    return db.session.get(User, user.id)


def _members(make: Factory, group: Group, count: int) -> list[User]:
    users = [make.user() for _ in range(count)]
    for user in users:
        make.membership(user, group)
    return [_load_user(user) for user in users]


def _signals(item_id: int) -> list[ItemSignal]:
    return list(
        db.session.execute(
            sa.select(ItemSignal).where(ItemSignal.item_id == item_id).order_by(ItemSignal.id)
        ).scalars()
    )


def _open_items() -> list[ModerationItem]:
    return list(
        db.session.execute(
            sa.select(ModerationItem).where(ModerationItem.status == ItemStatus.OPEN.value)
        ).scalars()
    )


def _notifications(user: User) -> list[Notification]:
    return list(
        db.session.execute(sa.select(Notification).where(Notification.user_id == user.id)).scalars()
    )


def _status(model: type[Story] | type[Reply], row_id: int) -> str:
    return db.session.execute(sa.select(model.status).where(model.id == row_id)).scalar_one()


def _past_reports(user: User, decision: str, count: int) -> None:
    """Earlier reports by ``user`` on items a moderator decided with ``decision``."""
    now = clock.utcnow()
    with unit_of_work():
        for number in range(count):
            item = ModerationItem(
                target_type=STORY.value,
                target_id=900_000 + number,
                status=ItemStatus.DECIDED.value,
                decision=decision,
                due_at=now,
                decided_at=now,
            )
            db.session.add(item)
            db.session.add(ItemSignal(item=item, kind=SignalKind.REPORT.value, reporter_id=user.id))


@contextmanager
def _counted_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def _count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            statements.append(statement)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", _count)


# --- reporting -----------------------------------------------------------------------------


def test_a_member_reports_a_story_and_the_signal_keeps_what_it_said_then(make: Factory):
    group = make.group()
    writer = make.user()
    story = make.story(group, writer, title="Die avond", body="Wat er gebeurde.")
    [reporter] = _members(make, group, 1)

    item = reports.report_content(reporter, STORY, story.id, "hurtful", "Dit\x00 vond ik naar.")

    assert item.target_type == "story"
    assert item.target_id == story.id
    assert item.group_id == group.id
    assert item.subject_user_id == writer.id
    assert item.priority == Priority.NORMAL
    [signal] = _signals(item.id)
    assert signal.kind == SignalKind.REPORT.value
    assert signal.category == "hurtful"
    assert signal.note == "Dit vond ik naar."
    assert signal.reporter_id == reporter.id
    assert signal.contact_email == ""
    assert (signal.snapshot_title, signal.snapshot_body) == ("Die avond", "Wat er gebeurde.")

    with unit_of_work():
        db.session.get(Story, story.id).body_source = "Iets heel anders."
    db.session.expire_all()
    assert _signals(item.id)[0].snapshot_body == "Wat er gebeurde."


def test_the_reporter_gets_an_acknowledgement_and_the_writer_hears_nothing(make: Factory):
    group = make.group()
    writer = make.user()
    story = make.story(group, writer)
    [reporter] = _members(make, group, 1)

    reports.report_content(reporter, STORY, story.id, "other", "")

    [received] = _notifications(reporter)
    assert received.kind == kinds.REPORT_RECEIVED
    assert received.data == {}
    assert _notifications(writer) == []


def test_a_member_reports_a_reply_with_its_own_text_as_the_snapshot(make: Factory):
    group = make.group()
    story = make.story(group, title="Het verhaal")
    writer = make.user()
    reply = make.reply(story, writer, body="Een reactie die niet klopt.")
    [reporter] = _members(make, group, 1)

    item = reports.report_content(reporter, REPLY, reply.id, "spam", "")

    assert (item.target_type, item.target_id, item.subject_user_id) == (
        "reply",
        reply.id,
        writer.id,
    )
    [signal] = _signals(item.id)
    assert signal.snapshot_body == "Een reactie die niet klopt."
    assert signal.category == "spam"


def test_reporting_the_same_content_twice_is_a_kind_conflict(make: Factory):
    group = make.group()
    story = make.story(group)
    [reporter] = _members(make, group, 1)
    item = reports.report_content(reporter, STORY, story.id, "hurtful", "")

    with pytest.raises(Conflict) as refused:
        reports.report_content(reporter, STORY, story.id, "spam", "Nog een keer.")

    assert "al gemeld" in refused.value.message
    assert len(_signals(item.id)) == 1
    assert len(_notifications(reporter)) == 1


def test_the_same_member_may_report_again_once_the_item_is_decided(make: Factory):
    group = make.group()
    story = make.story(group)
    [reporter] = _members(make, group, 1)
    first = reports.report_content(reporter, STORY, story.id, "hurtful", "")
    with unit_of_work():
        first.status = ItemStatus.DECIDED.value
        first.decision = "approve"

    second = reports.report_content(reporter, STORY, story.id, "hurtful", "Weer.")

    assert second.id != first.id


def test_reports_from_several_members_merge_into_one_open_item(make: Factory):
    group = make.group()
    story = make.story(group)
    members = _members(make, group, 2)

    first = reports.report_content(members[0], STORY, story.id, "hurtful", "")
    second = reports.report_content(members[1], STORY, story.id, "spam", "")

    assert first.id == second.id
    assert [item.id for item in _open_items()] == [first.id]
    assert [signal.reporter_id for signal in _signals(first.id)] == [m.id for m in members]


@pytest.mark.parametrize(
    ("reason", "priority"),
    [
        ("concern", Priority.CRISIS),
        ("identifying", Priority.IDENTIFYING),
        ("hurtful", Priority.NORMAL),
        ("unwanted_person", Priority.NORMAL),
    ],
)
def test_the_reason_sets_the_priority(make: Factory, reason: str, priority: Priority):
    group = make.group()
    story = make.story(group)
    [reporter] = _members(make, group, 1)

    item = reports.report_content(reporter, STORY, story.id, reason, "")

    assert item.priority == priority


def test_a_concern_report_moves_an_existing_item_up_to_crisis(make: Factory):
    group = make.group()
    story = make.story(group)
    members = _members(make, group, 2)
    reports.report_content(members[0], STORY, story.id, "spam", "")

    item = reports.report_content(members[1], STORY, story.id, "concern", "Ik maak me zorgen.")

    assert item.priority == Priority.CRISIS


def test_a_story_in_a_closed_group_cannot_be_reported_by_a_non_member(make: Factory):
    closed = make.group(Visibility.CLOSED)
    story = make.story(closed)
    outsider = _load_user(make.user())

    with pytest.raises(NotFound):
        reports.report_content(outsider, STORY, story.id, "hurtful", "")
    assert _open_items() == []


def test_content_that_is_not_published_cannot_be_reported(make: Factory):
    group = make.group()
    held = make.story(group, status=PostStatus.HELD)
    [reporter] = _members(make, group, 1)

    with pytest.raises(NotFound):
        reports.report_content(reporter, STORY, held.id, "hurtful", "")
    with pytest.raises(NotFound):
        reports.report_content(reporter, STORY, 999_999, "hurtful", "")
    with pytest.raises(NotFound):
        reports.report_content(reporter, REPLY, 999_999, "hurtful", "")


def test_a_member_can_be_reported_but_not_an_unknown_or_deleted_one(make: Factory):
    group = make.group()
    [reporter] = _members(make, group, 1)
    someone = make.user("Ongewenst Iemand")
    gone = make.user()
    with unit_of_work():
        db.session.get(User, gone.id).status = AccountStatus.DELETED.value

    item = reports.report_content(reporter, USER, someone.id, "unwanted_person", "Hij is het.")

    assert (item.target_type, item.target_id, item.group_id) == ("user", someone.id, None)
    assert _signals(item.id)[0].snapshot_title == "Ongewenst Iemand"
    with pytest.raises(NotFound):
        reports.report_content(reporter, USER, gone.id, "other", "")
    with pytest.raises(NotFound):
        reports.report_content(reporter, USER, 999_999, "other", "")


def test_only_a_logged_in_active_member_reports(make: Factory):
    group = make.group()
    story = make.story(group)
    [suspended] = _members(make, group, 1)
    with unit_of_work():
        suspended.status = AccountStatus.SUSPENDED.value

    with pytest.raises(NotAllowed):
        reports.report_content(AnonymousUserMixin(), STORY, story.id, "hurtful", "")
    with pytest.raises(NotAllowed):
        reports.report_content(suspended, STORY, story.id, "hurtful", "")


@pytest.mark.parametrize(
    ("reason", "note", "field"),
    [("", "", "reason"), ("weather", "", "reason"), ("other", "x" * 1001, "note")],
)
def test_a_report_names_the_field_that_is_not_right(
    make: Factory, reason: str, note: str, field: str
):
    group = make.group()
    story = make.story(group)
    [reporter] = _members(make, group, 1)

    with pytest.raises(ValidationFailed) as refused:
        reports.report_content(reporter, STORY, story.id, reason, note)

    assert refused.value.field == field
    assert _open_items() == []


# --- reporter weights and hiding before review -----------------------------------------------


def test_a_reporter_weight_grows_with_upheld_reports_and_shrinks_with_the_others(make: Factory):
    plain, trusted, mixed, doubtful, very_trusted, very_doubtful = (
        _load_user(make.user()) for _ in range(6)
    )
    _past_reports(trusted, "remove", 4)
    _past_reports(mixed, "remove", 4)
    _past_reports(mixed, "approve", 2)
    _past_reports(doubtful, "approve", 2)
    _past_reports(very_trusted, "remove", 20)
    _past_reports(very_doubtful, "approve", 10)

    assert reports.reporter_weight(plain.id) == 1.0
    assert reports.reporter_weight(trusted.id) == 2.0
    assert reports.reporter_weight(mixed.id) == 1.5
    assert reports.reporter_weight(doubtful.id) == 0.5
    assert reports.reporter_weight(very_trusted.id) == 3.0
    assert reports.reporter_weight(very_doubtful.id) == 0.25


def test_open_items_do_not_change_a_reporter_weight(make: Factory):
    group = make.group()
    story = make.story(group)
    [reporter] = _members(make, group, 1)
    reports.report_content(reporter, STORY, story.id, "hurtful", "")

    assert reports.reporter_weight(reporter.id) == 1.0


def test_the_weights_of_many_reporters_take_one_query(make: Factory):
    users = [_load_user(make.user()) for _ in range(5)]
    for user in users:
        _past_reports(user, "remove", 1)

    ids = [user.id for user in users]

    with _counted_queries() as statements:
        weights = reports.reporter_weights(ids)

    assert weights == dict.fromkeys(ids, 1.25)
    assert len(statements) == 1


def test_three_plain_reporters_hide_a_published_story_until_a_moderator_looks(make: Factory):
    group = make.group()
    story = make.story(group)
    members = _members(make, group, 3)

    reports.report_content(members[0], STORY, story.id, "hurtful", "")
    reports.report_content(members[1], STORY, story.id, "hurtful", "")
    assert _status(Story, story.id) == PostStatus.PUBLISHED.value

    item = reports.report_content(members[2], STORY, story.id, "hurtful", "")

    assert _status(Story, story.id) == PostStatus.HELD.value
    assert item.status == ItemStatus.OPEN.value


def test_two_plain_reporters_do_not_hide_a_story(make: Factory):
    group = make.group()
    story = make.story(group)
    members = _members(make, group, 2)

    for member in members:
        reports.report_content(member, STORY, story.id, "hurtful", "")

    assert _status(Story, story.id) == PostStatus.PUBLISHED.value


def test_a_trusted_reporter_and_one_plain_reporter_hide_a_story(make: Factory):
    group = make.group()
    story = make.story(group)
    trusted, plain = _members(make, group, 2)
    _past_reports(trusted, "remove", 4)

    reports.report_content(trusted, STORY, story.id, "hurtful", "")
    assert _status(Story, story.id) == PostStatus.PUBLISHED.value
    reports.report_content(plain, STORY, story.id, "hurtful", "")

    assert _status(Story, story.id) == PostStatus.HELD.value


def test_reporters_whose_reports_were_not_upheld_weigh_less(make: Factory):
    group = make.group()
    story = make.story(group)
    members = _members(make, group, 3)
    _past_reports(members[0], "approve", 2)

    for member in members:
        reports.report_content(member, STORY, story.id, "hurtful", "")

    assert _status(Story, story.id) == PostStatus.PUBLISHED.value


def test_enough_reporters_hide_a_reply_and_it_no_longer_counts(make: Factory):
    group = make.group()
    story = make.story(group)
    reply = make.reply(story)
    with unit_of_work():
        db.session.get(Story, story.id).reply_count = 1
    members = _members(make, group, 3)

    for member in members:
        reports.report_content(member, REPLY, reply.id, "spam", "")

    assert _status(Reply, reply.id) == PostStatus.HELD.value
    db.session.expire_all()
    assert db.session.get(Story, story.id).reply_count == 0


def test_the_hiding_threshold_is_a_moderation_setting(make: Factory):
    group = make.group()
    story = make.story(group)
    [reporter] = _members(make, group, 1)
    with unit_of_work():
        db.session.add(ModerationSetting(key="hide_at_report_weight", value=1.0))

    reports.report_content(reporter, STORY, story.id, "hurtful", "")

    assert _status(Story, story.id) == PostStatus.HELD.value


def test_visitor_notices_do_not_count_towards_hiding(make: Factory):
    group = make.group()
    story = make.story(group)
    for _ in range(5):
        reports.file_notice(STORY, story.id, "hurtful", "Dit hoort hier echt niet.")

    assert _status(Story, story.id) == PostStatus.PUBLISHED.value


# --- notices from visitors -----------------------------------------------------------------


def test_a_visitor_notice_about_a_public_story_keeps_only_what_they_typed(make: Factory):
    group = make.group()
    story = make.story(group, title="Openbaar", body="Tekst.")

    item = reports.file_notice(
        STORY, story.id, "identifying", "Hier staat\x00 mijn adres in.", " Naam@Example.NL "
    )

    assert item.priority == Priority.IDENTIFYING
    [signal] = _signals(item.id)
    assert signal.kind == SignalKind.NOTICE.value
    assert signal.category == "identifying"
    assert signal.note == "Hier staat mijn adres in."
    assert signal.contact_email == "Naam@example.nl"
    assert signal.reporter_id is None
    assert (signal.snapshot_title, signal.snapshot_body) == ("Openbaar", "Tekst.")


def test_a_visitor_notice_about_a_reply_merges_with_member_reports(make: Factory):
    group = make.group()
    story = make.story(group)
    reply = make.reply(story)
    [reporter] = _members(make, group, 1)
    reported = reports.report_content(reporter, REPLY, reply.id, "spam", "")

    noticed = reports.file_notice(REPLY, reply.id, "spam", "Dit is reclame voor iets.")

    assert noticed.id == reported.id
    assert [s.kind for s in _signals(noticed.id)] == ["report", "notice"]


@pytest.mark.parametrize("visibility", [Visibility.CLOSED, Visibility.HIDDEN])
def test_a_visitor_notice_is_only_for_public_groups(make: Factory, visibility: Visibility):
    story = make.story(make.group(visibility))

    with pytest.raises(NotFound):
        reports.file_notice(STORY, story.id, "hurtful", "Dit hoort hier echt niet.")
    assert _open_items() == []


def test_a_visitor_cannot_send_a_notice_about_a_member(make: Factory):
    someone = make.user()
    with pytest.raises(NotFound):
        reports.file_notice(USER, someone.id, "hurtful", "Dit hoort hier echt niet.")


@pytest.mark.parametrize(
    ("explanation", "email", "field"),
    [
        ("Te kort", "", "explanation"),
        ("   \x00\x00  kort   ", "", "explanation"),
        ("x" * 2001, "", "explanation"),
        ("Dit hoort hier echt niet.", "geen-adres", "email"),
        ("Dit hoort hier echt niet.", "a@b@c.nl", "email"),
        ("Dit hoort hier echt niet.", "naam@" + "a" * 250 + ".nl", "email"),
    ],
)
def test_a_notice_names_the_field_that_is_not_right(
    make: Factory, explanation: str, email: str, field: str
):
    story = make.story(make.group())

    with pytest.raises(ValidationFailed) as refused:
        reports.file_notice(STORY, story.id, "other", explanation, email)

    assert refused.value.field == field
    assert _open_items() == []


# --- hostile input --------------------------------------------------------------------------


def test_every_naughty_string_as_a_report_note_is_stored_or_refused_kindly(
    make: Factory, naughty_strings: list[str]
):
    group = make.group()
    story = make.story(group)
    [reporter] = _members(make, group, 1)
    stored = 0
    for text in naughty_strings:
        try:
            item = reports.report_content(reporter, STORY, story.id, "other", text)
        except ValidationFailed as refused:
            assert refused.field == "note"
            continue
        stored += 1
        # Decided, so that the same member may report again.
        with unit_of_work():
            item.status = ItemStatus.DECIDED.value
    assert stored == len(naughty_strings)


def test_every_naughty_string_as_a_notice_is_stored_or_refused_kindly(
    make: Factory, naughty_strings: list[str]
):
    story = make.story(make.group())
    stored = 0
    for text in naughty_strings:
        try:
            reports.file_notice(STORY, story.id, "other", text, "")
        except ValidationFailed as refused:
            assert refused.field == "explanation"
        else:
            stored += 1
        with pytest.raises(ValidationFailed) as refused_address:
            reports.file_notice(STORY, story.id, "other", "Dit hoort hier echt niet.", text + "@")
        assert refused_address.value.field == "email"
    assert stored > len(naughty_strings) // 3
