"""The dashboard page and its CSV files: who may see them, what they show, and that a download
says exactly what the page says."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from flask import Flask
from markupsafe import escape

from app import clock
from app.accounts.models import SiteRole
from app.database import unit_of_work
from app.groups.models import GroupKind, GroupRole, Visibility
from app.stories.models import Story
from tests.support import Factory, Visitor

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
PAGE = "/beheer/cijfers"


class Tables(HTMLParser):
    """Collects the text of every cell of every table with an id on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._current: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" and found.get("id"):
            self._current = self.tables.setdefault(str(found["id"]), [])
        elif tag == "tr" and self._current is not None:
            self._current.append([])
        elif tag in ("td", "th") and self._current is not None:
            self._cell = []
        elif tag == "caption":
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._current = None
        elif tag in ("td", "th") and self._cell is not None and self._current is not None:
            self._current[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "caption":
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._skip:
            self._cell.append(data)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


def csv_rows(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def community(app: Flask, make: Factory):
    """A public group with 7 stories this month and a closed one with 2."""
    open_group = make.group(name="Verkeersongeluk", slug="verkeer")
    closed = make.group(Visibility.CLOSED, name="Zedendelicten", slug="zeden")
    research = make.group(Visibility.HIDDEN, kind=GroupKind.RESEARCH, slug="studie")
    with clock.frozen(NOW - timedelta(days=3)):
        for _ in range(7):
            make.story(open_group)
        for _ in range(2):
            make.story(closed)
        for _ in range(3):
            make.story(research)
    return {"open": open_group, "closed": closed, "research": research}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (SiteRole.MEMBER, 403),
        (SiteRole.MODERATOR, 403),
        (SiteRole.RESEARCHER, 403),  # researcher of no study
        (SiteRole.CONTENT_MANAGER, 200),
        (SiteRole.ADMIN, 200),
    ],
)
def test_who_may_open_the_dashboard(make: Factory, visitor: Visitor, community, role, status):
    visitor.login(make.user(role=role))
    with clock.frozen(NOW):
        assert visitor.get(PAGE).status_code == status
        assert visitor.get(PAGE + "/kerncijfers.csv").status_code == status


def test_visitors_are_sent_to_log_in(visitor: Visitor):
    response = visitor.get(PAGE)
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]


def test_small_counts_of_closed_groups_are_hidden(make: Factory, visitor: Visitor, community):
    visitor.login(make.user(role=SiteRole.CONTENT_MANAGER))
    with clock.frozen(NOW):
        html = visitor.get(PAGE).get_data(as_text=True)
    tables = page_tables(html)
    by_group = {row[0]: row for row in tables["tabel-per-groep"][1:]}
    header = tables["tabel-per-groep"][0]
    stories = header.index("Verhalen gedeeld")
    assert by_group["Verkeersongeluk"][stories] == "7"
    assert by_group["Zedendelicten"][stories] == "< 5"
    # The total would give the 2 away by subtraction: it is rounded up to 5 (7 + 2 → ≈ 10).
    assert by_group["Alle gekozen groepen samen"][stories] == "≈ 10"
    key = {row[0]: row for row in tables["tabel-kerncijfers"][1:]}
    assert key["Verhalen gedeeld"][1] == "≈ 10"
    # The research group's stories are in no figure for a content manager.
    assert "studie" not in html
    assert all(
        "9" != cell for row in tables["tabel-per-groep"] for cell in row[stories : stories + 1]
    )


def test_one_closed_group_shows_only_less_than_five(make: Factory, visitor: Visitor, community):
    visitor.login(make.user(role=SiteRole.CONTENT_MANAGER))
    with clock.frozen(NOW):
        html = visitor.get(PAGE + "?groep=zeden").get_data(as_text=True)
    tables = page_tables(html)
    key = {row[0]: row for row in tables["tabel-kerncijfers"][1:]}
    assert key["Verhalen gedeeld"][1] == "< 5"
    assert key["Verhalen gedeeld"][3] == "–"  # no change shown for a hidden count
    # A share resting on two stories would say something about two people: left out.
    assert key["Anoniem geplaatst"][1] == "–"
    days = tables["tabel-per-dag"]
    stories_column = days[0].index("Verhalen gedeeld")
    assert {row[stories_column] for row in days[1:]} == {"< 5"}


def test_researchers_see_their_own_study_only(make: Factory, visitor: Visitor, community):
    researcher = make.user(role=SiteRole.RESEARCHER)
    make.membership(researcher, community["research"], GroupRole.MANAGER)
    visitor.login(researcher)
    with clock.frozen(NOW):
        html = visitor.get(PAGE).get_data(as_text=True)
    tables = page_tables(html)
    names = [row[0] for row in tables["tabel-per-groep"][1:]]
    assert names == [community["research"].name, "Alle gekozen groepen samen"]
    assert "Verkeersongeluk" not in html


@pytest.mark.parametrize("name", ["kerncijfers", "per-dag", "per-groep"])
@pytest.mark.parametrize(
    "query", ["", "?periode=week", "?periode=jaar&groep=verkeer", "?groep=zeden"]
)
def test_each_csv_file_says_what_the_page_shows(
    make: Factory, visitor: Visitor, community, name, query
):
    visitor.login(make.user(role=SiteRole.ADMIN))
    with clock.frozen(NOW):
        html = visitor.get(PAGE + query).get_data(as_text=True)
        download = visitor.get(f"{PAGE}/{name}.csv{query}")
    assert download.status_code == 200
    assert download.mimetype == "text/csv"
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.headers["Cache-Control"] == "no-store"
    assert csv_rows(download.data) == page_tables(html)[f"tabel-{name}"]


