"""Two-step verification: staff act only after it, members may use it, codes work once."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pyotp
import pytest
from flask import Flask

from app import clock, create_app
from app.accounts.models import SiteRole, User
from app.config import TestConfig
from app.extensions import db
from tests.support import PASSWORD, Factory, Visitor

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def staff_need_two_factor(app: Flask) -> None:
    app.config["STAFF_TWO_FACTOR"] = True


def _secret(app: Flask, user: User) -> str:
    with app.app_context():
        secret = db.session.get(User, user.id).totp_secret
    assert secret
    return secret


def _enrol(app: Flask, visitor: Visitor, user: User) -> tuple[pyotp.TOTP, list[str]]:
    page = visitor.get("/account/tweestapsverificatie").get_data(as_text=True)
    # The QR code is drawn on the server: no image fetched from elsewhere, no script.
    svg = page.split("<svg", 1)[1].split("</svg>")[0]
    assert "href" not in svg and "src=" not in svg and "<script" not in svg
    totp = pyotp.TOTP(_secret(app, user))
    done = visitor.post("/account/tweestapsverificatie", {"code": totp.at(NOW)})
    assert done.status_code == 200
    codes = re.findall(r"<code>([a-z0-9]{4}-[a-z0-9]{4})</code>", done.get_data(as_text=True))
    assert len(codes) == 10
    return totp, codes


def test_a_moderator_without_two_step_verification_cannot_act(
    app: Flask, make: Factory, visitor: Visitor
):
    moderator = make.user(role=SiteRole.MODERATOR)
    with clock.frozen(NOW):
        visitor.login(moderator)
        refused = visitor.get("/moderatie/")
        assert refused.status_code in (403, 404)
        home = visitor.get("/").get_data(as_text=True)
        assert "zodra tweestapsverificatie aan staat" in home

        _enrol(app, visitor, moderator)
        assert visitor.get("/moderatie/").status_code == 200
        assert "zodra tweestapsverificatie aan staat" not in visitor.get("/").get_data(as_text=True)


def test_login_asks_for_the_code_and_a_code_works_once(app: Flask, make: Factory, visitor: Visitor):
    moderator = make.user(role=SiteRole.MODERATOR)
    with clock.frozen(NOW) as moment:
        visitor.login(moderator)
        totp, _codes = _enrol(app, visitor, moderator)
        visitor.logout()
        moment.advance(seconds=30)

        answer = visitor.post("/inloggen", {"pseudonym": moderator.pseudonym, "password": "x"})
        assert answer.status_code == 422  # a wrong password never reaches the code step
        answer = visitor.post(
            "/inloggen",
            {"pseudonym": moderator.pseudonym, "password": PASSWORD},
        )
        assert answer.status_code == 302 and answer.location.endswith("/inloggen/code")
        # Between the two steps nobody is logged in.
        assert visitor.get("/moderatie/").status_code == 302

        wrong = visitor.post("/inloggen/code", {"code": "000000"})
        assert wrong.status_code == 422 and "Deze code klopt niet" in wrong.get_data(as_text=True)
        code = totp.at(clock.utcnow())
        assert visitor.post("/inloggen/code", {"code": code}).status_code == 302
        assert visitor.get("/moderatie/").status_code == 200

        # The same code cannot be used again, even on another device.
        other = Visitor(app.test_client())
        other.post(
            "/inloggen",
            {"pseudonym": moderator.pseudonym, "password": PASSWORD},
        )
        assert other.post("/inloggen/code", {"code": code}).status_code == 422


def test_a_recovery_code_logs_in_once(app: Flask, make: Factory, visitor: Visitor):
    member = make.user()
    with clock.frozen(NOW):
        visitor.login(member)
        _totp, codes = _enrol(app, visitor, member)
        visitor.logout()
        for expected in (302, 422):
            visitor.post(
                "/inloggen",
                {"pseudonym": member.pseudonym, "password": PASSWORD},
            )
            answer = visitor.post("/inloggen/code", {"code": codes[0].upper()})
            assert answer.status_code == expected
            if expected == 302:
                assert "9 herstelcodes" in visitor.get("/account/tweestapsverificatie").get_data(
                    as_text=True
                )
                visitor.logout()


def test_turning_it_off_needs_a_code_and_ends_staff_work(
    app: Flask, make: Factory, visitor: Visitor
):
    moderator = make.user(role=SiteRole.MODERATOR)
    with clock.frozen(NOW) as moment:
        visitor.login(moderator)
        totp, _ = _enrol(app, visitor, moderator)
        token = visitor.csrf_token()
        refused = visitor.post(
            "/account/tweestapsverificatie/uit", {"uit-csrf_token": token, "uit-code": "123456"}
        )
        assert refused.status_code == 422
        assert "Deze code klopt niet" in refused.get_data(as_text=True)
        assert visitor.get("/moderatie/").status_code == 200
        moment.advance(seconds=30)
        done = visitor.post(
            "/account/tweestapsverificatie/uit",
            {"uit-csrf_token": token, "uit-code": totp.at(clock.utcnow())},
        )
        assert done.status_code == 302
        assert visitor.get("/moderatie/").status_code in (403, 404)


def test_demo_staff_are_exempt_only_in_demo_mode(app: Flask, make: Factory, visitor: Visitor):
    demo_moderator = make.user(role=SiteRole.MODERATOR, email="moderator@demo.invalid")
    visitor.login(demo_moderator)
    assert visitor.get("/moderatie/").status_code in (403, 404)
    app.config["DEMO_MODE"] = True
    assert visitor.get("/moderatie/").status_code == 200
    assert "In de demo hoeft het team geen tweestapsverificatie" in visitor.get(
        "/account"
    ).get_data(as_text=True)
    # A real staff account gets no exemption from demo mode.
    visitor.logout()
    real = make.user(role=SiteRole.MODERATOR, email="echt@example.org")
    visitor.login(real)
    assert visitor.get("/moderatie/").status_code in (403, 404)


def test_production_refuses_demo_mode(tmp_path):
    settings = TestConfig(tmp_path)
    settings.DEMO_MODE = True
    settings.ENVIRONMENT = "production"
    with pytest.raises(RuntimeError, match="DEMO_MODE"):
        create_app(settings)
