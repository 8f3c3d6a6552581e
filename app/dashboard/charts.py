"""Accessible SVG charts for the staff dashboard, drawn on the server.

Each chart is a ``<figure>`` holding an SVG picture (``role="img"``, named by its ``<title>``
and ``<desc>``) and, folded away in a ``<details>``, the same figures as a table for screen
readers and anyone who wants the numbers. The output is well-formed XML: no scripts, no
external resources and no ``style`` attributes (the Content-Security-Policy forbids inline
styles), so colours come from SVG presentation attributes that the site's CSS may override
through the ``chart-*`` classes. Every piece of text is escaped.

A value of ``None`` is a count hidden for privacy: it is drawn as a small dashed stub of a
fixed size, labelled with the hidden text, and left out of the scale.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from markupsafe import Markup, escape

WIDTH = 480
# 16 units on a 480-wide picture is still about 11 px on a 375 px wide phone screen.
FONT_SIZE = 16
# A rough average glyph width, to keep text inside the picture and tick labels apart.
CHAR_WIDTH = 0.6 * FONT_SIZE
BAR_FILL = "#2f6f8f"
AXIS_STROKE = "#767676"
GRID_STROKE = "#d0d0d0"
TEXT_FILL = "#1f1f1f"
HIDDEN_DASHES = "3 2"
HIDDEN_STUB = 10
LABEL_LENGTH = 28
MAX_X_TICKS = 7

# Daily chart geometry.
PLOT_HEIGHT = 240
PLOT_TOP = 40
MAX_DAY_BAR = 48

# Bar chart geometry: each row is a label line with its bar below it.
ROW_HEIGHT = 48
ROW_LABEL = 17
ROW_BAR = 22
BAR_THICKNESS = 18

_AXIS_LABEL = "chart-label chart-axis-label"
_TICK_X = "chart-label chart-tick chart-tick-x"
_TICK_Y = "chart-label chart-tick chart-tick-y"

# Characters XML 1.0 does not allow, even escaped; they would break the whole figure.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Isolates untrusted text so that a right-to-left label cannot reorder the value beside it.
_ISOLATE, _END_ISOLATE = "\u2068", "\u2069"


@dataclass(frozen=True)
class DayValue:
    """The count for one day; ``None`` when it is hidden for privacy."""

    day: date
    value: int | None
    # What the table and tooltip say instead of the number (such as "≈ 125").
    shown: str | None = None


@dataclass(frozen=True)
class BarValue:
    """The count for one label (untrusted text); ``None`` when it is hidden for privacy."""

    label: str
    value: int | None
    shown: str | None = None


@dataclass(frozen=True)
class ChartText:
    """Translated words the chart needs; the caller translates (Dutch first)."""

    title: str
    description: str
    x_label: str
    y_label: str
    table_caption: str
    show_table: str
    hidden_text: str = "< 5"


def _num(number: float) -> str:
    text = f"{number:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _tag(name: str, attrs: dict[str, str | float], content: str | None = None) -> Markup:
    """An element; plain ``str`` content and attribute values are cleaned and escaped."""
    # Numbers need no escaping; a year of bars makes thousands of them.
    rendered = "".join(
        f' {key}="{escape(_clean(value)) if isinstance(value, str) else _num(value)}"'
        for key, value in attrs.items()
    )
    if content is None:
        element = f"<{name}{rendered}/>"
    else:
        inner = content if isinstance(content, Markup) else escape(_clean(content))
        element = f"<{name}{rendered}>{inner}</{name}>"
    return Markup(element)  # noqa: S704 - our own tag names; every value went through escape()


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _join(*parts: str) -> Markup:
    return Markup("").join(parts)


def _text(x: float, y: float, content: str, css: str, anchor: str = "start") -> Markup:
    attrs: dict[str, str | float] = {"x": x, "y": y, "class": css, "fill": TEXT_FILL}
    attrs |= {"font-size": FONT_SIZE, "text-anchor": anchor}
    return _tag("text", attrs, content)


def _line(x1: float, y1: float, x2: float, y2: float, css: str, stroke: str) -> Markup:
    attrs: dict[str, str | float] = {"x1": x1, "y1": y1, "x2": x2, "y2": y2}
    return _tag("line", attrs | {"class": css, "stroke": stroke, "stroke-width": 1})


def _bar(x: float, y: float, width: float, height: float, tooltip: str) -> Markup:
    attrs: dict[str, str | float] = {"x": x, "y": y, "width": width, "height": height}
    return _tag(
        "rect", attrs | {"class": "chart-bar", "fill": BAR_FILL}, _tag("title", {}, tooltip)
    )


def _stub(x: float, y: float, width: float, height: float, tooltip: str | None) -> Markup:
    attrs: dict[str, str | float] = {"x": x, "y": y, "width": width, "height": height}
    attrs |= {"class": "chart-hidden", "fill": "none", "stroke": BAR_FILL}
    attrs |= {"stroke-width": 1, "stroke-dasharray": HIDDEN_DASHES}
    return _tag("rect", attrs, None if tooltip is None else _tag("title", {}, tooltip))


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def _value_ticks(highest: int) -> list[int]:
    """Round tick values from 0 to at least ``highest``: three to five of them."""
    highest = max(highest, 1)
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            steps = max(2, math.ceil(highest / step))
            if steps <= 4:
                return [step * index for index in range(steps + 1)]
        magnitude *= 10


def _shorten(label: str) -> str:
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1].rstrip() + "…"


def _value_text(point: DayValue | BarValue, text: ChartText) -> str:
    if point.value is None:
        return text.hidden_text
    return point.shown or str(point.value)


def _month_starts(step: int) -> Callable[[date], bool]:
    return lambda day: day.day == 1 and (day.month - 1) % step == 0


# Calendar ticks for long series, densest first: the 1st and 16th, then month starts.
_CALENDAR_TICKS: tuple[Callable[[date], bool], ...] = (
    lambda day: day.day in (1, 16),
    *(_month_starts(step) for step in (1, 2, 3, 4, 6, 12)),
)


def _day_tick_indexes(days: Sequence[date]) -> list[int]:
    """Which days get a tick label: every day, every other day or about six of them."""
    count = len(days)
    if count <= MAX_X_TICKS:
        return list(range(count))
    if count <= 14:
        return list(range(0, count, 2))
    if count > 60:
        for keep in _CALENDAR_TICKS:
            chosen = [index for index, day in enumerate(days) if keep(day)]
            if len(chosen) <= MAX_X_TICKS:
                if len(chosen) >= 3:
                    return chosen
                break
    return sorted({round(part * (count - 1) / 5) for part in range(6)})


def _figure(
    chart_id: str,
    text: ChartText,
    height: float,
    body: Markup,
    rows: Sequence[tuple[str, str]],
) -> Markup:
    """The figure: caption, the SVG picture around ``body``, and the folded-away table."""
    svg_attrs: dict[str, str | float] = {
        "viewBox": f"0 0 {WIDTH} {_num(height)}",
        "role": "img",
        "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
        "preserveAspectRatio": "xMidYMid meet",
        "class": "chart-svg",
        "xmlns": "http://www.w3.org/2000/svg",
    }
    title = _tag("title", {"id": f"{chart_id}-title"}, text.title)
    desc = _tag("desc", {"id": f"{chart_id}-desc"}, text.description)
    svg = _tag("svg", svg_attrs, _join(title, desc, body))

    columns = _join(*(_tag("th", {"scope": "col"}, name) for name in (text.x_label, text.y_label)))
    body_rows = _join(
        *(
            _tag("tr", {}, _tag("th", {"scope": "row"}, name) + _tag("td", {}, value))
            for name, value in rows
        )
    )
    table = _tag(
        "table",
        {"class": "figures"},
        _join(
            _tag("caption", {}, text.table_caption),
            _tag("thead", {}, _tag("tr", {}, columns)),
            _tag("tbody", {}, body_rows),
        ),
    )
    details = _tag(
        "details",
        {"class": "chart-table"},
        _join(
            _tag("summary", {}, text.show_table),
            _tag("div", {"class": "table-scroll"}, table),
        ),
    )
    return _tag(
        "figure",
        {"class": "chart", "id": chart_id},
        _join(_tag("figcaption", {}, text.title), svg, details),
    )


def daily_chart(
    chart_id: str,
    text: ChartText,
    points: Sequence[DayValue],
    format_day: Callable[[date], str],
    format_tick: Callable[[date], str],
) -> Markup:
    """A vertical bar per day, oldest first, with the figures as a table below it."""
    points = sorted(points, key=lambda point: point.day)
    ticks = _value_ticks(max((p.value for p in points if p.value is not None), default=0))
    left = _text_width(str(ticks[-1])) + 16
    right = 16
    plot_width = WIDTH - left - right
    base = PLOT_TOP + PLOT_HEIGHT
    hidden = any(point.value is None for point in points)
    height = base + 72 + (32 if hidden else 0)

    parts: list[Markup] = [_text(8, 24, text.y_label, _AXIS_LABEL)]
    for tick in ticks:
        y = base - tick / ticks[-1] * PLOT_HEIGHT
        parts.append(_line(left, y, WIDTH - right, y, "chart-grid", GRID_STROKE))
        parts.append(_text(left - 8, y + 5, str(tick), _TICK_Y, "end"))

    slot = plot_width / max(len(points), 1)
    bar_width = min(slot * 0.8 if slot >= 4 else slot, MAX_DAY_BAR)
    for index, point in enumerate(points):
        x = left + index * slot + (slot - bar_width) / 2
        tooltip = f"{format_day(point.day)}: {_value_text(point, text)}"
        if point.value is None:
            parts.append(_stub(x, base - HIDDEN_STUB, bar_width, HIDDEN_STUB, tooltip))
        else:
            bar_height = max(point.value, 0) / ticks[-1] * PLOT_HEIGHT
            parts.append(_bar(x, base - bar_height, bar_width, bar_height, tooltip))

    parts += _day_ticks([point.day for point in points], format_tick, left, slot, base)
    parts.append(_line(left, PLOT_TOP, left, base, "chart-axis", AXIS_STROKE))
    parts.append(_line(left, base, WIDTH - right, base, "chart-axis", AXIS_STROKE))
    parts.append(_text(left + plot_width / 2, base + 56, text.x_label, _AXIS_LABEL, "middle"))
    if hidden:
        parts.append(_stub(left, base + 74, 14, 14, None))
        parts.append(_text(left + 22, base + 86, text.hidden_text, "chart-label chart-legend"))

    rows = [(format_day(point.day), _value_text(point, text)) for point in points]
    return _figure(chart_id, text, height, _join(*parts), rows)


def _day_ticks(
    days: Sequence[date], format_tick: Callable[[date], str], left: float, slot: float, base: float
) -> list[Markup]:
    """Tick marks and labels under the days chosen, thinned out until the labels fit."""
    indexes = _day_tick_indexes(days)
    labels = {index: format_tick(days[index]) for index in indexes}
    widest = max((_text_width(label) for label in labels.values()), default=0)
    while len(indexes) > 1 and min(b - a for a, b in pairwise(indexes)) * slot < widest + 8:
        indexes = indexes[::2]
    parts: list[Markup] = []
    # A label pushed inwards at either edge may still run into its neighbour: skip it then.
    placed_until = float("-inf")
    for index in indexes:
        x = left + (index + 0.5) * slot
        label_width = _text_width(labels[index])
        anchor, start = "middle", x - label_width / 2
        if start < 0:
            anchor, start = "start", x
        elif x + label_width / 2 > WIDTH:
            anchor, start = "end", x - label_width
        if start < placed_until + 8:
            continue
        placed_until = start + label_width
        parts.append(_line(x, base, x, base + 6, "chart-axis", AXIS_STROKE))
        parts.append(_text(x, base + 24, labels[index], _TICK_X, anchor))
    return parts


def bar_chart(chart_id: str, text: ChartText, bars: Sequence[BarValue]) -> Markup:
    """A horizontal bar per label, in the order given, each with its label above it and its
    value at its end; the figures, with the labels in full, as a table below it."""
    ticks = _value_ticks(max((bar.value for bar in bars if bar.value is not None), default=0))
    value_texts = [_value_text(bar, text) for bar in bars]
    left = 12
    # Room on the right for the value printed past the longest bar, and for the last tick.
    right = max([_text_width(value) + 12 for value in value_texts] + [_text_width(str(ticks[-1]))])
    plot_width = WIDTH - left - right
    top = 36
    base = top + max(len(bars), 1) * ROW_HEIGHT
    height = base + 64

    parts: list[Markup] = [_text(left, 22, text.x_label, _AXIS_LABEL)]
    for tick in ticks:
        x = left + tick / ticks[-1] * plot_width
        parts.append(_line(x, top, x, base, "chart-grid", GRID_STROKE))
        parts.append(_line(x, base, x, base + 6, "chart-axis", AXIS_STROKE))
        parts.append(_text(x, base + 24, str(tick), _TICK_X, "middle"))

    for index, (bar, value_text) in enumerate(zip(bars, value_texts, strict=True)):
        row = top + index * ROW_HEIGHT
        name = _shorten(bar.label)
        parts.append(_text(left + 4, row + ROW_LABEL, name, "chart-label chart-bar-label"))
        tooltip = f"{_ISOLATE}{bar.label}{_END_ISOLATE}: {value_text}"
        if bar.value is None:
            length = float(HIDDEN_STUB)
            parts.append(_stub(left, row + ROW_BAR, length, BAR_THICKNESS, tooltip))
        else:
            length = max(bar.value, 0) / ticks[-1] * plot_width
            parts.append(_bar(left, row + ROW_BAR, length, BAR_THICKNESS, tooltip))
        parts.append(_text(left + length + 6, row + ROW_BAR + 14, value_text, "chart-value"))

    parts.append(_line(left, top, left, base, "chart-axis", AXIS_STROKE))
    parts.append(_line(left, base, left + plot_width, base, "chart-axis", AXIS_STROKE))
    parts.append(_text(left + plot_width / 2, base + 52, text.y_label, _AXIS_LABEL, "middle"))
    rows = [(bar.label, value) for bar, value in zip(bars, value_texts, strict=True)]
    return _figure(chart_id, text, height, _join(*parts), rows)
