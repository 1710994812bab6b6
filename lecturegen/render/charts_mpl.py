"""Render layer: a bound Chart → PNG bytes with matplotlib's object API (no pyplot, no global state).

Every chart is drawn at exactly the size of its box on the slide, so points are points: no text is smaller
than MIN_TEXT_PT where it is shown. Text is set in the slides' own font files. Value labels are placed
after the layout, from the renderer's own text extents, where they collide with nothing (see `_place`).
"""

from __future__ import annotations

import functools
import io
import math
from dataclasses import field, replace
from pathlib import Path
from typing import Any, Callable, Literal, Sequence, cast

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Rectangle
from matplotlib.text import Annotation, Text
from matplotlib.textpath import text_to_path
from matplotlib.ticker import Formatter, LogLocator, MaxNLocator, NullLocator
from matplotlib.transforms import Affine2DBase, Bbox, BboxBase, ScaledTranslation, blended_transform_factory

from lecturegen.render.chart_version import RENDERER_VERSION
from lecturegen.model.chart_text import NOT_REPORTED, TimelinePlan, format_value, plan_timeline, wrap_text
from lecturegen.model.colour import blend
from lecturegen.model.chart import Chart
from lecturegen.records import record
from lecturegen.render.chart_style import MIN_TEXT_PT, OKABE_ITO, ChartStyle, chart_colours, text_on, tick_format

__all__ = ["ChartStyle", "MIN_TEXT_PT", "OKABE_ITO", "RENDERER_VERSION", "build_figure", "drawn_texts",
           "font_stack", "render_chart_png"]

FALLBACK_FONTS = ("Carlito", "Liberation Sans", "DejaVu Sans")
GAP_PT = 3.0  # the least room between two texts, and between a value label and the edge of the plot
LABEL_PAD_PT = 5.0  # between the end of a bar (or a dot) and its label


def _hex(colour: str) -> str:
    return "#" + colour.strip().lstrip("#")


def _plain(colour: str) -> str:
    return colour.strip().lstrip("#").upper()


