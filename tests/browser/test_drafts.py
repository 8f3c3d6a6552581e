"""Never lose a story, in Chromium: static/js/drafts.js keeps what someone writes through a
reload, and the form keeps it when the login ran out meanwhile."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import People, log_in
from tests.browser.world import World

TITLE = "Wat ik nog wilde zeggen"
BODY = "Het duurde lang voor ik dit kon opschrijven.\n\nNu lukt het, in kleine stukjes."


def test_a_draft_survives_a_reload_and_a_login_that_ran_out(people: People, world: World):
    share = f"/groepen/{world.public.slug}/verhaal-delen"
    # The browser logs the answers that keep the text (401, then 400) as failed loads.
    people.trouble.allow("status of 401 (UNAUTHORIZED)")
    people.trouble.allow("status of 400 (BAD REQUEST)")
    page = people.login(world.drafter)
    page.goto(share)
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Je verhaal").fill(BODY)
    page.wait_for_timeout(600)  # drafts.js saves 400 ms after the last keystroke
    page.reload()
    expect(page.get_by_text("We hebben je concept teruggezet.")).to_be_visible()
    expect(page.get_by_label("Titel")).to_have_value(TITLE)
    expect(page.get_by_label("Je verhaal")).to_have_value(BODY)
    people.shoot(page, "draft back after a reload")

    # Meanwhile the same member logs out everywhere else, from another device.
    elsewhere = people.login(world.drafter)
    token = elsewhere.locator('meta[name="csrf-token"]').get_attribute("content")
    ended = elsewhere.request.post("/account/overal-uitloggen", form={"csrf_token": token or ""})
    assert ended.ok

    page.get_by_role("button", name="Verhaal plaatsen").click()
    expect(page.get_by_text("Je bent uitgelogd, maar je tekst staat er nog.")).to_be_visible()
    expect(page.get_by_label("Titel")).to_have_value(TITLE)
    expect(page.get_by_label("Je verhaal")).to_have_value(BODY)
    people.shoot(page, "logged out but the text is still there")

    # They log in again in a new tab, come back, and send it again.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Inloggen in een nieuw tabblad").click()
    log_in(opened.value, world.drafter.pseudonym)
    opened.value.close()
    for _attempt in range(3):
        page.get_by_role("button", name="Verhaal plaatsen").click()
        page.wait_for_load_state()
        if page.get_by_role("heading", name=TITLE).count():
            break
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.locator("main")).to_contain_text("in kleine stukjes")
    people.shoot(page, "story saved after logging in again")

    # Saved on the server, the draft is gone from the device.
    page.goto(share)
    expect(page.get_by_label("Titel")).to_have_value("")
    expect(page.get_by_text(re.compile("concept teruggezet"))).to_have_count(0)
