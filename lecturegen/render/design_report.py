"""Render layer: the one-page design report — the lint's rules as a table and words per slide — as a PNG.

It draws a summary the compile layer decided (`compile/design.py::design_summary`): which rules a talk breaks,
on how many slides, and the worst slide of each. Nothing is measured here. matplotlib's object API only
(no pyplot state), a font matplotlib ships, and no Software chunk: the same summary gives the same bytes.
"""

from __future__ import annotations

import io
import math
import textwrap
from typing import Any, Protocol, Sequence

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox

PAGE_IN = (11.69, 8.27)  # A4 landscape: prints on one page and reads on a screen
DPI = 150
_INK = "#262626"
_MUTED = "#6B6B6B"
_GRID = "#D9D9D9"
_WITHIN = "#0072B2"  # Okabe & Ito blue and vermilion: apart for every common colour-vision deficiency
_OVER = "#D55E00"
_OVER_FILL = "#FBE3D6"
_HEADER_FILL = "#EDEDED"
# Keys are rcParams names; matplotlib's stub types rc_context's dict with a Literal of every known key.
_RC: dict[Any, Any] = {
    "font.family": "DejaVu Sans",  # ships with matplotlib: the report looks the same on every machine
    "font.size": 10.0,
    "text.color": _INK,
    "axes.edgecolor": _MUTED,
    "axes.labelcolor": _INK,
    "xtick.color": _INK,
    "ytick.color": _INK,
    "svg.hashsalt": "lecturegen",
}


class RuleRow(Protocol):
    """One rule of the summary, as the report reads it."""

    @property
    def label(self) -> str: ...

    @property
    def limit(self) -> str: ...

    @property
    def checked(self) -> int: ...

    @property
    def over(self) -> int: ...

    @property
    def worst(self) -> str: ...

    @property
    def per_slide(self) -> bool: ...


class DesignReport(Protocol):
    """What the report shows (compile's DesignSummary is one)."""

    @property
    def rows(self) -> Sequence[RuleRow]: ...

    @property
    def words(self) -> Sequence[tuple[int, int]]: ...

    @property
    def max_words(self) -> int | None: ...

    @property
    def slides(self) -> int: ...

    @property
    def slides_over(self) -> int: ...

    @property
    def width_in(self) -> float: ...


def render_design_report(summary: DesignReport, title: str) -> bytes:
    """The report as PNG bytes: header, rule table, histogram of words per slide, words along the talk."""
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=PAGE_IN, dpi=DPI, facecolor="white")
        FigureCanvasAgg(fig)
        _header(fig, summary, title)
        _table(fig.add_axes((0.04, 0.32, 0.57, 0.54)), summary.rows)
        _histogram(fig, fig.add_axes((0.68, 0.42, 0.29, 0.42)), summary)
        _along_the_talk(fig.add_axes((0.06, 0.10, 0.91, 0.15)), summary)
        fig.text(0.04, 0.015, "Words: visible text outside the title, captions, source lines and citation markers; "
                 "text inside charts is not counted. Sizes are limits on a 13.33 in slide, scaled to the slide's "
                 "width.", fontsize=8.5, color=_MUTED)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white")
    return buf.getvalue()


def _header(fig: Figure, summary: DesignReport, title: str) -> None:
    # DejaVu Sans Bold averages about 0.65 em a character: the page holds ~60 at 18 pt, ~75 at 15 pt.
    size = 18 if len(title) <= 60 else 15
    fig.text(0.04, 0.95, textwrap.shorten(title, 75, placeholder=" …"), fontsize=size, fontweight="bold", va="top")
    broken = sum(1 for row in summary.rows if row.over)
    line = (f"Design report · {summary.slides} slides, {summary.slides_over} over at least one slide rule · "
            f"{broken} of {len(summary.rows)} rules broken · slide {summary.width_in:.2f} in wide")
    fig.text(0.04, 0.905, line, fontsize=11, color=_MUTED, va="top")


