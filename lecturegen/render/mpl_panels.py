"""Render layer: charts without a value axis drawn with matplotlib — donuts, waffles and timelines."""

from __future__ import annotations

import math
from typing import Sequence

from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Rectangle

from lecturegen.model.chart import Chart
from lecturegen.model.chart_text import TimelinePlan, format_value, plan_timeline
from lecturegen.model.colour import blend
from lecturegen.render.chart_style import MIN_TEXT_PT, ChartStyle
from lecturegen.render.mpl_axes import number_format, series_colours
from lecturegen.render.mpl_text import Metrics, mpl_colour, plain_colour, wrap_label


def _pie_centre(chart: Chart, values: Sequence[float], colours: Sequence[str],
                style: ChartStyle) -> tuple[float, str, str] | None:
    """What the donut's hole says: the highlighted slice if the title talks about one, else the total, unless
    the slices are shares of a whole (a total of 100 % tells the room nothing)."""
    highlight = chart.base.highlight
    for category, value, colour in zip(chart.categories, values, colours):
        if category in highlight:
            # The hole holds about 14 characters at the small size: a long category keeps its first word (the
            # legend beside it, in bold, names it in full).
            return value, colour, category if len(category) <= 14 else category.split()[0][:14]
    total = sum(values)
    if abs(total - 100.0) <= 0.5 or abs(total - 1.0) <= 0.005:
        return None
    return total, mpl_colour(style.text), "in total"


def draw_pie(fig: Figure, chart: Chart, style: ChartStyle) -> None:
    """A donut with the total in the middle and a value legend: no crowded slice labels."""
    ax = fig.add_subplot()
    s = chart.series[0]
    fmt = number_format(chart)
    colours, _ = series_colours(chart, style)
    slice_colours = colours[0]
    ax.pie(s.values, colors=slice_colours, startangle=90, counterclock=False,
           wedgeprops=dict(width=0.36, edgecolor=mpl_colour(style.background), linewidth=2.5))  # fmt: skip
    centre = _pie_centre(chart, s.values, slice_colours, style)
    if centre is not None:
        value, colour, caption = centre
        ax.text(0, 0.06, format_value(value, fmt), ha="center", va="center", fontsize=style.font_size_pt * 1.8,
                fontweight="bold", color=colour)  # fmt: skip
        ax.text(0, -0.24, caption, ha="center", va="center", fontsize=style.small_pt)
    ax.set_aspect("equal")
    handles = [Rectangle((0, 0), 1, 1, color=c) for c in slice_colours]
    labels = [f"{c}  {format_value(v, fmt)}" for c, v in zip(chart.categories, s.values)]
    legend = ax.legend(handles, labels, loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False, handlelength=1.0,
                       handleheight=1.0, fontsize=style.font_size_pt, labelspacing=0.8)  # fmt: skip
    for text, category in zip(legend.get_texts(), chart.categories):
        if category in chart.base.highlight:
            text.set_fontweight("bold")


def draw_waffle(fig: Figure, chart: Chart, style: ChartStyle) -> None:
    """One panel per row: `n of total` squares, the count in the accent colour, then the rest muted.

    With `highlight`, the highlighted panel keeps the accent and the others count in a quiet grey."""
    counts, totals = chart.series[0].values, chart.series[1].values
    panels = len(counts)
    metrics = Metrics(fig)
    w, h = fig.get_figwidth(), fig.get_figheight()
    big = style.font_size_pt * 2.6
    highlight = set(chart.base.highlight)
    quiet = "#" + blend(plain_colour(style.text), plain_colour(style.background), 0.45)
    note_h = note_height(fig, chart, style)
    text_h = (big * 1.3 + style.font_size_pt * 2.8) / 72  # "8 of 8" plus two lines of label, inches
    for k, (n, total, cat) in enumerate(zip(counts, totals, chart.categories)):
        total_i, n_i = int(total), int(n)
        cols = total_i if total_i <= 10 else math.ceil(math.sqrt(total_i * 2))
        rows = math.ceil(total_i / cols)
        panel_w = w / panels * 0.9
        room = h - note_h
        cell = min(panel_w / cols, (room - text_h - 0.4) / rows, 0.9)  # inches; capped so 8 squares stay squares
        block_w, block_h = cell * cols, cell * rows
        mid = (k + 0.5) / panels
        top = note_h + (room - (block_h + text_h)) / 2 + block_h + text_h  # centre squares + text vertically
        ax = fig.add_axes((mid - block_w / 2 / w, (top - block_h) / h, block_w / w, block_h / h))
        ax.set_xlim(0, cols)
        ax.set_ylim(rows, 0)
        ax.axis("off")
        lit = mpl_colour(style.accent) if not highlight or cat in highlight else quiet
        for i in range(total_i):
            r, c = divmod(i, cols)
            colour = lit if i < n_i else mpl_colour(style.muted)
            ax.add_patch(FancyBboxPatch((c + 0.08, r + 0.08), 0.84, 0.84, boxstyle="round,pad=0,rounding_size=0.12",
                                        fc=colour, ec="none"))  # fmt: skip
        y_text = (top - block_h - 0.15) / h
        noun = chart.series[0].name.lower()
        fig.text(mid, y_text, f"{n_i} of {total_i}", ha="center", va="top", fontsize=big, fontweight="bold", color=lit)
        sub = noun if cat == chart.base.title else cat
        fig.text(mid, y_text - big * 1.25 / 72 / h, wrap_label(metrics, sub, style.font_size_pt, panel_w * 72), ha="center",
                 va="top", fontsize=style.font_size_pt)  # fmt: skip


