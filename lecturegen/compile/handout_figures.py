"""Compile layer: charts for paper: the size each chart is drawn and printed at, and crowded charts thinned."""

from __future__ import annotations

import dataclasses
import math
import textwrap

from lecturegen.compile.handout_text import printed
from lecturegen.diagnostics import Diagnostic
from lecturegen.model.chart import MAX_PICTURE_VALUES, Chart, Reference, with_axis, with_base
from lecturegen.model.deck import Deck, Slide
from lecturegen.model.handout import ChartBlock, Figure
from lecturegen.model.text import Run

Runs = tuple[Run, ...]

# ── charts for paper ─────────────────────────────────────────────────────────────────────────────

# Charts are drawn larger than they print and scaled down: the drawer's smallest type (14 pt, its
# floor) then prints at 14 × 0.62 ≈ 8.7 pt and the tick labels (16 pt) at about 10 pt.
FIGURE_FONT_PT = 16.0
CHART_MIN_FONT_PT = 14.0  # render/chart_style.py MIN_TEXT_PT: the drawer never goes below it
PRINT_SCALE = 0.62
MIN_PRINTED_PT = 8.0
CHART_DPI = 200
# A full-width figure taller than this on paper would leave its page mostly to itself.
MAX_PRINT_HEIGHT_IN = 5.6
KEY_CHART_MAX_PRINT_HEIGHT_IN = 2.9
KEY_CHART_GAP_PT = 18.0
# A generous average glyph width (in ems) for checking that a word fits, wider than the drawer's 0.52.
WIDE_GLYPH = 0.56


def _chars(width_in: float, size_pt: float) -> int:
    # The drawer's own estimate of how many characters a line holds (average glyph ≈ half the size).
    return int(width_in * 72 / (size_pt * 0.52))


def _wrapped_lines(text: str, width_chars: int) -> int:
    return max(1, len(textwrap.wrap(text, max(6, width_chars), break_long_words=False)))


def _vertical(chart: Chart) -> bool:
    return chart.type in ("bar", "grouped-bar", "stacked", "line", "slope") and not chart.horizontal \
        and not (chart.type == "stacked" and len(chart.categories) == 1)


def _timeline_height(chart: Chart, width_in: float, cols: int) -> float:
    """Points of height the timeline drawer needs for `cols` columns at the figure's type size."""
    size = FIGURE_FONT_PT
    margin, line_h, year_w = size * 0.6, size * 1.4, size * 2.6
    col_w = (width_in * 72 - margin * 2) / cols
    chars = _chars((col_w - year_w - size * 1.8) / 72, size)
    texts = list(chart.labels or chart.categories)
    per_col = math.ceil(len(texts) / cols) if texts else 0
    heights = [sum(_wrapped_lines(t, chars) * line_h + size * 0.5 for t in texts[c * per_col:(c + 1) * per_col])
               for c in range(cols)]
    return max(heights, default=0.0) + margin * 2


