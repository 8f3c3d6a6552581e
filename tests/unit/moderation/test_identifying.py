"""Identifying details a writer might share by accident: what is caught, and what is left alone."""

from __future__ import annotations

import time
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moderation.checks import Finding, FindingKind, find_identifying_details
from moderation.checks.identifying import passes_eleven_check

K = FindingKind


def only(text: str) -> Finding:
    findings = find_identifying_details(text)
    assert len(findings) == 1, findings
    return findings[0]


@pytest.mark.parametrize(
    ("text", "kind", "excerpt"),
    [
        # phone numbers
        ("Bel me op 06-12345678.", K.PHONE, "06-12345678"),
        ("mijn nummer: 06 1234 5678", K.PHONE, "06 1234 5678"),
        ("app 0612345678 maar", K.PHONE, "0612345678"),
        ("06 12 34 56 78", K.PHONE, "06 12 34 56 78"),
        ("+31 6 12345678", K.PHONE, "+31 6 12345678"),
        ("+31 (0)6 1234 5678", K.PHONE, "+31 (0)6 1234 5678"),
        ("tel:0031612345678", K.PHONE, "0031612345678"),
        ("kantoor 020-1234567", K.PHONE, "020-1234567"),
        ("Rotterdam: 010 123 4567", K.PHONE, "010 123 4567"),
        ("(020) 123 4567", K.PHONE, "(020) 123 4567"),
        ("Heerenveen 0513-123456", K.PHONE, "0513-123456"),
        ("+31 20 123 4567", K.PHONE, "+31 20 123 4567"),
        # e-mail addresses
        ("mail jan.de.vries@example.nl.", K.EMAIL, "jan.de.vries@example.nl"),
        ("<anne+lotgenoten@mail.example.com>", K.EMAIL, "anne+lotgenoten@mail.example.com"),
        ("schrijf naar piet [at] voorbeeld [punt] nl", K.EMAIL, "piet [at] voorbeeld [punt] nl"),
        ("of kees (at) voorbeeld.com", K.EMAIL, "kees (at) voorbeeld.com"),
        # IBAN
        ("IBAN: NL91 ABNA 0417 1643 00", K.IBAN, "NL91 ABNA 0417 1643 00"),
        ("NL91ABNA0417164300 graag", K.IBAN, "NL91ABNA0417164300"),
        ("nl91abna0417164300", K.IBAN, "nl91abna0417164300"),
        ("BE68 5390 0754 7034 voor de huur", K.IBAN, "BE68 5390 0754 7034"),
        ("DE89 3704 0044 0532 0130 00", K.IBAN, "DE89 3704 0044 0532 0130 00"),
        ("GB82 WEST 1234 5698 7654 32", K.IBAN, "GB82 WEST 1234 5698 7654 32"),
        # BSN
        ("mijn BSN is 123456782", K.BSN, "123456782"),
        ("burgerservicenummer 1234.56.782", K.BSN, "1234.56.782"),
        ("nummer 123 456 782 staat erop", K.BSN, "123 456 782"),
        ("BSN: 12345672", K.BSN, "12345672"),
        # postcodes with a house number
        ("1234 AB 12", K.POSTCODE_ADDRESS, "1234 AB 12"),
        ("adres 1234AB 12a", K.POSTCODE_ADDRESS, "1234AB 12a"),
        (
            "Kerkstraat 12, 1234 AB Amsterdam.",
            K.POSTCODE_ADDRESS,
            "Kerkstraat 12, 1234 AB Amsterdam",
        ),
        ("Kerkstraat 12\n1234 AB Den Haag", K.POSTCODE_ADDRESS, "Kerkstraat 12\n1234 AB Den Haag"),
        # licence plates
        ("kenteken 12-ABC-3", K.LICENCE_PLATE, "12-ABC-3"),
        ("een auto met AB-123-C", K.LICENCE_PLATE, "AB-123-C"),
        ("1-ABC-23", K.LICENCE_PLATE, "1-ABC-23"),
        ("ABC-12-D.", K.LICENCE_PLATE, "ABC-12-D"),
        ("XX-99-XX", K.LICENCE_PLATE, "XX-99-XX"),
        ("GB-12-34", K.LICENCE_PLATE, "GB-12-34"),
        # street addresses
        ("Ik woon aan de Kerkstraat 12.", K.STREET_ADDRESS, "Kerkstraat 12"),
        ("Van Goghlaan 3-hoog", K.STREET_ADDRESS, "Van Goghlaan 3-hoog"),
        ("bij Dorpsweg 114B achter", K.STREET_ADDRESS, "Dorpsweg 114B"),
        ("Burgemeester de Withstraat 5", K.STREET_ADDRESS, "Burgemeester de Withstraat 5"),
        ("Prinsengracht 263", K.STREET_ADDRESS, "Prinsengracht 263"),
        ("op de Markt 12", K.STREET_ADDRESS, "Markt 12"),
        ("Laan van Meerdervoort 100", K.STREET_ADDRESS, "Laan van Meerdervoort 100"),
        ("Stationsplein 1 in Utrecht", K.STREET_ADDRESS, "Stationsplein 1"),
    ],
)
def test_identifying_details_are_found_with_their_kind_and_place(text, kind, excerpt):
    finding = only(text)
    assert (finding.kind, finding.excerpt) == (kind, excerpt)
    assert text[finding.start : finding.end] == finding.excerpt


