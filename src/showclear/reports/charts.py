"""Where a chart's bars, axis ticks, day labels and legend go, worked out once for both drawings.

The same :class:`Layout` is drawn as SVG in the HTML report (``reports/_chart.html``) and with
fpdf2's rectangles and lines in the PDF (:mod:`showclear.reports.pdf`), in the same units (the
PDF's millimetres, the SVG's view box), so the two pictures are the same picture.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from showclear.reports.document import Chart

LEFT = 12.0
"""Room for the value axis's numbers."""
BOTTOM = 14.0
"""Room for the day labels and the legend."""
TOP = 3.0


@dataclass(frozen=True)
class Bar:
    """One bar: its box, colour, and what it says (``"verified on Oct 12: 210"``)."""

    x: float
    y: float
    width: float
    height: float
    colour: str
    value: int
    title: str

    @property
    def centre(self) -> float:
        """The middle of the bar, where its number is written."""
        return self.x + self.width / 2

    @property
    def number_y(self) -> float:
        """The baseline of the number above the bar."""
        return self.y - 0.8


@dataclass(frozen=True)
class Tick:
    """A value on the value axis, and the height it is drawn at."""

    y: float
    value: int


@dataclass(frozen=True)
class Label:
    """A day's label under its group of bars, centred on ``x``."""

    x: float
    text: str


@dataclass(frozen=True)
class Key:
    """A legend entry: a swatch at ``x`` and the series' name after it."""

    x: float
    colour: str
    name: str

    @property
    def text_x(self) -> float:
        """Where the name starts."""
        return self.x + 4.2


@dataclass(frozen=True)
class Layout:
    """Everything of a chart placed in a ``width`` x ``height`` box."""

    width: float
    height: float
    left: float
    top: float
    bottom: float
    """The baseline's height from the top."""
    right: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    labels: tuple[Label, ...]
    keys: tuple[Key, ...]
    key_y: float

    @property
    def tick_x(self) -> float:
        """Where the value axis's numbers end."""
        return self.left - 1.5

    @property
    def swatch_y(self) -> float:
        """The top of the legend's swatches."""
        return self.key_y - 2.4

    @property
    def label_y(self) -> float:
        """The baseline of the day labels."""
        return self.bottom + 4.0


def nice_step(highest: int, ticks: int = 4) -> int:
    """A round step (1, 2, 5 x 10^n) that splits ``highest`` into about ``ticks`` parts."""
    raw = max(1.0, highest / ticks)
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * power:
            return int(multiple * power)
    return int(10 * power)


def layout(chart: Chart, width: float = 180.0, height: float = 62.0) -> Layout:
    """Place ``chart`` in a ``width`` x ``height`` box."""
    step = nice_step(chart.highest)
    top_value = step * math.ceil(chart.highest / step)
    plot_left, plot_right = LEFT, width - 2.0
    base = height - BOTTOM
    plot_height = base - TOP
    groups = max(1, len(chart.labels))
    group = (plot_right - plot_left) / groups
    bars_in = max(1, len(chart.series))
    bar = min(8.0, group * 0.8 / bars_in)
    placed: list[Bar] = []
    labels: list[Label] = []
    for index, text in enumerate(chart.labels):
        start = plot_left + index * group + (group - bar * bars_in) / 2
        labels.append(Label(plot_left + index * group + group / 2, text))
        for number, series in enumerate(chart.series):
            value = series.values[index] if index < len(series.values) else 0
            tall = plot_height * value / top_value
            placed.append(
                Bar(
                    start + number * bar,
                    base - tall,
                    bar * 0.92,
                    tall,
                    series.colour,
                    value,
                    f"{series.name} on {text}: {value}",
                )
            )
    ticks = tuple(
        Tick(base - plot_height * value / top_value, value)
        for value in range(0, top_value + 1, step)
    )
    keys = []
    x = plot_left
    for series in chart.series:
        keys.append(Key(x, series.colour, series.name))
        x += 6.0 + 2.2 * len(series.name) + 4.0
    return Layout(
        width=width,
        height=height,
        left=plot_left,
        top=TOP,
        bottom=base,
        right=plot_right,
        bars=tuple(placed),
        ticks=ticks,
        labels=tuple(labels),
        keys=tuple(keys),
        key_y=height - 4.0,
    )
