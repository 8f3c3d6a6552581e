"""The Markdown subset and the one allow-list: what survives, and what never does."""

from __future__ import annotations

import html
import random
import re
import sys
import threading
import time
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import markup
from tests.hostile import XSS_VECTORS as HOSTILE

SAFE_SCHEMES = ("http://", "https://", "mailto:")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def assert_safe(rendered: str) -> None:
    """Only allowed tags, no event handlers, and only http(s)/mailto links."""
    assert "<script" not in rendered.lower()
    parser = _Tags()
    parser.feed(rendered)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in markup.ALLOWED_TAGS, tag
        for name, value in attrs:
            assert not re.match(r"on\w+", name), name
            assert name in ({"href", "rel"} if tag == "a" else set()), (tag, name)
            if name == "href":
                # What a browser follows: entities decoded, whitespace ignored.
                target = re.sub(r"\s", "", html.unescape(value or "")).lower()
                assert target.startswith(SAFE_SCHEMES), value
                assert urlsplit(target).scheme in {"http", "https", "mailto"}, value
            if name == "rel":
                assert value == markup.LINK_REL


def test_the_supported_subset_renders():
    source = (
        "Een *kleine* en een **grote** stap.\nNieuwe regel.\n\n"
        "- een\n- twee\n\n1. eerst\n2. dan\n\n> wat iemand zei\n\n"
        "[113](https://www.113.nl)"
    )
    rendered = markup.render(source)
    for fragment in (
        "<em>kleine</em>",
        "<strong>grote</strong>",
        "<br>",
        "<ul>",
        "<ol>",
        "<li>een</li>",
        "<blockquote>",
        '<a href="https://www.113.nl" rel="nofollow ugc noopener noreferrer">113</a>',
    ):
        assert fragment in rendered
    assert_safe(rendered)


def test_bare_web_addresses_become_safe_links():
    rendered = markup.render("Kijk op https://example.org/hulp of www.example.org.")
    assert 'href="https://example.org/hulp"' in rendered
    assert 'href="https://www.example.org"' in rendered
    assert_safe(rendered)


def test_raw_html_is_shown_as_text_not_passed_through():
    rendered = markup.render('<b>vet</b> <div class="x">blok</div>')
    assert "&lt;b&gt;vet&lt;/b&gt;" in rendered
    assert "<div" not in rendered and "<b>" not in rendered


def test_features_outside_the_subset_show_as_typed():
    rendered = markup.render("# Kop\n\n---\n\n    ingesprongen\n\n![foto](https://x.nl/a.png)")
    assert "<h1" not in rendered and "<hr" not in rendered and "<pre" not in rendered
    assert "<img" not in rendered
    assert "# Kop" in rendered


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_input_is_neutralised(source: str):
    assert_safe(markup.render(source))


def test_a_markdown_link_to_javascript_keeps_only_its_text():
    assert markup.render("[klik](javascript:void)") == "<p>klik</p>"
    assert markup.render("[klik](data:text/html,hoi)") == "<p>klik</p>"


def test_every_naughty_string_renders_safely(naughty_strings: list[str]):
    for source in naughty_strings:
        rendered = markup.render(source)
        assert_safe(rendered)
        markup.plain_text(source)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=30),
            st.sampled_from(
                [
                    "<",
                    ">",
                    "[",
                    "](",
                    ")",
                    "javascript:",
                    "&#106;",
                    "&colon;",
                    "onerror=",
                    "<script>",
                    "<a href=",
                    "*",
                    "**",
                    "> ",
                    "- ",
                    "1. ",
                    "\n",
                    "\n\n",
                    "https://",
                    "www.",
                    '"',
                    "'",
                ]
            ),
        ),
        max_size=40,
    ).map("".join)
)
def test_any_mix_of_markdown_and_markup_renders_safely(source: str):
    assert_safe(markup.render(source))


@pytest.mark.parametrize(
    "source",
    ["[" * 20_000, "[](" * 6_000, "(" * 20_000, ">" * 20_000, "aa-" * 6_000, "*_" * 2_000],
)
def test_pathological_input_renders_quickly(source: str):
    started = time.perf_counter()
    markup.render(source)
    assert time.perf_counter() - started < 10  # guards against minutes-long backtracking


def test_renders_in_parallel_threads_match_renders_one_at_a_time():
    # The server renders in several threads at once; a parser shared between them mixed up
    # one member's text with another's.
    sources = [
        *HOSTILE,
        *(f"Reactie {n}: *ik* herken **dit**.\n\n- een\n- twee\n\n> {n}" for n in range(20)),
    ]
    expected = {source: markup.render(source) for source in sources}
    wrong: list[str] = []

    def render_many(seed: int) -> None:
        for source in random.Random(seed).choices(sources, k=200):
            try:
                if markup.render(source) != expected[source]:
                    wrong.append(source)
            except Exception as error:  # a crash is one more wrong answer
                wrong.append(f"{source!r}: {error!r}")

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, as a busy server does
    try:
        threads = [threading.Thread(target=render_many, args=(seed,)) for seed in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert wrong == []


def test_a_render_that_ran_out_of_stack_leaves_nothing_behind_for_the_next():
    nested = "- a\n" + "\n".join("    " * depth + "- b" for depth in range(1, 7))
    probe = "- x\n    - y\n\n        z\n\n1. a\n\n   b"
    expected = markup.render(probe)
    fell_back = 0

    def render_deep(frames: int) -> str:
        return markup.render(nested) if frames == 0 else render_deep(frames - 1)

    for frames in range(0, sys.getrecursionlimit(), 3):
        try:
            fell_back += "<ul>" not in render_deep(frames)
        except RecursionError:
            continue
        assert markup.render(probe) == expected
    assert fell_back  # Markdown did run out of stack at least once, halfway through a list


def test_control_characters_are_dropped():
    assert markup.render("a\x00b\x1bc") == "<p>abc</p>"


def test_plain_text_drops_markup_and_keeps_words_apart():
    assert markup.plain_text("**Vet**\n\n- een\n- twee & <b>") == "Vet een twee & <b>"


def test_excerpt_cuts_at_a_word_with_an_ellipsis():
    short = markup.excerpt("woord " * 100, 50)
    assert len(short) <= 50
    assert short.endswith("woord…")
    assert markup.excerpt("kort", 50) == "kort"
