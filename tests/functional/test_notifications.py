"""The notifications page and the unread count in the header."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from app.accounts.models import User
from app.extensions import db
from app.notifications import kinds
from app.notifications.models import Notification
from tests.support import Factory, Visitor


def _notify(app: Flask, user: User, group: str = "Na geweld", link: str = "/groepen") -> int:
    with app.app_context():
        row = Notification(
            user_id=user.id, kind=kinds.JOIN_REQUEST_APPROVED, data={"group": group}, link=link
        )
        db.session.add(row)
        db.session.commit()
        return row.id


def _unread(app: Flask, user: User) -> int:
    with app.app_context():
        return db.session.execute(
            sa.select(sa.func.count())
            .select_from(Notification)
            .filter_by(user_id=user.id, read_at=None)
        ).scalar_one()


def test_notifications_ask_to_log_in(client):
    response = client.get("/meldingen")
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]


def test_the_header_counts_unread_notifications(app, make: Factory, visitor: Visitor):
    user = make.user()
    _notify(app, user)
    _notify(app, user)
    visitor.login(user)
    page = visitor.get("/").get_data(as_text=True)
    assert "2 ongelezen" in page


def test_notifications_are_listed_newest_first_with_unread_ones_marked(
    app, make: Factory, visitor: Visitor
):
    user = make.user()
    _notify(app, user, group="Eerste groep")
    _notify(app, user, group="Tweede groep")
    visitor.login(user)
    page = visitor.get("/meldingen").get_data(as_text=True)
    assert page.index("Tweede groep") < page.index("Eerste groep")
    assert page.count("Nieuw") >= 2
    assert "Alles gelezen" in page


def test_all_notifications_can_be_marked_read(app, make: Factory, visitor: Visitor):
    user = make.user()
    other = make.user()
    _notify(app, user)
    _notify(app, other)
    visitor.login(user)

    response = visitor.post("/meldingen/gelezen")

    assert response.status_code == 302
    assert _unread(app, user) == 0
    assert _unread(app, other) == 1
    page = visitor.get("/meldingen").get_data(as_text=True)
    assert "Alles gelezen" not in page.split("Je hebt alle meldingen gelezen.")[1]
    assert "ongelezen" not in page


def test_marking_all_read_needs_a_csrf_token(app, make: Factory, visitor: Visitor):
    user = make.user()
    _notify(app, user)
    visitor.login(user)
    assert visitor.client.post("/meldingen/gelezen").status_code == 400
    assert _unread(app, user) == 1


def test_opening_a_notification_marks_it_read_and_follows_its_link(
    app, make: Factory, visitor: Visitor
):
    user = make.user()
    notification_id = _notify(app, user, link="/groepen/na-geweld")
    visitor.login(user)
    response = visitor.get(f"/meldingen/{notification_id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/groepen/na-geweld")
    assert _unread(app, user) == 0


def test_someone_elses_notification_is_not_found(app, make: Factory, visitor: Visitor):
    owner = make.user()
    notification_id = _notify(app, owner)
    visitor.login(make.user())
    assert visitor.get(f"/meldingen/{notification_id}").status_code == 404
    assert _unread(app, owner) == 1


def test_a_notification_link_never_leaves_the_site(app, make: Factory, visitor: Visitor):
    user = make.user()
    notification_id = _notify(app, user, link="https://evil.example/")
    visitor.login(user)
    assert "evil.example" not in visitor.get(f"/meldingen/{notification_id}").headers["Location"]


def test_notifications_page_through_older_ones(app, make: Factory, visitor: Visitor):
    user = make.user()
    for number in range(1, 33):
        _notify(app, user, group=f"Groep {number:02d}")
    visitor.login(user)
    first = visitor.get("/meldingen").get_data(as_text=True)
    assert "Groep 32" in first
    assert "Groep 03" in first
    assert "Groep 02" not in first
    older = first.split('rel="next" href="')[1].split('"')[0]
    second = visitor.get(older).get_data(as_text=True)
    assert "Groep 02" in second
    assert "Groep 01" in second
    assert "Groep 03" not in second


def test_group_names_in_notifications_are_escaped(app, make: Factory, visitor: Visitor):
    user = make.user()
    _notify(app, user, group="<script>alert(1)</script>")
    visitor.login(user)
    page = visitor.get("/meldingen").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_empty_notifications_page_says_so_kindly(make: Factory, visitor: Visitor):
    visitor.login(make.user())
    assert "Je hebt nog geen meldingen." in visitor.get("/meldingen").get_data(as_text=True)
