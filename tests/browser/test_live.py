"""live.js in Chromium: what others change appears on an open page without a reload, and
the reader's place (their keyboard focus) is kept. A story edited or taken away meanwhile is
announced with a link to reload, never swapped under the reader, and the reply they are
writing stays where it is."""

from __future__ import annotations

from playwright.sync_api import Page, expect

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


# Notes every change to the story's text, or to what of it is hidden, from now on (not
# styles: Playwright sets those itself while it takes a screenshot).
_WATCH_THE_STORY = """() => {
    window.storyChanges = [];
    new MutationObserver(records => records.forEach(record => window.storyChanges.push(
        record.type + ' ' + (record.target.outerHTML || record.target.textContent).slice(0, 80)
    ))).observe(document.querySelector('[data-live-story]'), {
        subtree: true, childList: true, characterData: true, attributeFilter: ['hidden'],
    });
}"""
HALF_WRITTEN = "Ik herken dat kruispunt, ik"


def _open_with_a_reply_half_written(people: People, world: World, story_id: int) -> Page:
    reader = people.login(world.reader)
    reader.goto(f"/verhalen/{story_id}")
    expect(reader.locator("[data-live-story-notice]")).to_be_hidden()
    reader.get_by_label("Je reactie").fill(HALF_WRITTEN)
    reader.evaluate("window.stillTheSamePage = true")
    reader.evaluate(_WATCH_THE_STORY)
    return reader


def test_a_story_its_writer_edits_and_then_deletes_is_announced_not_swapped_under_the_reader(
    people: People, world: World
):
    story_id = world.changing_story.id
    before = "Ik durf nog steeds niet over het kruispunt te fietsen."
    after = "Sinds deze week fiets ik er weer, met iemand naast me."
    reader = _open_with_a_reply_half_written(people, world, story_id)
    story = reader.locator("[data-live-story]")
    notice = reader.locator("[data-live-story-notice]")
    reload = notice.get_by_role("link", name="Laad de pagina opnieuw")
    reply_box = reader.get_by_label("Je reactie")
    expect(story).to_contain_text(before)
    people.shoot(reader, "reader on the story writing a reply")

    writer = people.login(world.writer)
    writer.goto(f"/verhalen/{story_id}/bewerken")
    writer.get_by_label("Je verhaal").fill(after)
    # live.js hears of the change and fetches the reply list (never the story itself).
    with reader.expect_response(lambda answer: answer.url.endswith(f"/{story_id}/reacties")):
        writer.get_by_role("button", name="Wijziging opslaan").click()
    expect(writer.locator("[data-live-story]")).to_contain_text(after)
    people.shoot(writer, "writer changed the story")

    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Dit verhaal is aangepast.")
    expect(reload).to_be_visible()
    expect(story).to_contain_text(before)
    expect(story).not_to_contain_text(after)
    expect(reader.locator("#reactielijst")).to_contain_text("Ik neem ook een andere route.")
    expect(reply_box).to_have_value(HALF_WRITTEN)
    assert reader.evaluate("window.stillTheSamePage") is True
    people.shoot(reader, "the notice offers a reload and the text stays")
    assert reader.evaluate("window.storyChanges") == []

    with reader.expect_navigation():
        reload.click()
    expect(story).to_contain_text(after)
    expect(story).not_to_contain_text(before)
    expect(notice).to_be_hidden()
    # drafts.js kept the half-written reply through the reload.
    expect(reply_box).to_have_value(HALF_WRITTEN)
    people.shoot(reader, "the reload shows the new text and keeps the reply")

    reader.evaluate("window.stillTheSamePage = true")
    writer.goto(f"/verhalen/{story_id}/verwijderen")
    writer.get_by_role("button", name="Ja, verwijderen").click()

    expect(notice).to_contain_text("Dit verhaal is niet meer te zien.")
    expect(reload).to_be_visible()
    # The writer wiped the text: it leaves the open page too, and nothing takes its place.
    expect(story).to_be_hidden()
    expect(reply_box).to_have_value(HALF_WRITTEN)
    assert reader.evaluate("window.stillTheSamePage") is True
    people.shoot(reader, "the deleted story is announced and the reply stays")

    with reader.expect_navigation():
        reload.click()
    expect(reader.locator("h1")).to_have_text("Verwijderd verhaal")
    expect(reader.locator("#reactielijst")).to_contain_text("Ik neem ook een andere route.")
    people.shoot(reader, "the reload shows the tombstone")


def test_a_story_a_moderator_removes_is_announced_and_the_reply_being_written_stays(
    people: People, world: World
):
    # The reply list, and the story after the reload, answer 404 to the reader on purpose.
    people.trouble.allow("status of 404 (NOT FOUND)")
    story_id = world.removed_story.id
    reader = _open_with_a_reply_half_written(people, world, story_id)
    story = reader.locator("[data-live-story]")
    notice = reader.locator("[data-live-story-notice]")
    expect(story).to_contain_text("Niemand kwam kijken hoe het ging.")
    people.shoot(reader, "reader on the story writing a reply")

    moderator = people.login(world.moderator)
    moderator.goto(f"/moderatie/items/{world.removal_item}")
    moderator.get_by_label("Weghalen").check()
    moderator.get_by_label("Reden in je eigen woorden (de schrijver leest dit)").fill(
        "Er stond een adres in het verhaal."
    )
    moderator.get_by_role("button", name="Besluit opslaan").click()
    expect(moderator.get_by_text("Je besluit is opgeslagen")).to_be_visible()
    people.shoot(moderator, "moderator removed the story")

    expect(notice).to_contain_text("Dit verhaal is niet meer te zien.")
    reload = notice.get_by_role("link", name="Laad de pagina opnieuw")
    expect(reload).to_be_visible()
    expect(story).to_be_hidden()
    expect(reader.locator("#reactielijst")).to_be_hidden()
    expect(reader.get_by_label("Je reactie")).to_have_value(HALF_WRITTEN)
    assert reader.evaluate("window.stillTheSamePage") is True
    people.shoot(reader, "the removed story is announced and the reply stays")

    with reader.expect_navigation():
        reload.click()
    expect(reader.locator("main")).not_to_contain_text("Niemand kwam kijken hoe het ging.")
    people.shoot(reader, "the reload no longer shows the story")
