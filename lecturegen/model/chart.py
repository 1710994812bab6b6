"""Model layer: a chart bound to its data — everything a renderer needs, nothing it must look up.

A chart's options are typed per chart type (`BarOptions`, `DotOptions`, … `TimelineOptions`): each holds
the `ChartBase` every type shares (emphasis, note, number format, reveal) and, for charts with a value axis,
that axis (`ValueAxis`: limits, titles, reference lines). `Chart.base` and `Chart.axis` reach them whatever
the type.
"""

from __future__ import annotations

import dataclasses
from dataclasses import field
from typing import Any, Callable

from lecturegen.model.text import Run
from lecturegen.records import record

# Values (categories × series) a chart drawn as a picture shows in full: matplotlib takes ~12 ms a labelled value.
# The loader refuses more for a picture chart (sources/charts.py); a handout prints a native chart past it plain.
MAX_PICTURE_VALUES = 200
REVEALS = ("none", "series", "points")  # a chart built click by click: one series, or one category, a click


@record
class ChartSeries:
    name: str
    values: tuple[float, ...]
    errors_low: tuple[float, ...] | None = None  # interval ends (absolute), for dot plots and error bars
    errors_high: tuple[float, ...] | None = None


@record
class Reference:
    """A dashed reference or target line across the value axis, with its label."""

    value: float
    label: str = ""


@record
class ChartBase:
    """What every chart type shares."""

    title: str = ""  # the dataset's title (alt text; a waffle panel that is the whole dataset)
    highlight: tuple[str, ...] = ()  # categories or series drawn in the highlight colour
    mute: tuple[str, ...] = ()  # categories or series drawn grey
    note: str = ""  # small italic footnote
    format: str | None = None  # number style of values and ticks (model/chart_text.py::format_value)
    value_labels: bool = True
    reveal: str = "none"  # one of REVEALS
    # One step of a revealed chart drawn as a picture: series (or categories) 0..frame shown, the rest left out
    # on the same axes, so that the pictures of the steps lie exactly over each other. None: the whole chart.
    frame: int | None = None


@record
class ValueAxis:
    """The value axis of a chart that has one, and what is drawn across it."""

    orientation: str = "vertical"  # vertical | horizontal (a dot plot is always horizontal)
    references: tuple[Reference, ...] = ()
    x_title: str = ""
    y_title: str = ""
    y_min: float | None = None
    y_max: float | None = None
    log: bool = False
    axis_note: str = ""  # "Axis starts at .80, not zero" when a bar chart is cut on purpose
    label_every: int = 1  # a crowded chart on paper names every n-th category only (compile/handout.py)


@record
class BarOptions:
    """bar and grouped-bar."""

    base: ChartBase = field(default_factory=ChartBase)
    axis: ValueAxis = field(default_factory=ValueAxis)


@record
class StackedOptions:
    base: ChartBase = field(default_factory=ChartBase)
    axis: ValueAxis = field(default_factory=ValueAxis)


@record
class LineOptions:
    base: ChartBase = field(default_factory=ChartBase)
    axis: ValueAxis = field(default_factory=ValueAxis)


@record
class DotOptions:
    """A dot plot: categories down the side, one dot per series, intervals where the data has them."""

    base: ChartBase = field(default_factory=ChartBase)
    axis: ValueAxis = field(default_factory=ValueAxis)


@record
class SlopeOptions:
    """A slope chart: each series a line from the first category to the last (two or a few columns)."""

    base: ChartBase = field(default_factory=ChartBase)
    axis: ValueAxis = field(default_factory=ValueAxis)


@record
class PieOptions:
    base: ChartBase = field(default_factory=ChartBase)


@record
class WaffleOptions:
    base: ChartBase = field(default_factory=ChartBase)


@record
class TimelineOptions:
    base: ChartBase = field(default_factory=ChartBase)
    orientation: str = "vertical"


AxisOptions = BarOptions | StackedOptions | LineOptions | DotOptions | SlopeOptions
ChartOptions = AxisOptions | PieOptions | WaffleOptions | TimelineOptions
AXIS_OPTIONS = (BarOptions, StackedOptions, LineOptions, DotOptions, SlopeOptions)
_NO_AXIS = ValueAxis()


