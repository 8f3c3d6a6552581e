"""Registering, logging in and out, and the password, through the pages."""

import re

import pytest
import sqlalchemy as sa

from app.accounts.mail import outbox
from app.accounts.models import AuthSession, User
from app.extensions import db
from tests.support import PASSWORD, Factory, Visitor


def _users(app, **filters):
    with app.app_context():
        return db.session.execute(sa.select(User).filter_by(**filters)).scalars().all()


def test_registering_logs_the_new_member_in_and_starts_onboarding(app, visitor: Visitor):
    response = visitor.post(
        "/registreren", {"pseudonym": "Stille Kracht", "password": PASSWORD, "email": ""}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/welkom/groepen")
    [user] = _users(app, pseudonym="Stille Kracht")
    assert user.email is None
    assert user.password_hash.startswith("$argon2id$")
    assert "Stille Kracht" in visitor.get("/").get_data(as_text=True)


def test_a_refused_registration_keeps_what_was_typed(visitor: Visitor):
    response = visitor.post(
        "/registreren",
        {"pseudonym": "Stille Kracht", "password": "wachtwoord1", "email": "sk@example.nl"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Stille Kracht"' in page
    assert 'value="sk@example.nl"' in page
    assert "te makkelijk te raden" in page or "minstens 10 tekens" in page


def test_a_pseudonym_that_differs_only_in_case_or_accents_is_taken(make: Factory, visitor: Visitor):
    make.user("Joëlle")
    response = visitor.post("/registreren", {"pseudonym": "JOELLE", "password": PASSWORD})
    assert response.status_code == 422
    assert "al in gebruik" in response.get_data(as_text=True)


def test_an_email_address_is_refused_as_pseudonym(visitor: Visitor):
    response = visitor.post("/registreren", {"pseudonym": "ik@example.nl", "password": PASSWORD})
    assert response.status_code == 422
    assert "e-mailadres" in response.get_data(as_text=True)


def test_login_with_a_wrong_password_says_the_same_as_for_an_unknown_pseudonym(
    make: Factory, visitor: Visitor
):
    make.user("Bestaand")
    wrong_password = visitor.post(
        "/inloggen", {"pseudonym": "Bestaand", "password": "niet goed 123"}
    )
    unknown = visitor.post("/inloggen", {"pseudonym": "Onbekend", "password": "niet goed 123"})
    assert wrong_password.status_code == unknown.status_code == 422

    def message(response):
        return re.search(
            r'<div class="form-errors"[^>]*>(.*?)</div>', response.get_data(as_text=True), re.S
        ).group(1)

    assert message(wrong_password) == message(unknown)


def test_logout_ends_the_session_on_the_server(app, make: Factory, visitor: Visitor):
    user = make.user("Uitlogger")
    visitor.login(user)
    stolen_cookie = visitor.client.get_cookie("__Host-session").value
    visitor.logout()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuthSession)) == 0
    # Someone who copied the cookie before logout gets nothing from it.
    thief = app.test_client()
    thief.set_cookie("__Host-session", stolen_cookie)
    assert "Uitlogger" not in thief.get("/").get_data(as_text=True)
    assert thief.get("/account").status_code == 302


def test_login_starts_a_fresh_session(make: Factory, visitor: Visitor):
    user = make.user()
    visitor.get("/")
    before = visitor.client.get_cookie("__Host-session").value
    visitor.login(user)
    assert visitor.client.get_cookie("__Host-session").value != before


def test_session_cookie_is_host_only_secure_httponly_and_lax(make: Factory, visitor: Visitor):
    user = make.user()
    response = visitor.login(user)
    cookies = response.headers.getlist("Set-Cookie")
    [cookie] = [c for c in cookies if c.startswith("__Host-session=")]
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert flag in cookie
    assert "Domain" not in cookie
    # The device cookie the login sets is as closed off.
    [device] = [c for c in cookies if c.startswith("apparaat=")]
    for flag in ("Secure", "HttpOnly", "SameSite=Lax"):
        assert flag in device


def test_idle_session_expires(app, make: Factory, visitor: Visitor):
    from app import clock

    user = make.user("Slaapkop")
    with clock.frozen(clock.utcnow()) as time:
        visitor.login(user)
        time.advance(minutes=app.config["SESSION_IDLE_MINUTES"] - 1)
        assert "Slaapkop" in visitor.get("/").get_data(as_text=True)
        time.advance(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
        assert "Slaapkop" not in visitor.get("/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuthSession)) == 0


def test_absolute_session_timeout_applies_even_when_active(app, make: Factory, visitor: Visitor):
    from app import clock

    user = make.user("Actief")
    with clock.frozen(clock.utcnow()) as time:
        visitor.login(user)
        for _ in range(app.config["SESSION_ABSOLUTE_HOURS"] - 1):
            time.advance(minutes=60)
            assert "Actief" in visitor.get("/").get_data(as_text=True)
        time.advance(minutes=61)
        assert "Actief" not in visitor.get("/").get_data(as_text=True)


def test_remember_me_keeps_the_member_logged_in_for_days(app, make: Factory, visitor: Visitor):
    from app import clock

    user = make.user("Blijver")
    with clock.frozen(clock.utcnow()) as time:
        response = visitor.login(user, remember=True)
        assert "Expires=" in response.headers["Set-Cookie"]
        time.advance(days=3)
        assert "Blijver" in visitor.get("/").get_data(as_text=True)
        time.advance(days=app.config["REMEMBER_DAYS"])
        assert "Blijver" not in visitor.get("/").get_data(as_text=True)


def test_a_form_without_csrf_token_is_refused_but_keeps_the_text(client):
    response = client.post("/registreren", data={"pseudonym": "Zonder Token", "password": PASSWORD})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Zonder Token"' in page
    assert "verlopen" in page


def test_a_button_post_without_csrf_token_is_refused(make: Factory, visitor: Visitor):
    user = make.user("Ingelogd")
    visitor.login(user)
    response = visitor.client.post("/uitloggen")
    assert response.status_code == 400
    assert "Ingelogd" in visitor.get("/").get_data(as_text=True)


def test_login_is_rate_limited_with_a_clear_dutch_message(make: Factory, visitor: Visitor):
    make.user("Doelwit")
    statuses = [
        visitor.post(
            "/inloggen", {"pseudonym": "Doelwit", "password": f"fout wachtwoord {i}"}
        ).status_code
        for i in range(9)
    ]
    assert statuses[:8] == [422] * 8
    assert statuses[8] == 429
    last = visitor.post("/inloggen", {"pseudonym": "Doelwit", "password": PASSWORD})
    assert last.status_code == 429
    page = last.get_data(as_text=True)
    assert "vaak achter elkaar geprobeerd" in page
    assert 'value="Doelwit"' in page


def test_registration_is_rate_limited(app):
    # Every attempt from a new browser (a logged-in one would be sent on), all from one address.
    statuses = [
        Visitor(app.test_client())
        .post("/registreren", {"pseudonym": f"nieuw lid {i}", "password": PASSWORD})
        .status_code
        for i in range(6)
    ]
    assert statuses == [302] * 5 + [429]


def test_password_reset_answers_the_same_with_or_without_an_account(
    app, make: Factory, visitor: Visitor
):
    make.user("Vergeetachtig", email="v@example.nl")
    known = visitor.post("/wachtwoord-vergeten", {"email": "V@example.nl"})
    unknown = visitor.post("/wachtwoord-vergeten", {"email": "niemand@example.nl"})
    assert known.status_code == unknown.status_code == 200

    def main(response):
        return response.get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0]

    assert "Kijk in je e-mail" in main(known)
    assert main(known) == main(unknown)
    sent = outbox(app)
    assert [mail.to for mail in sent] == ["v@example.nl"]


def test_a_reset_link_sets_a_new_password_once_and_ends_other_sessions(
    app, make: Factory, visitor: Visitor
):
    user = make.user("Vergeetachtig", email="v@example.nl")
    elsewhere = Visitor(app.test_client())
    elsewhere.login(user)
    visitor.post("/wachtwoord-vergeten", {"email": "v@example.nl"})
    link = re.search(r"https?://\S+", outbox(app)[-1].body).group(0)
    path = link.split("localhost", 1)[1]
    new_password = "nieuwe regenjas lantaarn"
    response = visitor.post(path, {"new_password": new_password})
    assert response.status_code == 302
    assert "Vergeetachtig" not in elsewhere.get("/").get_data(as_text=True)
    assert visitor.post(path, {"new_password": "nog een ander wachtwoord"}).status_code == 400
    visitor.login(user, password=new_password)


def test_a_tampered_reset_link_is_refused_kindly(visitor: Visitor):
    response = visitor.get("/wachtwoord-herstellen/nep-token")
    assert response.status_code == 400
    assert "werkt niet meer" in response.get_data(as_text=True)


def test_changing_the_password_ends_other_sessions_but_not_this_one(
    app, make: Factory, visitor: Visitor
):
    user = make.user("Wisselaar")
    other_device = Visitor(app.test_client())
    other_device.login(user)
    visitor.login(user)
    response = visitor.post(
        "/account", {"current_password": PASSWORD, "new_password": "paarse olifant zingt zacht"}
    )
    assert response.status_code == 302
    assert "Wisselaar" in visitor.get("/").get_data(as_text=True)
    assert "Wisselaar" not in other_device.get("/").get_data(as_text=True)


def test_the_account_page_needs_a_login(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]


@pytest.mark.parametrize("field", ["pseudonym", "password", "email"])
def test_hostile_strings_through_registration_never_cause_a_server_error(
    app, naughty_strings, field, visitor: Visitor
):
    app.config["RATELIMIT_ENABLED"] = False
    token = visitor.csrf_token("/registreren")
    for text in naughty_strings:
        data = {"csrf_token": token, "pseudonym": "Gewoon Iemand", "password": "x", "email": ""}
        data[field] = text
        response = visitor.client.post("/registreren", data=data)
        assert response.status_code < 500, text
        assert "<script>alert" not in response.get_data(as_text=True)


def test_a_member_ends_the_login_on_one_other_device_only(app, make: Factory, visitor: Visitor):
    from app.accounts.models import AuthSession
    from app.extensions import db

    user = make.user("Telefoonkwijt")
    lost_phone = Visitor(app.test_client())
    lost_phone.login(user)
    laptop = Visitor(app.test_client())
    laptop.login(user)
    visitor.login(user)
    stranger = make.user("Iemand")
    strangers_device = Visitor(app.test_client())
    strangers_device.login(stranger)
    with app.app_context():
        rows = db.session.execute(sa.select(AuthSession).order_by(AuthSession.id)).scalars()
        ids = {row.user_id: row.id for row in rows if row.user_id != user.id} | {
            "phone": min(
                r.id
                for r in db.session.execute(sa.select(AuthSession)).scalars()
                if r.user_id == user.id
            )
        }
    page = visitor.get("/account").get_data(as_text=True)
    assert page.count("Hier uitloggen") == 2  # the phone and the laptop, not this device

    assert visitor.post(f"/account/sessies/{ids['phone']}/uitloggen").status_code == 302
    assert "Telefoonkwijt" not in lost_phone.get("/").get_data(as_text=True)
    assert "Telefoonkwijt" in laptop.get("/").get_data(as_text=True)
    assert "Telefoonkwijt" in visitor.get("/").get_data(as_text=True)

    # Someone else's login cannot be ended from here.
    visitor.post(f"/account/sessies/{ids[stranger.id]}/uitloggen")
    assert "Iemand" in strangers_device.get("/").get_data(as_text=True)
