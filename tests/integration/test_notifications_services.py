"""The notifications service: adding, counting, reading, and what a notification may hold.

Factories end their own session, so each test makes its rows first and then loads them.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.database import unit_of_work
from app.extensions import db
from app.notifications import kinds, services
from app.notifications.models import Notification
from tests.support import Factory


def _load(user: User) -> User:
    return db.session.get(User, user.id)


def test_notify_adds_inside_the_callers_unit_of_work_and_commits_nothing_itself(ctx, make: Factory):
    user = _load(make.user())

    class Stop(Exception):
        pass

    with pytest.raises(Stop), unit_of_work():
        services.notify(user.id, kinds.JOIN_REQUEST_APPROVED, {"group": "Na geweld"})
        raise Stop
    assert services.unread_count(user) == 0

    with unit_of_work():
        services.notify(user.id, kinds.JOIN_REQUEST_APPROVED, {"group": "Na geweld"})
    assert services.unread_count(user) == 1


def test_notify_refuses_unknown_kinds_and_undeclared_data(ctx, make: Factory):
    user = _load(make.user())
    with pytest.raises(kinds.UnknownKind):
        services.notify(user.id, "iets.nieuws", {})
    with pytest.raises(kinds.UnknownKind):
        services.notify(
            user.id, kinds.JOIN_REQUEST_APPROVED, {"group": "Na geweld", "email": "a@b.nl"}
        )
    db.session.rollback()


def test_an_anonymous_persons_name_is_never_stored(ctx, make: Factory):
    author_row, reader_row = make.user("Herkenbaar Iemand"), make.user()
    author, reader = _load(author_row), _load(reader_row)
    name = kinds.shown_name(author, anonymous=True)
    with unit_of_work():
        services.notify(
            reader.id, kinds.JOIN_REQUEST_NEW, {"requester": name, "group": "Na geweld"}
        )
    [row] = db.session.execute(sa.select(Notification).filter_by(user_id=reader.id)).scalars()
    assert "Herkenbaar Iemand" not in str(row.data)
    [shown] = services.for_user(reader).items
    assert shown.text.startswith("Anoniem lid wil graag lid worden van Na geweld.")


def test_a_name_that_is_not_text_is_refused(ctx, make: Factory):
    author = _load(make.user())
    with pytest.raises(kinds.UnknownKind):
        services.notify(author.id, kinds.JOIN_REQUEST_NEW, {"requester": author, "group": "x"})
    db.session.rollback()


def test_named_people_are_shown_by_pseudonym(ctx, make: Factory):
    assert kinds.shown_name(_load(make.user("Zichtbaar")), anonymous=False) == "Zichtbaar"


def test_old_or_unknown_notifications_still_read_kindly(ctx):
    assert kinds.text("verdwenen.soort", {}) == "Er is iets nieuws voor je."
    assert "Welkom!" in kinds.text(kinds.JOIN_REQUEST_APPROVED, {})


def test_mark_all_read_only_touches_the_readers_notifications(ctx, make: Factory):
    reader_row, other_row = make.user(), make.user()
    reader, other = _load(reader_row), _load(other_row)
    with unit_of_work():
        for user in (reader, reader, other):
            services.notify(user.id, kinds.JOIN_REQUEST_APPROVED, {"group": "Na geweld"})
    assert services.mark_all_read(reader) == 2
    assert services.unread_count(reader) == 0
    assert services.unread_count(other) == 1
    assert services.mark_all_read(reader) == 0
