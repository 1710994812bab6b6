"""Render layer: the parts matplotlib charts with axes share — value axis, category axis, reference lines,
legend, intervals, number formats and the value labels' candidate places."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, Sequence, cast

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import Formatter, LogLocator, MaxNLocator, NullLocator
from matplotlib.transforms import Affine2DBase, ScaledTranslation

from lecturegen.model.chart import Chart
from lecturegen.model.chart_text import NOT_REPORTED, format_value
from lecturegen.render.chart_style import MIN_TEXT_PT, ChartStyle, chart_colours, text_on, tick_format
from lecturegen.render.mpl_text import (
    GAP_PT,
    LABEL_PAD_PT,
    Metrics,
    Spot,
    ValueLabel,
    baseline_xy,
    mpl_colour,
    tag,
    wrap_label,
)


def series_colours(chart: Chart, style: ChartStyle) -> tuple[list[list[str]], list[str]]:
    """Per series, a colour per category; plus each series' legend colour (as native charts colour them)."""
    per, legend = chart_colours(chart, style)
    return [[mpl_colour(c) for c in row] for row in per], [mpl_colour(c) for c in legend]


def number_format(chart: Chart) -> str | None:
    return chart.base.format


class TickFormatter(Formatter):
    """Tick labels in the chart's number style, with just enough decimals for the tick step."""

    def __init__(self, chart: Chart):
        self.fmt = number_format(chart) or "g"
        self.log = chart.axis.log
        self.ticks: list[float] = []

    def set_locs(self, locs: Sequence[float]) -> None:
        self.ticks = sorted(float(v) for v in locs)

    def __call__(self, x: float, pos: int | None = None) -> str:
        if self.log:
            return format_value(x, "int") if x >= 1 else format_value(x, "g")
        locs = self.ticks if len(self.ticks) > 1 else []
        step = min((b - a for a, b in zip(locs, locs[1:]) if b > a), default=0.0)
        return format_value(x, tick_format(self.fmt, step))


def style_value_axis(ax: Axes, chart: Chart, horizontal: bool) -> None:
    axis = ax.xaxis if horizontal else ax.yaxis
    opts = chart.axis
    if opts.log:
        (ax.set_xscale if horizontal else ax.set_yscale)("log")
        axis.set_major_locator(LogLocator(base=10))
        axis.set_minor_locator(NullLocator())
    else:
        # Steps of 1, 2 or 5 only: a tick at .825 would print as a misleading ".83".
        axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    axis.set_major_formatter(TickFormatter(chart))
    # Light gridlines across the value axis only (horizontal lines on a column chart), as native charts have.
    ax.grid(True, axis="x" if horizontal else "y")
    lo, hi = opts.y_min, opts.y_max
    if lo is not None or hi is not None:
        (ax.set_xlim if horizontal else ax.set_ylim)(lo, hi)
    fig = ax.figure
    assert isinstance(fig, Figure)
    # Axis titles wrap (then shrink towards 14 pt) to the length of their axis: a rotated title longer
    # than a short chart would leave the picture.
    across, down = fig.get_figwidth() * 72 * 0.85, fig.get_figheight() * 72 * 0.75
    for key, setter, length in (("y_title", ax.set_xlabel if horizontal else ax.set_ylabel, across if horizontal else down),
                                ("x_title", ax.set_ylabel if horizontal else ax.set_xlabel, down if horizontal else across)):
        title, size = axis_title(fig, opts.x_title if key == "x_title" else opts.y_title, length)
        setter(title, labelpad=8, fontsize=size)
    ax.tick_params(axis="both", length=0, pad=6)
    # The category axis keeps one baseline; the value axis needs only its gridlines.
    ax.spines["left"].set_visible(horizontal)
    ax.spines["bottom"].set_visible(not horizontal)


