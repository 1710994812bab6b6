"""Render layer: bar charts drawn with matplotlib — bars, grouped and stacked bars, one part-of-a-whole bar."""

from __future__ import annotations

import math
from typing import Any, Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from lecturegen.model.chart import Chart
from lecturegen.model.chart_text import format_value
from lecturegen.records import record
from lecturegen.render.chart_style import MIN_TEXT_PT, ChartStyle
from lecturegen.render.mpl_axes import (
    axis_break,
    bar_label,
    category_axis,
    draw_interval,
    fit_font,
    label_texts,
    missing_mark,
    number_format,
    reference_lines,
    segment_label,
    series_colours,
    series_legend,
    style_value_axis,
    value_limits,
    value_size,
)
from lecturegen.render.mpl_text import Plot, mpl_colour, tag


@record
class _Slots:
    """Where one chart's bars go: their width, and whether series share a slot (stacked, coloured by group)."""

    horizontal: bool
    stacked: bool
    one_per_cat: bool  # long data where each category has one series: "coloured by group", not grouped
    width: float
    crowded: bool  # on paper, hundreds of categories without labels: one collection, not a Rectangle each

    def offsets(self, j: int, m: int, positions: list[int]) -> Sequence[float]:
        if self.stacked or self.one_per_cat or m == 1:
            return positions
        return [p - 0.4 + self.width * (j + 0.5) for p in positions]


def draw_bars(fig: Figure, chart: Chart, style: ChartStyle) -> Plot | None:
    if chart.type == "stacked" and len(chart.categories) == 1:
        return draw_part_whole(fig, chart, style)
    horizontal = chart.horizontal
    style = fit_font(fig, chart, style, horizontal)
    ax = fig.add_subplot()
    plot = Plot(ax, horizontal)
    n, m = len(chart.categories), len(chart.series)
    one_per_cat = m > 1 and all(sum(not math.isnan(s.values[i]) for s in chart.series) <= 1 for i in range(n))
    stacked = chart.type == "stacked"
    # 10,000 Rectangles took matplotlib 7 s to add and lay out.
    slots = _Slots(horizontal, stacked, one_per_cat, 0.72 if (m == 1 or one_per_cat or stacked) else 0.8 / m,
                   chart.axis.label_every > 1 and not chart.base.value_labels)
    positions = list(range(n))
    bottoms = [0.0] * n
    missing: list[float] = []
    for j, s in enumerate(chart.series):
        offs = slots.offsets(j, m, positions)
        missing += _draw_series(ax, plot, chart, style, slots, j, offs, bottoms)
        if stacked:
            bottoms = [b + (0.0 if math.isnan(v) else v) for b, v in zip(bottoms, s.values)]
    if stacked or one_per_cat:  # a category is missing only when none of its parts has a value
        missing = [float(i) for i in positions if all(math.isnan(s.values[i]) for s in chart.series)]
    values = [v for s in chart.series for v in s.values if not math.isnan(v)] + (bottoms if stacked else [])
    _bar_axes(fig, plot, chart, style, positions, values)
    for position in missing:
        plot.labels.append(missing_mark(ax, style, horizontal, position))
    return plot


def _draw_series(ax: Axes, plot: Plot, chart: Chart, style: ChartStyle, slots: _Slots, j: int,
                 offs: Sequence[float], bottoms: list[float]) -> list[float]:
    """One series' bars, value labels and intervals; the slots of its missing values."""
    s, colours = chart.series[j], series_colours(chart, style)[0][j]
    vals = [0.0 if math.isnan(v) else v for v in s.values]
    kwargs: dict[str, Any] = dict(color=colours, zorder=3, label=s.name)
    if slots.stacked:
        kwargs.update(edgecolor=mpl_colour(style.background), linewidth=1.5)
    bars: Sequence[Any]
    if slots.crowded:
        _bar_collection(ax, offs, vals, slots.width, bottoms if slots.stacked else None, colours, slots.horizontal)
        bars = ()
    elif slots.horizontal:
        bars = ax.barh(offs, vals, height=slots.width, left=bottoms if slots.stacked else None, **kwargs)
    else:
        bars = ax.bar(offs, vals, width=slots.width, bottom=bottoms if slots.stacked else None, **kwargs)
    missing = []
    for i, (bar, v) in enumerate(zip(bars, s.values)):
        tag(bar, j, i)
        if math.isnan(v):
            bar.set_visible(False)
            if not slots.stacked and not slots.one_per_cat:
                missing.append(offs[i])
            continue
        plot.bars.append(bar)
        if not chart.base.value_labels:
            continue
        texts = label_texts(chart, v, i, len(chart.series))
        if slots.stacked:
            label = segment_label(bar, texts[0], style, value_size(style))
        else:
            hl = chart.categories[i] in chart.base.highlight or s.name in chart.base.highlight
            label = bar_label(bar, texts, style, slots.horizontal, hl, j)
        label.element = (j, i)
        plot.labels.append(label)
    if s.errors_low is not None and s.errors_high is not None:
        draw_interval(ax, offs, s.values, s.errors_low, s.errors_high, style, slots.horizontal, series=j)
    return missing