def test_the_page_links_each_csv_file_with_the_same_choice(
    make: Factory, visitor: Visitor, community
):
    visitor.login(make.user(role=SiteRole.CONTENT_MANAGER))
    with clock.frozen(NOW):
        html = visitor.get(PAGE + "?periode=kwartaal&dag=2026-08-01&groep=verkeer").get_data(
            as_text=True
        )
    assert (
        "/beheer/cijfers/per-groep.csv?periode=kwartaal&amp;dag=2026-08-01&amp;groep=verkeer"
        in html
    )


def test_unknown_csv_is_a_friendly_404(make: Factory, visitor: Visitor, community):
    visitor.login(make.user(role=SiteRole.CONTENT_MANAGER))
    response = visitor.get(PAGE + "/wachtwoorden.csv")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "?periode=<script>alert(1)</script>",
        "?periode=eigen&van=9999-99-99&tot=0000-00-00",
        "?periode=eigen&van=2026-12-31&tot=1900-01-01",
        "?groep=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E",
        "?name=x&periode=week",
        "?dag=" + "9" * 5000,
    ],
)
def test_garbled_addresses_still_give_the_page(make: Factory, visitor: Visitor, community, query):
    visitor.login(make.user(role=SiteRole.CONTENT_MANAGER))
    with clock.frozen(NOW):
        response = visitor.get(PAGE + query)
        download = visitor.get(PAGE + "/per-dag.csv" + query)
    assert response.status_code == 200
    assert download.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html


def test_bytes_that_are_no_text_get_a_friendly_answer(make: Factory, visitor: Visitor):
    visitor.login(make.user(role=SiteRole.CONTENT_MANAGER))
    response = visitor.get(PAGE + "?periode=maand&dag=%00%ff")
    assert response.status_code == 400
    assert "<html" in response.get_data(as_text=True)


def test_a_custom_period_of_years_is_cut_to_three(make: Factory, visitor: Visitor, community):
    visitor.login(make.user(role=SiteRole.CONTENT_MANAGER))
    with clock.frozen(NOW):
        response = visitor.get(PAGE + "/per-dag.csv?periode=eigen&van=1900-01-01&tot=2026-11-20")
    rows = csv_rows(response.data)
    assert 1000 < len(rows) - 1 <= 3 * 366


def test_hostile_group_names_are_escaped_in_tables_and_charts(
    make: Factory, visitor: Visitor, naughty_strings
):
    hostile = [s[:120] for s in naughty_strings if "<" in s and s.strip()][:15]
    for number, name in enumerate(hostile):
        group = make.group(name=name, slug=f"vijandig-{number}")
        with clock.frozen(NOW - timedelta(days=1)):
            make.story(group)
    visitor.login(make.user(role=SiteRole.CONTENT_MANAGER))
    with clock.frozen(NOW):
        response = visitor.get(PAGE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for name in hostile:
        assert name not in html
        assert str(escape(name)) in html


def test_period_arrows_and_comparison(make: Factory, visitor: Visitor, community):
    open_group = community["open"]
    with clock.frozen(NOW - timedelta(days=31)):
        make.story(open_group)  # one story in October
    visitor.login(make.user(role=SiteRole.CONTENT_MANAGER))
    with clock.frozen(NOW):
        html = visitor.get(PAGE + "?groep=verkeer").get_data(as_text=True)
        october = visitor.get(PAGE + "?groep=verkeer&periode=maand&dag=2026-10-01")
    key = {row[0]: row for row in page_tables(html)["tabel-kerncijfers"][1:]}
    # November runs until the 20th and is compared with 1–20 October.
    assert key["Verhalen gedeeld"][1:] == ["7", "1", "6 meer (600%)"]
    assert "loopt nog" in html
    assert 'rel="prev"' in html and "dag=2026-10-31" in html
    older = {
        row[0]: row for row in page_tables(october.get_data(as_text=True))["tabel-kerncijfers"][1:]
    }
    assert older["Verhalen gedeeld"][1] == "1"


def test_the_menu_shows_the_dashboard_to_content_managers_only(make: Factory, visitor: Visitor):
    visitor.login(make.user(role=SiteRole.CONTENT_MANAGER))
    assert 'href="/beheer/cijfers"' in visitor.get("/").get_data(as_text=True)
    visitor.logout()
    visitor.login(make.user())
    assert 'href="/beheer/cijfers"' not in visitor.get("/").get_data(as_text=True)


def test_the_page_in_english(make: Factory, visitor: Visitor, community):
    visitor.login(make.user(role=SiteRole.CONTENT_MANAGER))
    with clock.frozen(NOW):
        visitor.get("/taal/en")
        html = visitor.get(PAGE).get_data(as_text=True)
    assert "Stories shared" in html


def test_figures_name_nobody(make: Factory, visitor: Visitor, community):
    """Aggregates only: no pseudonym or story title of anyone reaches the page."""
    writer = make.user(pseudonym="Zichtbare Schrijver")
    with clock.frozen(NOW - timedelta(days=2)):
        story = make.story(community["open"], author=writer, title="Titel die geheim blijft")
    with unit_of_work() as session:
        session.get(Story, story.id).anonymous = True
    visitor.login(make.user(role=SiteRole.CONTENT_MANAGER))
    with clock.frozen(NOW):
        html = visitor.get(PAGE).get_data(as_text=True)
    assert "Zichtbare Schrijver" not in html
    assert "Titel die geheim blijft" not in html
