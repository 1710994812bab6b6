"""Render layer: charts of points drawn with matplotlib — dot plots, line charts and slope charts.

Every mark is tagged with the series and category it shows (`mpl_text.tag`), so that one step of a revealed
chart can leave out what later steps add.
"""

from __future__ import annotations

import math

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from lecturegen.model.chart import Chart, ChartSeries
from lecturegen.render.chart_style import MIN_TEXT_PT, ChartStyle
from lecturegen.render.mpl_axes import (
    category_axis,
    draw_interval,
    fit_font,
    label_texts,
    missing_mark,
    point_spots,
    reference_lines,
    series_colours,
    series_legend,
    style_value_axis,
)
from lecturegen.render.mpl_text import Plot, Spot, ValueLabel, mpl_colour, tag


def _highlighted(chart: Chart, series: ChartSeries, index: int) -> bool:
    return chart.categories[index] in chart.base.highlight or series.name in chart.base.highlight


def draw_dots(fig: Figure, chart: Chart, style: ChartStyle) -> Plot:
    """Categories down the side, a dot per series in each row, with its interval where the data has one."""
    horizontal = True  # dot plots read best with categories down the side
    style = fit_font(fig, chart, style, horizontal)
    ax = fig.add_subplot()
    plot = Plot(ax, horizontal)
    n, m = len(chart.categories), len(chart.series)
    colours, legend_colours = series_colours(chart, style)
    positions = list(range(n))
    for j, s in enumerate(chart.series):
        offs = [p + (j - (m - 1) / 2) * 0.22 for p in positions]
        _dot_row_marks(ax, chart, style, j, offs, colours[j])
        for i, (p, v) in enumerate(zip(offs, s.values)):
            if math.isnan(v):
                if j == 0 and (m == 1 or all(math.isnan(t.values[i]) for t in chart.series)):
                    plot.labels.append(missing_mark(ax, style, horizontal, float(positions[i])))
            elif chart.base.value_labels:
                plot.labels.append(_dot_label(chart, style, j, i, p))
    category_axis(ax, chart, style, fig, horizontal, positions)
    style_value_axis(ax, chart, horizontal)
    plot.fixed_lo = chart.axis.y_min is not None
    plot.fixed_hi = chart.axis.y_max is not None
    values = [v for s in chart.series for v in s.values if not math.isnan(v)]
    if min(values, default=0) < 0 < max(values, default=0):
        ax.axvline(0, color=mpl_colour(style.text), linewidth=1.2, zorder=1)
    plot.rules = reference_lines(ax, chart, style, horizontal)
    if m > 1:
        series_legend(ax, chart, style, legend_colours)
    ax.margins(x=0.08, y=0.12)
    return plot


def _dot_row_marks(ax: Axes, chart: Chart, style: ChartStyle, j: int, offs: list[float], colours: list[str]) -> None:
    """One series' dots, each on its interval (a thick bar) or on a thin stem from the axis start."""
    s = chart.series[j]
    radius = style.font_size_pt * 0.45
    start = chart.axis.y_min
    for i, (p, v, c) in enumerate(zip(offs, s.values, colours)):
        if math.isnan(v):
            continue
        lo = s.errors_low[i] if s.errors_low is not None else math.nan
        hi = s.errors_high[i] if s.errors_high is not None else math.nan
        if not (math.isnan(lo) or math.isnan(hi)):
            tag(ax.plot([lo, hi], [p, p], color=c, linewidth=3, zorder=3, solid_capstyle="round")[0], j, i)
        elif s.errors_low is None:
            tag(ax.plot([0 if start is None else start, v], [p, p], color=mpl_colour(style.grid), linewidth=1.5,
                        zorder=2)[0], j, i)  # fmt: skip
        tag(ax.scatter([v], [p], s=(radius * 2) ** 2, color=c, zorder=4, edgecolor=mpl_colour(style.background),
                       linewidth=1.5), j, i)  # fmt: skip


def _dot_label(chart: Chart, style: ChartStyle, j: int, i: int, p: float) -> ValueLabel:
    """A dot's value, in its own row: right of the dot or its interval, else left."""
    s = chart.series[j]
    v = s.values[i]
    hi_end = s.errors_high[i] if s.errors_high is not None and not math.isnan(s.errors_high[i]) else v
    lo_end = s.errors_low[i] if s.errors_low is not None and not math.isnan(s.errors_low[i]) else v
    hl = _highlighted(chart, s, i)
    spots = point_spots((v, p), (max(v, hi_end), p), (min(v, lo_end), p), style.font_size_pt * 0.45,
                        mpl_colour(style.text), "bold" if hl else "normal", rows=True)  # fmt: skip
    return ValueLabel(label_texts(chart, v, i, len(chart.series)), spots, max(MIN_TEXT_PT, style.font_size_pt * 0.9),
                      priority=1 if hl else 2, element=(j, i))  # fmt: skip


