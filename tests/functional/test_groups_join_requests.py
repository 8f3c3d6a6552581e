"""Asking to join a closed group, and deciding on the requests, through the pages."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from markupsafe import escape

from app.accounts.models import SiteRole, User
from app.extensions import db
from app.groups.models import (
    Group,
    GroupRole,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Visibility,
)
from app.notifications.models import Notification
from tests.support import Factory, Visitor

STORY_TITLE = "Alleen voor leden"


def _requests(app: Flask, group: Group) -> list[JoinRequest]:
    with app.app_context():
        return list(
            db.session.execute(
                sa.select(JoinRequest).filter_by(group_id=group.id).order_by(JoinRequest.id)
            ).scalars()
        )


def _pending(app: Flask, group: Group) -> JoinRequest:
    with app.app_context():
        return db.session.execute(
            sa.select(JoinRequest).filter_by(
                group_id=group.id, status=JoinRequestStatus.PENDING.value
            )
        ).scalar_one()


def _is_member(app: Flask, group: Group, user: User) -> bool:
    with app.app_context():
        return (
            db.session.execute(
                sa.select(Membership).filter_by(group_id=group.id, user_id=user.id)
            ).scalar_one_or_none()
            is not None
        )


def _notifications(app: Flask, user: User) -> list[Notification]:
    with app.app_context():
        return list(
            db.session.execute(sa.select(Notification).filter_by(user_id=user.id)).scalars()
        )


@pytest.fixture
def closed_group(make: Factory) -> Group:
    group = make.group(Visibility.CLOSED, name="Na seksueel misbruik", theme="seksueel-misbruik")
    make.story(group, title=STORY_TITLE)
    return group


@pytest.fixture
def manager(make: Factory, closed_group: Group) -> User:
    user = make.user("Beheerder Bram")
    make.membership(user, closed_group, GroupRole.MANAGER)
    return user


@pytest.fixture
def manager_visitor(app: Flask, manager: User) -> Visitor:
    """The group's manager, in a browser of their own."""
    other = Visitor(app.test_client())
    other.login(manager)
    return other


def test_full_join_request_flow_ends_in_membership_and_a_notification(
    app,
    make: Factory,
    visitor: Visitor,
    closed_group: Group,
    manager: User,
    manager_visitor: Visitor,
):
    requester = make.user("Vraagt Lief")
    visitor.login(requester)
    slug = closed_group.slug

    response = visitor.post(f"/groepen/{slug}/aanvraag", {"motivation": "Ik wil graag meelezen."})
    assert response.status_code == 302
    page = visitor.get(f"/groepen/{slug}").get_data(as_text=True)
    assert "Je aanvraag is in behandeling" in page
    assert STORY_TITLE not in page

    # Asking again does not make a second request.
    visitor.post(f"/groepen/{slug}/aanvraag", {"motivation": "Nog een keer."})
    assert len(_requests(app, closed_group)) == 1

    # The manager hears about it and sees it.
    assert "Vraagt Lief wil graag lid worden" in manager_visitor.get("/meldingen").get_data(
        as_text=True
    )
    waiting = manager_visitor.get(f"/groepen/{slug}/aanvragen").get_data(as_text=True)
    assert "Vraagt Lief" in waiting
    assert "Ik wil graag meelezen." in waiting

    [join_request] = _requests(app, closed_group)
    response = manager_visitor.post(f"/groepen/{slug}/aanvragen/{join_request.id}/goedkeuren")
    assert response.status_code == 302

    assert _is_member(app, closed_group, requester)
    [decided] = _requests(app, closed_group)
    assert decided.status == JoinRequestStatus.APPROVED.value
    assert decided.decided_at is not None
    assert decided.decided_by_id == manager.id
    assert decided.decided_by_name == "Beheerder Bram"
    assert "Welkom! Je bent nu lid van Na seksueel misbruik." in visitor.get("/meldingen").get_data(
        as_text=True
    )
    assert STORY_TITLE in visitor.get(f"/groepen/{slug}").get_data(as_text=True)
    assert "Er wachten nu geen aanvragen." in manager_visitor.get(
        f"/groepen/{slug}/aanvragen"
    ).get_data(as_text=True)


