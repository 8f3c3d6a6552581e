"""The header in Chromium: however long the menu is (staff have more links), the search box
keeps a usable width and the header wraps instead; nothing in it hides under "Snel weg",
and a phone never scrolls sideways."""

from __future__ import annotations

import pytest

from tests.browser.conftest import People
from tests.browser.world import World

USABLE = 160  # px: about twelve characters in the search field

_HEADER = """() => {
    const box = element => element.getBoundingClientRect();
    const exit = box(document.getElementById('quick-exit'));
    const under = r => r.left < exit.right && exit.left < r.right
        && r.top < exit.bottom && exit.top < r.bottom;
    const parts = [
        ...document.querySelectorAll('.brand > *, .site-search > *, .main-nav li'),
    ].filter(element => getComputedStyle(element).display !== 'none');
    return {
        search: box(document.getElementById('site-zoek')).width,
        scroll: document.documentElement.scrollWidth,
        underExit: parts.filter(element => under(box(element)))
            .map(element => element.textContent.trim() || element.tagName.toLowerCase()),
    };
}"""


@pytest.mark.parametrize("who", ["moderator", "admin"])
def test_the_search_box_keeps_its_width_beside_a_staff_menu_at_every_width(
    people: People, world: World, who: str
):
    page = people.login(getattr(world, who))
    page.goto("/")
    for width in (1280, 1024, 800, 375):
        page.set_viewport_size({"width": width, "height": 900})
        header = page.evaluate(_HEADER)
        people.shoot(page, f"{who} at {width} px")
        assert header["search"] >= USABLE, (width, header)
        assert header["underExit"] == [], (width, header)
        assert header["scroll"] <= width, (width, header)
