"""live.js in Chromium: what others change appears on an open page without a reload, and
the reader's place (their keyboard focus) is kept."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import People
from tests.browser.world import World


def test_a_changed_and_then_deleted_reply_updates_the_open_page_and_keeps_the_focus(
    people: People, world: World
):
    reply_id = f"reactie-{world.live_reply.id}"
    reader = people.login(world.reader)
    reader.goto(f"/verhalen/{world.live_story.id}")
    reader.evaluate("window.stillTheSamePage = true")
    reply = reader.locator(f"#{reply_id}")
    expect(reply).to_contain_text("Dat eerste jaar is zwaar.")
    reader.get_by_label("Je reactie").fill("Ik was nog aan het schrijven")
    reply.get_by_role("link", name="Citeer").focus()
    people.shoot(reader, "reader on the story")

    writer = people.login(world.writer)
    writer.goto(f"/reacties/{world.live_reply.id}/bewerken")
    writer.get_by_label("Je reactie").fill("Dat eerste jaar is zwaar. Het tweede werd lichter.")
    writer.get_by_role("button", name="Wijziging opslaan").click()
    people.shoot(writer, "writer changed the reply")

    expect(reply).to_contain_text("Het tweede werd lichter.")
    expect(reply).to_contain_text("bewerkt")
    assert reader.evaluate("window.stillTheSamePage") is True
    assert reader.evaluate("document.activeElement.id") == reply_id
    expect(reader.get_by_label("Je reactie")).to_have_value("Ik was nog aan het schrijven")
    people.shoot(reader, "the changed reply replaced in place")

    writer.goto(f"/reacties/{world.live_reply.id}/verwijderen")
    writer.get_by_role("button", name="Ja, verwijderen").click()

    expect(reply).to_contain_text("Deze reactie is verwijderd door de schrijver.")
    expect(reply).not_to_contain_text("lichter")
    assert reader.evaluate("window.stillTheSamePage") is True
    assert reader.evaluate("document.activeElement.id") == reply_id
    expect(reader.get_by_label("Je reactie")).to_have_value("Ik was nog aan het schrijven")
    people.shoot(reader, "the deleted reply folded in place")
