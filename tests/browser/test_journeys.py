"""The community's main journey in Chromium, with several people at once: a newcomer joins,
shares a story anonymously, an ambassador answers it live, a member reports the answer, a
moderator decides, and search keeps the closed group's story to its members."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import People, wait_until
from tests.browser.world import World

NEWCOMER = "Nieuw hier"
TITLE = "Niemand wist ervan"
BODY = "Het gebeurde in de kleedkamer van het zwembad, jaren geleden. Ik heb het nooit verteld."
REPLY = "Dank je dat je dit deelt. Je bent hier niet alleen, en het is goed dat je het vertelt."


def _unread(page: Page) -> int:
    badge = page.locator("[data-unread-badge]")
    return int(badge.inner_text() or 0) if badge.is_visible() else 0


def test_a_newcomer_is_answered_live_and_a_reported_answer_is_decided_with_reasons(
    people: People, world: World
):
    closed = f"/groepen/{world.closed.slug}"

    # A newcomer makes an account and goes through the three welcome screens.
    newcomer = people.open()
    newcomer.goto("/registreren")
    newcomer.get_by_label("Schuilnaam").fill(NEWCOMER)
    newcomer.get_by_label("Wachtwoord").fill("paarse olifant danst traag op zolder")
    people.shoot(newcomer, "register")
    newcomer.get_by_role("button", name="Account maken").click()
    expect(newcomer.get_by_role("heading", name="Kies je groepen")).to_be_visible()
    people.shoot(newcomer, "choose groups")
    newcomer.get_by_role("button", name="Verder").click()
    expect(newcomer.get_by_role("heading", name="Onze huisregels")).to_be_visible()
    newcomer.get_by_role("button", name="Ik ga akkoord").click()
    expect(newcomer.get_by_role("link", name=NEWCOMER)).to_be_visible()

    # They join a public group, and ask to join a closed one.
    newcomer.goto(f"/groepen/{world.public.slug}")
    newcomer.get_by_role("button", name="Lid worden").click()
    expect(newcomer.get_by_text("Je bent lid van deze groep.")).to_be_visible()
    people.shoot(newcomer, "joined the public group")
    newcomer.goto(closed)
    newcomer.get_by_label("Waarom wil je lid worden? (niet verplicht)").fill(
        "Ik herken me in deze groep."
    )
    newcomer.get_by_role("button", name="Aanvraag versturen").click()
    expect(newcomer.get_by_text("Je aanvraag is in behandeling.")).to_be_visible()
    people.shoot(newcomer, "asked to join the closed group")

    # An ambassador of the closed group lets them in; the newcomer's bell rises on its own.
    ambassador = people.login(world.ambassador)
    ambassador.goto(f"{closed}/aanvragen")
    expect(ambassador.get_by_text("Ik herken me in deze groep.")).to_be_visible()
    ambassador.get_by_role("button", name=f"Toelaten {NEWCOMER}").click()
    expect(ambassador.get_by_text("Er wachten nu geen aanvragen.")).to_be_visible()
    expect(newcomer.locator("[data-unread-badge]")).to_have_text("1")
    people.shoot(newcomer, "told they were let in")

    # With the ambassador's queue open, the newcomer shares a story anonymously, with a
    # content warning.
    ambassador.goto("/wachtrij")
    expect(ambassador.get_by_role("heading", name="Wachtrij")).to_be_visible()
    newcomer.goto(f"{closed}/verhaal-delen")
    newcomer.get_by_label("Titel").fill(TITLE)
    newcomer.get_by_label("Je verhaal").fill(BODY)
    newcomer.get_by_label(re.compile("Plaats anoniem")).check()
    newcomer.get_by_label("seksueel geweld").check()
    people.shoot(newcomer, "share form filled in")
    newcomer.get_by_role("button", name="Verhaal plaatsen").click()
    expect(newcomer.get_by_role("heading", name=TITLE)).to_be_visible()
    people.shoot(newcomer, "story shared")

    # It appears in the ambassador's queue without a reload: anonymous, warning first.
    waiting = ambassador.locator("#wachtrij article", has_text=TITLE)
    expect(waiting).to_be_visible()
    expect(waiting).to_contain_text("Anoniem lid")
    expect(waiting).to_contain_text("Let op: dit verhaal gaat over seksueel geweld")
    expect(waiting).not_to_contain_text("zwembad")
    people.shoot(ambassador, "story appeared in the queue")

    # The ambassador takes it on and replies.
    waiting.get_by_role("button", name="Ik pak dit op").click()
    expect(ambassador.get_by_text("Je hebt dit verhaal opgepakt.")).to_be_visible()
    ambassador.get_by_label("Je reactie").fill(REPLY)
    ambassador.get_by_role("button", name="Reactie plaatsen").click()
    expect(ambassador.locator("#reactielijst")).to_contain_text(REPLY)
    people.shoot(ambassador, "replied")

    # The newcomer, still on their story, sees the reply arrive and their bell rise.
    before = 1
    expect(newcomer.locator("#reactielijst")).to_contain_text(REPLY)
    expect(newcomer.locator("[data-unread-badge]")).not_to_have_text(str(before))
    assert _unread(newcomer) > before
    people.shoot(newcomer, "reply arrived live")
    story_url = newcomer.url

    # A member of the group reports the reply.
    member = people.login(world.member)
    member.goto(story_url)
    reply = member.locator("#reactielijst li", has_text=REPLY)
    reply.get_by_role("link", name="Deze reactie melden bij een moderator").click()
    member.get_by_label("Kwetsend of ongepast").check()
    people.shoot(member, "report form")
    member.get_by_role("button", name="Melding versturen").click()
    expect(member.get_by_text("Dank je wel voor je melding.")).to_be_visible()

    # A moderator finds it in the queue and removes the reply, with a reason.
    moderator = people.login(world.moderator)
    moderator.goto("/moderatie/")
    links = moderator.locator("#moderatie-wachtrij li a")
    for index in range(links.count()):
        moderator.goto("/moderatie/")
        links.nth(index).click()
        if REPLY in moderator.locator("main").inner_text():
            break
    else:
        raise AssertionError("the reported reply is not in the moderation queue")
    people.shoot(moderator, "moderation item")
    moderator.get_by_label("Weghalen").check()
    moderator.get_by_label("Reden in je eigen woorden (de schrijver leest dit)").fill(
        "Een reactie mag iemand niet onder druk zetten om meer te vertellen."
    )
    moderator.get_by_role("button", name="Besluit opslaan").click()
    expect(moderator.get_by_text("Je besluit is opgeslagen")).to_be_visible()

    # The reply leaves the newcomer's open page without a reload.
    expect(newcomer.locator("#reactielijst")).not_to_contain_text(REPLY)
    people.shoot(newcomer, "removed reply left the page")

    # The reply's writer is told, and reads the statement of reasons.
    expect(ambassador.locator("[data-unread-badge]")).to_be_visible()
    ambassador.goto("/besluiten")
    ambassador.locator("main li a").first.click()
    expect(ambassador.get_by_text("Je bericht is weggehaald.")).to_be_visible()
    expect(ambassador.get_by_text("niet onder druk zetten")).to_be_visible()
    people.shoot(ambassador, "statement of reasons")

    # Search finds the closed group's story for a member, and not for a visitor.
    def member_finds_it() -> bool:
        member.goto("/zoeken?q=zwembad")
        return member.locator("main").get_by_role("link", name=TITLE).count() > 0

    wait_until(member_finds_it, what="the search index to hold the new story")
    people.shoot(member, "search as a member")
    visitor = people.open()
    visitor.goto("/zoeken?q=zwembad")
    expect(visitor.locator("main")).not_to_contain_text(TITLE)
    people.shoot(visitor, "search as a visitor")
