"""Geometry for the server-rendered SVG charts (the templates draw them; no JavaScript).

Every chart also has a data table in the page, so the SVG is an illustration of the numbers,
not the only way to read them.
"""

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 20, 44


@dataclass
class Point:
    x: float
    y: float
    label: str


@dataclass
class Tick:
    position: float
    label: str
    anchor: str = "middle"


@dataclass
class LineChart:
    title: str
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    points: list[Point] = field(default_factory=list)
    polyline: str = ""
    target_y: float | None = None
    baseline_y: float | None = None
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.points


def number(value) -> str:
    """A measured value as people write it: 6.1, 150, 12.25 (localised)."""
    value = Decimal(value)
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return number_format(value, use_l10n=True)


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (about ``count`` of them)."""
    if high == low:
        low, high = low - 1, high + 1
    raw = (high - low) / (count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(s * magnitude for s in (1, 2, 2.5, 5, 10) if s * magnitude >= raw)
    value = math.floor(low / step) * step
    ticks = []
    while value < high + step and len(ticks) < 12:
        ticks.append(round(value, 6))
        if value >= high:
            break
        value += step
    return ticks


def indicator_chart(indicator, measurements) -> LineChart:
    """A line of measured values over time, with the baseline and the target as lines."""
    unit = f" {indicator.unit}" if indicator.unit else ""
    series = [(m.date, Decimal(m.value)) for m in measurements]
    baseline = Decimal(indicator.baseline)
    target = Decimal(indicator.target)
    if indicator.baseline_date:
        series = [(indicator.baseline_date, baseline)] + [
            item for item in series if item[0] > indicator.baseline_date
        ]
    latest = series[-1][1] if series else None
    description = _("Baseline %(baseline)s, target %(target)s%(by)s.") % {
        "baseline": f"{number(baseline)}{unit}", "target": f"{number(target)}{unit}",
        "by": (" " + _("by %(date)s") % {"date": date_format(indicator.target_date)})
        if indicator.target_date else "",
    }
    if latest is not None:
        description += " " + _("Latest value %(value)s on %(date)s.") % {
            "value": f"{number(latest)}{unit}", "date": date_format(series[-1][0])}
    else:
        description += " " + _("No measurement yet.")
    chart = LineChart(title=f"{indicator.name}{' (' + indicator.unit + ')' if indicator.unit else ''}",
                      description=description)
    if not series:
        return chart

    values = [float(v) for _, v in series] + [float(baseline), float(target)]
    ticks = _nice_ticks(min(values), max(values))
    low, high = ticks[0], ticks[-1]
    dates = [d for d, _ in series] + ([indicator.target_date] if indicator.target_date else [])
    first, last = min(dates), max(dates)
    days = max((last - first).days, 1)

    def x_of(day: date) -> float:
        return round(chart.left + (day - first).days / days * (chart.right - chart.left), 1)

    def y_of(value: float) -> float:
        return round(chart.bottom - (value - low) / (high - low) * (chart.bottom - chart.top), 1)

    if len(series) == 1:
        chart.points = [Point((chart.left + chart.right) / 2, y_of(float(series[0][1])),
                              f"{date_format(series[0][0])}: {number(series[0][1])}{unit}")]
    else:
        chart.points = [Point(x_of(d), y_of(float(v)), f"{date_format(d)}: {number(v)}{unit}")
                        for d, v in series]
    chart.polyline = " ".join(f"{p.x},{p.y}" for p in chart.points)
    chart.target_y = y_of(float(target))
    chart.baseline_y = y_of(float(baseline))
    chart.y_ticks = [Tick(y_of(t), number(Decimal(str(t)))) for t in ticks]
    chart.x_ticks = [Tick(x_of(first), date_format(first, "M Y"), "start"),
                     Tick(x_of(last), date_format(last, "M Y"), "end")] if first != last else [
        Tick((chart.left + chart.right) / 2, date_format(first, "M Y"))]
    return chart


@dataclass
class Bar:
    y: float
    width: float
    label: str
    value_label: str
    missing: bool = False


@dataclass
class BarChart:
    title: str
    description: str
    bars: list[Bar]
    width: int = WIDTH
    label_width: int = 150
    row: int = 34
    target_x: float = 0
    # Labels over the bars rather than beside them: long names on a narrow chart (a phone).
    label_above: bool = False

    @property
    def height(self) -> int:
        return self.row * len(self.bars) + 30

    @property
    def plot_width(self) -> int:
        return self.width - self.label_width - 70


def comparison_chart(name: str, rows) -> BarChart:
    """Horizontal bars: each city's progress from its baseline towards its target (0-100 %)."""
    chart = BarChart(
        title=_("%(name)s: progress towards each city's target") % {"name": name},
        description="; ".join(
            f"{row.city_name}: "
            + (f"{row.progress} %" if row.progress is not None else _("no measurement yet"))
            for row in rows
        ),
        bars=[],
    )
    for index, row in enumerate(rows):
        progress = row.progress if row.progress is not None else 0
        chart.bars.append(Bar(
            y=index * chart.row + 8,
            width=round(progress / 100 * chart.plot_width, 1),
            label=row.city_name,
            value_label=f"{row.progress} %" if row.progress is not None else _("no data"),
            missing=row.progress is None,
        ))
    chart.target_x = chart.label_width + chart.plot_width
    return chart


PILOT_LABEL_CHARACTERS = 48


def pilot_indicators_chart(title: str, indicators) -> BarChart:
    """Horizontal bars for a pilot's indicators: how far each is from its baseline towards its
    target (0-100 %). Narrow, with the names over the bars, so it reads on a 360 px phone.
    ``indicators`` carry ``progress`` (None when baseline, target or value is missing)."""
    chart = BarChart(
        title=title,
        description="; ".join(
            f"{indicator.name}: "
            + (f"{indicator.progress} %" if indicator.progress is not None else _("no data"))
            for indicator in indicators
        ),
        bars=[], width=360, label_width=0, row=50, label_above=True,
    )
    for index, indicator in enumerate(indicators):
        progress = indicator.progress if indicator.progress is not None else 0
        name = indicator.name
        if len(name) > PILOT_LABEL_CHARACTERS:
            name = name[:PILOT_LABEL_CHARACTERS - 1].rstrip() + "…"
        chart.bars.append(Bar(
            y=index * chart.row + 22,
            width=round(progress / 100 * chart.plot_width, 1),
            label=name,
            value_label=f"{indicator.progress} %" if indicator.progress is not None else _("no data"),
            missing=indicator.progress is None,
        ))
    chart.target_x = chart.label_width + chart.plot_width
    return chart
