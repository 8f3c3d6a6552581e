"""Security and privacy headers, and what pages may load."""

import re

import pytest


@pytest.mark.parametrize("path", ["/", "/inloggen", "/registreren", "/bestaat-niet"])
def test_pages_carry_a_strict_content_security_policy(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in policy
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_hsts_is_sent_over_https_only(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("path", ["/", "/inloggen", "/registreren"])
def test_pages_load_nothing_from_other_sites_and_have_no_inline_script(client, path):
    page = client.get(path).get_data(as_text=True)
    for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src")):
        for value in re.findall(rf"<{tag}[^>]*\s{attribute}=\"([^\"]+)\"", page):
            assert value.startswith("/"), f"{tag} loads {value}"
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", page), "inline script found"
    assert " style=" not in page
    assert not re.search(r"\son[a-z]+=", page), "inline event handler found"


def test_every_page_has_a_quick_exit_and_a_skip_link(client):
    page = client.get("/").get_data(as_text=True)
    assert 'id="quick-exit"' in page
    assert 'href="#inhoud"' in page


def test_every_page_template_has_the_quick_exit():
    """Every page is built on base.html, which holds "Snel weg"; the only other HTML is the
    overview inside a member's data download, which is a file and not a page of the site."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    base = (root / "base.html").read_text()
    assert 'id="quick-exit"' in base and "quick-exit.js" in base
    standalone = {root / "base.html", root / "accounts" / "export_overview.html"}
    pages = [
        path
        for path in root.rglob("*.html")
        if not path.name.startswith("_") and path not in standalone and "email" not in path.parts
    ]
    assert len(pages) > 40
    for path in pages:
        head = "\n".join(path.read_text().splitlines()[:3])
        assert '{% extends "base.html" %}' in head, path
