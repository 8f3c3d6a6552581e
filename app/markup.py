"""Rendering and sanitising what members write: a small Markdown subset, then one allow-list.

Content is rendered once, when it is saved: the source and the sanitised HTML are both stored,
and only the stored HTML is ever shown. Markdown runs with raw HTML switched off (it is escaped
and shows as typed), then bleach keeps only the tags below. Links must be absolute http, https
or mailto addresses; they get ``rel="nofollow ugc noopener noreferrer"``. Bare web addresses
(``https://…`` or ``www.…``) in the text become links too.

Supported: paragraphs, line breaks, *emphasis*, **strong**, bullet and numbered lists,
> block quotes and [inline links](https://example.org). Everything else shows as typed.
"""

from __future__ import annotations

import html
import re
import threading
from functools import partial
from html.parser import HTMLParser
from urllib.parse import urlsplit

import bleach
import markdown
from bleach.linkifier import LinkifyFilter

ALLOWED_TAGS = frozenset({"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "a"})
ALLOWED_ATTRIBUTES = {"a": ["href"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener noreferrer"

# Markdown features outside the subset are switched off, so that what they would have made
# shows as the member typed it instead of vanishing silently.
_OFF_PREPROCESSORS = ("html_block",)
_OFF_BLOCKS = ("code", "hashheader", "setextheader", "hr", "reference")
_OFF_INLINE = (
    "html",
    "backtick",
    "reference",
    "short_reference",
    "image_link",
    "image_reference",
    "short_image_ref",
)

# Python-Markdown scans ahead from every "[" for its partner, which takes minutes on a text
# full of brackets. Only simple inline links keep their brackets; the others are swapped for
# private-use placeholders while Markdown runs, and put back afterwards.
_INLINE_LINK = re.compile(r"\[[^\[\]\n]{1,300}\]\([^()\[\]\s<>]{1,2000}\)")
_OPEN, _CLOSE = "\ue000", "\ue001"
_HIDE_BRACKETS = str.maketrans({"[": _OPEN, "]": _CLOSE})
_SHOW_BRACKETS = str.maketrans({_OPEN: "[", _CLOSE: "]"})
_DROP_PLACEHOLDERS = str.maketrans({_OPEN: None, _CLOSE: None})

# Python-Markdown recurses once per nested quote; deeper nesting says nothing more anyway.
_MAX_QUOTE_DEPTH = 6
_DEEP_QUOTE = re.compile(rf"^((?:[ \t]*>){{{_MAX_QUOTE_DEPTH}}})(?:[ \t]*>)+", re.MULTILINE)
# Control characters other than tab and newline have no place in text and upset databases.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
# Linear on purpose: bleach's own pattern backtracks badly on some inputs.
_BARE_URL = re.compile(r"(?<![\w@/.:-])(?:https?://|www\.)[^\s<>\"'`{}|\\^\[\]]+", re.IGNORECASE)
_HAS_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)

_BLOCK_TAGS = frozenset({"p", "br", "ul", "ol", "li", "blockquote"})
# "_text" is how bleach hands a link's text to callbacks.
_KEPT_LINK_KEYS = frozenset({(None, "href"), "_text"})

LinkAttributes = dict[tuple[str | None, str] | str, str]


def clean_text(source: str) -> str:
    """Return ``source`` with unified newlines and without control characters."""
    return _CONTROL.sub("", source.replace("\r\n", "\n").replace("\r", "\n"))


def _new_markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["nl2br", "sane_lists"], output_format="html")
    for name in _OFF_PREPROCESSORS:
        md.preprocessors.deregister(name)
    for name in _OFF_BLOCKS:
        md.parser.blockprocessors.deregister(name)
    for name in _OFF_INLINE:
        md.inlinePatterns.deregister(name)
    return md


def _hide_stray_brackets(text: str) -> str:
    parts: list[str] = []
    position = 0
    for link in _INLINE_LINK.finditer(text):
        parts.append(text[position : link.start()].translate(_HIDE_BRACKETS))
        parts.append(link.group())
        position = link.end()
    parts.append(text[position:].translate(_HIDE_BRACKETS))
    return "".join(parts)


def _is_allowed_href(href: str) -> bool:
    # Look at what a browser would follow: entities decoded, whitespace and controls ignored.
    candidate = _SPACES.sub("", html.unescape(href)).lower()
    scheme = urlsplit(candidate).scheme
    if scheme == "mailto":
        return True
    return scheme in ALLOWED_PROTOCOLS and candidate.startswith(scheme + "://")


def _link_attributes(attrs: LinkAttributes, new: bool = False) -> LinkAttributes | None:
    href = attrs.get((None, "href"), "")
    if new and not _HAS_SCHEME.match(attrs.get("_text", "")):
        href = "https://" + attrs.get("_text", "")
    if not _is_allowed_href(href):
        return None  # drop the link, keep its text
    kept = {key: value for key, value in attrs.items() if key in _KEPT_LINK_KEYS}
    kept[(None, "href")] = href
    kept[(None, "rel")] = LINK_REL
    return kept


def _new_cleaner() -> bleach.Cleaner:
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[
            partial(
                LinkifyFilter, callbacks=[_link_attributes], url_re=_BARE_URL, parse_email=False
            )
        ],
    )


# Building a Markdown instance cost more than rendering a reply with it, so each thread keeps
# one (and its own bleach cleaner): neither is thread-safe, and the server runs threads.
_per_thread = threading.local()


def _take_markdown() -> markdown.Markdown:
    """This thread's Markdown instance, reset; it is handed back with ``_give_back`` only after
    a conversion that completed, because one that stopped halfway (a RecursionError) leaves
    parser state behind that ``reset()`` does not clear."""
    md: markdown.Markdown | None = getattr(_per_thread, "markdown", None)
    _per_thread.markdown = None
    return (md or _new_markdown()).reset()


def _give_back(md: markdown.Markdown) -> None:
    _per_thread.markdown = md


def _cleaner() -> bleach.Cleaner:
    cleaner: bleach.Cleaner | None = getattr(_per_thread, "cleaner", None)
    if cleaner is None:
        cleaner = _per_thread.cleaner = _new_cleaner()
    return cleaner


def _escaped_paragraphs(text: str) -> str:
    """The fallback when Markdown gives up: the text as escaped paragraphs."""
    blocks = [block.strip() for block in text.split("\n\n") if block.strip()]
    return "".join(f"<p>{html.escape(block).replace(chr(10), '<br>')}</p>" for block in blocks)


def render(source: str) -> str:
    """Render a member's Markdown to sanitised HTML; never raises on odd input."""
    text = clean_text(source).translate(_DROP_PLACEHOLDERS)
    text = _hide_stray_brackets(_DEEP_QUOTE.sub(r"\1", text))
    md = _take_markdown()
    try:
        rendered = md.convert(text)
    except RecursionError:
        rendered = _escaped_paragraphs(text)
    else:
        _give_back(md)
    return str(_cleaner().clean(rendered.translate(_SHOW_BRACKETS))).strip()


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(rendered_html: str) -> str:
    """Return the plain text of HTML made by :func:`render`, whitespace collapsed."""
    collector = _TextCollector()
    collector.feed(rendered_html)
    collector.close()
    return _SPACES.sub(" ", "".join(collector.parts)).strip()


def plain_text(source: str) -> str:
    """Return a member's Markdown as plain text (no markup), for excerpts and notifications."""
    return text_of(render(source))


def excerpt(text: str, limit: int = 220) -> str:
    """Shorten plain text to at most ``limit`` characters, at a word boundary, with an ellipsis."""
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + "…"