def axis_title(fig: Figure, title: str, length_pt: float) -> tuple[str, float]:
    """An axis title wrapped to at most two lines of the axis' length, at the largest size (to 14 pt) that fits."""
    metrics = Metrics(fig)
    size = float(matplotlib.rcParams["axes.labelsize"])
    while True:
        wrapped = wrap_label(metrics, title, size, length_pt)
        if wrapped.count("\n") < 2 and all(metrics.width(line, size) <= length_pt for line in wrapped.split("\n")):
            return wrapped, size
        if size - 1 < MIN_TEXT_PT:
            return wrapped, size
        size -= 1


def reference_lines(ax: Axes, chart: Chart, style: ChartStyle, horizontal: bool) -> list[Line2D]:
    """Dashed reference lines, each labelled beyond the end of the plot (above it, or right of it), where
    no bar or value label can reach."""
    rules = []
    for ref in chart.axis.references:
        value, label = ref.value, ref.label
        line: dict[str, Any] = dict(color=mpl_colour(style.text), linewidth=1.6, linestyle=(0, (5, 3)), zorder=4)
        if horizontal:
            rules.append(ax.axvline(value, **line))
            if label:
                ax.annotate(label, (value, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 4),
                            textcoords="offset points", ha="center", va="bottom", fontsize=style.small_pt)  # fmt: skip
        else:
            rules.append(ax.axhline(value, **line))
            if label:
                ax.annotate(label, (1.0, value), xycoords=("axes fraction", "data"), xytext=(6, 0),
                            textcoords="offset points", ha="left", va="center", fontsize=style.small_pt)  # fmt: skip
    return rules


def label_texts(chart: Chart, value: float, index: int, series_count: int) -> tuple[str, ...]:
    """The label for a value: with its text column ('−.060  p = .010') when there is one, then without."""
    if value is None or math.isnan(value):
        return ()
    number = format_value(value, number_format(chart))
    if series_count == 1 and chart.labels and index < len(chart.labels) and chart.labels[index]:
        return (number + "\u2002" + chart.labels[index], number)
    return (number,)


def value_size(style: ChartStyle) -> float:
    return max(MIN_TEXT_PT, style.font_size_pt * 0.95)


def missing_mark(ax: Axes, style: ChartStyle, horizontal: bool, position: float) -> ValueLabel:
    """'not reported' standing on the baseline where the bar (or dot) would be: never an empty slot."""
    xy = baseline_xy(ax, horizontal, (0.0, position) if horizontal else (position, 0.0))
    colour = mpl_colour(style.text)
    if horizontal:
        spots = [Spot(xy, (LABEL_PAD_PT, 0), "left", "center", colour)]
    else:
        spots = [Spot(xy, (0, LABEL_PAD_PT), "center", "bottom", colour),
                 Spot(xy, (0, LABEL_PAD_PT), "center", "bottom", colour, rotation=90)]
    return ValueLabel((NOT_REPORTED,), spots, max(MIN_TEXT_PT, style.small_pt), priority=0, style="italic")


def bar_label(bar: Rectangle, texts: tuple[str, ...], style: ChartStyle, horizontal: bool,
               highlighted: bool, group: int) -> ValueLabel:
    """Outside the end of the bar first; inside it (in white or dark text) when there is no room outside."""
    x, y, w, h = bar.get_x(), bar.get_y(), bar.get_width(), bar.get_height()
    colour, inner = mpl_colour(style.text), mpl_colour(text_on(matplotlib.colors.to_hex(bar.get_facecolor()), style))
    weight = "bold" if highlighted else "normal"
    pad = LABEL_PAD_PT
    if horizontal:
        sign = 1 if w >= 0 else -1
        xy = (x + w, y + h / 2)
        out = Spot(xy, (sign * pad, 0), "left" if sign > 0 else "right", "center", colour, weight=weight)
        inside = Spot(xy, (-sign * pad, 0), "right" if sign > 0 else "left", "center", inner, bar, weight=weight)
    else:
        sign = 1 if h >= 0 else -1
        xy = (x + w / 2, y + h)
        out = Spot(xy, (0, sign * pad), "center", "bottom" if sign > 0 else "top", colour, weight=weight)
        inside = Spot(xy, (0, -sign * pad), "center", "top" if sign > 0 else "bottom", inner, bar, weight=weight)
    return ValueLabel(texts, [out, inside], value_size(style), priority=1 if highlighted else 2, own=bar, group=group)