def figure_height_in(chart: Chart, width_in: float, max_print_height_in: float = MAX_PRINT_HEIGHT_IN) -> float:
    """The height a chart's content needs when drawn `width_in` wide at the figure type size.

    Estimated as the drawer lays each kind out (rows of categories, wrapped labels, legend, axis
    titles); the figure is given that room so that nothing has to shrink or overlap.
    """
    size = FIGURE_FONT_PT
    line = size / 72
    n, m = max(1, len(chart.categories)), max(1, len(chart.series))
    if chart.axis.label_every > 1:  # a crowded chart (see `paper_chart`): laid out for the categories it names
        n, m = math.ceil(n / chart.axis.label_every), 1
    extra = 0.0
    if chart.base.note:
        extra += _wrapped_lines(chart.base.note, _chars(width_in * 0.95, CHART_MIN_FONT_PT)) * line * 1.3
    if chart.illustrative and chart.type not in ("waffle", "timeline"):
        extra += line * 1.6
    if chart.type == "timeline":
        one = _timeline_height(chart, width_in, 1)
        # One column whenever it fits on paper: a second column is where long labels can run into
        # the next column's years.
        if one / 72 * PRINT_SCALE <= max_print_height_in:
            return round(one / 72 + 0.06, 2)
        return round(_timeline_height(chart, width_in, 2) / 72 + 0.06, 2)
    if chart.type == "waffle":
        panel_w = width_in / n * 0.9
        heights = []
        for i in range(n):
            total = int(chart.series[1].values[i]) if len(chart.series) > 1 and i < len(chart.series[1].values) else 10
            total = max(total, 1)
            cols = total if total <= 10 else math.ceil(math.sqrt(total * 2))
            rows = math.ceil(total / cols)
            cell = min(panel_w / cols, 0.9)
            label_lines = _wrapped_lines(chart.categories[i] if i < len(chart.categories) else "",
                                         _chars(panel_w, size))
            text_h = (size * 2.6 * 1.3 + size * 2.8) / 72 + max(0, label_lines - 2) * line * 1.2
            heights.append(cell * rows + text_h + 0.4)
        return round(max(heights) + 0.3 + extra, 2)
    if chart.type == "pie":
        return round(max(width_in * 0.4, (n * 1.5 + 1.5) * line) + extra, 2)
    titled_value_axis = bool(chart.axis.y_title)
    titled_category_axis = bool(chart.axis.x_title)
    if not _vertical(chart):
        # Horizontal bars, dot plots and part-of-a-whole bars: one row per category.
        if chart.type == "stacked" and len(chart.categories) == 1:
            legend_rows = math.ceil(m / 4)
            return round(1.5 + legend_rows * line * 1.5 + line * 1.6 + extra, 2)
        label_lines = max(_wrapped_lines(c, _chars(width_in * 0.4, size)) for c in chart.categories or ("",))
        if chart.type == "dot":
            per_category = max(label_lines * 1.45, 2.5 + 0.6 * (m - 1))
        else:
            per_category = max(label_lines * 1.45, 1.8 if m == 1 else 1.0 * m + 0.6)
        lines = n * per_category + 2.4 + (1.6 if m > 1 else 0.0) + (1.4 if titled_value_axis else 0.0)
        return round(lines * line + 0.3 + extra, 2)
    per = width_in * 0.85 / n
    label_lines = max(_wrapped_lines(c, _chars(per, size)) for c in chart.categories or ("",))
    plot = min(max(width_in * 0.3, 2.6), 3.6)
    lines = label_lines * 1.25 + 1.6 + (1.6 if m > 1 else 0.0) + (1.4 if titled_category_axis else 0.0)
    return round(plot + lines * line + extra, 2)


def labels_fit(chart: Chart, width_in: float) -> bool:
    """Whether every category label's longest word fits the room the drawer gives it at this width.

    The drawer wraps labels at spaces only; a word wider than its slot runs into its neighbour (on a
    column chart with many categories drawn narrow, 'Psychometric' over 'Cognitive').
    """
    if chart.type in ("timeline", "waffle", "pie") or not chart.categories:
        return True
    longest = max((len(word) for c in chart.categories for word in c.split()), default=0)
    need_pt = longest * FIGURE_FONT_PT * WIDE_GLYPH
    if _vertical(chart):
        return need_pt <= width_in * 0.85 / len(chart.categories) * 72 - FIGURE_FONT_PT * 0.5
    return need_pt <= width_in * 0.4 * 72


def figure_for(chart: Chart, print_width_in: float, max_print_height_in: float = MAX_PRINT_HEIGHT_IN) -> Figure:
    width_in = round(print_width_in / PRINT_SCALE, 2)
    height_in = figure_height_in(chart, width_in, max_print_height_in)
    # Shrinking below this would print the drawer's smallest type under the legible minimum.
    min_scale = MIN_PRINTED_PT / CHART_MIN_FONT_PT
    return Figure(width_in, height_in, FIGURE_FONT_PT, CHART_DPI, print_width_in,
                  min(print_width_in, math.ceil(width_in * min_scale * 1000) / 1000))