def test_a_declined_request_gives_no_membership_and_a_kind_notification(
    app, make: Factory, visitor: Visitor, closed_group: Group, manager_visitor: Visitor
):
    requester = make.user()
    visitor.login(requester)
    visitor.post(f"/groepen/{closed_group.slug}/aanvraag", {"motivation": ""})
    [join_request] = _requests(app, closed_group)

    response = manager_visitor.post(
        f"/groepen/{closed_group.slug}/aanvragen/{join_request.id}/afwijzen"
    )

    assert response.status_code == 302
    assert not _is_member(app, closed_group, requester)
    [decided] = _requests(app, closed_group)
    assert decided.status == JoinRequestStatus.DECLINED.value
    assert decided.decided_by_name == "Beheerder Bram"
    notifications = visitor.get("/meldingen").get_data(as_text=True)
    assert "Je aanvraag voor Na seksueel misbruik is niet goedgekeurd." in notifications


def test_deciding_twice_is_a_conflict(
    app, make: Factory, visitor: Visitor, closed_group: Group, manager_visitor: Visitor
):
    visitor.login(make.user())
    visitor.post(f"/groepen/{closed_group.slug}/aanvraag", {"motivation": ""})
    [join_request] = _requests(app, closed_group)
    base = f"/groepen/{closed_group.slug}/aanvragen/{join_request.id}"
    manager_visitor.post(f"{base}/goedkeuren")

    again = manager_visitor.post(f"{base}/afwijzen")

    assert again.status_code == 409
    assert "Over deze aanvraag is al beslist door Beheerder Bram." in again.get_data(as_text=True)
    assert _requests(app, closed_group)[0].status == JoinRequestStatus.APPROVED.value


def test_a_withdrawn_request_cannot_be_approved(
    app, make: Factory, visitor: Visitor, closed_group: Group, manager_visitor: Visitor
):
    requester = make.user()
    visitor.login(requester)
    visitor.post(f"/groepen/{closed_group.slug}/aanvraag", {"motivation": ""})
    visitor.post(f"/groepen/{closed_group.slug}/aanvraag/intrekken")
    [join_request] = _requests(app, closed_group)
    assert join_request.status == JoinRequestStatus.WITHDRAWN.value
    assert 'name="motivation"' in visitor.get(f"/groepen/{closed_group.slug}").get_data(
        as_text=True
    )

    response = manager_visitor.post(
        f"/groepen/{closed_group.slug}/aanvragen/{join_request.id}/goedkeuren"
    )

    assert response.status_code == 409
    assert not _is_member(app, closed_group, requester)


def test_a_request_of_another_group_cannot_be_decided_through_this_one(
    app, make: Factory, visitor: Visitor, closed_group: Group, manager_visitor: Visitor
):
    elsewhere = make.group(Visibility.CLOSED)
    visitor.login(make.user())
    visitor.post(f"/groepen/{elsewhere.slug}/aanvraag", {"motivation": ""})
    [join_request] = _requests(app, elsewhere)
    response = manager_visitor.post(
        f"/groepen/{closed_group.slug}/aanvragen/{join_request.id}/goedkeuren"
    )
    assert response.status_code == 404
    assert _requests(app, elsewhere)[0].status == JoinRequestStatus.PENDING.value