def segment_label(bar: Rectangle, text: str, style: ChartStyle, size: float) -> ValueLabel:
    """A value in the middle of a stacked segment, or nowhere (the legend or alt text has it)."""
    x, y, w, h = bar.get_x(), bar.get_y(), bar.get_width(), bar.get_height()
    fill = matplotlib.colors.to_hex(bar.get_facecolor())
    spot = Spot((x + w / 2, y + h / 2), (0, 0), "center", "center", mpl_colour(text_on(fill, style)), bar, weight="bold")
    return ValueLabel((text,), [spot], size, own=bar)


def fit_font(fig: Figure, chart: Chart, style: ChartStyle, horizontal: bool) -> ChartStyle:
    """Shrink text (never below 14 pt) when the categories cannot each get a line of their own."""
    if not horizontal:
        return style
    metrics = Metrics(fig)
    extra = 4.5 if len(chart.series) > 1 else 3.2  # value axis, its title, legend, padding (in lines)
    height_pt = fig.get_figheight() * 72
    size = style.font_size_pt
    while size > MIN_TEXT_PT:
        width = fig.get_figwidth() * 72 * 0.4
        label_lines = max(wrap_label(metrics, c, size, width).count("\n") + 1 for c in chart.categories)
        if len(chart.categories) * max(label_lines, 1) * size * 1.45 + extra * size * 1.4 <= height_pt:
            break
        size -= 1
    if size == style.font_size_pt:
        return style
    for key in ("font.size", "xtick.labelsize", "ytick.labelsize", "legend.fontsize", "axes.labelsize"):
        matplotlib.rcParams[key] = size
    return replace(style, font_size_pt=max(size, MIN_TEXT_PT))


def value_limits(ax: Axes, chart: Chart, horizontal: bool, values: Sequence[float]) -> None:
    """Bars stand on zero: the value axis includes it unless the spec cut it on purpose (axis: truncated)."""
    opts = chart.axis
    if opts.log or not values:
        return
    if opts.y_min is None and min(values) >= 0:
        if horizontal:
            ax.set_xlim(left=0)
        else:
            ax.set_ylim(bottom=0)
    if opts.y_max is None and max(values) <= 0:
        if horizontal:
            ax.set_xlim(right=0)
        else:
            ax.set_ylim(top=0)


def axis_break(ax: Axes, style: ChartStyle, horizontal: bool) -> None:
    """Two short slanted strokes across the start of a cut value axis: these bars do not start at zero."""
    fig = ax.figure
    assert isinstance(fig, Figure)
    # Offsets in points from the corner where the value axis starts.
    at_corner = fig.dpi_scale_trans + ScaledTranslation(0, 0, cast(Affine2DBase, ax.transAxes))
    for shift in (-2.5, 2.5):
        if horizontal:
            xs, ys = [14 + shift - 2.5, 14 + shift + 2.5], [-5.0, 5.0]
        else:
            xs, ys = [-5.0, 5.0], [14 + shift - 2.5, 14 + shift + 2.5]
        ax.add_line(Line2D([v / 72 for v in xs], [v / 72 for v in ys], transform=at_corner, color=mpl_colour(style.text),
                           linewidth=1.6, clip_on=False, zorder=7))  # fmt: skip


