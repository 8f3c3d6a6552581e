"""Admins write the privacy statement and house rules, and choose where "Snel weg" leads."""

from __future__ import annotations

from flask import Flask

from app.accounts.models import SiteRole
from tests.support import Factory, Visitor


def test_an_admin_rewrites_the_privacy_statement_and_house_rules(
    app: Flask, make: Factory, visitor: Visitor
):
    admin = make.user("Beheer", role=SiteRole.ADMIN)
    assert "We bewaren geen IP-adressen" in visitor.get("/privacy").get_data(as_text=True)
    visitor.login(admin)
    saved = visitor.post(
        "/beheer/site/pagina/privacy",
        {"source": "## Onze belofte\n\nWe bewaren zo min mogelijk. <script>alert(1)</script>"},
    )
    assert saved.status_code == 302
    page = Visitor(app.test_client()).get("/privacy").get_data(as_text=True)
    assert "Onze belofte" in page and "We bewaren zo min mogelijk." in page
    assert "<script>alert(1)" not in page and "We bewaren geen IP-adressen" not in page

    visitor.post("/beheer/site/pagina/huisregels", {"source": "Wees mild voor elkaar."})
    assert "Wees mild voor elkaar." in visitor.get("/huisregels").get_data(as_text=True)
    # Empty brings back the text that comes with the server.
    visitor.post("/beheer/site/pagina/privacy", {"source": ""})
    assert "We bewaren geen IP-adressen" in visitor.get("/privacy").get_data(as_text=True)


def test_the_quick_exit_address_is_set_by_admins_only(app: Flask, make: Factory, visitor: Visitor):
    moderator = make.user("Mod", role=SiteRole.MODERATOR)
    visitor.login(moderator)
    assert visitor.get("/beheer/site").status_code == 404
    assert visitor.post("/beheer/site", {"url": "https://weer.example/"}).status_code == 404
    visitor.logout()
    admin = make.user("Beheer", role=SiteRole.ADMIN)
    visitor.login(admin)
    refused = visitor.post("/beheer/site", {"url": "javascript:alert(1)"})
    assert refused.status_code == 422
    assert "begint met https://" in refused.get_data(as_text=True)
    assert visitor.post("/beheer/site", {"url": "https://weer.example/"}).status_code == 302
    # This process sees it at once; another one within half a minute.
    home = Visitor(app.test_client()).get("/").get_data(as_text=True)
    assert 'id="quick-exit" href="https://weer.example/"' in home


def test_registration_links_to_privacy_and_house_rules(visitor: Visitor):
    page = visitor.get("/registreren").get_data(as_text=True)
    assert 'href="/privacy"' in page and 'href="/huisregels"' in page