@pytest.mark.parametrize(
    ("who", "status"),
    [("member", 403), ("outsider", 403), ("content_manager", 403)],
)
def test_people_who_may_not_decide_are_refused(
    app, make: Factory, visitor: Visitor, closed_group: Group, who: str, status: int
):
    requester = make.user()
    requester_visitor = Visitor(app.test_client())
    requester_visitor.login(requester)
    requester_visitor.post(f"/groepen/{closed_group.slug}/aanvraag", {"motivation": "geheim"})
    [join_request] = _requests(app, closed_group)
    user = make.user(role=SiteRole.CONTENT_MANAGER if who == "content_manager" else SiteRole.MEMBER)
    if who == "member":
        make.membership(user, closed_group)
    visitor.login(user)

    listing = visitor.get(f"/groepen/{closed_group.slug}/aanvragen")
    approve = visitor.post(f"/groepen/{closed_group.slug}/aanvragen/{join_request.id}/goedkeuren")

    assert listing.status_code == status
    assert "geheim" not in listing.get_data(as_text=True)
    assert approve.status_code == status
    assert not _is_member(app, closed_group, requester)


def test_requests_of_a_hidden_group_stay_hidden_from_outsiders(make: Factory, visitor: Visitor):
    group = make.group(Visibility.HIDDEN)
    visitor.login(make.user(role=SiteRole.MODERATOR))
    assert visitor.get(f"/groepen/{group.slug}/aanvragen").status_code == 404
    assert visitor.post(f"/groepen/{group.slug}/aanvragen/1/goedkeuren").status_code == 404


@pytest.mark.parametrize("who", ["ambassador", "moderator"])
def test_ambassadors_and_moderators_decide_too(
    app, make: Factory, visitor: Visitor, closed_group: Group, who: str
):
    requester = make.user()
    requester_visitor = Visitor(app.test_client())
    requester_visitor.login(requester)
    requester_visitor.post(f"/groepen/{closed_group.slug}/aanvraag", {"motivation": ""})
    [join_request] = _requests(app, closed_group)
    if who == "ambassador":
        decider = make.user()
        make.membership(decider, closed_group, GroupRole.AMBASSADOR)
    else:
        decider = make.user(role=SiteRole.MODERATOR)
    visitor.login(decider)

    assert visitor.get(f"/groepen/{closed_group.slug}/aanvragen").status_code == 200
    visitor.post(f"/groepen/{closed_group.slug}/aanvragen/{join_request.id}/goedkeuren")

    assert _is_member(app, closed_group, requester)


def test_managers_and_ambassadors_are_notified_of_a_new_request(
    app, make: Factory, visitor: Visitor, closed_group: Group, manager: User
):
    ambassador = make.user()
    make.membership(ambassador, closed_group, GroupRole.AMBASSADOR)
    plain_member = make.user()
    make.membership(plain_member, closed_group)
    visitor.login(make.user("Nieuw Gezicht"))

    visitor.post(f"/groepen/{closed_group.slug}/aanvraag", {"motivation": ""})

    for decider in (manager, ambassador):
        [notification] = _notifications(app, decider)
        assert notification.data == {"requester": "Nieuw Gezicht", "group": closed_group.name}
        assert notification.link == f"/groepen/{closed_group.slug}/aanvragen"
    assert _notifications(app, plain_member) == []


def test_a_too_long_motivation_is_refused_and_kept(
    app, make: Factory, visitor: Visitor, closed_group: Group
):
    visitor.login(make.user())
    motivation = "Ik wil graag meedoen. " * 30

    response = visitor.post(f"/groepen/{closed_group.slug}/aanvraag", {"motivation": motivation})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "hoogstens 500 tekens" in page
    assert motivation.strip() in page
    assert _requests(app, closed_group) == []


def test_a_public_group_needs_no_request(app, make: Factory, visitor: Visitor):
    group = make.group(Visibility.PUBLIC)
    visitor.login(make.user())
    response = visitor.post(f"/groepen/{group.slug}/aanvraag", {"motivation": ""})
    assert response.status_code == 302
    assert _requests(app, group) == []
    assert "Je kunt direct lid worden." in visitor.get(f"/groepen/{group.slug}").get_data(
        as_text=True
    )


def test_the_request_page_sends_members_back_to_the_group(
    make: Factory, visitor: Visitor, closed_group: Group
):
    user = make.user()
    make.membership(user, closed_group)
    visitor.login(user)
    response = visitor.get(f"/groepen/{closed_group.slug}/aanvraag")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/groepen/{closed_group.slug}")