def draw_interval(ax: Axes, offs: Sequence[float], vals: Sequence[float], lows: Sequence[float],
                  highs: Sequence[float], style: ChartStyle, horizontal: bool, series: int = 0) -> None:  # fmt: skip
    """Error bars from the data's interval ends: a line with caps across each value that has both ends."""
    colour = mpl_colour(style.text)
    for i, (p, lo, hi) in enumerate(zip(offs, lows, highs)):
        if math.isnan(lo) or math.isnan(hi) or math.isnan(vals[i]):
            continue
        stem = ([lo, hi], [p, p]) if horizontal else ([p, p], [lo, hi])
        caps = ([lo, lo], [p - 0.12, p + 0.12], [hi, hi], [p - 0.12, p + 0.12]) if horizontal else \
            ([p - 0.12, p + 0.12], [lo, lo], [p - 0.12, p + 0.12], [hi, hi])
        for line in (*ax.plot(*stem, color=colour, linewidth=2.2, zorder=5, solid_capstyle="butt"),
                     *ax.plot(*caps, color=colour, linewidth=2.2, zorder=5)):
            tag(line, series, i)


def category_axis(ax: Axes, chart: Chart, style: ChartStyle, fig: Figure, horizontal: bool, positions: list[int]) -> None:
    """Category names wrapped at spaces to the room each has, measured; shrunk towards 14 pt if a word is
    wider than its slot."""
    metrics = Metrics(fig)
    width_pt = fig.get_figwidth() * 72
    size = style.font_size_pt
    # A crowded chart on paper names every k-th category only (compile/handout.py::paper_chart chooses k): one
    # tick label per category would cost matplotlib seconds a hundred, and could not be read.
    every = max(1, chart.axis.label_every)
    named = list(zip(positions, chart.categories))[::every]
    ticks = [position for position, _ in named]
    if horizontal:
        labels = [wrap_label(metrics, c, size, width_pt * 0.4) for _, c in named]
        ax.set_yticks(ticks, labels)
        ax.invert_yaxis()  # first category at the top, as it reads in the outline
    else:
        # The value axis, its title and the padding take about an inch and a quarter on the left.
        per = (width_pt - 90) / max(len(named), 1) - GAP_PT * 3
        while size > MIN_TEXT_PT and any(metrics.width(w, size) > per for _, c in named for w in c.split()):
            size -= 1
        labels = [wrap_label(metrics, c, size, per) for _, c in named]
        ax.set_xticks(ticks, labels)
        ax.tick_params(axis="x", labelsize=size)
    highlight = chart.base.highlight
    for tick, (_, name) in zip(ax.get_yticklabels() if horizontal else ax.get_xticklabels(), named):
        if name in highlight:
            tick.set_fontweight("bold")


def series_legend(ax: Axes, chart: Chart, style: ChartStyle, colours: list[str]) -> None:
    handles = [Rectangle((0, 0), 1, 1, color=c) for c in colours]
    fig = ax.figure
    fig.legend(
        handles,
        [s.name for s in chart.series],
        loc="outside upper center",
        ncols=min(len(handles), 4),
        frameon=False,
        handlelength=1.0,
        handleheight=1.0,
        columnspacing=1.6,
        fontsize=style.font_size_pt,
    )


def point_spots(xy: tuple[float, float], right_xy: tuple[float, float], left_xy: tuple[float, float],
                 radius_pt: float, colour: str, weight: str, rows: bool) -> list[Spot]:  # fmt: skip
    """Where a dot's label may go. In a dot plot (rows) it stays in the dot's own row: right of the dot or its
    interval, else left; on a line it goes above the point, else below, right, left."""
    pad = radius_pt + LABEL_PAD_PT * 0.6
    above = Spot(xy, (0, pad), "center", "bottom", colour, weight=weight)
    below = Spot(xy, (0, -pad), "center", "top", colour, weight=weight)
    right = Spot(right_xy, (pad, 0), "left", "center", colour, weight=weight)
    left = Spot(left_xy, (-pad, 0), "right", "center", colour, weight=weight)
    return [right, left, above, below] if rows else [above, below, right, left]
