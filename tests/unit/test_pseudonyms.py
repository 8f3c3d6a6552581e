import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.accounts import pseudonyms


@pytest.mark.parametrize(
    "name", ["Zonnebloem", "moeder van 3", "Anne-Marie", "de_vlinder", "Joëlle"]
)
def test_ordinary_pseudonyms_are_accepted(name):
    assert pseudonyms.validate(name) == name


@pytest.mark.parametrize(
    "name",
    [
        "ab",  # too short
        "x" * 31,  # too long
        "anne@example.nl",  # an e-mail address
        "06-12345678",  # a phone number
        "bel 0612345678",
        "+31 6 1234 5678",
        "Anoniem lid",  # reserved: would look like an anonymous post
        "Verwijderd lid",
        "moderator",
        "Аdmin",  # Cyrillic А looks like a Latin A
        "zero\u200bwidth",  # invisible character
        "rtl\u202eoverride",
        "<script>",
        "---",
    ],
)
def test_unsafe_or_misleading_pseudonyms_are_refused(name):
    with pytest.raises(pseudonyms.PseudonymRejected):
        pseudonyms.validate(name)


def test_look_alike_pseudonyms_share_one_key():
    assert pseudonyms.key_for("Demo Lid") == pseudonyms.key_for("demo-lid")
    assert pseudonyms.key_for("JOELLE") == pseudonyms.key_for("Joëlle")
    assert pseudonyms.key_for("ｄｅｍｏ") == pseudonyms.key_for("demo")  # full-width letters


def test_spaces_are_tidied():
    assert pseudonyms.validate("  Stille   Kracht ") == "Stille Kracht"


@given(st.text(max_size=60))
def test_any_input_is_accepted_or_refused_with_a_reason(raw):
    try:
        result = pseudonyms.validate(raw)
    except pseudonyms.PseudonymRejected as rejected:
        assert str(rejected)
    else:
        assert 3 <= len(result) <= 30
