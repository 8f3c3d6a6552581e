"""The dashboard's tables as text, the one source for both the page and the CSV files, so that
a download always says what the page says."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import format_date, format_timedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.dashboard.figures import COUNTS, SERIES, Dashboard, Figures, Response, Share
from app.dashboard.privacy import Shown

DASH = "–"

COUNT_LABELS = {
    "members": _l("Leden"),
    "new_members": _l("Nieuwe leden"),
    "active_members": _l("Actieve leden"),
    "join_requests": _l("Aanvragen om lid te worden"),
    "stories": _l("Verhalen gedeeld"),
    "reads": _l("Verhalen gelezen"),
    "replies": _l("Reacties"),
    "reactions": _l("Steunbetuigingen"),
    "items": _l("Binnengekomen bij moderatie"),
    "decisions": _l("Besluiten van moderatoren"),
}
SERIES_LABELS = {
    "stories": _l("Verhalen gedeeld"),
    "replies": _l("Reacties"),
    "reactions": _l("Steunbetuigingen"),
    "reads": _l("Verhalen gelezen"),
    "joins": _l("Lid geworden van een groep"),
}


@dataclass(frozen=True)
class Table:
    """A table with a name for its CSV file, a caption, column headers and text rows; the
    first cell of each row heads the row."""

    name: str
    caption: str
    header: list[str]
    rows: list[list[str]]


def percent(value: float | None) -> str:
    """83% (rounded), or a dash."""
    return DASH if value is None else f"{round(value * 100)}%"


def duration(span: timedelta | None) -> str:
    """A response time such as "3 uur", or a dash."""
    return DASH if span is None else str(format_timedelta(span, granularity="minute", threshold=1))


def count_change(now: Shown, before: Shown) -> str:
    """ "12 meer (8%)", "3 minder (20%)", "gelijk"; a dash when either side is hidden. In words,
    not signs: plainer to read, and a spreadsheet never takes "+12" for a formula."""
    if now.value is None or before.value is None:
        return DASH
    difference = now.value - before.value
    if not difference:
        return _("gelijk")
    approx = "≈ " if now.approximate or before.approximate else ""
    amount = abs(difference)
    if before.value:
        share = round(amount / before.value * 100)
        if difference > 0:
            return approx + _("%(amount)d meer (%(share)d%%)", amount=amount, share=share)
        return approx + _("%(amount)d minder (%(share)d%%)", amount=amount, share=share)
    return approx + _("%(amount)d meer", amount=amount)


def share_change(now: float | None, before: float | None) -> str:
    """The change of a share in percentage points."""
    if now is None or before is None:
        return DASH
    points = round(now * 100) - round(before * 100)
    if not points:
        return _("gelijk")
    if points > 0:
        return _("%(points)d procentpunt hoger", points=points)
    return _("%(points)d procentpunt lager", points=-points)


def duration_change(now: timedelta | None, before: timedelta | None) -> str:
    """How much longer or shorter a response time became."""
    if now is None or before is None:
        return DASH
    difference = now - before
    if abs(difference) < timedelta(minutes=1):
        return _("gelijk")
    if difference > timedelta(0):
        return _("%(time)s langer", time=duration(difference))
    return _("%(time)s korter", time=duration(-difference))


def _response_rows(now: Response | None, before: Response | None) -> list[list[str]]:
    empty = Response(0, None, None, None)
    now, before = now or empty, before or empty
    rows: list[tuple[str, Callable[[Response], object], Callable[..., str], Callable[..., str]]] = [
        (_("Binnen de tijd beantwoord"), lambda r: r.within_target, percent, share_change),
        (_("Mediaan tot eerste reactie"), lambda r: r.median, duration, duration_change),
        (_("90% beantwoord binnen"), lambda r: r.p90, duration, duration_change),
    ]
    return [
        [label, show(pick(now)), show(pick(before)), change(pick(now), pick(before))]
        for label, pick, show, change in rows
    ]


def key_figures(board: Dashboard) -> Table:
    """Each figure for the period, the period before, and the change."""
    now, before = board.current, board.previous
    rows = [
        [
            str(COUNT_LABELS[key]),
            now.totals[key].text,
            before.totals[key].text,
            count_change(now.totals[key], before.totals[key]),
        ]
        for key in COUNTS
    ]
    rows[8:8] = _response_rows(now.response, before.response)
    share_now = now.anonymous.value if now.anonymous else None
    share_before = before.anonymous.value if before.anonymous else None
    rows.append(
        [
            _("Anoniem geplaatst"),
            percent(share_now),
            percent(share_before),
            share_change(share_now, share_before),
        ]
    )
    return Table(
        "kerncijfers",
        _("Kerncijfers"),
        [_("Cijfer"), _("Deze periode"), _("Vorige periode"), _("Verschil")],
        rows,
    )


def day_text(day: date) -> str:
    """A day as the tables show it: 2026-12-01 (sortable in a spreadsheet too)."""
    return day.isoformat()


def per_day(board: Dashboard) -> Table:
    """One row per day of the period, one column per series."""
    days = [day for day, _shown in board.series[SERIES[0]]]
    rows = [
        [day_text(day), *(board.series[key][index][1].text for key in SERIES)]
        for index, day in enumerate(days)
    ]
    return Table(
        "per-dag",
        _("Per dag"),
        [_("Dag"), *(str(SERIES_LABELS[key]) for key in SERIES)],
        rows,
    )


def _group_row(figures: Figures, group_id: int) -> list[str]:
    counted = figures.by_group.get(group_id, {})
    response = figures.response_by_group.get(group_id, Response(0, None, None, None))
    share = figures.anonymous_by_group.get(group_id, Share(0, 0, None))
    return [
        *(counted[key].text if key in counted else "0" for key in COUNTS),
        percent(response.within_target),
        duration(response.median),
        duration(response.p90),
        percent(share.value),
    ]


def per_group(board: Dashboard) -> Table:
    """The chosen groups side by side, with every group together at the bottom."""
    now = board.current
    rows = [[group.name, *_group_row(now, group.id)] for group in board.groups]
    response = now.response or Response(0, None, None, None)
    rows.append(
        [
            _("Alle gekozen groepen samen"),
            *(now.totals[key].text for key in COUNTS),
            percent(response.within_target),
            duration(response.median),
            duration(response.p90),
            percent(now.anonymous.value if now.anonymous else None),
        ]
    )
    return Table(
        "per-groep",
        _("Per groep"),
        [
            _("Groep"),
            *(str(COUNT_LABELS[key]) for key in COUNTS),
            _("Binnen de tijd beantwoord"),
            _("Mediaan tot eerste reactie"),
            _("90% beantwoord binnen"),
            _("Anoniem geplaatst"),
        ],
        rows,
    )


def all_tables(board: Dashboard) -> dict[str, Table]:
    """Every table of the dashboard by its CSV name."""
    tables = (key_figures(board), per_day(board), per_group(board))
    return {table.name: table for table in tables}


def period_text(since: date, until: date) -> str:
    """ "1 dec. 2026 – 31 dec. 2026" in the reader's language."""
    if since == until:
        return str(format_date(since, "medium"))
    return f"{format_date(since, 'medium')} – {format_date(until, 'medium')}"