def _bar_axes(fig: Figure, plot: Plot, chart: Chart, style: ChartStyle, positions: list[int],
              values: list[float]) -> None:
    """The axes around the bars: the zero line under negative bars, names, value axis, reference lines, legend."""
    ax, horizontal = plot.ax, plot.horizontal
    negative = min(values, default=0) < 0
    if negative:
        (ax.axvline if horizontal else ax.axhline)(0, color=mpl_colour(style.text), linewidth=1.2, zorder=4)
    category_axis(ax, chart, style, fig, horizontal, positions)
    style_value_axis(ax, chart, horizontal)
    if negative:
        ax.spines["left" if horizontal else "bottom"].set_visible(False)
    plot.fixed_lo = chart.axis.y_min is not None
    plot.fixed_hi = chart.axis.y_max is not None
    plot.rules = reference_lines(ax, chart, style, horizontal)
    if len(chart.series) > 1:
        series_legend(ax, chart, style, series_colours(chart, style)[1])
    value_limits(ax, chart, horizontal, values)
    if chart.axis.axis_note:
        axis_break(ax, style, horizontal)
    if horizontal:
        ax.margins(y=0.03)
    else:
        ax.margins(x=0.03)


def _bar_collection(ax: Axes, offs: Sequence[float], vals: Sequence[float], width: float,
                    bottoms: Sequence[float] | None, colours: Sequence[str], horizontal: bool) -> None:
    """Bars as one PolyCollection: the same boxes as `bar`/`barh`, drawn as a single artist."""
    from matplotlib.collections import PolyCollection

    boxes = []
    for i, (p, v) in enumerate(zip(offs, vals)):
        base = bottoms[i] if bottoms is not None else 0.0
        a, b, c, d = p - width / 2, p + width / 2, base, base + v
        boxes.append([(c, a), (d, a), (d, b), (c, b)] if horizontal else [(a, c), (b, c), (b, d), (a, d)])
    ax.add_collection(PolyCollection(boxes, facecolors=list(colours), edgecolors="none", zorder=3), autolim=True)
    ax.autoscale_view()


def draw_part_whole(fig: Figure, chart: Chart, style: ChartStyle) -> Plot:
    """One bar split into segments: each series is one part of the whole."""
    ax = fig.add_subplot()
    plot = Plot(ax, True, fixed_lo=True, fixed_hi=True)
    _, legend_colours = series_colours(chart, style)
    total = sum(s.values[0] for s in chart.series if not math.isnan(s.values[0]))
    left = 0.0
    fmt = number_format(chart)
    for j, s in enumerate(chart.series):
        v = 0.0 if math.isnan(s.values[0]) else s.values[0]
        colour = legend_colours[j]
        bars = ax.barh([0], [v], left=left, height=0.5, color=colour, edgecolor=mpl_colour(style.background), linewidth=2, zorder=3)
        # Values that do not fit their segment are in the legend only.
        if v > 0 and chart.base.value_labels:
            plot.labels.append(segment_label(bars[0], format_value(v, fmt), style, max(MIN_TEXT_PT, style.font_size_pt * 1.1)))
        left += v
    ax.set_xlim(0, total or 1)
    ax.set_ylim(-0.5, 0.5)
    ax.axis("off")
    labels = [f"{s.name}  {format_value(s.values[0], fmt)}" for s in chart.series]
    handles = [Rectangle((0, 0), 1, 1, color=c) for c in legend_colours]
    fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 4), frameon=False,
               handlelength=1.0, handleheight=1.0, columnspacing=1.8, fontsize=style.font_size_pt)  # fmt: skip
    title = f"{chart.categories[0]}: {format_value(total, fmt)} in total" if chart.categories[0] else ""
    if title:
        ax.set_title(title, fontsize=style.font_size_pt, loc="left", pad=10)
    return plot
