"""The house rules and privacy pages."""

from __future__ import annotations

from tests.support import Factory, Visitor


def test_house_rules_say_what_to_leave_out_and_where_to_find_help(client):
    response = client.get("/huisregels")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for text in (
        "respectvol",
        "ook niet van een dader",
        "adressen",
        "telefoonnummers",
        "Niet oordelen",
        "Moderators",
        "0800-0113",
        'href="tel:08000113"',
        "112",
        "Slachtofferhulp Nederland",
    ):
        assert text in page, text


def test_privacy_page_explains_what_we_keep_and_how_to_leave(client):
    response = client.get("/privacy")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for text in (
        "schuilnaam",
        "e-mailadres is niet verplicht",
        "geen IP-adressen",
        "Wat we bewaren en waarom",
        "Stoppen",
    ):
        assert text in page, text


def test_the_footer_links_to_both_pages(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/huisregels"' in page
    assert 'href="/privacy"' in page


def test_onboarding_shows_the_same_house_rules(make: Factory, visitor: Visitor, client):
    public = client.get("/huisregels").get_data(as_text=True)
    visitor.login(make.user(accepted_house_rules=False))
    onboarding = visitor.get("/welkom/huisregels").get_data(as_text=True)
    start = public.index('<div class="house-rules">')
    rules = public[start : public.index("</div>", start)]
    assert rules in onboarding


def test_help_lines_can_be_configured(app, client):
    app.config["HELP_LINES"] = [
        {"name": "Eigen hulplijn", "when": "Altijd", "phone": "0800-1234", "url": ""}
    ]
    page = client.get("/huisregels").get_data(as_text=True)
    assert "Eigen hulplijn" in page
    assert 'href="tel:08001234"' in page
    assert "Slachtofferhulp Nederland" not in page


def test_every_page_footer_names_the_help_lines(client):
    footer = client.get("/inloggen").get_data(as_text=True).split("<footer", 1)[1]
    assert "0800-0113" in footer
    assert 'href="tel:08000113"' in footer
    assert "112" in footer


def test_the_help_lines_can_be_configured(app):
    app.config["HELP_LINES"] = [
        {"name": "Eigen hulplijn", "when": "Voor leden van deze community.", "phone": "0900-1234"}
    ]
    footer = app.test_client().get("/").get_data(as_text=True).split("<footer", 1)[1]
    assert "Eigen hulplijn: 0900-1234" in footer
    assert "0800-0113" not in footer
