"""Crisis language: a writer who may be in danger is noticed, everyday Dutch is left alone."""

from __future__ import annotations

import time
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moderation.checks import FindingKind, find_crisis_language


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("Ik wil dood.", "Ik wil dood"),
        ("Sinds die nacht wil ik niet meer leven.", "wil ik niet meer leven"),
        ("Soms wil ik gewoon dood.", "wil ik gewoon dood"),
        ("Elke avond zie ik het niet meer zitten", "zie ik het niet meer zitten"),
        ("Daarom denk ik aan zelfdoding", "denk ik aan zelfdoding"),
        ("ik wil echt gewoon dood", "ik wil echt gewoon dood"),
        ("IK   WIL,  dood", "IK   WIL,  dood"),
        ("ik wilde\ndood", "ik wilde\ndood"),
        ("ik denk dat ik dood wil", "ik dood wil"),
        ("ik zou dood willen", "ik zou dood willen"),
        ("Ik wil niet meer leven", "Ik wil niet meer leven"),
        ("ik wou niet langer leven", "ik wou niet langer leven"),
        ("ik wou dat ik dood was", "ik wou dat ik dood was"),
        ("Ik wil zelfmoord plegen", "zelfmoord plegen"),
        ("ik denk soms aan zelfmoord", "ik denk soms aan zelfmoord"),
        ("Ik wil een eind aan mijn leven maken", "een eind aan mijn leven maken"),
        ("ik wil er een einde aan maken", "er een einde aan maken"),
        ("ik maak er een eind aan", "maak er een eind aan"),
        ("ik wil mezelf van het leven beroven", "mezelf van het leven beroven"),
        ("Ik zie het niet meer zitten", "Ik zie het niet meer zitten"),
        ("ik zie het echt niet meer zitten", "ik zie het echt niet meer zitten"),
        ("Ik snijd mezelf", "Ik snijd mezelf"),
        ("ik sneed mezelf weer", "ik sneed mezelf"),
        ("ik heb mezelf gesneden", "mezelf gesneden"),
        ("ik wil mezelf pijn doen", "mezelf pijn doen"),
        ("ik doe mezelf pijn", "ik doe mezelf pijn"),
        ("Suïcide", "Suïcide"),
        ("suicide", "suicide"),
        ("ik ben suïcidaal", "suïcidaal"),
        ("Ik hoop dat ik niet meer wakker word", "niet meer wakker word"),
        ("zelfdoding", "zelfdoding"),
        ("zelf\u200bdoding", "zelf\u200bdoding"),
        ("*ik wil dood*", "ik wil dood"),
        ("I want to kill myself", "kill myself"),
        ("I keep killing myself slowly", "killing myself"),
        ("I want to end my life", "end my life"),
        ("I just want to die", "want to die"),
        ("I feel suicidal", "suicidal"),
        ("self-harm", "self-harm"),
        ("I cut myself again", "cut myself"),
        ("I don’t want to live anymore", "don’t want to live"),
    ],
)
def test_crisis_language_is_found(text, excerpt):
    findings = find_crisis_language(text)
    assert [f.excerpt for f in findings] == [excerpt]
    assert findings[0].kind == FindingKind.CRISIS
    assert text[findings[0].start : findings[0].end] == excerpt


@pytest.mark.parametrize(
    "text",
    [
        "het dode blad viel",
        "ik ben doodmoe",
        "ik was doodsbang",
        "hij was doodziek",
        "de kinderen willen een hond",
        "ik schrok me dood",  # an idiom
        "ik lach me dood",
        "ik wil me dood schamen",
        "suikerwerk",
        "a killer whale",
        "my phone died",
        "113 Zelfmoordpreventie helpt",  # the help line, not a crisis
        "bel 113 Zelfmoordpreventie: 0800-0113",
        "zelfmoordaanslag in het nieuws",
        "a suicide bomber",
        "ik wil niet dood",
        "ik wil hem dood",  # a threat, not self-harm; other checks and moderators see threats
        "I don't want to die",
        "I am not suicidal",
        "I would never kill myself",
        "Ik wil een hond. Dood is niks voor mij",
        "dodelijk ongeval",
        "the killers",
    ],
)
def test_near_misses_and_idioms_do_not_trigger(text):
    assert find_crisis_language(text) == []


def test_extra_phrases_are_matched_like_the_built_in_ones():
    text = "Ik wil mijn ex ECHT vermóórden."
    findings = find_crisis_language(text, extra_phrases=["mijn ex vermoorden"])
    assert [f.excerpt for f in findings] == ["mijn ex ECHT vermóórden"]


def test_extra_phrases_respect_word_boundaries_and_light_inflection():
    phrases = ["verdwijnen voorgoed"]
    assert find_crisis_language("ik wil verdwijnen voorgoed", phrases)
    assert find_crisis_language("ik verdwijn voorgoed", phrases)
    assert not find_crisis_language("de verdwijnenden voorgoedje", phrases)


@pytest.mark.parametrize("phrase", ["", "   ", "***", "|", "!?"])
def test_an_empty_extra_phrase_matches_nothing(phrase):
    assert find_crisis_language("gewone tekst zonder zorgen", [phrase]) == []


def test_several_findings_are_sorted_and_do_not_overlap():
    text = "Ik zie het niet meer zitten.\nIk wil dood. I want to die."
    findings = find_crisis_language(text)
    assert [f.excerpt for f in findings] == [
        "Ik zie het niet meer zitten",
        "Ik wil dood",
        "want to die",
    ]


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("İK WİL DOOD", "İK WİL DOOD"),
        ("ik\u202e wil dood", "ik\u202e wil dood"),
        ("\ud800ik wil dood\udfff", "ik wil dood"),
        ("\ufeffzelfdoding\u0301!", "zelfdoding\u0301"),
    ],
)
def test_invisible_and_odd_characters_neither_hide_a_phrase_nor_shift_its_place(text, excerpt):
    [finding] = find_crisis_language(text)
    assert finding.excerpt == excerpt
    assert text[finding.start : finding.end] == excerpt


def test_every_naughty_string_is_checked_without_an_exception(naughty_strings):
    for text in naughty_strings:
        for finding in find_crisis_language(text, ["ik wil weg"]):
            assert text[finding.start : finding.end] == finding.excerpt


@given(st.text(), st.lists(st.text(max_size=30), max_size=3))
def test_any_text_gives_findings_inside_the_text(text, extra):
    findings = find_crisis_language(text, extra)
    for finding in findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.excerpt
    for before, after in pairwise(findings):
        assert before.end <= after.start


@given(st.lists(st.sampled_from(["ik", "wil", "dood", "me", "niet", ".", "Ë", "\u200b"])))
def test_word_soup_from_the_phrases_never_breaks_the_check(pieces):
    text = " ".join(pieces)
    for finding in find_crisis_language(text):
        assert text[finding.start : finding.end] == finding.excerpt


@pytest.mark.parametrize(
    "piece",
    [
        "Ik wil dood. Het dode blad. Ik zie het niet meer zitten, zelfdoding. ",
        "ik ",
        "ik wou dat ik ",
        "ë ",
        "a",
    ],
)
def test_a_200_kb_text_is_checked_well_within_a_second(piece):
    text = (piece * (200_000 // len(piece) + 1))[:200_000]
    started = time.perf_counter()
    find_crisis_language(text)
    # Backtracking gone wrong takes minutes; 5 s leaves room for a slow, busy machine.
    assert time.perf_counter() - started < 5.0
