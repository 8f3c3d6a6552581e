"""Dutch first, English as the second language."""


def test_pages_are_dutch_by_default_even_for_english_browsers(client):
    page = client.get("/inloggen", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(
        as_text=True
    )
    assert 'lang="nl"' in page
    assert "Wachtwoord" in page


def test_the_language_switch_changes_the_interface_and_returns_to_the_page(client):
    response = client.get("/taal/en?next=/inloggen")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/inloggen")
    page = client.get("/inloggen").get_data(as_text=True)
    assert 'lang="en"' in page
    assert "Password" in page


def test_the_language_switch_never_redirects_to_another_site(client):
    for target in (
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
    ):
        response = client.get("/taal/nl", query_string={"next": target})
        assert response.headers["Location"] in ("/", "http://localhost/")


def test_an_unknown_language_is_ignored(client):
    client.get("/taal/xx")
    assert 'lang="nl"' in client.get("/").get_data(as_text=True)
