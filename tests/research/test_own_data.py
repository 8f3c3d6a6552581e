"""A participant's own data: their study code and every consent are in their data export,
and deleting their account takes their participation with it."""

from __future__ import annotations

import io
import json
import zipfile

import sqlalchemy as sa

from app.extensions import db
from app.research.models import ConsentRecord, Participation
from tests.support import Visitor


def test_the_data_export_holds_the_study_code_and_the_consents(kit, app):
    member = kit.participant("Deelnemer Een")
    visitor = Visitor(app.test_client())
    visitor.login(member)
    visitor.post("/account/mijn-gegevens")
    page = visitor.get("/account/mijn-gegevens").get_data(as_text=True)
    link = page.split('href="/account/mijn-gegevens/', 1)[1].split('"', 1)[0]
    archive = zipfile.ZipFile(io.BytesIO(visitor.get(f"/account/mijn-gegevens/{link}").data))
    data = json.loads(archive.read("gegevens.json"))
    [study] = data["research"]
    assert study["study_code"].startswith("P")
    assert study["consents"] and study["consents"][0]["version"] == 1


def test_deleting_the_account_takes_the_participation_and_consents(kit, app):
    member = kit.participant("Deelnemer Twee")
    visitor = Visitor(app.test_client())
    visitor.login(member)
    from tests.support import PASSWORD

    answer = visitor.post(
        "/account/verwijderen", {"mode": "verwijderen", "password": PASSWORD, "confirm": "y"}
    )
    assert answer.status_code == 200
    with app.app_context():
        assert (
            db.session.execute(
                sa.select(Participation).where(Participation.user_id == member.id)
            ).first()
            is None
        )
        assert db.session.execute(sa.select(ConsentRecord)).first() is None
