"""Exports by study code: no pseudonym, no account id, nothing of withdrawn participants,
and every export in the audit log."""

from __future__ import annotations

import csv
import io
import json
from types import SimpleNamespace

import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.extensions import db
from tests.research.conftest import StudyKit
from tests.support import Visitor


def _fill(kit: StudyKit):
    day1, day2 = kit.opened(kit.plan(1)), kit.opened(kit.plan(2))
    first = kit.participant("Zeeanemoon-Kx")
    second = kit.participant("Kwartelkoning-Qz")
    leaving = kit.participant("Vuurvlinder-Wq")
    answer = kit.make.reply
    answer(SimpleNamespace(id=day1.story_id), first, body="Koken voor anderen hielp mij.")
    answer(SimpleNamespace(id=day1.story_id), second, body="=SOM(A1:A9) deed ik niet.")
    answer(SimpleNamespace(id=day2.story_id), first, body="Slapen ging slecht.")
    answer(SimpleNamespace(id=day1.reflection_story_id), second, body="Fijn om te lezen.")
    answer(SimpleNamespace(id=day1.story_id), leaving, body="Dit wil ik later niet meer delen.")
    answer(SimpleNamespace(id=day1.reflection_story_id), kit.researcher, body="Dank jullie.")
    visitor = Visitor(kit.app.test_client())
    visitor.login(leaving)
    assert visitor.post(f"/onderzoek/{kit.slug}/terugtrekken").status_code == 302
    return first, second, leaving


def _download(kit: StudyKit, fmt: str) -> bytes:
    visitor = Visitor(kit.app.test_client())
    visitor.login(kit.researcher)
    response = visitor.get(f"/onderzoek/{kit.slug}/export.{fmt}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    return response.get_data()


def test_the_json_export_names_participants_only_by_study_code(kit):
    people = _fill(kit)
    content = _download(kit, "json")
    for person in (*people, kit.researcher):
        assert person.pseudonym.encode() not in content
    assert b"user_id" not in content and b"author" not in content
    document = json.loads(content)
    day1 = document["vragen"][0]
    assert [(a["deelnemer"], a["tekst"]) for a in day1["antwoorden"]] == [
        ("P01", "Koken voor anderen hielp mij."),
        ("P02", "=SOM(A1:A9) deed ik niet."),
    ]
    assert [a["deelnemer"] for a in day1["terugblik"]] == ["P02", "onderzoeker"]
    assert [a["deelnemer"] for a in document["vragen"][1]["antwoorden"]] == ["P01"]
    # The only numbers in the export are the days: no account id anywhere.
    numbers: list[int] = []

    def walk(value: object) -> None:
        if isinstance(value, bool):
            return
        if isinstance(value, int):
            numbers.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    assert numbers == [1, 2]


def test_the_csv_export_names_participants_only_by_study_code(kit):
    people = _fill(kit)
    content = _download(kit, "csv")
    for person in (*people, kit.researcher):
        assert person.pseudonym.encode() not in content
    assert b"Dit wil ik later niet meer delen." not in content
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert {row["deelnemer"] for row in rows} == {"P01", "P02", "onderzoeker"}
    ids = {str(person.id) for person in (*people, kit.researcher)}
    for row in rows:
        cells = [value for key, value in row.items() if key != "dag"]
        assert not ids & set(cells)
    # A cell a spreadsheet would run as a formula is written as text.
    assert any(row["tekst"] == "'=SOM(A1:A9) deed ik niet." for row in rows)


def test_withdrawn_participants_are_left_out_of_every_export(kit):
    _fill(kit)
    for fmt in ("csv", "json"):
        content = _download(kit, fmt)
        assert b"Dit wil ik later niet meer delen." not in content
        assert b"P03" not in content


def test_every_export_is_written_to_the_audit_log(kit):
    _fill(kit)
    _download(kit, "csv")
    _download(kit, "json")
    with kit.app.app_context():
        entries = db.session.execute(
            sa.select(AuditEntry).where(AuditEntry.action == "research.exported")
        ).scalars()
        formats = sorted(entry.details["format"] for entry in entries)
    assert formats == ["csv", "json"]


def test_an_unknown_export_format_is_not_found(kit):
    visitor = Visitor(kit.app.test_client())
    visitor.login(kit.researcher)
    assert visitor.get(f"/onderzoek/{kit.slug}/export.xlsx").status_code == 404
