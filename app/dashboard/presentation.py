"""The dashboard's charts, drawn from the same figures as its tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from app.dashboard import charts
from app.dashboard.figures import SERIES, Dashboard
from app.dashboard.privacy import HIDDEN_TEXT
from app.dashboard.tables import COUNT_LABELS, SERIES_LABELS, period_text

# Groups compared side by side in charts (the per-group table has every figure).
GROUP_CHARTS = ("members", "stories", "reads", "replies")


@dataclass(frozen=True)
class Charts:
    daily: list[Markup]
    groups: list[Markup]


def _day(day: date) -> str:
    return str(format_date(day, "medium"))


def _tick(day: date) -> str:
    return str(format_date(day, "d MMM"))


def _text(title: str, description: str, x_label: str) -> charts.ChartText:
    return charts.ChartText(
        title=title,
        description=description,
        x_label=x_label,
        y_label=_("Aantal"),
        table_caption=_("%(title)s, als tabel", title=title),
        show_table=_("Toon als tabel"),
        hidden_text=HIDDEN_TEXT,
    )


def daily(board: Dashboard) -> list[Markup]:
    """One chart per series: the count on each day of the period."""
    period = board.choice.period
    span = period_text(period.since, period.until)
    drawn = []
    # Formatting a date is slow enough to matter for 5 charts of 365 days: once per day.
    day_texts = {day: _day(day) for day, _shown in board.series[SERIES[0]]}
    for key in SERIES:
        title = _("%(figure)s per dag", figure=SERIES_LABELS[key])
        points = [charts.DayValue(day, shown.value, shown.text) for day, shown in board.series[key]]
        description = _("%(figure)s per dag, %(period)s.", figure=SERIES_LABELS[key], period=span)
        drawn.append(
            charts.daily_chart(
                f"grafiek-dag-{key}",
                _text(title, description, _("Dag")),
                points,
                day_texts.__getitem__,
                _tick,
            )
        )
    return drawn


def groups(board: Dashboard) -> list[Markup]:
    """Groups compared on a few counts; nothing to compare for a single group."""
    if len(board.groups) < 2:
        return []
    by_group = board.current.by_group
    drawn = []
    for key in GROUP_CHARTS:
        title = _("%(figure)s per groep", figure=COUNT_LABELS[key])
        shown = [(group.name, by_group[group.id][key]) for group in board.groups]
        bars = [charts.BarValue(name, value.value, value.text) for name, value in shown]
        description = _("%(figure)s per groep in deze periode.", figure=COUNT_LABELS[key])
        drawn.append(
            charts.bar_chart(f"grafiek-groep-{key}", _text(title, description, _("Groep")), bars)
        )
    return drawn


def charts_for(board: Dashboard) -> Charts:
    """Every chart of the dashboard."""
    return Charts(daily(board), groups(board))
