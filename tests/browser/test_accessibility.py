"""Accessibility in Chromium: axe-core finds nothing serious or critical on the main pages,
each page fits a 375 px wide phone, and the site works with the keyboard alone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import People, axe_violations
from tests.browser.world import World

# (what the page is, who looks at it, where it is)
MAIN_PAGES: list[tuple[str, str | None, Callable[[World], str]]] = [
    ("home", None, lambda w: "/"),
    ("home for a member", "member", lambda w: "/"),
    ("group", "member", lambda w: f"/groepen/{w.public.slug}"),
    ("closed group for a visitor", None, lambda w: f"/groepen/{w.closed.slug}"),
    ("story", "member", lambda w: f"/verhalen/{w.story.id}"),
    ("share form", "member", lambda w: f"/groepen/{w.public.slug}/verhaal-delen"),
    ("search", "member", lambda w: "/zoeken?q=overval"),
    ("ambassador queue", "ambassador", lambda w: "/wachtrij"),
    ("moderation queue", "moderator", lambda w: "/moderatie/"),
    ("dashboard", "admin", lambda w: "/beheer/cijfers"),
]
OTHER_PAGES: list[tuple[str, str | None, Callable[[World], str]]] = [
    ("register", None, lambda w: "/registreren"),
    ("login", None, lambda w: "/inloggen"),
    ("groups", None, lambda w: "/groepen"),
    ("notifications", "member", lambda w: "/meldingen"),
    ("account", "member", lambda w: "/account"),
    ("house rules", None, lambda w: "/huisregels"),
]


def _open(people: People, world: World, who: str | None, width: int = 1280, **options: bool):
    if who is None:
        return people.open(width, **options)
    return people.login(getattr(world, who), width, **options)


@pytest.mark.parametrize(("name", "who", "path"), MAIN_PAGES, ids=[page[0] for page in MAIN_PAGES])
def test_axe_finds_nothing_serious_on_the_main_pages(
    people: People, world: World, name: str, who: str | None, path: Callable[[World], str]
):
    page = _open(people, world, who, bypass_csp=True)
    response = page.goto(path(world))
    assert response is not None and response.status == 200, name
    people.shoot(page, name)
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    ("name", "who", "path"),
    MAIN_PAGES + OTHER_PAGES,
    ids=[page[0] for page in MAIN_PAGES + OTHER_PAGES],
)
def test_every_main_page_fits_a_375_pixel_wide_phone(
    people: People, world: World, name: str, who: str | None, path: Callable[[World], str]
):
    page = _open(people, world, who, width=375)
    page.goto(path(world))
    people.shoot(page, f"{name} at 375 px")
    overflow = page.evaluate(
        """() => ({
            width: document.documentElement.scrollWidth,
            wide: Array.from(document.querySelectorAll('body *'))
                .filter(e => e.getBoundingClientRect().right > 376)
                .slice(0, 5)
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                     + (e.className && typeof e.className === 'string'
                        ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
                     + ' ' + Math.round(e.getBoundingClientRect().right)),
        })"""
    )
    assert overflow["width"] <= 375, overflow["wide"]


_FOCUSED = """() => {
    const e = document.activeElement;
    // Where a transition ends (the skip link slides in), not where it is on its way.
    e.getAnimations().forEach(animation => animation.finish());
    const style = getComputedStyle(e);
    const box = e.getBoundingClientRect();
    return {
        name: (e.getAttribute('aria-label') || e.innerText || e.value || e.placeholder || '')
            .trim().split('\\n')[0],
        tag: e.tagName.toLowerCase(),
        id: e.id,
        ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
            || style.boxShadow !== 'none',
        seen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight,
    };
}"""


def test_the_keyboard_alone_reaches_everything_in_order_with_a_visible_focus(
    people: People, world: World
):
    page = people.open()
    page.goto("/")
    page.keyboard.press("Tab")
    first = page.evaluate(_FOCUSED)
    assert first["name"] == "Naar de inhoud" and first["seen"] and first["ring"], str(first)
    people.shoot(page, "skip link shown on the first tab")

    # The header in reading order, every stop visible and ringed.
    stops = []
    for _ in range(8):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        assert focused["seen"] and focused["ring"], str(focused)
        stops.append(focused["name"])
    assert stops[:2] == ["Snel weg", "Lotgenoten"], stops
    assert stops.index("Verhalen") < stops.index("Groepen") < stops.index("Inloggen"), stops

    # The skip link jumps over the header to the content.
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")

    # Log in and reply to a story without touching the mouse.
    page.goto("/inloggen")
    page.get_by_label("Schuilnaam").focus()
    page.keyboard.type(world.browser_only.pseudonym)
    page.keyboard.press("Tab")
    page.keyboard.type("fiets wolk pannenkoek")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/inloggen" not in url)
    page.goto(f"/verhalen/{world.story.id}")
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        assert focused["seen"] and focused["ring"], str(focused)
        if focused["tag"] == "textarea":
            break
    else:
        raise AssertionError("the reply box cannot be reached with the Tab key")
    page.keyboard.type("Ik lees met je mee. Sterkte met het slapen.")
    people.shoot(page, "reply typed with the keyboard")
    while page.evaluate(_FOCUSED)["name"] != "Reactie plaatsen":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#reactielijst")).to_contain_text("Ik lees met je mee.")
    people.shoot(page, "reply placed with the keyboard")