@pytest.mark.parametrize(
    "text",
    [
        "het kostte € 1.000.000 en 250 euro",
        "in 2023 en 1998 gebeurde het",
        "op 12-06-2023 om 14:30",
        "op 06-12-2023 12:34 belde hij",
        "01-06-2023 12:00",
        "het dossiernummer is 1234567890",
        "een getal: 4567890123",
        "bel de hulplijn 0800-0113 of 113",
        "0900-1234567 is betaald",
        "NL92 ABNA 0417 1643 00",  # wrong check digits
        "NL91 ABNA 0417 1643 01",
        "XX91ABNA0417164300",  # no such country
        "123456789",  # fails the eleven-check
        "BSN 123456781",
        "000000000",
        "1234567821",  # ten digits: not a BSN
        "€ 123456782",
        "12345672 zonder context",  # eight digits only count after "BSN"
        "ik woon in 1234 AB",  # a postcode alone is not reported
        "1234 SA 12",  # SA is not used in postcodes
        "0123 AB 12",
        "in 2019 is 3 keer",
        "12-abc-3",
        "12ABC3",
        "COVID-19 en MH-17",
        "de weg naar huis 3 keer",
        "hij sliep op straat 5 nachten",
        "Aflevering 3 van de serie",
        "Vergadering 2 is verzet",
        "de Arbeidsmarkt 2023",
        "Kerkstraat zonder nummer",
        "mail me op jan@",
        "@naam en #hashtag",
        "kijk op example.nl",
    ],
)
def test_ordinary_text_and_near_misses_are_not_reported(text):
    assert find_identifying_details(text) == []


@pytest.mark.parametrize("digits", ["123456782", "111222333", "012345672"])
def test_a_bsn_that_passes_the_eleven_check_is_reported(digits):
    assert passes_eleven_check(digits)
    assert only(f"BSN {digits}").kind == K.BSN


@pytest.mark.parametrize("digits", ["123456789", "123456783", "111222334", "000000000"])
def test_a_bsn_that_fails_the_eleven_check_is_not_reported(digits):
    assert not passes_eleven_check(digits)
    assert find_identifying_details(f"mijn BSN is {digits}") == []


def test_an_iban_with_a_wrong_check_digit_is_not_reported_nor_any_part_of_it():
    assert find_identifying_details("rekening NL92 ABNA 0417 1643 00 graag") == []


def test_a_bsn_shaped_part_of_a_phone_number_is_reported_as_the_phone_number():
    assert passes_eleven_check("612345671")
    finding = only("bel +31 6 12345671")
    assert (finding.kind, finding.excerpt) == (K.PHONE, "+31 6 12345671")


def test_a_street_with_postcode_is_one_finding_not_two():
    finding = only("Ik woon op de Kerkstraat 12, 1234 AB Amsterdam.")
    assert finding.kind == K.POSTCODE_ADDRESS


def test_findings_in_a_longer_story_are_sorted_and_point_into_the_text():
    text = (
        "Na de inbraak op de Dorpsweg 114B belde ik 06-12345678. De dader reed in 12-ABC-3.\n"
        "Stort geld op NL91 ABNA 0417 1643 00 of mail naar hulp@example.nl. BSN 123456782."
    )
    findings = find_identifying_details(text)
    assert [f.kind for f in findings] == [
        K.STREET_ADDRESS,
        K.PHONE,
        K.LICENCE_PLATE,
        K.IBAN,
        K.EMAIL,
        K.BSN,
    ]
    for finding in findings:
        assert text[finding.start : finding.end] == finding.excerpt


def test_offsets_stay_right_after_emoji_and_accents():
    text = "Joëlle 😀 zegt: bel 06-12345678 ✨"
    finding = only(text)
    assert text[finding.start : finding.end] == "06-12345678"


def test_every_naughty_string_is_checked_without_an_exception(naughty_strings):
    for text in naughty_strings:
        for finding in find_identifying_details(text):
            assert text[finding.start : finding.end] == finding.excerpt


@given(st.text())
def test_any_text_gives_sorted_non_overlapping_findings_inside_the_text(text):
    findings = find_identifying_details(text)
    for finding in findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.excerpt
    for before, after in pairwise(findings):
        assert before.end <= after.start


@given(st.text(alphabet="0123456789 -.+()ABNLabn@[]SX", max_size=200))
def test_digit_soup_never_breaks_the_check(text):
    for finding in find_identifying_details(text):
        assert text[finding.start : finding.end] == finding.excerpt


@pytest.mark.parametrize(
    "piece",
    [
        "Kerkstraat 12, 1234 AB Amsterdam, 06-12345678, NL91 ABNA 0417 1643 00. ",
        "0 ",
        "1.",
        "a@",
        "NL91 ",
        "Aaaa de ",
        "06-",
        "x" * 1000 + " ",
    ],
)
def test_a_200_kb_text_is_checked_well_within_a_second(piece):
    text = (piece * (200_000 // len(piece) + 1))[:200_000]
    started = time.perf_counter()
    find_identifying_details(text)
    # Backtracking gone wrong takes minutes; 5 s leaves room for a slow, busy machine.
    assert time.perf_counter() - started < 5.0
