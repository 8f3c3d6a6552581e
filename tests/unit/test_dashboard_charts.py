"""The dashboard's SVG charts: well-formed, accessible, escaped, and never giving away a
hidden count."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from app.dashboard.charts import BarValue, ChartText, DayValue, bar_chart, daily_chart

SVG = "{http://www.w3.org/2000/svg}"
TEXT = ChartText(
    title="Verhalen per dag",
    description="Aantal verhalen per dag van 1 tot 31 december 2026.",
    x_label="Dag",
    y_label="Aantal",
    table_caption="Verhalen per dag, als tabel",
    show_table="Toon als tabel",
)
HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    'Tom & Jerry\'s "groep"',
    "Lotgenoten 😀👩‍👩‍👧 samen",
    "\u202eegnarts\u202c en \u05e9\u05dc\u05d5\u05dd",
    "]]><!-- --></svg>",
]


def fmt_day(day: date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


def fmt_tick(day: date) -> str:
    return f"{day.day}/{day.month}"


def days(values: list[int | None], start: date = date(2026, 12, 1)) -> list[DayValue]:
    return [DayValue(start + timedelta(days=i), value) for i, value in enumerate(values)]


def daily(values: list[int | None], start: date = date(2026, 12, 1)) -> Markup:
    return daily_chart("verhalen", TEXT, days(values, start), fmt_day, fmt_tick)


def parse(markup: Markup) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 - our own output, no entities


def svg_of(figure: ET.Element) -> ET.Element:
    svg = figure.find(f"{SVG}svg")
    assert svg is not None
    return svg


def with_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [el for el in root.iter() if name in (el.get("class") or "").split()]


def texts(root: ET.Element, name: str) -> list[str]:
    return ["".join(el.itertext()) for el in with_class(root, name)]


def table_rows(figure: ET.Element) -> list[tuple[str, str]]:
    rows = []
    for tr in figure.iter("tr"):
        th, td = tr.find("th"), tr.find("td")
        if td is not None and th is not None:
            assert th.get("scope") == "row"
            rows.append(("".join(th.itertext()), "".join(td.itertext())))
    return rows


def size(rect: ET.Element, attribute: str) -> float:
    return float(rect.get(attribute, "nan"))


def test_the_figure_is_well_formed_xml_with_caption_picture_and_folded_table() -> None:
    figure = parse(daily([1, 2, 3]))

    assert figure.tag == "figure"
    assert figure.get("id") == "verhalen"
    assert figure.get("class") == "chart"
    assert [child.tag for child in figure] == ["figcaption", f"{SVG}svg", "details"]
    assert figure.findtext("figcaption") == "Verhalen per dag"
    details = figure.find("details")
    assert details is not None
    assert details.get("class") == "chart-table"
    assert details.findtext("summary") == "Toon als tabel"
    assert details.findtext("div/table/caption") == "Verhalen per dag, als tabel"
    assert [th.text for th in figure.iter("th") if th.get("scope") == "col"] == ["Dag", "Aantal"]


@pytest.mark.parametrize(
    "markup",
    [
        daily_chart("verhalen", TEXT, days([4, 7]), fmt_day, fmt_tick),
        bar_chart("groepen", TEXT, [BarValue("Groep", 4)]),
    ],
    ids=["daily", "bars"],
)
def test_the_picture_is_named_by_its_title_and_description(markup: Markup) -> None:
    svg = svg_of(parse(markup))
    title, desc = svg[0], svg[1]

    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby", "").split() == [title.get("id"), desc.get("id")]
    assert title.tag == f"{SVG}title" and title.text == "Verhalen per dag"
    assert desc.tag == f"{SVG}desc" and desc.text == TEXT.description
    assert re.fullmatch(r"0 0 480 \d+(\.\d)?", svg.get("viewBox", ""))


def test_every_day_is_a_table_row_with_its_formatted_day_and_value() -> None:
    figure = parse(daily([3, 0, 12, None, 7]))

    assert table_rows(figure) == [
        ("1-12-2026", "3"),
        ("2-12-2026", "0"),
        ("3-12-2026", "12"),
        ("4-12-2026", "< 5"),
        ("5-12-2026", "7"),
    ]


def test_each_day_bar_tells_its_day_and_value_to_mouse_users() -> None:
    svg = svg_of(parse(daily([3, None])))

    bar, stub = with_class(svg, "chart-bar")[0], with_class(svg, "chart-hidden")[0]
    assert bar.findtext(f"{SVG}title") == "1-12-2026: 3"
    assert stub.findtext(f"{SVG}title") == "2-12-2026: < 5"


def test_a_hidden_day_is_a_dashed_stub_of_fixed_size_left_out_of_the_scale() -> None:
    small = svg_of(parse(daily([1, None, 3])))
    large = svg_of(parse(daily([1000, None, 3000])))

    assert texts(small, "chart-tick-y") == ["0", "1", "2", "3"]
    stubs = [with_class(svg, "chart-hidden")[0] for svg in (small, large)]
    for stub in stubs:
        assert stub.get("fill") == "none"
        assert stub.get("stroke-dasharray")
    # The stub's size does not follow the scale, so it cannot be read as a number.
    assert [(stub.get("y"), stub.get("height")) for stub in stubs] == [("270", "10")] * 2
    assert len(with_class(small, "chart-bar")) == 2
    assert "< 5" in texts(small, "chart-legend")


def test_a_hidden_bar_shows_the_hidden_text_and_a_stub_whatever_the_scale() -> None:
    text = replace(TEXT, hidden_text="verborgen")
    small = parse(bar_chart("g", text, [BarValue("Open", 2), BarValue("Dicht", None)]))
    large = parse(bar_chart("g", text, [BarValue("Open", 4000), BarValue("Dicht", None)]))

    for figure in (small, large):
        assert texts(svg_of(figure), "chart-value")[1] == "verborgen"
        assert table_rows(figure)[1] == ("Dicht", "verborgen")
    stubs = [with_class(svg_of(figure), "chart-hidden")[0] for figure in (small, large)]
    assert stubs[0].attrib == stubs[1].attrib
    assert stubs[0].get("fill") == "none"
    assert texts(svg_of(small), "chart-tick-x") == ["0", "1", "2"]


def test_only_hidden_values_render_with_a_small_empty_scale() -> None:
    svg = svg_of(parse(daily([None, None])))

    assert texts(svg, "chart-tick-y") == ["0", "1", "2"]
    assert with_class(svg, "chart-bar") == []
    assert len(with_class(svg, "chart-hidden")) == 3  # two stubs and the legend's swatch


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_labels_are_escaped_and_kept_whole_in_the_table(label: str) -> None:
    markup = bar_chart("groepen", TEXT, [BarValue(label, 9), BarValue("Gewoon", 3)])
    figure = parse(markup)

    assert "<script" not in markup and "<img" not in markup and "<!--" not in markup
    assert table_rows(figure)[0] == (label, "9")
    shown = texts(svg_of(figure), "chart-bar-label")[0]
    assert shown == label or (shown.endswith("…") and label.startswith(shown[:-1]))
    harmless = parse(bar_chart("groepen", TEXT, [BarValue("Harmless", 9), BarValue("Gewoon", 3)]))
    assert len(list(figure.iter())) == len(list(harmless.iter()))


def test_hostile_chart_text_is_escaped_too() -> None:
    hostile = ChartText(*HOSTILE)
    markup = daily_chart('x"><script>', hostile, days([1, None]), str, str)
    figure = parse(markup)

    assert "<script" not in markup
    assert figure.get("id") == 'x"><script>'
    assert figure.findtext("figcaption") == HOSTILE[0]
    assert texts(svg_of(figure), "chart-legend") == ["< 5"]


def test_a_right_to_left_label_cannot_reorder_the_value_in_its_tooltip() -> None:
    svg = svg_of(parse(bar_chart("g", TEXT, [BarValue("\u202eabc", 7)])))

    assert with_class(svg, "chart-bar")[0].findtext(f"{SVG}title") == "\u2068\u202eabc\u2069: 7"


@given(st.text(max_size=60))
def test_any_label_at_all_leaves_the_figure_well_formed(label: str) -> None:
    figure = parse(bar_chart("g", TEXT, [BarValue(label, 5), BarValue(label, None)]))

    assert len(table_rows(figure)) == 2
    assert len(with_class(svg_of(figure), "chart-bar")) == 1


def test_a_year_of_days_gets_at_most_seven_readable_tick_labels() -> None:
    values: list[int | None] = [i % 40 for i in range(366)]
    labels = texts(svg_of(parse(daily(values, date(2026, 1, 1)))), "chart-tick-x")

    assert 3 <= len(labels) <= 7
    assert all(label.startswith("1/") for label in labels)  # first days of months


@pytest.mark.parametrize("count", [15, 30, 61, 90, 200, 400, 1100])
def test_longer_series_get_three_to_seven_tick_labels(count: int) -> None:
    ticks = with_class(svg_of(parse(daily([1] * count))), "chart-tick-x")
    places = [size(tick, "x") for tick in ticks]

    assert 3 <= len(ticks) <= 7
    assert places == sorted(set(places))


def test_three_days_label_each_day() -> None:
    svg = svg_of(parse(daily([5, 6, 7])))

    assert texts(svg, "chart-tick-x") == ["1/12", "2/12", "3/12"]


def test_two_weeks_label_every_other_day() -> None:
    labels = texts(svg_of(parse(daily([5] * 14))), "chart-tick-x")

    assert labels == ["1/12", "3/12", "5/12", "7/12", "9/12", "11/12", "13/12"]


def test_eleven_hundred_days_still_draw_every_day_inside_the_picture() -> None:
    svg = svg_of(parse(daily([i % 7 for i in range(1100)], date(2025, 1, 1))))
    bars = with_class(svg, "chart-bar")

    assert len(bars) == 1100
    assert all(0 < size(bar, "x") and size(bar, "x") + size(bar, "width") <= 480 for bar in bars)


@pytest.mark.parametrize(
    "markup",
    [
        daily([]),
        daily([0, 0, 0]),
        bar_chart("g", TEXT, []),
        bar_chart("g", TEXT, [BarValue("Leeg", 0), BarValue("Ook leeg", 0)]),
    ],
    ids=["no days", "zero days", "no bars", "zero bars"],
)
def test_empty_and_all_zero_input_render_an_axis_from_zero(markup: Markup) -> None:
    figure = parse(markup)
    svg = svg_of(figure)

    assert "nan" not in markup and "inf" not in markup
    ticks = texts(svg, "chart-tick-y") or texts(svg, "chart-tick-x")
    assert ticks[0] == "0" and len(ticks) >= 3
    bars = with_class(svg, "chart-bar")
    assert all(size(bar, "height") == 0 or size(bar, "width") == 0 for bar in bars)


def test_empty_input_leaves_the_table_body_empty() -> None:
    tbody = parse(daily([])).find("details/div/table/tbody")

    assert tbody is not None and len(tbody) == 0


def test_a_day_twice_as_busy_gets_a_bar_twice_as_tall() -> None:
    bars = with_class(svg_of(parse(daily([10, 20, 5]))), "chart-bar")
    heights = [size(bar, "height") for bar in bars]

    assert heights[1] == pytest.approx(2 * heights[0], abs=0.2)
    assert heights[0] == pytest.approx(2 * heights[2], abs=0.2)
    assert len({size(bar, "y") + size(bar, "height") for bar in bars}) == 1  # one baseline


def test_a_group_twice_as_busy_gets_a_bar_twice_as_long() -> None:
    bars = [BarValue("Een", 13), BarValue("Twee", 26), BarValue("Drie", 39)]
    rects = with_class(svg_of(parse(bar_chart("g", TEXT, bars))), "chart-bar")
    widths = [size(rect, "width") for rect in rects]

    assert widths[1] == pytest.approx(2 * widths[0], abs=0.2)
    assert widths[2] == pytest.approx(3 * widths[0], abs=0.2)
    assert texts(svg_of(parse(bar_chart("g", TEXT, bars))), "chart-value") == ["13", "26", "39"]


def test_more_bars_make_a_taller_picture() -> None:
    def height(count: int) -> float:
        figure = parse(bar_chart("g", TEXT, [BarValue(f"G{i}", i) for i in range(count)]))
        return float(svg_of(figure).get("viewBox", "").split()[3])

    assert height(1) < height(10) < height(60)


def test_long_labels_are_shortened_in_the_picture_but_whole_in_the_table() -> None:
    label = "Nabestaanden van slachtoffers van verkeersongevallen in Noord-Holland"
    figure = parse(bar_chart("g", TEXT, [BarValue(label, 8), BarValue("Kort", 2)]))
    shown = texts(svg_of(figure), "chart-bar-label")

    assert len(shown[0]) <= 28 and shown[0].endswith("…")
    assert label.startswith(shown[0][:-1])
    assert shown[1] == "Kort"
    assert table_rows(figure)[0] == (label, "8")


@pytest.mark.parametrize("highest", [1, 3, 4, 5, 7, 9, 11, 19, 21, 99, 101, 999, 12345])
def test_the_value_axis_has_three_to_five_round_ticks_covering_the_highest(highest: int) -> None:
    ticks = [int(t) for t in texts(svg_of(parse(daily([highest, 0]))), "chart-tick-y")]
    step = ticks[1]

    assert 3 <= len(ticks) <= 5
    assert ticks == [step * i for i in range(len(ticks))]
    assert highest <= ticks[-1] < 2 * highest or ticks[-1] == 2
    assert re.fullmatch(r"[125]0*", str(step))


@pytest.mark.parametrize(
    "markup",
    [
        daily([3, None, 17, 0] * 100),
        bar_chart("g", TEXT, [BarValue(label, i) for i, label in enumerate(HOSTILE)]),
        bar_chart("g", TEXT, [BarValue("Verborgen", None)]),
    ],
    ids=["daily", "bars", "hidden bar"],
)
def test_the_output_has_no_inline_style_script_or_outside_address(markup: Markup) -> None:
    assert "style=" not in markup
    assert "<script" not in markup.lower()
    assert re.findall(r"https?://[^\s\"']*", markup) == ["http://www.w3.org/2000/svg"]
    assert "&nbsp;" not in markup


def test_numbers_in_the_picture_have_at_most_one_decimal() -> None:
    svg = svg_of(parse(daily([i % 13 for i in range(97)])))
    numbers = [
        value
        for element in svg.iter()
        for key, value in element.attrib.items()
        if key in {"x", "y", "x1", "x2", "y1", "y2", "width", "height"}
    ]

    assert numbers and all(re.fullmatch(r"-?\d+(\.\d)?", number) for number in numbers)