def draw_line(fig: Figure, chart: Chart, style: ChartStyle) -> Plot:
    ax = fig.add_subplot()
    plot = Plot(ax, False)
    _, legend_colours = series_colours(chart, style)
    positions = list(range(len(chart.categories)))
    marker = style.font_size_pt * 0.55
    for j, s in enumerate(chart.series):
        colour = legend_colours[j]
        line = ax.plot(positions, s.values, color=colour, linewidth=3, marker="o", markersize=marker, zorder=3,
                       label=s.name)[0]  # fmt: skip
        line.set_gid(f"line:{j}:-1")
        # A highlighted category is a larger dot in the accent colour on every line.
        for i, c in enumerate(chart.categories):
            if c in chart.base.highlight and not math.isnan(s.values[i]):
                tag(ax.plot([i], [s.values[i]], marker="o", markersize=marker * 1.5, color=mpl_colour(style.accent),
                            zorder=4)[0], j, i)  # fmt: skip
        if s.errors_low is not None and s.errors_high is not None:
            draw_interval(ax, positions, s.values, s.errors_low, s.errors_high, style, False, series=j)
        for i, (p, v) in enumerate(zip(positions, s.values)):
            if math.isnan(v):
                if j == 0 and all(math.isnan(t.values[i]) for t in chart.series):
                    plot.labels.append(missing_mark(ax, style, False, float(p)))
            elif chart.base.value_labels:
                hl = _highlighted(chart, s, i)
                spots = point_spots((p, v), (p, v), (p, v), marker / 2, colour, "bold" if hl else "normal", rows=False)
                plot.labels.append(ValueLabel(label_texts(chart, v, i, len(chart.series)), spots,
                                              max(MIN_TEXT_PT, style.font_size_pt * 0.9), priority=1 if hl else 2,
                                              element=(j, i)))  # fmt: skip
    category_axis(ax, chart, style, fig, False, positions)
    style_value_axis(ax, chart, False)
    plot.fixed_lo = chart.axis.y_min is not None
    plot.fixed_hi = chart.axis.y_max is not None
    plot.rules = reference_lines(ax, chart, style, False)
    if len(chart.series) > 1:
        series_legend(ax, chart, style, legend_colours)
    ax.margins(x=0.06, y=0.1)
    return plot


def draw_slope(fig: Figure, chart: Chart, style: ChartStyle) -> Plot:
    """A slope chart: the categories (two, or a few) across, each series a line from the first to the last,
    named at its left end and valued at both ends — a contrast read as the steepness of its lines."""
    ax = fig.add_subplot()
    plot = Plot(ax, False)
    _, legend_colours = series_colours(chart, style)
    positions = list(range(len(chart.categories)))
    marker = style.font_size_pt * 0.6
    size = max(MIN_TEXT_PT, style.font_size_pt * 0.9)
    last = len(positions) - 1
    for j, s in enumerate(chart.series):
        colour = legend_colours[j]
        emphasis = bool(chart.base.highlight) and s.name in chart.base.highlight
        line = ax.plot(positions, s.values, color=colour, linewidth=4 if emphasis else 3, marker="o",
                       markersize=marker, zorder=4 if emphasis else 3)[0]  # fmt: skip
        line.set_gid(f"line:{j}:-1" if chart.base.reveal == "points" else f"element:{j}:-1")
        # Names and values in the text colour (a muted line's grey would be too faint to read), bold on the
        # highlighted line; the line beside each says which is which.
        weight, ink = "bold" if emphasis else "normal", mpl_colour(style.text)
        for i, v in enumerate(s.values):
            if math.isnan(v) or not (chart.base.value_labels or i in (0, last)):
                continue
            text = label_texts(chart, v, i, len(chart.series)) if chart.base.value_labels else ("",)
            if i == 0 and len(chart.series) > 1:  # the line's name at its start, with the first value
                text = tuple(f"{s.name}\u2002{t}".rstrip() for t in text) + (s.name,)
            # Beside the end first; a little above or below it where two lines end close together.
            side = [Spot((i, v), (-marker, dy), "right", "center", ink, weight=weight)
                    for dy in (0, size * 0.7, -size * 0.7)] if i == 0 else []
            side += [Spot((i, v), (marker, dy), "left", "center", ink, weight=weight)
                     for dy in (0, size * 0.7, -size * 0.7)] if i == last else []
            above = point_spots((i, v), (i, v), (i, v), marker / 2, ink, weight, rows=False)
            plot.labels.append(ValueLabel(text, side + above, size, priority=1 if emphasis else 2, element=(j, i)))
    category_axis(ax, chart, style, fig, False, positions)
    style_value_axis(ax, chart, False)
    ax.grid(False)
    ax.yaxis.set_visible(False)  # the ends carry the values; a value axis would repeat them
    for position in positions:
        ax.axvline(position, color=mpl_colour(style.grid), linewidth=1.5, zorder=1)
    plot.fixed_lo = chart.axis.y_min is not None
    plot.fixed_hi = chart.axis.y_max is not None
    plot.rules = reference_lines(ax, chart, style, False)
    # Room at both ends for names and values: the plot stays within the middle of the picture.
    ax.set_xlim(-0.9 if len(chart.series) > 1 else -0.4, last + 0.5)
    ax.margins(y=0.12)
    return plot