def note_text(chart: Chart) -> str:
    parts = [chart.axis.axis_note, chart.base.note]
    return ". ".join(p.rstrip(".") for p in parts if p) + ("." if any(parts) else "")


def note_height(fig: Figure, chart: Chart, style: ChartStyle) -> float:
    """Inches the note under a freely laid out chart takes (with its margin)."""
    note = note_text(chart)
    if not note:
        return 0.0
    lines = wrap_label(Metrics(fig), note, style.small_pt, fig.get_figwidth() * 72 * 0.96).count("\n") + 1
    return (lines * style.small_pt * 1.25 + style.small_pt * 0.6) / 72


def draw_timeline(fig: Figure, chart: Chart, style: ChartStyle) -> None:
    """Years down a line, events beside them: the largest size, then the fewest columns, that fit."""
    w_pt, h_pt = fig.get_figwidth() * 72, fig.get_figheight() * 72
    top_pt = style.small_pt * 1.8 if chart.illustrative else 0.0  # the stamp, top right
    bottom_pt = note_height(fig, chart, style) * 72
    plan: TimelinePlan = plan_timeline(chart.categories, chart.labels or chart.categories, w_pt,
                                       h_pt - top_pt - bottom_pt, Metrics(fig), style.font_size_pt, MIN_TEXT_PT)
    highlight = set(chart.base.highlight)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, w_pt)
    ax.set_ylim(h_pt, 0)
    ax.axis("off")
    size, line = plan.size_pt, plan.line_pt
    ends: dict[int, tuple[float, float]] = {}
    for row, text in zip(plan.rows, chart.labels or chart.categories):
        if row.top_pt + top_pt + len(row.lines) * line > h_pt - bottom_pt + 0.5:
            continue  # only when nothing fits at 14 pt: the build has said so; never draw off the picture
        x = plan.margin_pt + row.column * plan.column_width_pt
        top = top_pt + row.top_pt
        dot_x = x + plan.year_width_pt + size * 0.5
        mid = top + line / 2
        emph = row.year in highlight or text in highlight
        colour = mpl_colour(style.accent) if emph else mpl_colour(style.text)
        ax.text(x + plan.year_width_pt - size * 0.3, mid, row.year, ha="right", va="center", fontsize=size,
                fontweight="bold", color=colour)  # fmt: skip
        ax.plot([dot_x], [mid], marker="o", markersize=size * 0.55, zorder=3,
                color=mpl_colour(style.accent) if emph else mpl_colour(style.palette[0] if style.palette else style.text))  # fmt: skip
        for k, piece in enumerate(row.lines):
            ax.text(dot_x + size * 1.1, mid + k * line, piece, ha="left", va="center", fontsize=size,
                    fontweight="bold" if emph else "normal")  # fmt: skip
        first, _ = ends.get(row.column, (mid, mid))
        ends[row.column] = (first, mid)
    for column, (first, last) in ends.items():
        dot_x = plan.margin_pt + column * plan.column_width_pt + plan.year_width_pt + size * 0.5
        ax.plot([dot_x, dot_x], [first, last], color=mpl_colour(style.grid), linewidth=2, zorder=1)
