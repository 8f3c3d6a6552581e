"""Hostile content in Chromium: stories and replies made of XSS vectors and the Big List of
Naughty Strings are shown as text. No dialog opens and no script error is logged (the
people fixture checks both), even with the Content-Security-Policy switched off, so that
the sanitiser alone is tested."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import People
from tests.browser.world import XSS, World

_ACTIVE = (
    "main script, main iframe, main object, main embed, main style, main svg, main math,"
    " main [onerror], main [onload], main [onclick], main [onmouseover], main [style],"
    " main a[href^='javascript' i], main a[href^='data:' i], main a[href^='vbscript' i]"
)


def _nothing_active(page: Page) -> None:
    assert page.locator(_ACTIVE).count() == 0


def test_pages_full_of_hostile_posts_run_no_script(people: People, world: World):
    if not world.naughty:
        pytest.skip("../shared/data/blns/blns.json is absent: only the XSS vectors are shown")
    visitor = people.open(bypass_csp=True)
    for step, path in (("group", f"/groepen/{world.hostile.slug}"), ("home", "/")):
        visitor.goto(path)
        visitor.wait_for_load_state("networkidle")
        _nothing_active(visitor)
        expect(visitor.locator("main")).to_contain_text("alert(1)")
        people.shoot(visitor, step)
    # Every naughty string is a reply to one story: walk all its pages.
    seen, number = 0, 1
    while True:
        visitor.goto(f"/verhalen/{world.hostile_story.id}?pagina={number}")
        visitor.wait_for_load_state("networkidle")
        _nothing_active(visitor)
        seen += visitor.locator("#reactielijst > li").count()
        people.shoot(visitor, f"story with every naughty string, page {number}")
        if visitor.locator('.pager a[rel="next"]').count() == 0:
            break
        number += 1
    assert seen >= world.hostile_story.reply_count > 500
    assert number > 10


def test_hostile_text_written_in_the_browser_is_shown_as_text(people: People, world: World):
    writer = people.login(world.writer, bypass_csp=True)
    writer.goto(f"/groepen/{world.hostile.slug}/verhaal-delen")
    writer.get_by_label("Titel").fill('"><img src=x onerror=alert(1)>')
    writer.get_by_label("Je verhaal").fill("\n\n".join(XSS[:12]))
    writer.get_by_role("button", name="Verhaal plaatsen").click()
    expect(writer.get_by_role("heading", name='"><img src=x onerror=alert(1)>')).to_be_visible()
    writer.get_by_label("Je reactie").fill("\n\n".join(XSS[12:]))
    writer.get_by_role("button", name="Reactie plaatsen").click()
    expect(writer.locator("#reactielijst")).to_contain_text("alert(1)")
    writer.wait_for_load_state("networkidle")
    _nothing_active(writer)
    people.shoot(writer, "hostile story and reply")

    reader = people.login(world.writer, bypass_csp=True)
    reader.goto(writer.url)
    reader.wait_for_load_state("networkidle")
    _nothing_active(reader)