@record
class Chart:
    """A chart bound to its data: everything a renderer needs, nothing it must look up."""

    type: str  # bar | grouped-bar | dot | slope | line | stacked | timeline | waffle | pie
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    alt: str
    source: tuple[Run, ...]  # "Source: Di Malta et al. (2023)"
    options: ChartOptions = field(default_factory=BarOptions, hash=False, compare=True)
    native: bool = False
    illustrative: bool = False
    # Text labels per category (e.g. timeline events, "p = .010"); optional.
    labels: tuple[str, ...] = ()

    @property
    def base(self) -> ChartBase:
        return self.options.base

    @property
    def axis(self) -> ValueAxis:
        """The value axis; a chart without one (pie, waffle, timeline) answers with an empty axis."""
        return self.options.axis if isinstance(self.options, AXIS_OPTIONS) else _NO_AXIS

    @property
    def horizontal(self) -> bool:
        return self.axis.orientation == "horizontal"


def with_base(chart: Chart, **changes: object) -> Chart:
    """The chart with some of its shared options changed."""
    options = dataclasses.replace(chart.options, base=dataclasses.replace(chart.base, **changes))  # type: ignore[arg-type]
    return dataclasses.replace(chart, options=options)


def with_axis(chart: Chart, **changes: object) -> Chart:
    """The chart with some of its value axis' options changed (nothing for a chart without one)."""
    if not isinstance(chart.options, AXIS_OPTIONS):
        return chart
    options = dataclasses.replace(chart.options, axis=dataclasses.replace(chart.axis, **changes))  # type: ignore[arg-type]
    return dataclasses.replace(chart, options=options)


AXIS_TYPES: dict[str, Callable[[ChartBase, ValueAxis], AxisOptions]] = {
    "bar": BarOptions, "grouped-bar": BarOptions, "stacked": StackedOptions, "line": LineOptions, "dot": DotOptions,
    "slope": SlopeOptions,
}  # fmt: skip
_BASE_FIELDS = frozenset(f.name for f in dataclasses.fields(ChartBase))


def options_for(kind: str, **values: Any) -> ChartOptions:  # noqa: ANN401 (named values, checked by replace)
    """The typed options of a chart type from named values, each sent to the record that has it: `format`,
    `highlight` … to the base, `y_min`, `references` … to the value axis (a TypeError for a name none has)."""
    base = dataclasses.replace(ChartBase(), **{k: v for k, v in values.items() if k in _BASE_FIELDS})
    rest = {k: v for k, v in values.items() if k not in _BASE_FIELDS}
    if kind in AXIS_TYPES:
        return AXIS_TYPES[kind](base, dataclasses.replace(ValueAxis(), **rest))
    if kind == "timeline":
        return dataclasses.replace(TimelineOptions(base), **rest)
    return dataclasses.replace(PieOptions(base) if kind == "pie" else WaffleOptions(base), **rest)


def native_reference_lines(chart: Chart) -> tuple[Reference, ...]:
    """The reference lines a native chart draws (a line series each): across a column or line chart only. A
    horizontal bar chart would need a vertical line, which a PowerPoint chart cannot draw across its bars."""
    if chart.horizontal or chart.type not in ("bar", "grouped-bar", "line", "slope", "stacked"):
        return ()
    if chart.type == "stacked" and len(chart.categories) == 1:
        return ()
    return chart.axis.references


def reveal_steps(chart: Chart) -> int:
    """How many clicks a revealed chart takes: one per series, or one per category ('points'); 0 unrevealed."""
    if chart.base.reveal == "series":
        return len(chart.series)
    if chart.base.reveal == "points":
        return len(chart.categories)
    return 0


def chart_frames(chart: Chart) -> tuple[Chart, ...]:
    """The pictures a chart drawn as a picture takes: itself, or one per step when it is revealed."""
    steps = reveal_steps(chart)
    if steps < 2:
        return (chart,)
    return tuple(with_base(chart, frame=k) for k in range(steps))
