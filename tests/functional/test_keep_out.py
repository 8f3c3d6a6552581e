"""Keeping an unwanted person out of a closed group, on a confidential request."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from app.accounts.models import SiteRole
from app.extensions import db
from app.groups.models import GroupExclusion, JoinRequest, Membership, Visibility
from app.notifications.models import Notification
from moderation.models import KeepOutRequest, ModerationItem, Priority
from tests.support import Factory, Visitor


def _setting(app: Flask, make: Factory) -> dict:
    group = make.group(visibility=Visibility.CLOSED, slug="besloten", name="Besloten")
    asker, unwanted = make.user("Vrager"), make.user("Ongewenst")
    make.membership(asker, group)
    make.membership(unwanted, group)
    return {
        "group": group,
        "asker": asker,
        "unwanted": unwanted,
        "moderator": make.user("Moderator", role=SiteRole.MODERATOR),
    }


def test_a_member_asks_confidentially_and_a_moderator_keeps_the_person_out(
    app: Flask, make: Factory, visitor: Visitor
):
    s = _setting(app, make)
    visitor.login(s["asker"])
    form = visitor.get("/groepen/besloten/iemand-buiten-houden")
    assert form.status_code == 200 and "vertrouwelijk" in form.get_data(as_text=True)
    sent = visitor.post(
        "/groepen/besloten/iemand-buiten-houden",
        {"pseudonym": "ongewenst", "note": "Hij is degene die het mij aandeed."},
    )
    assert sent.status_code == 302
    with app.app_context():
        request = db.session.execute(sa.select(KeepOutRequest)).scalar_one()
        assert request.named_user_id == s["unwanted"].id
        item = db.session.execute(sa.select(ModerationItem)).scalar_one()
        assert (item.target_type, item.target_id, item.priority) == (
            "user",
            s["unwanted"].id,
            Priority.IDENTIFYING,
        )
        item_id, version = item.id, item.version
    moderator = Visitor(app.test_client())
    moderator.login(s["moderator"])
    assert "Buiten de groep houden" in moderator.get(f"/moderatie/items/{item_id}").get_data(
        as_text=True
    )
    moderator.post(
        f"/moderatie/items/{item_id}/besluit", {"decision": "keep_out", "version": str(version)}
    )
    with app.app_context():
        assert (
            db.session.execute(
                sa.select(Membership).filter_by(group_id=s["group"].id, user_id=s["unwanted"].id)
            ).first()
            is None
        )
        assert (
            db.session.execute(sa.select(GroupExclusion)).scalar_one().user_id == s["unwanted"].id
        )
        # Nothing reaches the person kept out: not who asked, not that anyone did.
        assert (
            db.session.execute(sa.select(Notification).filter_by(user_id=s["unwanted"].id)).first()
            is None
        )
    unwanted = Visitor(app.test_client())
    unwanted.login(s["unwanted"])
    again = unwanted.post(
        "/groepen/besloten/aanvraag", {"motivation": "Mag ik erin?"}, follow_redirects=True
    )
    html = again.get_data(as_text=True)
    assert "geen lid worden van deze groep" in html
    assert "Vrager" not in html
    with app.app_context():
        assert db.session.execute(sa.select(JoinRequest)).first() is None


def test_only_members_of_a_closed_group_can_ask(app: Flask, make: Factory, visitor: Visitor):
    _setting(app, make)
    outsider = make.user()
    visitor.login(outsider)
    assert visitor.get("/groepen/besloten/iemand-buiten-houden").status_code == 403
    public = make.group(slug="open")
    make.membership(outsider, public)
    assert visitor.get("/groepen/open/iemand-buiten-houden").status_code == 403


def test_an_unknown_name_or_oneself_comes_back_with_the_text(app, make: Factory, visitor):
    s = _setting(app, make)
    visitor.login(s["asker"])
    page = visitor.post(
        "/groepen/besloten/iemand-buiten-houden", {"pseudonym": "niemand", "note": "Mijn uitleg."}
    )
    assert page.status_code == 422 and "Mijn uitleg." in page.get_data(as_text=True)
    self_page = visitor.post("/groepen/besloten/iemand-buiten-houden", {"pseudonym": "Vrager"})
    assert self_page.status_code == 422
