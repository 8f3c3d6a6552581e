"""The audit log for admins at /beheer/logboek: who may read it, the filters, paging, the CSV
download and addresses nobody would type."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from markupsafe import escape

from app.accounts.models import SiteRole
from app.audit import queries
from app.audit.models import AuditEntry
from app.errors import NotAllowed
from app.extensions import db
from tests.support import Factory, Visitor

PATHS = ["/beheer/logboek", "/beheer/logboek.csv"]
T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _entry(app: Flask, action: str, at: datetime, **fields: object) -> AuditEntry:
    values: dict[str, object] = {
        "actor_id": 1,
        "actor_name": "Mira",
        "target_type": "moderation_item",
        "target_id": 7,
        "reason": "",
        "details": {},
    }
    values.update(fields)
    with app.app_context():
        entry = AuditEntry(created_at=at, action=action, **values)
        db.session.add(entry)
        db.session.commit()
        db.session.refresh(entry)
        return entry


@pytest.fixture
def admin(make: Factory):
    return make.user("Beheerder", role=SiteRole.ADMIN)


@pytest.fixture
def log(app: Flask, make: Factory) -> dict:
    group = make.group(name="Samen sterk")
    other = make.group(name="Na het verlies")
    return {
        "group": group,
        "approved": _entry(
            app, "moderation.approve", T0, reason="past bij de huisregels", group_id=group.id
        ),
        "removed": _entry(
            app,
            "moderation.remove",
            T0 + timedelta(hours=1),
            actor_name="Joost",
            target_id=8,
            reason="noemt een adres",
            group_id=other.id,
            details={"target_type": "story", "target_id": 31},
        ),
        "role": _entry(
            app,
            "group.ambassador_assigned",
            T0 + timedelta(hours=2),
            target_type="user",
            target_id=12,
            group_id=group.id,
        ),
        "system": _entry(
            app,
            "guarantee.escalated",
            T0 + timedelta(hours=3),
            actor_id=None,
            actor_name="",
            target_type="story",
            target_id=31,
        ),
    }


def _page(visitor: Visitor, query: str = "") -> str:
    response = visitor.get(f"/beheer/logboek{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("path", PATHS)
def test_a_visitor_is_sent_to_the_login_page(path, visitor: Visitor):
    response = visitor.get(path)
    assert response.status_code == 302
    assert "/inloggen" in response.headers["Location"]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    "role", [SiteRole.MEMBER, SiteRole.MODERATOR, SiteRole.CONTENT_MANAGER, SiteRole.RESEARCHER]
)
def test_only_admins_may_read_the_log(path, role, make: Factory, visitor: Visitor):
    visitor.login(make.user(role=role))
    assert visitor.get(path).status_code == 403


@pytest.mark.parametrize("path", PATHS)
def test_an_admin_may_read_the_log(path, admin, visitor: Visitor):
    visitor.login(admin)
    assert visitor.get(path).status_code == 200


def test_the_log_shows_the_newest_first_with_the_system_named(app, log, admin, visitor):
    visitor.login(admin)
    html = _page(visitor)
    assert '<meta name="robots" content="noindex">' in html
    positions = [
        html.index(f"<code>{action}</code>")
        for action in (
            "guarantee.escalated",
            "group.ambassador_assigned",
            "moderation.remove",
            "moderation.approve",
        )
    ]
    assert positions == sorted(positions)
    assert "Systeem" in html
    assert "noemt een adres" in html
    assert "target_id: 31; target_type: story" in html
    assert "Samen sterk" in html and "Na het verlies" in html


def test_filtering_on_an_action_or_a_whole_area(log, admin, visitor):
    visitor.login(admin)
    html = _page(visitor, "?actie=moderation.remove")
    assert "noemt een adres" in html and "past bij de huisregels" not in html
    html = _page(visitor, "?actie=moderation.")
    assert "noemt een adres" in html and "past bij de huisregels" in html
    assert "group.ambassador_assigned</code>" not in html


def test_an_underscore_in_the_action_is_not_a_wildcard(app, log, admin, visitor):
    _entry(app, "groupXambassador", T0, reason="lijkt erop")
    visitor.login(admin)
    html = _page(visitor, "?actie=group_ambassador")
    assert "lijkt erop" not in html


def test_filtering_on_who_did_it(log, admin, visitor):
    visitor.login(admin)
    html = _page(visitor, "?door=joost")
    assert "noemt een adres" in html and "past bij de huisregels" not in html


def test_filtering_on_the_target_and_the_group(log, admin, visitor):
    visitor.login(admin)
    html = _page(visitor, "?soort=moderation_item&doel=8")
    assert "noemt een adres" in html and "past bij de huisregels" not in html
    html = _page(visitor, "?soort=user")
    assert "group.ambassador_assigned</code>" in html and "noemt een adres" not in html
    html = _page(visitor, f"?groep={log['group'].id}")
    assert "past bij de huisregels" in html and "group.ambassador_assigned</code>" in html
    assert "noemt een adres" not in html


def test_days_are_days_in_amsterdam(app, admin, visitor):
    # 23:30 UTC on 1 March is half past midnight on 2 March in Amsterdam.
    _entry(app, "moderation.remove", datetime(2026, 3, 1, 23, 30, tzinfo=UTC), reason="laat")
    _entry(app, "moderation.remove", datetime(2026, 3, 1, 22, 30, tzinfo=UTC), reason="vroeg")
    visitor.login(admin)
    html = _page(visitor, "?van=2026-03-02&tot=2026-03-02")
    assert ">laat<" in html and ">vroeg<" not in html
    html = _page(visitor, "?tot=2026-03-01")
    assert ">vroeg<" in html and ">laat<" not in html
    swapped = _page(visitor, "?van=2026-03-02&tot=2026-02-01")
    assert ">vroeg<" in swapped and ">laat<" in swapped


def test_older_lines_are_on_the_next_page_with_the_filters_kept(app, admin, visitor):
    for number in range(queries.PAGE_SIZE + 3):
        _entry(app, "moderation.approve", T0 + timedelta(minutes=number), reason=f"r{number}<")
    _entry(app, "group.role_removed", T0, reason="ander gebied<")
    visitor.login(admin)
    first = _page(visitor, "?actie=moderation.")
    assert "Oudere regels" in first
    assert ">r52&lt;<" in first and ">r3&lt;<" in first and ">r2&lt;<" not in first
    link = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    assert "actie=moderation." in link
    second = _page(visitor, link.removeprefix("/beheer/logboek"))
    assert all(f">r{n}&lt;<" in second for n in range(3))
    assert "ander gebied" not in second and "Oudere regels" not in second


def test_the_query_refuses_non_admins_and_ignores_odd_values(app, admin, make: Factory):
    with app.test_request_context():
        with pytest.raises(NotAllowed):
            queries.entries(make.user(role=SiteRole.MODERATOR))
        _entry(app, "moderation.approve", T0)
        page = queries.entries(
            db.session.get(type(admin), admin.id),
            action_prefix="%",
            target_type="no spaces allowed",
            target_id=-3,
            group_id=2**40,
            since=datetime(2026, 1, 1),  # naive: ignored
            before_id=0,
            limit=10**9,
        )
        assert len(page.entries) == 1 and page.older is None


def _csv(visitor: Visitor, query: str = "") -> list[list[str]]:
    response = visitor.get(f"/beheer/logboek.csv{query}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment")
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))


def test_the_csv_holds_the_filtered_lines(log, admin, visitor):
    visitor.login(admin)
    header, *rows = _csv(visitor, "?actie=moderation.")
    assert header[:4] == ["id", "tijd", "door", "actie"]
    assert [row[3] for row in rows] == ["moderation.remove", "moderation.approve"]
    assert rows[0][1] == "2026-03-02T14:00:00+01:00"
    assert rows[0][2] == "Joost" and rows[0][7] == "noemt een adres"
    system = _csv(visitor, "?actie=guarantee.")[1]
    assert system[2] == "Systeem"


@pytest.mark.parametrize(
    "reason",
    ['=HYPERLINK("https://example.com","klik")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"],
)
def test_a_formula_in_the_csv_is_shown_as_text(app, reason, admin, visitor):
    _entry(app, "moderation.remove", T0, reason=reason, actor_name="=cmd", details={"a": "=1"})
    visitor.login(admin)
    [row] = _csv(visitor)[1:]
    assert row[7] == "'" + reason
    assert row[2] == "'=cmd"
    assert row[8] == '{"a": "=1"}'  # starts with "{": harmless as it is


def test_the_page_escapes_what_was_logged(app, admin, visitor):
    _entry(app, "moderation.remove", T0, reason="<script>alert(1)</script>")
    visitor.login(admin)
    html = _page(visitor)
    assert "<script>alert(1)</script>" not in html
    assert str(escape("<script>alert(1)</script>")) in html


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    "query",
    [
        "?actie=%00",
        "?door=%00",
        "?doel=99999999999999999999999999999999&soort=user",
        "?groep=-1",
        "?groep=%EF%BC%91%EF%BC%92",  # full-width digits
        "?voor=abc",
        "?voor=99999999999999999999",
        "?voor=1e309",
        "?van=gisteren&tot=2026-13-45",
        "?van=9999-12-31&tot=9999-12-31",
        "?van=0001-01-01",
        "?van=2026-W10-1",
        "?soort=%3Cscript%3E&doel=1",
        "?actie=moderation.%25",
        "?door=" + "x" * 5000,
        "?actie=" + "%C3%A9" * 100,
        "?actie=a&actie=b&groep=1&groep=2",
        "?%FF=%FE",
    ],
)
def test_hostile_addresses_never_break_the_log(path, query, log, admin, visitor):
    visitor.login(admin)
    assert visitor.get(path + query).status_code in (200, 400)