def test_a_join_request_without_csrf_token_is_shown_again_with_its_text(
    app, make: Factory, visitor: Visitor, closed_group: Group
):
    visitor.login(make.user())
    response = visitor.client.post(
        f"/groepen/{closed_group.slug}/aanvraag", data={"motivation": "Mijn verhaal in het kort"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Je formulier was verlopen" in page
    assert "Mijn verhaal in het kort" in page
    assert _requests(app, closed_group) == []


HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}{% raw %}",
    "Robert'); DROP TABLE join_requests;--",
    "\u202egnp.exe",
    "zero\u200bwidth\u200djoiner",
    "nul\x00byte",
    "🙂" * 200,
    "<script>" + "lang verhaal " * 50,
]


def _send_each(
    app: Flask, strings: list[str], group: Group, requester: Visitor, decider: Visitor
) -> None:
    """Ask to join with each string as motivation; check it is stored and shown escaped."""
    token = requester.csrf_token()
    base = f"/groepen/{group.slug}"
    for text in strings:
        response = requester.client.post(
            f"{base}/aanvraag", data={"csrf_token": token, "motivation": text}
        )
        assert response.status_code in (302, 422), repr(text)
        page = response.get_data(as_text=True)
        if response.status_code == 422:
            assert "hoogstens 500 tekens" in page, repr(text)
            assert str(escape(text)) in page, repr(text)
            assert "<script>lang" not in page
            continue
        stored = _pending(app, group)
        waiting = decider.get(f"{base}/aanvragen")
        assert waiting.status_code == 200, repr(text)
        shown = waiting.get_data(as_text=True)
        for line in stored.motivation.split("\n"):
            if line.strip():
                assert str(escape(line)) in shown, repr(text)
        assert "<script>alert" not in shown
        assert "<img src=x" not in shown
        # Make room for the next request (withdrawing through the page is tested above).
        with app.app_context():
            db.session.execute(
                sa.update(JoinRequest)
                .where(JoinRequest.id == stored.id)
                .values(status=JoinRequestStatus.WITHDRAWN.value)
            )
            db.session.commit()
        # Nobody reads the requester's pages here; drop the flashes so the cookie stays small.
        with requester.client.session_transaction() as session:
            session.pop("_flashes", None)


def test_hostile_motivations_are_stored_and_shown_escaped(
    app, make: Factory, visitor: Visitor, closed_group: Group, manager_visitor: Visitor
):
    visitor.login(make.user())
    _send_each(app, HOSTILE, closed_group, visitor, manager_visitor)
    assert all("\x00" not in r.motivation for r in _requests(app, closed_group))


@pytest.mark.slow
def test_every_naughty_string_as_motivation_is_safe(
    app,
    make: Factory,
    visitor: Visitor,
    closed_group: Group,
    manager_visitor: Visitor,
    naughty_strings: list[str],
):
    visitor.login(make.user())
    _send_each(app, naughty_strings, closed_group, visitor, manager_visitor)
    assert len(_requests(app, closed_group)) >= len(naughty_strings) - 5


def test_the_decider_list_has_no_script_of_its_own(
    app, make: Factory, visitor: Visitor, closed_group: Group, manager_visitor: Visitor
):
    visitor.login(make.user())
    visitor.post(f"/groepen/{closed_group.slug}/aanvraag", {"motivation": ""})
    page = manager_visitor.get(f"/groepen/{closed_group.slug}/aanvragen").get_data(as_text=True)
    assert "Geen motivatie gegeven." in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)


def test_the_group_page_tells_deciders_how_many_requests_wait(
    app, make: Factory, closed_group: Group, manager_visitor: Visitor
):
    for _ in range(2):
        asker = Visitor(app.test_client())
        asker.login(make.user())
        asker.post(f"/groepen/{closed_group.slug}/aanvraag", {"motivation": ""})
    page = manager_visitor.get(f"/groepen/{closed_group.slug}").get_data(as_text=True)
    assert "2 aanvragen wachten op een beslissing" in page
