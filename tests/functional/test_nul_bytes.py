"""NUL bytes (which PostgreSQL cannot store or compare) never cause a server error."""

import pytest

from tests.support import Factory, Visitor


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/inloggen", "pseudonym"),
        ("/inloggen", "password"),
        ("/registreren", "pseudonym"),
        ("/registreren", "email"),
        ("/wachtwoord-vergeten", "email"),
    ],
)
def test_a_nul_byte_in_an_account_form_gets_a_kind_answer(visitor: Visitor, path, field):
    data = {"pseudonym": "Gewoon Iemand", "password": "fiets wolk pannenkoek", "email": "a@b.nl"}
    data[field] = "Ge\x00woon"
    response = visitor.post(path, data)
    assert response.status_code < 500


def test_a_nul_byte_in_a_join_motivation_or_story_gets_a_kind_answer(
    make: Factory, visitor: Visitor
):
    from app.groups.models import GroupRole, Visibility

    member = make.user("Nul Tester")
    group = make.group()
    closed = make.group(Visibility.CLOSED)
    make.membership(member, group, GroupRole.MEMBER)
    visitor.login(member)
    assert (
        visitor.post(f"/groepen/{closed.slug}/aanvraag", {"motivation": "a\x00b"}).status_code < 500
    )
    response = visitor.post(
        f"/groepen/{group.slug}/verhaal-delen", {"title": "Ti\x00tel", "body": "Te\x00kst"}
    )
    assert response.status_code < 500


@pytest.mark.parametrize(
    "path",
    [
        "/groepen/a%00b",
        "/groepen/a%00b/feed.xml",
        "/groepen/a%00b/verhaal-delen",
        "/?voor=1%002",
        "/verhalen/1?citeer=%00",
        "/taal/e%00n",
        "/wachtwoord-herstellen/a%00b",
    ],
)
def test_a_nul_byte_in_the_address_gets_a_kind_answer(client, path):
    assert client.get(path).status_code < 500