@functools.lru_cache(maxsize=16)
def font_stack(preferred: str, files: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The slides' own font files first (registered with the font manager), then fallbacks that exist here."""
    stack: list[str] = []
    for path in files:
        try:
            font_manager.fontManager.addfont(path)
            name = font_manager.FontProperties(fname=path).get_name()
        except (OSError, RuntimeError, ValueError):
            continue
        if name not in stack:
            stack.append(name)
    _prefer_files(files)
    for family in (preferred, *FALLBACK_FONTS):
        if not family or family in stack:
            continue
        try:
            font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
        stack.append(family)
    return tuple(stack) or ("DejaVu Sans",)


def _prefer_files(files: tuple[str, ...]) -> None:
    """Put the slides' own files first in the font list: matplotlib ships a DejaVu Sans of its own, and of two
    files with the same family and style the first listed wins, so a chart would not be drawn with the very
    file the slide text is measured with."""
    wanted = {str(Path(f).resolve()) for f in files}
    manager = font_manager.fontManager
    ours = [entry for entry in manager.ttflist if str(Path(entry.fname).resolve()) in wanted]
    if ours:
        manager.ttflist = ours + [entry for entry in manager.ttflist if entry not in ours]
        clear = getattr(getattr(manager, "_findfont_cached", None), "cache_clear", None)
        if clear is not None:
            clear()  # lookups cached before were made with the old order


# Keys are rcParams names; matplotlib's stub types rc_context's dict with a Literal of every known key.
def _rc(style: ChartStyle, dpi: int) -> dict[Any, Any]:
    text = _hex(style.text)
    return {
        # The families themselves, not "sans-serif": every Text keeps them, so it draws (and reports, with
        # get_fontname) the slides' font even outside this context.
        "font.family": list(font_stack(style.font_family, style.font_files)),
        "font.size": style.font_size_pt,
        "text.color": text,
        "text.parse_math": False,  # "$5 to $10" in a label is text, not mathematics
        "axes.labelcolor": text,
        "axes.edgecolor": text,
        "axes.facecolor": _hex(style.background),
        "axes.labelsize": style.font_size_pt,
        "axes.linewidth": 1.0,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.axisbelow": True,
        "axes.unicode_minus": True,
        "xtick.color": text,
        "ytick.color": text,
        "xtick.labelsize": style.font_size_pt,
        "ytick.labelsize": style.font_size_pt,
        "legend.fontsize": style.font_size_pt,
        "legend.frameon": False,
        "grid.color": _hex(style.grid),
        "grid.linewidth": 1.0,
        "figure.facecolor": _hex(style.background),
        "savefig.facecolor": _hex(style.background),
        "figure.dpi": dpi,
        "savefig.dpi": dpi,
        "path.simplify": True,
        "svg.hashsalt": "lecturegen",
    }


def render_chart_png(chart: Chart, style: ChartStyle, width_in: float, height_in: float, dpi: int = 200) -> bytes:
    """The chart as a PNG of exactly width×height inches at dpi; the same inputs give the same bytes."""
    from PIL import Image

    with matplotlib.rc_context(_rc(style, dpi)):
        fig = build_figure(chart, style, width_in, height_in, dpi)
        canvas = fig.canvas
        assert isinstance(canvas, FigureCanvasAgg)  # build_figure attached one
        canvas.draw()
    # Encoded straight from the renderer's own buffer: savefig would copy the picture twice on the way (a
    # colour-mapped copy, then Pillow's), about 20 MB more at the peak for a full-width chart at 200 dpi.
    # No Software chunk and no bbox_inches="tight": the size must stay what the slide reserved.
    width_px, height_px = canvas.get_width_height(physical=True)
    picture = Image.frombuffer("RGBA", (width_px, height_px), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    # Fast zlib level: a quarter of the render time went into PNG compression at the default level, for
    # files only about a fifth smaller.
    picture.save(buf, format="png", compress_level=1, dpi=(dpi, dpi))
    return buf.getvalue()


def build_figure(chart: Chart, style: ChartStyle, width_in: float, height_in: float, dpi: int = 200) -> Figure:
    """The Figure, laid out and with its layout frozen: what is measured on it is what the PNG shows."""
    with matplotlib.rc_context(_rc(style, dpi)):
        free = chart.type in ("waffle", "timeline")
        fig = Figure(figsize=(width_in, height_in), dpi=dpi, layout=None if free else "constrained")
        FigureCanvasAgg(fig)
        if not free:
            engine = fig.get_layout_engine()
            assert isinstance(engine, ConstrainedLayoutEngine)  # layout="constrained" above
            engine.set(w_pad=6 / 72, h_pad=6 / 72)
        drawer = _DRAWERS.get(chart.type)
        if drawer is None:
            raise NotImplementedError(f"no matplotlib drawing for chart type {chart.type!r}")
        plot = drawer(fig, chart, style)
        _decorations(fig, chart, style, free)
        if plot is not None:
            _settle(fig, plot)
        elif not free:
            _lay_out(fig)
            fig.set_layout_engine("none")
        else:
            fig.draw_without_rendering()
    return fig


# ---------------------------------------------------------------------------------------------
# measuring and placing text


class _Metrics:
    """Text widths in points from the font's outlines, unhinted (the FontMetrics the timeline planner takes).

    Unhinted, so that wrapping and column choices do not depend on the resolution: a chart laid out at 100 dpi
    is the chart drawn at 200."""

    line_height = 1.25

    def __init__(self, fig: Figure):
        del fig  # the same widths at every resolution

    def width(self, text: str, size_pt: float, bold: bool = False) -> float:
        prop = font_manager.FontProperties(size=size_pt, weight="bold" if bold else "normal")
        w, _, _ = text_to_path.get_text_width_height_descent(text, prop, ismath=False)
        return float(w)


def _wrap(metrics: _Metrics, label: str, size_pt: float, width_pt: float) -> str:
    """Wrapped at spaces to a measured width; a word longer than the width keeps its own line."""
    lines = wrap_text(metrics, label, size_pt, width_pt)
    if lines is None:
        lines = tuple(label.split()) or (label,)
    return "\n".join(lines)


def drawn_texts(fig: Figure) -> list[Text]:
    """Every text the figure draws: visible, not empty, tick labels only for ticks in view."""
    hidden: set[int] = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            ticks = [*axis.get_major_ticks(), *axis.get_minor_ticks()]
            if not ax.axison or not axis.get_visible():
                hidden.update(id(t) for tick in ticks for t in (tick.label1, tick.label2))
                hidden.update((id(axis.label), id(axis.offsetText)))
                continue
            lo, hi = sorted(axis.get_view_interval())
            span = hi - lo
            for group, locs in ((axis.get_major_ticks(), axis.get_majorticklocs()),
                                (axis.get_minor_ticks(), axis.get_minorticklocs())):  # fmt: skip
                for i, tick in enumerate(group):
                    if i >= len(locs) or not lo - span * 1e-9 <= locs[i] <= hi + span * 1e-9:
                        hidden.update((id(tick.label1), id(tick.label2)))
    return [t for t in fig.findobj(Text) if id(t) not in hidden and t.get_visible() and t.get_text().strip()]


def _overlaps(a: BboxBase, b: BboxBase, gap_px: float, gap_y_px: float | None = None) -> bool:
    gap_y = gap_px if gap_y_px is None else gap_y_px
    return a.x0 < b.x1 + gap_px and b.x0 < a.x1 + gap_px and a.y0 < b.y1 + gap_y and b.y0 < a.y1 + gap_y


def _inside(inner: BboxBase, outer: BboxBase, gap_px: float) -> bool:
    return (inner.x0 >= outer.x0 + gap_px - 0.01 and inner.x1 <= outer.x1 - gap_px + 0.01
            and inner.y0 >= outer.y0 + gap_px - 0.01 and inner.y1 <= outer.y1 - gap_px + 0.01)  # fmt: skip


HAlign = Literal["left", "center", "right"]
VAlign = Literal["bottom", "baseline", "center", "center_baseline", "top"]


@record(frozen=False)
class _Spot:
    """One place a value label may go: an anchor in data coordinates and an offset in points."""

    xy: tuple[float, float]
    offset: tuple[float, float]
    ha: HAlign
    va: VAlign
    colour: str
    inside_of: Any = None  # an artist (a bar) the label must lie inside
    rotation: float = 0.0
    weight: str = "normal"


@record(frozen=False)
class _Label:
    """A value label with the places it may go (in order of preference) and a shorter form of its text."""

    texts: tuple[str, ...]  # the full text first, then shorter ones ('−.060  p = .010', then '−.060')
    spots: list[_Spot]
    size: float
    priority: int = 1  # lower is placed first: 'not reported' marks, then highlighted values
    style: str = "normal"
    own: Any = None  # the bar it belongs to (not an obstacle for it)
    group: int | None = None  # the series: its labels go inside their bars alike, or outside alike
    artist: Annotation | None = None


@record(frozen=False)
class _Plot:
    """What a chart drawn on axes hands to the placing pass."""

    ax: Axes
    horizontal: bool  # the value axis is x
    labels: list[_Label] = field(default_factory=list)
    bars: list[Any] = field(default_factory=list)  # Rectangles that outside labels must keep off
    rules: list[Any] = field(default_factory=list)  # reference lines no label may cross
    fixed_lo: bool = False
    fixed_hi: bool = False


def _annotate(ax: Axes, label: _Label, spot: _Spot, text: str) -> Annotation:
    artist = ax.annotate(text, spot.xy, xytext=spot.offset, textcoords="offset points", ha=spot.ha, va=spot.va,
                         fontsize=label.size, color=spot.colour, rotation=spot.rotation, fontweight=spot.weight,
                         fontstyle=label.style, annotation_clip=False, zorder=6)  # fmt: skip
    artist.set_in_layout(False)  # labels are placed after the layout, inside the plot area it leaves
    return artist


def _move(artist: Annotation, spot: _Spot, text: str) -> None:
    artist.xy = spot.xy
    artist.set_position(spot.offset)
    artist.set_text(text)
    artist.set_horizontalalignment(spot.ha)
    artist.set_verticalalignment(spot.va)
    artist.set_color(spot.colour)
    artist.set_rotation(spot.rotation)
    artist.set_fontweight(spot.weight)


def _lay_out(fig: Figure) -> None:
    """Constrained layout, twice: a legend placed beside the axes settles only on the second pass (after one,
    a pie's legend still ran off the picture)."""
    fig.draw_without_rendering()
    fig.draw_without_rendering()


def _settle(fig: Figure, plot: _Plot) -> None:
    """Lay out, widen the value axis for the labels, freeze the layout, then place every label."""
    ax = plot.ax
    for label in plot.labels:
        label.artist = _annotate(ax, label, label.spots[0], label.texts[0])
    _lay_out(fig)
    for _ in range(3):
        if not _widen_for_labels(fig, plot):
            break
        _lay_out(fig)  # new limits, new tick labels: lay out again
    # From here on nothing moves: what is measured below is exactly what the PNG shows.
    fig.set_layout_engine("none")
    _place(fig, plot)


def _widen_for_labels(fig: Figure, plot: _Plot) -> bool:
    """Widen the value axis (where its limits are not fixed) until each label's first place is inside it."""
    ax, horizontal = plot.ax, plot.horizontal
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    box = ax.get_window_extent(renderer)
    room = (GAP_PT + 2) * fig.dpi / 72
    need_lo = need_hi = 0.0
    for label in plot.labels:
        if label.artist is None or label.spots[0].inside_of is not None or label.priority == 0:
            continue
        e = label.artist.get_window_extent(renderer)
        lo_edge, hi_edge = (e.x0 - box.x0, box.x1 - e.x1) if horizontal else (e.y0 - box.y0, box.y1 - e.y1)
        need_lo = max(need_lo, room - lo_edge)
        need_hi = max(need_hi, room - hi_edge)
    get, set_ = (ax.get_xlim, ax.set_xlim) if horizontal else (ax.get_ylim, ax.set_ylim)
    lo, hi = get()
    span_px = box.width if horizontal else box.height
    log = (ax.get_xscale() if horizontal else ax.get_yscale()) == "log"
    new_lo, new_hi = lo, hi
    if log:
        decades = math.log10(hi / lo) / max(span_px, 1)
        if need_hi > 0.5 and not plot.fixed_hi:
            new_hi = hi * 10 ** (decades * (need_hi + 4))
    else:
        per_px = (hi - lo) / max(span_px, 1)
        if need_lo > 0.5 and not plot.fixed_lo:
            new_lo = lo - (need_lo + 4) * per_px
        if need_hi > 0.5 and not plot.fixed_hi:
            new_hi = hi + (need_hi + 4) * per_px
    if (new_lo, new_hi) == (lo, hi):
        return False
    set_(new_lo, new_hi)
    for label in plot.labels:  # 'not reported' marks stand on the baseline, wherever the limits now are
        if label.priority == 0:
            for spot in label.spots:
                spot.xy = _baseline_xy(ax, plot.horizontal, spot.xy)
    return True


def _baseline_xy(ax: Axes, horizontal: bool, xy: tuple[float, float]) -> tuple[float, float]:
    lo, hi = ax.get_xlim() if horizontal else ax.get_ylim()
    base = 0.0 if min(lo, hi) <= 0 <= max(lo, hi) else min(lo, hi)
    return (base, xy[1]) if horizontal else (xy[0], base)


def _place(fig: Figure, plot: _Plot) -> None:
    """Each label at its first place that lies inside the plot and clear of every text, reference line and
    foreign bar; else its shorter text; else it is dropped (the alt text still has every value).

    A series whose labels had to go inside some bars is placed again with inside first for all of its bars,
    so that its labels read alike (all inside, except where a bar is too short for its label)."""
    first = _place_once(fig, plot, set())
    inside = {label.group for label, spot in first if label.group is not None and spot is not None
              and spot.inside_of is not None}  # fmt: skip
    result = _place_once(fig, plot, inside) if inside else first
    for label, spot in result:
        if spot is None and label.artist is not None:
            label.artist.remove()
            label.artist = None


def _place_once(fig: Figure, plot: _Plot, inside_first: set[int]) -> list[tuple[_Label, _Spot | None]]:
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    area = plot.ax.get_window_extent(renderer)
    gap = GAP_PT * fig.dpi / 72
    label_ids = {id(label.artist) for label in plot.labels}
    texts = [t.get_window_extent(renderer) for t in drawn_texts(fig) if id(t) not in label_ids]
    rules = [rule.get_window_extent(renderer) for rule in plot.rules]
    bar_boxes = [(bar, bar.get_window_extent(renderer)) for bar in plot.bars]
    placed: list[Bbox] = []
    out: list[tuple[_Label, _Spot | None]] = []
    for label in sorted(plot.labels, key=lambda lab: lab.priority):
        artist = label.artist
        assert artist is not None
        # Crossing a reference line or a neighbouring bar is allowed only when nothing else is left, and then
        # the label is set on a patch of its ground colour so that the line passes behind it.
        # A shorter text clear of everything comes before the full text across a line.
        if label.group in inside_first:
            order = sorted(label.spots, key=lambda spot: spot.inside_of is None)
            candidates = [(text, spot, relaxed) for text in label.texts for spot in order for relaxed in (False, True)]
        else:
            candidates = [(text, spot, relaxed) for relaxed in (False, True) for text in label.texts
                          for spot in label.spots]  # fmt: skip
        chosen: _Spot | None = None
        for text, spot, relaxed in candidates:
            _move(artist, spot, text)
            e = artist.get_window_extent(renderer)
            if not _inside(e, area, 1.0) or not _inside(e, fig.bbox, 0.0):
                continue
            if spot.inside_of is not None and not _inside(e, spot.inside_of.get_window_extent(renderer), gap * 0.6):
                continue
            # Side by side texts keep the gap; one above the other they may touch, as lines of a paragraph do.
            if any(_overlaps(e, o, gap, -0.5) for o in texts) or any(_overlaps(e, p, gap, -0.5) for p in placed):
                continue
            crosses = any(_overlaps(e, r, gap * 0.5) for r in rules) or (spot.inside_of is None and any(
                _overlaps(e, b, 0.0) for bar, b in bar_boxes if bar is not label.own))  # fmt: skip
            if crosses and not relaxed:
                continue
            if crosses:
                ground = spot.inside_of.get_facecolor() if spot.inside_of is not None else fig.get_facecolor()
                artist.set_bbox(dict(boxstyle="square,pad=0.12", fc=ground, ec="none"))
            else:
                artist.set_bbox(None)
            chosen = spot
            placed.append(e)
            break
        out.append((label, chosen))
    return out


# ---------------------------------------------------------------------------------------------
# helpers


def _colours(chart: Chart, style: ChartStyle) -> tuple[list[list[str]], list[str]]:
    """Per series, a colour per category; plus each series' legend colour (as native charts colour them)."""
    per, legend = chart_colours(chart, style)
    return [[_hex(c) for c in row] for row in per], [_hex(c) for c in legend]


def _fmt(chart: Chart) -> str | None:
    return chart.options.get("format")


class _TickFormatter(Formatter):
    """Tick labels in the chart's number style, with just enough decimals for the tick step."""

    def __init__(self, chart: Chart):
        self.fmt = _fmt(chart) or "g"
        self.log = bool(chart.options.get("log"))
        self.ticks: list[float] = []

    def set_locs(self, locs: Sequence[float]) -> None:
        self.ticks = sorted(float(v) for v in locs)

    def __call__(self, x: float, pos: int | None = None) -> str:
        if self.log:
            return format_value(x, "int") if x >= 1 else format_value(x, "g")
        locs = self.ticks if len(self.ticks) > 1 else []
        step = min((b - a for a, b in zip(locs, locs[1:]) if b > a), default=0.0)
        return format_value(x, tick_format(self.fmt, step))


def _style_value_axis(ax: Axes, chart: Chart, horizontal: bool) -> None:
    axis = ax.xaxis if horizontal else ax.yaxis
    opts = chart.options
    if opts.get("log"):
        (ax.set_xscale if horizontal else ax.set_yscale)("log")
        axis.set_major_locator(LogLocator(base=10))
        axis.set_minor_locator(NullLocator())
    else:
        # Steps of 1, 2 or 5 only: a tick at .825 would print as a misleading ".83".
        axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    axis.set_major_formatter(_TickFormatter(chart))
    # Light gridlines across the value axis only (horizontal lines on a column chart), as native charts have.
    ax.grid(True, axis="x" if horizontal else "y")
    lo, hi = opts.get("y_min"), opts.get("y_max")
    if lo is not None or hi is not None:
        (ax.set_xlim if horizontal else ax.set_ylim)(lo, hi)
    fig = ax.figure
    assert isinstance(fig, Figure)
    # Axis titles wrap (then shrink towards 14 pt) to the length of their axis: a rotated title longer
    # than a short chart would leave the picture.
    across, down = fig.get_figwidth() * 72 * 0.85, fig.get_figheight() * 72 * 0.75
    for key, setter, length in (("y_title", ax.set_xlabel if horizontal else ax.set_ylabel, across if horizontal else down),
                                ("x_title", ax.set_ylabel if horizontal else ax.set_xlabel, down if horizontal else across)):
        title, size = _axis_title(fig, opts.get(key) or "", length)
        setter(title, labelpad=8, fontsize=size)
    ax.tick_params(axis="both", length=0, pad=6)
    # The category axis keeps one baseline; the value axis needs only its gridlines.
    ax.spines["left"].set_visible(horizontal)
    ax.spines["bottom"].set_visible(not horizontal)


def _axis_title(fig: Figure, title: str, length_pt: float) -> tuple[str, float]:
    """An axis title wrapped to at most two lines of the axis' length, at the largest size (to 14 pt) that fits."""
    metrics = _Metrics(fig)
    size = float(matplotlib.rcParams["axes.labelsize"])
    while True:
        wrapped = _wrap(metrics, title, size, length_pt)
        if wrapped.count("\n") < 2 and all(metrics.width(line, size) <= length_pt for line in wrapped.split("\n")):
            return wrapped, size
        if size - 1 < MIN_TEXT_PT:
            return wrapped, size
        size -= 1


def _references(ax: Axes, chart: Chart, style: ChartStyle, horizontal: bool) -> list[Line2D]:
    """Dashed reference lines, each labelled beyond the end of the plot (above it, or right of it), where
    no bar or value label can reach."""
    rules = []
    for value, label in chart.options.get("reference") or ():
        line: dict[str, Any] = dict(color=_hex(style.text), linewidth=1.6, linestyle=(0, (5, 3)), zorder=4)
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


def _label_texts(chart: Chart, value: float, index: int, series_count: int) -> tuple[str, ...]:
    """The label for a value: with its text column ('−.060  p = .010') when there is one, then without."""
    if value is None or math.isnan(value):
        return ()
    number = format_value(value, _fmt(chart))
    if series_count == 1 and chart.labels and index < len(chart.labels) and chart.labels[index]:
        return (number + "\u2002" + chart.labels[index], number)
    return (number,)


def _value_size(style: ChartStyle) -> float:
    return max(MIN_TEXT_PT, style.font_size_pt * 0.95)


def _missing_mark(ax: Axes, style: ChartStyle, horizontal: bool, position: float) -> _Label:
    """'not reported' standing on the baseline where the bar (or dot) would be: never an empty slot."""
    xy = _baseline_xy(ax, horizontal, (0.0, position) if horizontal else (position, 0.0))
    colour = _hex(style.text)
    if horizontal:
        spots = [_Spot(xy, (LABEL_PAD_PT, 0), "left", "center", colour)]
    else:
        spots = [_Spot(xy, (0, LABEL_PAD_PT), "center", "bottom", colour),
                 _Spot(xy, (0, LABEL_PAD_PT), "center", "bottom", colour, rotation=90)]
    return _Label((NOT_REPORTED,), spots, max(MIN_TEXT_PT, style.small_pt), priority=0, style="italic")


def _bar_label(bar: Rectangle, texts: tuple[str, ...], style: ChartStyle, horizontal: bool,
               highlighted: bool, group: int) -> _Label:
    """Outside the end of the bar first; inside it (in white or dark text) when there is no room outside."""
    x, y, w, h = bar.get_x(), bar.get_y(), bar.get_width(), bar.get_height()
    colour, inner = _hex(style.text), _hex(text_on(matplotlib.colors.to_hex(bar.get_facecolor()), style))
    weight = "bold" if highlighted else "normal"
    pad = LABEL_PAD_PT
    if horizontal:
        sign = 1 if w >= 0 else -1
        xy = (x + w, y + h / 2)
        out = _Spot(xy, (sign * pad, 0), "left" if sign > 0 else "right", "center", colour, weight=weight)
        inside = _Spot(xy, (-sign * pad, 0), "right" if sign > 0 else "left", "center", inner, bar, weight=weight)
    else:
        sign = 1 if h >= 0 else -1
        xy = (x + w / 2, y + h)
        out = _Spot(xy, (0, sign * pad), "center", "bottom" if sign > 0 else "top", colour, weight=weight)
        inside = _Spot(xy, (0, -sign * pad), "center", "top" if sign > 0 else "bottom", inner, bar, weight=weight)
    return _Label(texts, [out, inside], _value_size(style), priority=1 if highlighted else 2, own=bar, group=group)


def _segment_label(bar: Rectangle, text: str, style: ChartStyle, size: float) -> _Label:
    """A value in the middle of a stacked segment, or nowhere (the legend or alt text has it)."""
    x, y, w, h = bar.get_x(), bar.get_y(), bar.get_width(), bar.get_height()
    fill = matplotlib.colors.to_hex(bar.get_facecolor())
    spot = _Spot((x + w / 2, y + h / 2), (0, 0), "center", "center", _hex(text_on(fill, style)), bar, weight="bold")
    return _Label((text,), [spot], size, own=bar)


# ---------------------------------------------------------------------------------------------
# chart kinds


def _fit_font(fig: Figure, chart: Chart, style: ChartStyle, horizontal: bool) -> ChartStyle:
    """Shrink text (never below 14 pt) when the categories cannot each get a line of their own."""
    if not horizontal:
        return style
    metrics = _Metrics(fig)
    extra = 4.5 if len(chart.series) > 1 else 3.2  # value axis, its title, legend, padding (in lines)
    height_pt = fig.get_figheight() * 72
    size = style.font_size_pt
    while size > MIN_TEXT_PT:
        width = fig.get_figwidth() * 72 * 0.4
        label_lines = max(_wrap(metrics, c, size, width).count("\n") + 1 for c in chart.categories)
        if len(chart.categories) * max(label_lines, 1) * size * 1.45 + extra * size * 1.4 <= height_pt:
            break
        size -= 1
    if size == style.font_size_pt:
        return style
    for key in ("font.size", "xtick.labelsize", "ytick.labelsize", "legend.fontsize", "axes.labelsize"):
        matplotlib.rcParams[key] = size
    return replace(style, font_size_pt=max(size, MIN_TEXT_PT))


def _value_limits(ax: Axes, chart: Chart, horizontal: bool, values: Sequence[float]) -> None:
    """Bars stand on zero: the value axis includes it unless the spec cut it on purpose (axis: truncated)."""
    opts = chart.options
    if opts.get("log") or not values:
        return
    if opts.get("y_min") is None and min(values) >= 0:
        if horizontal:
            ax.set_xlim(left=0)
        else:
            ax.set_ylim(bottom=0)
    if opts.get("y_max") is None and max(values) <= 0:
        if horizontal:
            ax.set_xlim(right=0)
        else:
            ax.set_ylim(top=0)


def _axis_break(ax: Axes, style: ChartStyle, horizontal: bool) -> None:
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
        ax.add_line(Line2D([v / 72 for v in xs], [v / 72 for v in ys], transform=at_corner, color=_hex(style.text),
                           linewidth=1.6, clip_on=False, zorder=7))  # fmt: skip


def _draw_bars(fig: Figure, chart: Chart, style: ChartStyle) -> _Plot | None:
    if chart.type == "stacked" and len(chart.categories) == 1:
        return _draw_part_whole(fig, chart, style)
    horizontal = chart.options.get("orientation") == "horizontal"
    style = _fit_font(fig, chart, style, horizontal)
    ax = fig.add_subplot()
    plot = _Plot(ax, horizontal)
    n, m = len(chart.categories), len(chart.series)
    colours, _legend_colours = _colours(chart, style)
    highlight = set(chart.options.get("highlight") or ())
    positions = list(range(n))
    # Long data where each category has only one series is "coloured by group", not grouped.
    one_per_cat = m > 1 and all(sum(not math.isnan(s.values[i]) for s in chart.series) <= 1 for i in range(n))
    stacked = chart.type == "stacked"
    width = 0.72 if (m == 1 or one_per_cat or stacked) else 0.8 / m
    bottoms = [0.0] * n
    show = chart.options.get("value_labels", True)
    missing: list[float] = []
    # A crowded chart on paper (hundreds of categories, no value labels): its bars are one collection, not a
    # Rectangle each (10,000 of those took matplotlib 7 s to add and lay out).
    crowded = (chart.options.get("label_every") or 1) > 1 and not show
    for j, s in enumerate(chart.series):
        offs: Sequence[float]
        if stacked or one_per_cat or m == 1:
            offs = positions
        else:
            offs = [p - 0.4 + width * (j + 0.5) for p in positions]
        vals = [0.0 if math.isnan(v) else v for v in s.values]
        kwargs: dict[str, Any] = dict(color=colours[j], zorder=3, label=s.name)
        if stacked:
            kwargs["edgecolor"] = _hex(style.background)
            kwargs["linewidth"] = 1.5
        bars: Sequence[Any]
        if crowded:
            _bar_collection(ax, offs, vals, width, bottoms if stacked else None, colours[j], horizontal)
            bars = ()
        elif horizontal:
            bars = ax.barh(offs, vals, height=width, left=bottoms if stacked else None, **kwargs)
        else:
            bars = ax.bar(offs, vals, width=width, bottom=bottoms if stacked else None, **kwargs)
        for i, (bar, v) in enumerate(zip(bars, s.values)):
            if math.isnan(v):
                bar.set_visible(False)
                if not stacked and not one_per_cat:
                    missing.append(offs[i])
                continue
            plot.bars.append(bar)
            if not show:
                continue
            texts = _label_texts(chart, v, i, m)
            if stacked:
                plot.labels.append(_segment_label(bar, texts[0], style, _value_size(style)))
            else:
                hl = chart.categories[i] in highlight or s.name in highlight
                plot.labels.append(_bar_label(bar, texts, style, horizontal, hl, j))
        if s.errors_low is not None and s.errors_high is not None:
            _interval(ax, offs, s.values, s.errors_low, s.errors_high, style, horizontal)
        if stacked:
            bottoms = [b + v for b, v in zip(bottoms, vals)]
    if stacked or one_per_cat:  # a category is missing only when none of its parts has a value
        missing = [float(i) for i in positions if all(math.isnan(s.values[i]) for s in chart.series)]
    values = [v for s in chart.series for v in s.values if not math.isnan(v)]
    if stacked:
        values = values + bottoms
    negative = min(values, default=0) < 0
    if negative:
        (ax.axvline if horizontal else ax.axhline)(0, color=_hex(style.text), linewidth=1.2, zorder=4)
    _category_axis(ax, chart, style, fig, horizontal, positions)
    _style_value_axis(ax, chart, horizontal)
    if negative:
        ax.spines["left" if horizontal else "bottom"].set_visible(False)
    plot.fixed_lo = chart.options.get("y_min") is not None
    plot.fixed_hi = chart.options.get("y_max") is not None
    plot.rules = _references(ax, chart, style, horizontal)
    if m > 1:
        _legend(ax, chart, style, _legend_colours)
    _value_limits(ax, chart, horizontal, values)
    if chart.options.get("axis_note"):
        _axis_break(ax, style, horizontal)
    if horizontal:
        ax.margins(y=0.03)
    else:
        ax.margins(x=0.03)
    for position in missing:
        plot.labels.append(_missing_mark(ax, style, horizontal, position))
    return plot


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


def _interval(ax: Axes, offs: Sequence[float], vals: Sequence[float], lows: Sequence[float],
              highs: Sequence[float], style: ChartStyle, horizontal: bool) -> None:  # fmt: skip
    for p, v, lo, hi in zip(offs, vals, lows, highs):
        if math.isnan(lo) or math.isnan(hi):
            continue
        if horizontal:
            ax.plot([lo, hi], [p, p], color=_hex(style.text), linewidth=2.2, zorder=5, solid_capstyle="butt")
            ax.plot([lo, lo], [p - 0.12, p + 0.12], [hi, hi], [p - 0.12, p + 0.12], color=_hex(style.text), linewidth=2.2, zorder=5)
        else:
            ax.plot([p, p], [lo, hi], color=_hex(style.text), linewidth=2.2, zorder=5, solid_capstyle="butt")
            ax.plot([p - 0.12, p + 0.12], [lo, lo], [p - 0.12, p + 0.12], [hi, hi], color=_hex(style.text), linewidth=2.2, zorder=5)


def _category_axis(ax: Axes, chart: Chart, style: ChartStyle, fig: Figure, horizontal: bool, positions: list[int]) -> None:
    """Category names wrapped at spaces to the room each has, measured; shrunk towards 14 pt if a word is
    wider than its slot."""
    metrics = _Metrics(fig)
    width_pt = fig.get_figwidth() * 72
    size = style.font_size_pt
    # A crowded chart on paper names every k-th category only (compile/handout.py::paper_chart chooses k): one
    # tick label per category would cost matplotlib seconds a hundred, and could not be read.
    every = max(1, int(chart.options.get("label_every") or 1))
    named = list(zip(positions, chart.categories))[::every]
    ticks = [position for position, _ in named]
    if horizontal:
        labels = [_wrap(metrics, c, size, width_pt * 0.4) for _, c in named]
        ax.set_yticks(ticks, labels)
        ax.invert_yaxis()  # first category at the top, as it reads in the outline
    else:
        # The value axis, its title and the padding take about an inch and a quarter on the left.
        per = (width_pt - 90) / max(len(named), 1) - GAP_PT * 3
        while size > MIN_TEXT_PT and any(metrics.width(w, size) > per for _, c in named for w in c.split()):
            size -= 1
        labels = [_wrap(metrics, c, size, per) for _, c in named]
        ax.set_xticks(ticks, labels)
        ax.tick_params(axis="x", labelsize=size)
    highlight = chart.options.get("highlight") or ()
    for tick, (_, name) in zip(ax.get_yticklabels() if horizontal else ax.get_xticklabels(), named):
        if name in highlight:
            tick.set_fontweight("bold")


def _legend(ax: Axes, chart: Chart, style: ChartStyle, colours: list[str]) -> None:
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


def _draw_part_whole(fig: Figure, chart: Chart, style: ChartStyle) -> _Plot:
    """One bar split into segments: each series is one part of the whole."""
    ax = fig.add_subplot()
    plot = _Plot(ax, True, fixed_lo=True, fixed_hi=True)
    _, legend_colours = _colours(chart, style)
    total = sum(s.values[0] for s in chart.series if not math.isnan(s.values[0]))
    left = 0.0
    fmt = _fmt(chart)
    for j, s in enumerate(chart.series):
        v = 0.0 if math.isnan(s.values[0]) else s.values[0]
        colour = legend_colours[j]
        bars = ax.barh([0], [v], left=left, height=0.5, color=colour, edgecolor=_hex(style.background), linewidth=2, zorder=3)
        # Values that do not fit their segment are in the legend only.
        if v > 0 and chart.options.get("value_labels", True):
            plot.labels.append(_segment_label(bars[0], format_value(v, fmt), style, max(MIN_TEXT_PT, style.font_size_pt * 1.1)))
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


def _point_spots(xy: tuple[float, float], right_xy: tuple[float, float], left_xy: tuple[float, float],
                 radius_pt: float, colour: str, weight: str, rows: bool) -> list[_Spot]:  # fmt: skip
    """Where a dot's label may go. In a dot plot (rows) it stays in the dot's own row: right of the dot or its
    interval, else left; on a line it goes above the point, else below, right, left."""
    pad = radius_pt + LABEL_PAD_PT * 0.6
    above = _Spot(xy, (0, pad), "center", "bottom", colour, weight=weight)
    below = _Spot(xy, (0, -pad), "center", "top", colour, weight=weight)
    right = _Spot(right_xy, (pad, 0), "left", "center", colour, weight=weight)
    left = _Spot(left_xy, (-pad, 0), "right", "center", colour, weight=weight)
    return [right, left, above, below] if rows else [above, below, right, left]


def _draw_dots(fig: Figure, chart: Chart, style: ChartStyle) -> _Plot:
    horizontal = True  # dot plots read best with categories down the side
    style = _fit_font(fig, chart, style, horizontal)
    ax = fig.add_subplot()
    plot = _Plot(ax, horizontal)
    n, m = len(chart.categories), len(chart.series)
    colours, legend_colours = _colours(chart, style)
    highlight = set(chart.options.get("highlight") or ())
    positions = list(range(n))
    radius = style.font_size_pt * 0.45
    start = chart.options.get("y_min")
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
                    ax.plot([0 if start is None else start, v], [p, p], color=_hex(style.grid), linewidth=1.5, zorder=2)
        ax.scatter(s.values, offs, s=(radius * 2) ** 2, color=colours[j], zorder=4,
                   edgecolor=_hex(style.background), linewidth=1.5)  # fmt: skip
        for i, (p, v) in enumerate(zip(offs, s.values)):
            if math.isnan(v):
                if m == 1 or all(math.isnan(t.values[i]) for t in chart.series):
                    if j == 0:
                        plot.labels.append(_missing_mark(ax, style, horizontal, float(positions[i])))
                continue
            if not chart.options.get("value_labels", True):
                continue
            hi_end = s.errors_high[i] if has_ci and s.errors_high is not None and not math.isnan(s.errors_high[i]) else v
            lo_end = s.errors_low[i] if has_ci and s.errors_low is not None and not math.isnan(s.errors_low[i]) else v
            hl = chart.categories[i] in highlight or s.name in highlight
            spots = _point_spots((v, p), (max(v, hi_end), p), (min(v, lo_end), p), radius, _hex(style.text),
                                 "bold" if hl else "normal", rows=True)  # fmt: skip
            plot.labels.append(_Label(_label_texts(chart, v, i, m), spots, max(MIN_TEXT_PT, style.font_size_pt * 0.9),
                                      priority=1 if hl else 2))  # fmt: skip
    _category_axis(ax, chart, style, fig, horizontal, positions)
    _style_value_axis(ax, chart, horizontal)
    plot.fixed_lo = chart.options.get("y_min") is not None
    plot.fixed_hi = chart.options.get("y_max") is not None
    values = [v for s in chart.series for v in s.values if not math.isnan(v)]
    if min(values, default=0) < 0 < max(values, default=0):
        ax.axvline(0, color=_hex(style.text), linewidth=1.2, zorder=1)
    plot.rules = _references(ax, chart, style, horizontal)
    if m > 1:
        _legend(ax, chart, style, legend_colours)
    ax.margins(x=0.08, y=0.12)
    return plot


def _draw_line(fig: Figure, chart: Chart, style: ChartStyle) -> _Plot:
    ax = fig.add_subplot()
    plot = _Plot(ax, False)
    colours, legend_colours = _colours(chart, style)
    highlight = set(chart.options.get("highlight") or ())
    positions = list(range(len(chart.categories)))
    show_values = chart.options.get("value_labels", True)
    marker = style.font_size_pt * 0.55
    for j, s in enumerate(chart.series):
        colour = legend_colours[j]
        ax.plot(positions, s.values, color=colour, linewidth=3, marker="o", markersize=marker, zorder=3, label=s.name)
        # A highlighted category is a larger dot in the accent colour on every line.
        for i, c in enumerate(chart.categories):
            if c in highlight and not math.isnan(s.values[i]):
                ax.plot([i], [s.values[i]], marker="o", markersize=marker * 1.5, color=_hex(style.accent), zorder=4)
        if s.errors_low is not None and s.errors_high is not None:
            _interval(ax, positions, s.values, s.errors_low, s.errors_high, style, False)
        for i, (p, v) in enumerate(zip(positions, s.values)):
            if math.isnan(v):
                if j == 0 and all(math.isnan(t.values[i]) for t in chart.series):
                    plot.labels.append(_missing_mark(ax, style, False, float(p)))
                continue
            if not show_values:
                continue
            hl = chart.categories[i] in highlight or s.name in highlight
            spots = _point_spots((p, v), (p, v), (p, v), marker / 2, colour, "bold" if hl else "normal", rows=False)
            plot.labels.append(_Label(_label_texts(chart, v, i, len(chart.series)), spots,
                                      max(MIN_TEXT_PT, style.font_size_pt * 0.9), priority=1 if hl else 2))  # fmt: skip
    _category_axis(ax, chart, style, fig, False, positions)
    _style_value_axis(ax, chart, False)
    plot.fixed_lo = chart.options.get("y_min") is not None
    plot.fixed_hi = chart.options.get("y_max") is not None
    plot.rules = _references(ax, chart, style, False)
    if len(chart.series) > 1:
        _legend(ax, chart, style, legend_colours)
    ax.margins(x=0.06, y=0.1)
    return plot


def _pie_centre(chart: Chart, values: Sequence[float], colours: Sequence[str],
                style: ChartStyle) -> tuple[float, str, str] | None:
    """What the donut's hole says: the highlighted slice if the title talks about one, else the total, unless
    the slices are shares of a whole (a total of 100 % tells the room nothing)."""
    highlight = chart.options.get("highlight") or ()
    for category, value, colour in zip(chart.categories, values, colours):
        if category in highlight:
            # The hole holds about 14 characters at the small size: a long category keeps its first word (the
            # legend beside it, in bold, names it in full).
            return value, colour, category if len(category) <= 14 else category.split()[0][:14]
    total = sum(values)
    if abs(total - 100.0) <= 0.5 or abs(total - 1.0) <= 0.005:
        return None
    return total, _hex(style.text), "in total"


def _draw_pie(fig: Figure, chart: Chart, style: ChartStyle) -> None:
    """A donut with the total in the middle and a value legend: no crowded slice labels."""
    ax = fig.add_subplot()
    s = chart.series[0]
    fmt = _fmt(chart)
    colours, _ = _colours(chart, style)
    slice_colours = colours[0]
    ax.pie(s.values, colors=slice_colours, startangle=90, counterclock=False,
           wedgeprops=dict(width=0.36, edgecolor=_hex(style.background), linewidth=2.5))  # fmt: skip
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
        if category in (chart.options.get("highlight") or ()):
            text.set_fontweight("bold")


def _draw_waffle(fig: Figure, chart: Chart, style: ChartStyle) -> None:
    """One panel per row: `n of total` squares, the count in the accent colour, then the rest muted.

    With `highlight`, the highlighted panel keeps the accent and the others count in a quiet grey."""
    counts, totals = chart.series[0].values, chart.series[1].values
    panels = len(counts)
    metrics = _Metrics(fig)
    w, h = fig.get_figwidth(), fig.get_figheight()
    big = style.font_size_pt * 2.6
    highlight = set(chart.options.get("highlight") or ())
    quiet = "#" + blend(_plain(style.text), _plain(style.background), 0.45)
    note_h = _note_height(fig, chart, style)
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
        lit = _hex(style.accent) if not highlight or cat in highlight else quiet
        for i in range(total_i):
            r, c = divmod(i, cols)
            colour = lit if i < n_i else _hex(style.muted)
            ax.add_patch(FancyBboxPatch((c + 0.08, r + 0.08), 0.84, 0.84, boxstyle="round,pad=0,rounding_size=0.12",
                                        fc=colour, ec="none"))  # fmt: skip
        y_text = (top - block_h - 0.15) / h
        noun = chart.series[0].name.lower()
        fig.text(mid, y_text, f"{n_i} of {total_i}", ha="center", va="top", fontsize=big, fontweight="bold", color=lit)
        sub = noun if cat == chart.options.get("title") else cat
        fig.text(mid, y_text - big * 1.25 / 72 / h, _wrap(metrics, sub, style.font_size_pt, panel_w * 72), ha="center",
                 va="top", fontsize=style.font_size_pt)  # fmt: skip


def _note_text(chart: Chart) -> str:
    parts = [chart.options.get("axis_note") or "", chart.options.get("note") or ""]
    return ". ".join(p.rstrip(".") for p in parts if p) + ("." if any(parts) else "")


def _note_height(fig: Figure, chart: Chart, style: ChartStyle) -> float:
    """Inches the note under a freely laid out chart takes (with its margin)."""
    note = _note_text(chart)
    if not note:
        return 0.0
    lines = _wrap(_Metrics(fig), note, style.small_pt, fig.get_figwidth() * 72 * 0.96).count("\n") + 1
    return (lines * style.small_pt * 1.25 + style.small_pt * 0.6) / 72


def _draw_timeline(fig: Figure, chart: Chart, style: ChartStyle) -> None:
    """Years down a line, events beside them: the largest size, then the fewest columns, that fit."""
    w_pt, h_pt = fig.get_figwidth() * 72, fig.get_figheight() * 72
    top_pt = style.small_pt * 1.8 if chart.illustrative else 0.0  # the stamp, top right
    bottom_pt = _note_height(fig, chart, style) * 72
    plan: TimelinePlan = plan_timeline(chart.categories, chart.labels or chart.categories, w_pt,
                                       h_pt - top_pt - bottom_pt, _Metrics(fig), style.font_size_pt, MIN_TEXT_PT)
    highlight = set(chart.options.get("highlight") or ())
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
        colour = _hex(style.accent) if emph else _hex(style.text)
        ax.text(x + plan.year_width_pt - size * 0.3, mid, row.year, ha="right", va="center", fontsize=size,
                fontweight="bold", color=colour)  # fmt: skip
        ax.plot([dot_x], [mid], marker="o", markersize=size * 0.55, zorder=3,
                color=_hex(style.accent) if emph else _hex(style.palette[0] if style.palette else style.text))  # fmt: skip
        for k, piece in enumerate(row.lines):
            ax.text(dot_x + size * 1.1, mid + k * line, piece, ha="left", va="center", fontsize=size,
                    fontweight="bold" if emph else "normal")  # fmt: skip
        first, _ = ends.get(row.column, (mid, mid))
        ends[row.column] = (first, mid)
    for column, (first, last) in ends.items():
        dot_x = plan.margin_pt + column * plan.column_width_pt + plan.year_width_pt + size * 0.5
        ax.plot([dot_x, dot_x], [first, last], color=_hex(style.grid), linewidth=2, zorder=1)


def _decorations(fig: Figure, chart: Chart, style: ChartStyle, free: bool) -> None:
    note = _note_text(chart)
    if note:
        text = _wrap(_Metrics(fig), note, style.small_pt, fig.get_figwidth() * 72 * 0.96)
        if free:
            fig.text(0.01, 0.01, text, ha="left", va="bottom", fontsize=style.small_pt, style="italic")
        else:
            fig.supxlabel(text, x=0.01, ha="left", fontsize=style.small_pt, style="italic")
    if chart.illustrative:
        stamp: dict[str, Any] = dict(
            fontsize=style.small_pt,
            style="italic",
            color=_hex(style.text),
            bbox=dict(boxstyle="round,pad=0.3", fc=_hex(style.background), ec=_hex(style.muted), lw=1.2),
        )
        if free:
            fig.text(0.99, 0.98, "Illustrative data", ha="right", va="top", **stamp)
        else:
            fig.suptitle("Illustrative data", x=0.99, ha="right", **stamp)


_DRAWERS: dict[str, Callable[[Figure, Chart, ChartStyle], _Plot | None]] = {
    "bar": _draw_bars,
    "grouped-bar": _draw_bars,
    "stacked": _draw_bars,
    "dot": _draw_dots,
    "line": _draw_line,
    "pie": _draw_pie,
    "waffle": _draw_waffle,
    "timeline": _draw_timeline,
}
