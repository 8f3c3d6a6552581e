"""A story's replies in pages, in Chromium: an old link that names a reply only by its
anchor still finds it on its page, and a reply that lands on another page while a reader
is on the first changes the count there, not the list in front of them."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import People
from tests.browser.world import World


def test_an_old_reply_anchor_finds_its_page(people: People, world: World):
    reader = people.open()
    reader.goto(f"/verhalen/{world.hostile_story.id}?pagina=3")
    reply_id = reader.locator("#reactielijst > li").first.get_attribute("id")
    assert reply_id and reply_id.startswith("reactie-")

    # As notifications linked to replies before there were pages.
    reader.goto(f"/verhalen/{world.hostile_story.id}#{reply_id}")
    expect(reader).to_have_url(re.compile(rf"\?pagina=3#{reply_id}$"))
    expect(reader.locator(f"#{reply_id}")).to_be_in_viewport()
    people.shoot(reader, "sent on to page 3")

    # An anchor that is on no page leaves the reader where they are, without a loop.
    reader.goto(f"/verhalen/{world.hostile_story.id}?pagina=2#reactie-999999")
    reader.wait_for_load_state("networkidle")
    assert reader.url.endswith("?pagina=2#reactie-999999")


def test_a_reply_on_a_later_page_changes_the_count_on_the_first(people: People, world: World):
    reader = people.open()
    reader.goto(f"/verhalen/{world.hostile_story.id}")
    heading = reader.locator("#reacties-titel")
    before = int(heading.inner_text().split()[0])
    first_ids = reader.locator("#reactielijst > li").evaluate_all("items => items.map(i => i.id)")
    assert len(first_ids) == 50

    writer = people.login(world.writer)
    writer.goto(f"/verhalen/{world.hostile_story.id}")
    writer.get_by_label("Je reactie").fill("Een gewone reactie tussen alle vreemde tekens.")
    writer.get_by_role("button", name="Reactie plaatsen").click()
    expect(writer).to_have_url(re.compile(r"\?pagina=\d+#reactie-\d+$"))
    expect(writer.locator("#reactielijst")).to_contain_text("Een gewone reactie")

    expect(heading).to_have_text(f"{before + 1} reacties")
    after = reader.locator("#reactielijst > li").evaluate_all("items => items.map(i => i.id)")
    assert after == first_ids
    people.shoot(reader, "the count rose, the list stayed")


def test_a_reaction_under_a_reply_is_given_and_taken_back_without_a_reload(
    people: People, world: World
):
    member = people.login(world.member)
    member.goto(f"/verhalen/{world.story.id}")
    member.evaluate("window.stillTheSamePage = true")
    bar = member.locator('#reactielijst [data-reactions^="reply-"]').first
    button = bar.get_by_role("button", name=re.compile("Herkenning"))
    expect(button).to_have_attribute("aria-pressed", "false")
    before = int(button.locator("[data-count]").inner_text())

    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button.locator("[data-count]")).to_have_text(str(before + 1))
    people.shoot(member, "recognition given")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button.locator("[data-count]")).to_have_text(str(before))
    assert member.evaluate("window.stillTheSamePage") is True

    member.reload()
    expect(bar.get_by_role("button", name=re.compile("Herkenning"))).to_have_attribute(
        "aria-pressed", "false"
    )