def _table(ax: Axes, rows: Sequence[RuleRow]) -> None:
    ax.set_axis_off()
    header = ("Rule", "Limit", "Over", "Worst")
    cells = [[row.label, row.limit, _over_text(row), row.worst or "—"] for row in rows]
    colours = [[_OVER_FILL if row.over else "white"] * len(header) for row in rows]
    table = ax.table(cellText=cells, colLabels=header, cellColours=colours, colColours=[_HEADER_FILL] * len(header),
                     colWidths=(0.29, 0.32, 0.13, 0.26), cellLoc="left", colLoc="left", loc="upper left",
                     bbox=Bbox.from_bounds(0.0, 0.0, 1.0, 1.0))
    table.auto_set_font_size(False)
    for (row_index, column), cell in table.get_celld().items():
        cell.set_edgecolor(_GRID)
        cell.set_fontsize(10.5)
        cell.PAD = 0.03
        text = cell.get_text()
        if row_index == 0:
            text.set_fontweight("bold")
        elif rows[row_index - 1].over and column == 2:
            text.set_color(_OVER)
            text.set_fontweight("bold")


def _over_text(row: RuleRow) -> str:
    if not row.checked:
        return "—"
    if not row.per_slide:
        return "yes" if row.over else "no"
    return f"{row.over} of {row.checked}"


def _histogram(fig: Figure, ax: Axes, summary: DesignReport) -> None:
    counts = [words for _, words in summary.words]
    limit = summary.max_words
    ax.set_title("Words per slide", loc="left", fontsize=12, fontweight="bold")
    if not counts:
        ax.set_axis_off()
        ax.text(0.0, 0.5, "no slide the words rule applies to", color=_MUTED, transform=ax.transAxes)
        return
    # Bins of five words with an edge just above the limit: a slide at the limit is in a bar within it.
    step = 5
    anchor = (limit if limit is not None else 0) + 0.5
    low = anchor - step * math.ceil((anchor + 0.5) / step)
    bins = math.ceil((max(counts) + 0.5 - low) / step) + 1
    edges = [low + step * i for i in range(bins + 1)]
    heights = [sum(1 for c in counts if left <= c < left + step) for left in edges[:-1]]
    colours = [_OVER if limit is not None and left > limit else _WITHIN for left in edges[:-1]]
    ax.bar(edges[:-1], heights, width=step, align="edge", color=colours, edgecolor="white", linewidth=0.8)
    if limit is not None:
        ax.axvline(limit, color=_INK, linewidth=1.4, linestyle="--")
        ax.text(limit, 1.0, f" limit {limit}", transform=ax.get_xaxis_transform(), va="top", ha="left",
                fontsize=10)
    ax.set_xlabel("words on the slide")
    ax.set_ylabel("slides")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", color=_GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    densest = sorted(summary.words, key=lambda item: (-item[1], item[0]))[:4]
    fig.text(0.68, 0.345, "Densest slides (words):\n" + ", ".join(f"{n} ({w})" for n, w in densest), fontsize=10,
             va="top")


def _along_the_talk(ax: Axes, summary: DesignReport) -> None:
    """Words on each slide in talk order: where the dense stretches are."""
    ax.set_title("Words on each slide, in talk order", loc="left", fontsize=12, fontweight="bold")
    if not summary.words:
        ax.set_axis_off()
        return
    limit = summary.max_words
    numbers = [n for n, _ in summary.words]
    counts = [w for _, w in summary.words]
    colours = [_OVER if limit is not None and w > limit else _WITHIN for w in counts]
    ax.bar(numbers, counts, width=0.8, color=colours)
    if limit is not None:
        ax.axhline(limit, color=_INK, linewidth=1.2, linestyle="--")
    ax.set_xlim(0.3, summary.slides + 0.7)
    ax.set_xlabel("slide number (slides the words rule exempts are left out)", fontsize=9)
    ax.grid(axis="y", color=_GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