# A chart drawn on paper with more values than a picture shows (a native chart may have 10,000) is drawn plain:
# matplotlib spends ~12 ms on each labelled value and on each category name (1,000 categories: over a minute).
CROWDED_NAMED_CATEGORIES = 12  # category names on the axis of a crowded chart: every k-th one
CROWDED_PIE_SLICES = 12  # a crowded pie: the largest 11 slices and one for all the others


def crowded(chart: Chart) -> bool:
    """More values than a chart drawn as a picture shows in full (MAX_PICTURE_VALUES)."""
    return len(chart.categories) * max(1, len(chart.series)) > MAX_PICTURE_VALUES


def paper_chart(chart: Chart) -> tuple[Chart, Runs]:
    """The chart as drawn for paper, and a line its caption gains.

    On a column chart the drawer writes a reference line's label at the right end of the line,
    over the last column when that column is taller (the 'α = .90' on a bar); on paper the line
    stays and its label moves into the caption ('Dashed line: α = .90.'). A crowded chart (a native
    one of hundreds of categories) is drawn without value labels, naming every k-th category; a
    crowded pie keeps its largest slices and joins the others.
    """
    references = chart.axis.references
    labelled = [ref.label for ref in references if ref.label]
    note: Runs = ()
    if labelled and _vertical(chart):
        noun = "Dashed line" if len(labelled) == 1 else "Dashed lines"
        chart = with_axis(chart, references=tuple(Reference(ref.value) for ref in references))
        note = (Run(f"{noun}: {'; '.join(labelled)}. "),)
    if crowded(chart):
        chart, line = _plain_chart(chart)
        note += (Run(line),)
    return chart, note


def _plain_chart(chart: Chart) -> tuple[Chart, str]:
    n = len(chart.categories)
    if chart.type == "pie" and chart.series:
        values = chart.series[0].values
        kept = sorted(sorted(range(n), key=lambda i: -_number(values[i]))[:CROWDED_PIE_SLICES - 1])
        rest = n - len(kept)
        chosen = set(kept)
        other = sum(_number(values[i]) for i in range(n) if i not in chosen)
        series = dataclasses.replace(chart.series[0], values=tuple(values[i] for i in kept) + (other,),
                                     errors_low=None, errors_high=None)
        categories = tuple(chart.categories[i] for i in kept) + (f"{rest:,} others",)
        return (dataclasses.replace(chart, categories=categories, series=(series,), labels=()),
                f"The {len(kept)} largest of {n:,} slices; the other {rest:,} together. ")
    every = math.ceil(n / CROWDED_NAMED_CATEGORIES)
    return (with_axis(with_base(chart, value_labels=False), label_every=every),
            f"{n:,} categories: drawn without values, every {_ordinal(every)} category named. ")


def _number(value: float) -> float:
    return 0.0 if math.isnan(value) else value


def _ordinal(k: int) -> str:
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def crowded_chart_warnings(deck: Deck) -> list[Diagnostic]:
    """A warning for each chart the handout draws plain (see `paper_chart`), at its slide."""
    out = []
    for slide in deck.slides:
        chart = slide.chart
        if slide.hidden or chart is None or not crowded(chart):
            continue
        values = len(chart.categories) * max(1, len(chart.series))
        every = _ordinal(math.ceil(len(chart.categories) / CROWDED_NAMED_CATEGORIES))
        done = (f"keeps its {CROWDED_PIE_SLICES - 1} largest slices and joins the others" if chart.type == "pie"
                else f"is drawn without value labels, naming every {every} category")
        out.append(Diagnostic("warning", f"chart of {values:,} values: on paper it {done} (a picture shows at most "
                              f"{MAX_PICTURE_VALUES} values in full)", "handout.chart-crowded", slide.location))
    return out


def chart_block(slide: Slide, chart: Chart, print_width_in: float,
                max_print_height_in: float = MAX_PRINT_HEIGHT_IN) -> ChartBlock:
    drawn, note = paper_chart(chart)
    stamp = (Run("Illustrative data, not from a study. ", bold=True),) if chart.illustrative else ()
    return ChartBlock(drawn, figure_for(drawn, print_width_in, max_print_height_in), printed(slide.title),
                      stamp + note + printed(slide.caption), printed(chart.source), chart.alt, chart.illustrative)
