"""Render layer: measuring and placing a matplotlib chart's text — widths from the font's outlines, wrapping,
and value labels placed after the layout where they collide with nothing (`settle`)."""

from __future__ import annotations

import math
from dataclasses import field
from typing import Any, Literal

from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Annotation, Text
from matplotlib.textpath import text_to_path
from matplotlib.transforms import Bbox, BboxBase

from lecturegen.model.chart_text import wrap_text
from lecturegen.records import record

GAP_PT = 3.0  # the least room between two texts, and between a value label and the edge of the plot


LABEL_PAD_PT = 5.0  # between the end of a bar (or a dot) and its label


def mpl_colour(colour: str) -> str:
    return "#" + colour.strip().lstrip("#")


def plain_colour(colour: str) -> str:
    return colour.strip().lstrip("#").upper()


class Metrics:
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


def wrap_label(metrics: Metrics, label: str, size_pt: float, width_pt: float) -> str:
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
class Spot:
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
class ValueLabel:
    """A value label with the places it may go (in order of preference) and a shorter form of its text."""

    texts: tuple[str, ...]  # the full text first, then shorter ones ('−.060  p = .010', then '−.060')
    spots: list[Spot]
    size: float
    priority: int = 1  # lower is placed first: 'not reported' marks, then highlighted values
    style: str = "normal"
    own: Any = None  # the bar it belongs to (not an obstacle for it)
    group: int | None = None  # the series: its labels go inside their bars alike, or outside alike
    artist: Annotation | None = None
    element: tuple[int, int] | None = None  # (series, category) it labels: a revealed chart's frame may hide it


@record(frozen=False)
class Plot:
    """What a chart drawn on axes hands to the placing pass."""

    ax: Axes
    horizontal: bool  # the value axis is x
    labels: list[ValueLabel] = field(default_factory=list)
    bars: list[Any] = field(default_factory=list)  # Rectangles that outside labels must keep off
    rules: list[Any] = field(default_factory=list)  # reference lines no label may cross
    fixed_lo: bool = False
    fixed_hi: bool = False


def _annotate(ax: Axes, label: ValueLabel, spot: Spot, text: str) -> Annotation:
    artist = ax.annotate(text, spot.xy, xytext=spot.offset, textcoords="offset points", ha=spot.ha, va=spot.va,
                         fontsize=label.size, color=spot.colour, rotation=spot.rotation, fontweight=spot.weight,
                         fontstyle=label.style, annotation_clip=False, zorder=6)  # fmt: skip
    artist.set_in_layout(False)  # labels are placed after the layout, inside the plot area it leaves
    return artist


def _move(artist: Annotation, spot: Spot, text: str) -> None:
    artist.xy = spot.xy
    artist.set_position(spot.offset)
    artist.set_text(text)
    artist.set_horizontalalignment(spot.ha)
    artist.set_verticalalignment(spot.va)
    artist.set_color(spot.colour)
    artist.set_rotation(spot.rotation)
    artist.set_fontweight(spot.weight)


def lay_out(fig: Figure) -> None:
    """Constrained layout, twice: a legend placed beside the axes settles only on the second pass (after one,
    a pie's legend still ran off the picture)."""
    fig.draw_without_rendering()
    fig.draw_without_rendering()


def settle(fig: Figure, plot: Plot) -> None:
    """Lay out, widen the value axis for the labels, freeze the layout, then place every label."""
    ax = plot.ax
    for label in plot.labels:
        label.artist = _annotate(ax, label, label.spots[0], label.texts[0])
        if label.element is not None:
            tag(label.artist, *label.element)
    # Constrained layout needs two passes to settle (`lay_out`); a pass after widening is the second one.
    fig.draw_without_rendering()
    passes = 1
    for _ in range(4):
        widened = _widen_for_labels(fig, plot)  # new limits, new tick labels: lay out again
        if not widened and passes >= 2:
            break
        fig.draw_without_rendering()
        passes += 1
    # From here on nothing moves: what is measured below is exactly what the PNG shows.
    fig.set_layout_engine("none")
    _place(fig, plot)


def _widen_for_labels(fig: Figure, plot: Plot) -> bool:
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
                spot.xy = baseline_xy(ax, plot.horizontal, spot.xy)
    return True


def baseline_xy(ax: Axes, horizontal: bool, xy: tuple[float, float]) -> tuple[float, float]:
    lo, hi = ax.get_xlim() if horizontal else ax.get_ylim()
    base = 0.0 if min(lo, hi) <= 0 <= max(lo, hi) else min(lo, hi)
    return (base, xy[1]) if horizontal else (xy[0], base)


def _place(fig: Figure, plot: Plot) -> None:
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


def _place_once(fig: Figure, plot: Plot, inside_first: set[int]) -> list[tuple[ValueLabel, Spot | None]]:
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    area = plot.ax.get_window_extent(renderer)
    gap = GAP_PT * fig.dpi / 72
    label_ids = {id(label.artist) for label in plot.labels}
    texts = [t.get_window_extent(renderer) for t in drawn_texts(fig) if id(t) not in label_ids]
    rules = [rule.get_window_extent(renderer) for rule in plot.rules]
    bar_boxes = [(bar, bar.get_window_extent(renderer)) for bar in plot.bars]
    placed: list[Bbox] = []
    out: list[tuple[ValueLabel, Spot | None]] = []
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
        chosen: Spot | None = None
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


def tag(artist: Any, series: int, category: int) -> Any:
    """Mark an artist as part of one element of the chart (category -1: the whole series), for `show_frame`."""
    artist.set_gid(f"element:{series}:{category}")
    return artist


def show_frame(fig: Figure, reveal: str, frame: int) -> None:
    """One step of a revealed chart: hide what later steps add (series after `frame`, or categories after it),
    and cut each series' line after the frame's category. The axes, legend and layout stay as they are, so that
    the steps' pictures lie exactly over each other."""
    for artist in fig.findobj():
        gid = artist.get_gid()
        if not gid:
            continue
        kind, series, category = gid.split(":")
        if kind == "line" and reveal == "points" and isinstance(artist, Line2D):
            xs, ys = artist.get_data()
            artist.set_data(list(xs)[: frame + 1], list(ys)[: frame + 1])  # type: ignore[arg-type]
        later = int(series) > frame if reveal == "series" else int(category) > frame
        if kind == "element" and later:
            artist.set_visible(False)
        if kind == "line" and reveal == "series" and int(series) > frame:
            artist.set_visible(False)
