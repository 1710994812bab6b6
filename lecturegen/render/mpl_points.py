"""Render layer: charts of points drawn with matplotlib — dot plots, line charts and slope charts."""

from __future__ import annotations

import math

from matplotlib.figure import Figure

from lecturegen.model.chart import Chart
from lecturegen.render.chart_style import MIN_TEXT_PT, ChartStyle
from lecturegen.render.mpl_axes import (series_colours, style_value_axis, reference_lines, label_texts, missing_mark, fit_font, draw_interval, category_axis, series_legend, point_spots)
from lecturegen.render.mpl_text import (mpl_colour, ValueLabel, Plot)


def draw_dots(fig: Figure, chart: Chart, style: ChartStyle) -> Plot:
    horizontal = True  # dot plots read best with categories down the side
    style = fit_font(fig, chart, style, horizontal)
    ax = fig.add_subplot()
    plot = Plot(ax, horizontal)
    n, m = len(chart.categories), len(chart.series)
    colours, legend_colours = series_colours(chart, style)
    highlight = set(chart.base.highlight)
    positions = list(range(n))
    radius = style.font_size_pt * 0.45
    start = chart.axis.y_min
    for j, s in enumerate(chart.series):
        offs = [p + (j - (m - 1) / 2) * 0.22 for p in positions]
        has_ci = s.errors_low is not None and s.errors_high is not None
        if s.errors_low is not None and s.errors_high is not None:
            for p, lo, hi, c in zip(offs, s.errors_low, s.errors_high, colours[j]):
                if not (math.isnan(lo) or math.isnan(hi)):
                    ax.plot([lo, hi], [p, p], color=c, linewidth=3, zorder=3, solid_capstyle="round")
        else:
            for p, v in zip(offs, s.values):
                if not math.isnan(v):
                    ax.plot([0 if start is None else start, v], [p, p], color=mpl_colour(style.grid), linewidth=1.5, zorder=2)
        ax.scatter(s.values, offs, s=(radius * 2) ** 2, color=colours[j], zorder=4,
                   edgecolor=mpl_colour(style.background), linewidth=1.5)  # fmt: skip
        for i, (p, v) in enumerate(zip(offs, s.values)):
            if math.isnan(v):
                if m == 1 or all(math.isnan(t.values[i]) for t in chart.series):
                    if j == 0:
                        plot.labels.append(missing_mark(ax, style, horizontal, float(positions[i])))
                continue
            if not chart.base.value_labels:
                continue
            hi_end = s.errors_high[i] if has_ci and s.errors_high is not None and not math.isnan(s.errors_high[i]) else v
            lo_end = s.errors_low[i] if has_ci and s.errors_low is not None and not math.isnan(s.errors_low[i]) else v
            hl = chart.categories[i] in highlight or s.name in highlight
            spots = point_spots((v, p), (max(v, hi_end), p), (min(v, lo_end), p), radius, mpl_colour(style.text),
                                 "bold" if hl else "normal", rows=True)  # fmt: skip
            plot.labels.append(ValueLabel(label_texts(chart, v, i, m), spots, max(MIN_TEXT_PT, style.font_size_pt * 0.9),
                                      priority=1 if hl else 2))  # fmt: skip
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


def draw_line(fig: Figure, chart: Chart, style: ChartStyle) -> Plot:
    ax = fig.add_subplot()
    plot = Plot(ax, False)
    colours, legend_colours = series_colours(chart, style)
    highlight = set(chart.base.highlight)
    positions = list(range(len(chart.categories)))
    show_values = chart.base.value_labels
    marker = style.font_size_pt * 0.55
    for j, s in enumerate(chart.series):
        colour = legend_colours[j]
        ax.plot(positions, s.values, color=colour, linewidth=3, marker="o", markersize=marker, zorder=3, label=s.name)
        # A highlighted category is a larger dot in the accent colour on every line.
        for i, c in enumerate(chart.categories):
            if c in highlight and not math.isnan(s.values[i]):
                ax.plot([i], [s.values[i]], marker="o", markersize=marker * 1.5, color=mpl_colour(style.accent), zorder=4)
        if s.errors_low is not None and s.errors_high is not None:
            draw_interval(ax, positions, s.values, s.errors_low, s.errors_high, style, False)
        for i, (p, v) in enumerate(zip(positions, s.values)):
            if math.isnan(v):
                if j == 0 and all(math.isnan(t.values[i]) for t in chart.series):
                    plot.labels.append(missing_mark(ax, style, False, float(p)))
                continue
            if not show_values:
                continue
            hl = chart.categories[i] in highlight or s.name in highlight
            spots = point_spots((p, v), (p, v), (p, v), marker / 2, colour, "bold" if hl else "normal", rows=False)
            plot.labels.append(ValueLabel(label_texts(chart, v, i, len(chart.series)), spots,
                                      max(MIN_TEXT_PT, style.font_size_pt * 0.9), priority=1 if hl else 2))  # fmt: skip
    category_axis(ax, chart, style, fig, False, positions)
    style_value_axis(ax, chart, False)
    plot.fixed_lo = chart.axis.y_min is not None
    plot.fixed_hi = chart.axis.y_max is not None
    plot.rules = reference_lines(ax, chart, style, False)
    if len(chart.series) > 1:
        series_legend(ax, chart, style, legend_colours)
    ax.margins(x=0.06, y=0.1)
    return plot
