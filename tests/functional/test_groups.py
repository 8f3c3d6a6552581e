"""The group list, a group's page, joining and leaving, through the pages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import Flask

from app import clock
from app.accounts.models import SiteRole, User
from app.extensions import db
from app.groups.models import Group, GroupKind, GroupRole, Membership, Visibility
from app.stories.models import PostStatus
from tests.support import Factory, Visitor

STORY_TITLE = "Wat mij hielp na die avond"
NOINDEX = '<meta name="robots" content="noindex">'


def _membership(app: Flask, group: Group, user: User) -> Membership | None:
    with app.app_context():
        return db.session.execute(
            sa.select(Membership).filter_by(group_id=group.id, user_id=user.id)
        ).scalar_one_or_none()


def _become(role: str, group: Group, make: Factory, visitor: Visitor) -> None:
    """Log the visitor in as someone with ``role`` towards ``group`` (or stay a visitor)."""
    if role == "visitor":
        return
    site_roles = {"moderator": SiteRole.MODERATOR, "admin": SiteRole.ADMIN}
    user = make.user(role=site_roles.get(role, SiteRole.MEMBER))
    group_roles = {
        "member": GroupRole.MEMBER,
        "ambassador": GroupRole.AMBASSADOR,
        "manager": GroupRole.MANAGER,
    }
    if role in group_roles:
        make.membership(user, group, group_roles[role])
    visitor.login(user)


# Who gets the page (200 or 404) and who reads the stories in it, per role and visibility.
# Written out in full on purpose: this table is the promise, not a copy of permissions.py.
MATRIX = """
role        public    closed    hidden
visitor     200 read  200 -     404 -
non_member  200 read  200 -     404 -
member      200 read  200 read  200 read
ambassador  200 read  200 read  200 read
manager     200 read  200 read  200 read
moderator   200 read  200 read  404 -
admin       200 read  200 read  200 read
"""


def _matrix_cases() -> list[tuple[str, Visibility, int, bool]]:
    lines = MATRIX.strip().splitlines()
    visibilities = [Visibility(name) for name in lines[0].split()[1:]]
    cases = []
    for line in lines[1:]:
        role, *cells = line.split()
        for visibility, status, read in zip(visibilities, cells[::2], cells[1::2], strict=True):
            cases.append((role, visibility, int(status), read == "read"))
    return cases


@pytest.mark.parametrize(("role", "visibility", "status", "reads"), _matrix_cases())
def test_group_page_shows_stories_only_to_those_who_may_read_them(
    make: Factory, visitor: Visitor, role: str, visibility: Visibility, status: int, reads: bool
):
    group = make.group(visibility, name="Groep na geweld")
    make.story(group, title=STORY_TITLE)
    _become(role, group, make, visitor)

    response = visitor.get(f"/groepen/{group.slug}")

    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert (STORY_TITLE in page) is reads
    if status == 200:
        assert "Groep na geweld" in page
    else:
        assert "Groep na geweld" not in page


@pytest.mark.parametrize(
    ("visibility", "indexable"), [(Visibility.PUBLIC, True), (Visibility.CLOSED, False)]
)
def test_only_public_group_pages_may_be_indexed(
    make: Factory, client, visibility: Visibility, indexable: bool
):
    group = make.group(visibility)
    page = client.get(f"/groepen/{group.slug}").get_data(as_text=True)
    assert (NOINDEX not in page) is indexable


def test_a_hidden_group_page_is_not_indexed_either(make: Factory, visitor: Visitor):
    group = make.group(Visibility.HIDDEN)
    _become("member", group, make, visitor)
    assert NOINDEX in visitor.get(f"/groepen/{group.slug}").get_data(as_text=True)


def test_an_unknown_group_is_not_found(client):
    assert client.get("/groepen/bestaat-niet").status_code == 404


def test_closed_group_shows_its_information_and_the_request_form_to_outsiders(
    make: Factory, visitor: Visitor
):
    group = make.group(Visibility.CLOSED, name="Besloten groep na misbruik")
    make.story(group, title=STORY_TITLE)
    visitor.login(make.user())
    page = visitor.get(f"/groepen/{group.slug}").get_data(as_text=True)
    assert "Besloten groep na misbruik" in page
    assert "Een groep om ervaringen te delen." in page
    assert "Wees vriendelijk." in page
    assert "Besloten: alleen leden lezen mee" in page
    assert 'name="motivation"' in page
    assert STORY_TITLE not in page


def test_group_list_groups_by_theme_and_says_who_can_read(make: Factory, client):
    make.group(Visibility.PUBLIC, name="Verkeersslachtoffers", theme="verkeer")
    make.group(Visibility.CLOSED, name="Na oplichting", theme="fraude", kind=GroupKind.HELPERS)
    page = client.get("/groepen").get_data(as_text=True)
    assert "Verkeer" in page
    assert "Fraude" in page
    assert page.index("Fraude") < page.index("Na oplichting") < page.index("Verkeer")
    assert page.index("Verkeer") < page.index("Verkeersslachtoffers")
    assert "Openbaar: iedereen kan lezen" in page
    assert "Besloten: alleen leden lezen mee" in page
    assert "Helpers" in page


def test_group_list_counts_members(make: Factory, client):
    group = make.group(name="Drie leden")
    for _ in range(3):
        make.membership(make.user(), group)
    page = client.get("/groepen").get_data(as_text=True)
    assert "3 leden" in page


def test_group_list_hides_hidden_groups_except_from_their_members(make: Factory, visitor: Visitor):
    hidden = make.group(Visibility.HIDDEN, name="Onderzoekspanel helpers")
    assert "Onderzoekspanel helpers" not in visitor.get("/groepen").get_data(as_text=True)
    outsider = make.user()
    visitor.login(outsider)
    assert "Onderzoekspanel helpers" not in visitor.get("/groepen").get_data(as_text=True)
    visitor.logout()
    insider = make.user()
    make.membership(insider, hidden)
    visitor.login(insider)
    assert "Onderzoekspanel helpers" in visitor.get("/groepen").get_data(as_text=True)


def test_group_list_shows_where_the_member_stands_with_each_group(make: Factory, visitor: Visitor):
    user = make.user()
    mine = make.group(name="Al lid")
    make.membership(user, mine)
    make.group(name="Open deur")
    make.group(Visibility.CLOSED, name="Eerst vragen")
    waiting = make.group(Visibility.CLOSED, name="Even wachten")
    visitor.login(user)
    visitor.post(f"/groepen/{waiting.slug}/aanvraag", {"motivation": ""})

    page = visitor.get("/groepen").get_data(as_text=True)

    def card(name: str) -> str:
        start = page.index(name)
        return page[start : page.find("</li>", start)]

    assert "Je bent lid" in card("Al lid")
    assert "Lid worden" in card("Open deur")
    assert "Aanvragen" in card("Eerst vragen")
    assert "Je aanvraag is in behandeling" in card("Even wachten")


def test_member_joins_a_public_group_with_one_click(app, make: Factory, visitor: Visitor):
    user = make.user()
    group = make.group(name="Na een overval")
    visitor.login(user)

    response = visitor.post(f"/groepen/{group.slug}/lid-worden")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/groepen/{group.slug}")
    assert _membership(app, group, user).role == GroupRole.MEMBER.value
    page = visitor.get(f"/groepen/{group.slug}").get_data(as_text=True)
    assert "Je bent nu lid." in page
    assert "Je bent lid van deze groep." in page


def test_joining_from_the_list_returns_to_the_list(make: Factory, visitor: Visitor):
    group = make.group()
    visitor.login(make.user())
    response = visitor.post(f"/groepen/{group.slug}/lid-worden", {"next": "/groepen"})
    assert response.headers["Location"].endswith("/groepen")


def test_joining_refuses_to_send_people_off_site(make: Factory, visitor: Visitor):
    group = make.group()
    visitor.login(make.user())
    response = visitor.post(f"/groepen/{group.slug}/lid-worden", {"next": "//evil.example"})
    assert "evil.example" not in response.headers["Location"]


def test_joining_twice_makes_one_membership(app, make: Factory, visitor: Visitor):
    user = make.user()
    group = make.group()
    visitor.login(user)
    visitor.post(f"/groepen/{group.slug}/lid-worden")
    visitor.post(f"/groepen/{group.slug}/lid-worden")
    with app.app_context():
        count = db.session.execute(
            sa.select(sa.func.count()).select_from(Membership).filter_by(user_id=user.id)
        ).scalar_one()
    assert count == 1


def test_a_closed_group_cannot_be_joined_without_asking(app, make: Factory, visitor: Visitor):
    user = make.user()
    group = make.group(Visibility.CLOSED)
    visitor.login(user)
    visitor.post(f"/groepen/{group.slug}/lid-worden")
    assert _membership(app, group, user) is None
    assert "Vraag of je lid mag worden." in visitor.get(f"/groepen/{group.slug}").get_data(
        as_text=True
    )


def test_outsiders_cannot_join_a_hidden_group(app, make: Factory, visitor: Visitor):
    user = make.user()
    group = make.group(Visibility.HIDDEN)
    visitor.login(user)
    assert visitor.post(f"/groepen/{group.slug}/lid-worden").status_code == 404
    assert visitor.post(f"/groepen/{group.slug}/aanvraag", {"motivation": "hoi"}).status_code == (
        404
    )
    assert _membership(app, group, user) is None


def test_a_visitor_is_asked_to_log_in_before_joining(make: Factory, visitor: Visitor):
    group = make.group()
    response = visitor.post(f"/groepen/{group.slug}/lid-worden")
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]


def test_joining_without_a_csrf_token_is_refused(app, make: Factory, visitor: Visitor):
    user = make.user()
    group = make.group()
    visitor.login(user)
    response = visitor.client.post(f"/groepen/{group.slug}/lid-worden")
    assert response.status_code == 400
    assert _membership(app, group, user) is None


def test_member_leaves_a_group(app, make: Factory, visitor: Visitor):
    user = make.user()
    group = make.group()
    make.membership(user, group)
    visitor.login(user)

    response = visitor.post(f"/groepen/{group.slug}/verlaten")

    assert response.status_code == 302
    assert _membership(app, group, user) is None
    page = visitor.get(f"/groepen/{group.slug}").get_data(as_text=True)
    assert "Je bent geen lid meer" in page
    assert "Lid worden" in page


def test_leaving_a_closed_group_ends_reading_its_stories(make: Factory, visitor: Visitor):
    user = make.user()
    group = make.group(Visibility.CLOSED)
    make.story(group, title=STORY_TITLE)
    make.membership(user, group)
    visitor.login(user)
    assert STORY_TITLE in visitor.get(f"/groepen/{group.slug}").get_data(as_text=True)
    visitor.post(f"/groepen/{group.slug}/verlaten")
    assert STORY_TITLE not in visitor.get(f"/groepen/{group.slug}").get_data(as_text=True)


def test_leaving_a_hidden_group_returns_to_the_group_list(make: Factory, visitor: Visitor):
    user = make.user()
    group = make.group(Visibility.HIDDEN)
    make.membership(user, group)
    visitor.login(user)
    response = visitor.post(f"/groepen/{group.slug}/verlaten")
    assert response.headers["Location"].endswith("/groepen")


def test_the_last_manager_cannot_leave_the_group(app, make: Factory, visitor: Visitor):
    manager = make.user()
    group = make.group()
    make.membership(manager, group, GroupRole.MANAGER)
    make.membership(make.user(), group)
    visitor.login(manager)

    response = visitor.post(f"/groepen/{group.slug}/verlaten")

    assert response.status_code == 302
    assert _membership(app, group, manager) is not None
    page = visitor.get(f"/groepen/{group.slug}").get_data(as_text=True)
    assert "Je bent de enige beheerder van deze groep." in page


def test_a_manager_may_leave_when_another_manager_stays(app, make: Factory, visitor: Visitor):
    manager = make.user()
    group = make.group()
    make.membership(manager, group, GroupRole.MANAGER)
    make.membership(make.user(), group, GroupRole.MANAGER)
    visitor.login(manager)
    visitor.post(f"/groepen/{group.slug}/verlaten")
    assert _membership(app, group, manager) is None


def test_anonymous_stories_do_not_show_their_author(make: Factory, client):
    group = make.group()
    author = make.user("Herkenbare Naam")
    make.story(group, author=author, title="Zonder naam", anonymous=True)
    page = client.get(f"/groepen/{group.slug}").get_data(as_text=True)
    assert "Zonder naam" in page
    assert "Anoniem lid" in page
    assert "Herkenbare Naam" not in page


def test_stories_show_their_authors_pseudonym(make: Factory, client):
    group = make.group()
    make.story(group, author=make.user("Zonnebloem"), title="Met naam")
    assert "Zonnebloem" in client.get(f"/groepen/{group.slug}").get_data(as_text=True)


def test_held_and_removed_stories_are_not_listed(make: Factory, client):
    group = make.group()
    make.story(group, title="Wacht op moderator", status=PostStatus.HELD)
    make.story(group, title="Weggehaald", status=PostStatus.REMOVED)
    page = client.get(f"/groepen/{group.slug}").get_data(as_text=True)
    assert "Wacht op moderator" not in page
    assert "Weggehaald" not in page
    assert "Er zijn nog geen verhalen in deze groep." in page


def test_group_page_pages_through_stories_newest_first(make: Factory, client):
    group = make.group()
    author = make.user()
    with clock.frozen(datetime(2026, 3, 1, 9, 0, tzinfo=UTC)) as time:
        for number in range(1, 23):
            make.story(group, author=author, title=f"Verhaal nummer {number:02d}")
            time.advance(minutes=5)

    first = client.get(f"/groepen/{group.slug}").get_data(as_text=True)
    assert "Verhaal nummer 22" in first
    assert "Verhaal nummer 03" in first
    assert "Verhaal nummer 02" not in first
    assert first.index("Verhaal nummer 22") < first.index("Verhaal nummer 03")

    older = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    assert "voor=" in older
    second = client.get(older).get_data(as_text=True)
    assert "Verhaal nummer 02" in second
    assert "Verhaal nummer 01" in second
    assert "Verhaal nummer 03" not in second
    assert 'rel="next"' not in second


def test_stories_published_at_the_same_moment_are_not_skipped(make: Factory, client):
    group = make.group()
    author = make.user()
    with clock.frozen(datetime(2026, 3, 1, 9, 0, tzinfo=UTC)):
        for number in range(1, 22):
            make.story(group, author=author, title=f"Tegelijk {number:02d}")
    first = client.get(f"/groepen/{group.slug}").get_data(as_text=True)
    older = first.split('rel="next" href="')[1].split('"')[0]
    second = client.get(older).get_data(as_text=True)
    seen = {n for n in range(1, 22) if f"Tegelijk {n:02d}" in first + second}
    assert seen == set(range(1, 22))
    assert "Tegelijk 01" in second


@pytest.mark.parametrize("cursor", ["", "onzin", "12-", "-3", "1" * 40 + "-1", "12-34-56"])
def test_a_garbled_cursor_shows_the_first_page(make: Factory, client, cursor: str):
    group = make.group()
    make.story(group, title=STORY_TITLE)
    response = client.get(f"/groepen/{group.slug}?voor={cursor}")
    assert response.status_code == 200
    assert STORY_TITLE in response.get_data(as_text=True)
