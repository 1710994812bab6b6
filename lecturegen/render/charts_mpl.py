"""Render layer: a bound Chart → PNG bytes with matplotlib's object API (no pyplot, no global state)."""

from __future__ import annotations

import functools
import io
import math
import textwrap
from dataclasses import replace
from typing import Any, Sequence

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.patches import FancyBboxPatch, Rectangle
from matplotlib.text import Text
from matplotlib.ticker import Formatter, LogLocator, MaxNLocator, NullLocator
from matplotlib.transforms import blended_transform_factory

from lecturegen.compile.charts import format_value
from lecturegen.model.chart import Chart
from lecturegen.render.chart_style import MIN_TEXT_PT, OKABE_ITO, ChartStyle

__all__ = ["ChartStyle", "MIN_TEXT_PT", "OKABE_ITO", "RENDERER_VERSION", "build_figure", "render_chart_png"]

# Bump when drawing changes, so cached PNGs from an older renderer are not reused.
RENDERER_VERSION = "2"
FALLBACK_FONTS = ("Carlito", "Liberation Sans", "DejaVu Sans")


def _hex(colour: str) -> str:
    return "#" + colour.strip().lstrip("#")


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
    for family in (preferred, *FALLBACK_FONTS):
        if not family or family in stack:
            continue
        try:
            font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
        stack.append(family)
    return tuple(stack) or ("DejaVu Sans",)


# Keys are rcParams names; matplotlib's stub types rc_context's dict with a Literal of every known key.
def _rc(style: ChartStyle, dpi: int) -> dict[Any, Any]:
    text = _hex(style.text)
    return {
        "font.family": "sans-serif",
        "font.sans-serif": list(font_stack(style.font_family, style.font_files)),
        "font.size": style.font_size_pt,
        "text.color": text,
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
    with matplotlib.rc_context(_rc(style, dpi)):
        # savefig lays the figure out itself: no separate layout pass first.
        fig = build_figure(chart, style, width_in, height_in, dpi, laid_out=False)
        buf = io.BytesIO()
        # No Software chunk and no bbox_inches="tight": the size must stay what the slide reserved.
        # Fast zlib level: a quarter of the render time went into PNG compression at the default level,
        # for files only about a fifth smaller.
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, facecolor=_hex(style.background),
                    pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def build_figure(chart: Chart, style: ChartStyle, width_in: float, height_in: float, dpi: int = 200,
                 laid_out: bool = True) -> Figure:
    """The Figure (laid out unless `laid_out` is False); call inside the style's rc_context."""
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
        drawer(fig, chart, style)
        _decorations(fig, chart, style, free)
        if laid_out:
            fig.draw_without_rendering()
    return fig


# ---------------------------------------------------------------------------------------------
# helpers


def _colours(chart: Chart, style: ChartStyle) -> tuple[list[list[str]], list[str]]:
    """Per series, a colour per category; plus each series' legend colour."""
    highlight = set(chart.options.get("highlight") or ())
    mute = set(chart.options.get("mute") or ())
    accent, muted = _hex(style.accent), _hex(style.muted)
    palette = [_hex(c) for c in style.palette] or ["#0072B2"]
    single = len(chart.series) == 1
    out: list[list[str]] = []
    legend: list[str] = []
    series_hl = highlight & {s.name for s in chart.series}
    cat_hl = highlight & set(chart.categories)
    for i, s in enumerate(chart.series):
        base = palette[0] if single else palette[i % len(palette)]
        if series_hl:
            base = accent if s.name in series_hl else muted
        if s.name in mute:
            base = muted
        legend.append(base)
        row = []
        for c in chart.categories:
            colour = base
            if cat_hl:
                colour = (accent if single else base) if c in cat_hl else muted
            if c in mute:
                colour = muted
            row.append(colour)
        out.append(row)
    return out, legend


def _fmt(chart: Chart) -> str | None:
    return chart.options.get("format")


def _wrap(label: str, width_chars: int) -> str:
    return "\n".join(textwrap.wrap(label, max(6, width_chars), break_long_words=False)) or label


def _chars(width_in: float, size_pt: float) -> int:
    # Average glyph width of a sans font is about half its size.
    return int(width_in * 72 / (size_pt * 0.52))


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
        digits = max(0, -math.floor(math.log10(step) + 1e-9)) if step else 2
        if self.fmt in ("r", "r2", "r3"):
            return format_value(x, f"r{max(2, min(digits, 3))}" if digits > 2 else "r")
        if self.fmt in ("int", "d") or self.fmt.endswith("d"):
            return format_value(x, self.fmt)
        return format_value(x, f",.{min(digits, 4)}f")


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
    ax.grid(True, axis="x" if horizontal else "y")
    lo, hi = opts.get("y_min"), opts.get("y_max")
    if lo is not None or hi is not None:
        (ax.set_xlim if horizontal else ax.set_ylim)(lo, hi)
    title = opts.get("y_title") or ""
    (ax.set_xlabel if horizontal else ax.set_ylabel)(title, labelpad=8)
    cat_title = opts.get("x_title") or ""
    (ax.set_ylabel if horizontal else ax.set_xlabel)(cat_title, labelpad=8)
    ax.tick_params(axis="both", length=0, pad=6)
    # The category axis keeps one baseline; the value axis needs only its gridlines.
    ax.spines["left"].set_visible(horizontal)
    ax.spines["bottom"].set_visible(not horizontal)


def _references(ax: Axes, chart: Chart, style: ChartStyle, horizontal: bool) -> None:
    for value, label in chart.options.get("reference") or ():
        line: dict[str, Any] = dict(color=_hex(style.text), linewidth=1.6, linestyle=(0, (5, 3)), zorder=4)
        if horizontal:
            ax.axvline(value, **line)
            if label:
                ax.text(value, 1.0, " " + label, transform=blended_transform_factory(ax.transData, ax.transAxes),
                        ha="left", va="bottom", fontsize=style.small_pt, zorder=5)  # fmt: skip
        else:
            ax.axhline(value, **line)
            if label:
                ax.text(1.0, value, label, transform=blended_transform_factory(ax.transAxes, ax.transData),
                        ha="right", va="bottom", fontsize=style.small_pt, zorder=5,
                        bbox=dict(boxstyle="square,pad=0.15", fc=_hex(style.background), ec="none"))  # fmt: skip


def _fit_texts(fig: Figure, ax: Axes, texts: Sequence[Text], horizontal: bool) -> None:
    """Widen the value axis until every value label sits inside the plot area."""
    if not texts or ax.get_xscale() == "log" and horizontal or ax.get_yscale() == "log" and not horizontal:
        return _fit_texts_log(fig, ax, texts, horizontal)
    for attempt in range(3):
        # One full layout; later passes only move the limits, which moves no axes box, so text extents can
        # be measured again without re-running constrained layout (the costly part of a chart).
        if attempt == 0:
            fig.draw_without_rendering()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        box = ax.get_window_extent(renderer)
        lo, hi = ax.get_xlim() if horizontal else ax.get_ylim()
        span_px = box.width if horizontal else box.height
        need_lo = need_hi = -1e9
        for t in texts:
            e = t.get_window_extent(renderer)
            if horizontal:
                need_lo = max(need_lo, box.x0 - e.x0)
                need_hi = max(need_hi, e.x1 - box.x1)
            else:
                need_lo = max(need_lo, box.y0 - e.y0)
                need_hi = max(need_hi, e.y1 - box.y1)
        if need_lo <= -6 and need_hi <= -6:
            return
        per_px = (hi - lo) / max(span_px, 1)
        fixed_hi = chart_fixed(ax, "hi")
        new_lo = lo - (need_lo + 12) * per_px if need_lo > -6 and not chart_fixed(ax, "lo") else lo
        new_hi = hi + (need_hi + 12) * per_px if need_hi > -6 and not fixed_hi else hi
        if (new_lo, new_hi) == (lo, hi):
            return
        (ax.set_xlim if horizontal else ax.set_ylim)(new_lo, new_hi)
    return None


def _fit_texts_log(fig: Figure, ax: Axes, texts: Sequence[Text], horizontal: bool) -> None:
    for attempt in range(3):
        if attempt == 0:  # as in _fit_texts: one layout, then limits only
            fig.draw_without_rendering()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        box = ax.get_window_extent(renderer)
        lo, hi = ax.get_xlim() if horizontal else ax.get_ylim()
        span_px = box.width if horizontal else box.height
        over = max([(t.get_window_extent(renderer).x1 - box.x1) if horizontal else
                    (t.get_window_extent(renderer).y1 - box.y1) for t in texts] + [0.0])  # fmt: skip
        if over <= 0.5 or chart_fixed(ax, "hi"):
            return
        decades = math.log10(hi / lo) * (over + 4) / max(span_px, 1)
        (ax.set_xlim if horizontal else ax.set_ylim)(lo, hi * 10**decades)


def chart_fixed(ax: Axes, end: str) -> bool:
    return bool(getattr(ax, "_lecturegen_fixed", {}).get(end))


def _mark_fixed(ax: Axes, chart: Chart) -> None:
    ax._lecturegen_fixed = {  # type: ignore[attr-defined]
        "lo": chart.options.get("y_min") is not None,
        "hi": chart.options.get("y_max") is not None,
    }


def _label_text(chart: Chart, value: float, index: int, series_count: int) -> str:
    if value is None or math.isnan(value):
        return ""
    text = format_value(value, _fmt(chart))
    if series_count == 1 and chart.labels and index < len(chart.labels) and chart.labels[index]:
        text += "\u2002" + chart.labels[index]
    return text


# ---------------------------------------------------------------------------------------------
# chart kinds


def _fit_font(fig: Figure, chart: Chart, style: ChartStyle, horizontal: bool) -> ChartStyle:
    """Shrink text (never below 14 pt) when the categories cannot each get a line of their own."""
    if not horizontal:
        return style
    extra = 4.5 if len(chart.series) > 1 else 3.2  # value axis, its title, legend, padding (in lines)
    height_pt = fig.get_figheight() * 72
    size = style.font_size_pt
    while size > MIN_TEXT_PT:
        label_lines = max(_wrap(c, _chars(fig.get_figwidth() * 0.4, size)).count("\n") + 1 for c in chart.categories)
        if len(chart.categories) * max(label_lines, 1) * size * 1.45 + extra * size * 1.4 <= height_pt:
            break
        size -= 1
    if size == style.font_size_pt:
        return style
    for key in ("font.size", "xtick.labelsize", "ytick.labelsize", "legend.fontsize", "axes.labelsize"):
        matplotlib.rcParams[key] = size
    return replace(style, font_size_pt=max(size, MIN_TEXT_PT))


def _draw_bars(fig: Figure, chart: Chart, style: ChartStyle) -> None:
    if chart.type == "stacked" and len(chart.categories) == 1:
        return _draw_part_whole(fig, chart, style)
    horizontal = chart.options.get("orientation") == "horizontal"
    style = _fit_font(fig, chart, style, horizontal)
    ax = fig.add_subplot()
    n, m = len(chart.categories), len(chart.series)
    colours, legend_colours = _colours(chart, style)
    positions = list(range(n))
    # Long data where each category has only one series is "coloured by group", not grouped.
    one_per_cat = m > 1 and all(sum(not math.isnan(s.values[i]) for s in chart.series) <= 1 for i in range(n))
    stacked = chart.type == "stacked"
    width = 0.72 if (m == 1 or one_per_cat or stacked) else 0.8 / m
    bottoms = [0.0] * n
    texts: list[Text] = []
    handles = []
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
        if horizontal:
            bars = ax.barh(offs, vals, height=width, left=bottoms if stacked else None, **kwargs)
        else:
            bars = ax.bar(offs, vals, width=width, bottom=bottoms if stacked else None, **kwargs)
        handles.append(bars)
        if s.errors_low is not None and s.errors_high is not None:
            _interval(ax, offs, s.values, s.errors_low, s.errors_high, style, horizontal)
        if chart.options.get("value_labels", True):
            labels = [_label_text(chart, v, i, m) for i, v in enumerate(s.values)]
            if one_per_cat:
                labels = [lab if not math.isnan(s.values[i]) else "" for i, lab in enumerate(labels)]
            texts += ax.bar_label(
                bars,
                labels=labels,
                label_type="center" if stacked else "edge",
                padding=0 if stacked else 5,
                fontsize=max(MIN_TEXT_PT, style.font_size_pt * 0.95),
                color="white" if stacked else _hex(style.text),
                fontweight="bold" if stacked else "normal",
            )
        if stacked:
            bottoms = [b + v for b, v in zip(bottoms, vals)]
    values = [v for s in chart.series for v in s.values if not math.isnan(v)]
    negative = min(values, default=0) < 0
    if negative:
        (ax.axvline if horizontal else ax.axhline)(0, color=_hex(style.text), linewidth=1.2, zorder=4)
    _category_axis(ax, chart, style, fig, horizontal, positions)
    _style_value_axis(ax, chart, horizontal)
    if negative:
        ax.spines["left" if horizontal else "bottom"].set_visible(False)
    _mark_fixed(ax, chart)
    _references(ax, chart, style, horizontal)
    if m > 1:
        _legend(ax, chart, style, legend_colours)
    if not horizontal and chart.options.get("y_min") is None and not chart.options.get("log") and min(values, default=0) >= 0:
        ax.set_ylim(bottom=0)
    if horizontal and chart.options.get("y_min") is None and not chart.options.get("log") and min(values, default=0) >= 0:
        ax.set_xlim(left=0)
    if horizontal:
        ax.margins(y=0.03)
    else:
        ax.margins(x=0.03)
    _fit_texts(fig, ax, [t for t in texts if t.get_text()], horizontal)


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
    width_in = fig.get_figwidth()
    size = style.font_size_pt
    if horizontal:
        labels = [_wrap(c, _chars(width_in * 0.4, size)) for c in chart.categories]
        ax.set_yticks(positions, labels)
        ax.invert_yaxis()  # first category at the top, as it reads in the outline
    else:
        per = width_in * 0.85 / max(len(chart.categories), 1)
        labels = [_wrap(c, _chars(per, size)) for c in chart.categories]
        ax.set_xticks(positions, labels)
    for tick in ax.get_yticklabels() if horizontal else ax.get_xticklabels():
        name = tick.get_text().replace("\n", " ")
        if name in (chart.options.get("highlight") or ()):
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


def _draw_part_whole(fig: Figure, chart: Chart, style: ChartStyle) -> None:
    """One bar split into segments: each series is one part of the whole."""
    ax = fig.add_subplot()
    palette = [_hex(c) for c in style.palette]
    colours, legend_colours = _colours(chart, style)
    total = sum(s.values[0] for s in chart.series if not math.isnan(s.values[0]))
    left = 0.0
    fmt = _fmt(chart)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    for j, s in enumerate(chart.series):
        v = 0.0 if math.isnan(s.values[0]) else s.values[0]
        colour = legend_colours[j] if (chart.options.get("highlight") or chart.options.get("mute")) else palette[j % len(palette)]
        legend_colours[j] = colour
        ax.barh([0], [v], left=left, height=0.5, color=colour, edgecolor=_hex(style.background), linewidth=2, zorder=3)
        centre = left + v / 2
        text = ax.text(centre, 0, format_value(v, fmt), ha="center", va="center", color="white", fontweight="bold",
                       fontsize=max(MIN_TEXT_PT, style.font_size_pt * 1.1), zorder=4)  # fmt: skip
        # Values that do not fit their segment move into the legend only.
        ax.set_xlim(0, total)
        seg_px = ax.transData.transform((v, 0))[0] - ax.transData.transform((0, 0))[0]
        if text.get_window_extent(renderer).width > seg_px - 8:
            text.remove()
        left += v
    ax.set_xlim(0, total)
    ax.set_ylim(-0.5, 0.5)
    ax.axis("off")
    labels = [f"{s.name}  {format_value(s.values[0], fmt)}" for s in chart.series]
    handles = [Rectangle((0, 0), 1, 1, color=c) for c in legend_colours]
    fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 4), frameon=False,
               handlelength=1.0, handleheight=1.0, columnspacing=1.8, fontsize=style.font_size_pt)  # fmt: skip
    title = f"{chart.categories[0]}: {format_value(total, fmt)} in total" if chart.categories[0] else ""
    if title:
        ax.set_title(title, fontsize=style.font_size_pt, loc="left", pad=10)


def _draw_dots(fig: Figure, chart: Chart, style: ChartStyle) -> None:
    horizontal = True  # dot plots read best with categories down the side
    style = _fit_font(fig, chart, style, horizontal)
    ax = fig.add_subplot()
    n, m = len(chart.categories), len(chart.series)
    colours, legend_colours = _colours(chart, style)
    positions = list(range(n))
    texts: list[Text] = []
    for j, s in enumerate(chart.series):
        offs = [p + (j - (m - 1) / 2) * 0.22 for p in positions]
        if s.errors_low is not None and s.errors_high is not None:
            for p, lo, hi, c in zip(offs, s.errors_low, s.errors_high, colours[j]):
                if not (math.isnan(lo) or math.isnan(hi)):
                    ax.plot([lo, hi], [p, p], color=c, linewidth=3, zorder=3, solid_capstyle="round")
        else:
            for p, v in zip(offs, s.values):
                if not math.isnan(v):
                    ax.plot([0 if chart.options.get("y_min") is None else chart.options["y_min"], v], [p, p],
                            color=_hex(style.grid), linewidth=1.5, zorder=2)  # fmt: skip
        ax.scatter(s.values, offs, s=(style.font_size_pt * 0.9) ** 2, color=colours[j], zorder=4,
                   edgecolor=_hex(style.background), linewidth=1.5)  # fmt: skip
        if chart.options.get("value_labels", True):
            for i, (p, v) in enumerate(zip(offs, s.values)):
                label = _label_text(chart, v, i, m)
                if label:
                    texts.append(ax.annotate(label, (v, p), xytext=(0, style.font_size_pt * 0.75), textcoords="offset points",
                                             ha="center", va="bottom", fontsize=max(MIN_TEXT_PT, style.font_size_pt * 0.9)))  # fmt: skip
    _category_axis(ax, chart, style, fig, horizontal, positions)
    _style_value_axis(ax, chart, horizontal)
    _mark_fixed(ax, chart)
    values = [v for s in chart.series for v in s.values if not math.isnan(v)]
    if min(values, default=0) < 0 < max(values, default=0):
        ax.axvline(0, color=_hex(style.text), linewidth=1.2, zorder=1)
    _references(ax, chart, style, horizontal)
    if m > 1:
        _legend(ax, chart, style, legend_colours)
    ax.margins(x=0.08, y=0.12)
    _fit_texts(fig, ax, texts, horizontal)


def _draw_line(fig: Figure, chart: Chart, style: ChartStyle) -> None:
    ax = fig.add_subplot()
    colours, legend_colours = _colours(chart, style)
    positions = list(range(len(chart.categories)))
    texts: list[Text] = []
    show_values = chart.options.get("value_labels", True) and len(positions) <= 10
    for j, s in enumerate(chart.series):
        colour = legend_colours[j]
        ax.plot(positions, s.values, color=colour, linewidth=3, marker="o", markersize=style.font_size_pt * 0.55,
                zorder=3, label=s.name)  # fmt: skip
        if s.errors_low is not None and s.errors_high is not None:
            _interval(ax, positions, s.values, s.errors_low, s.errors_high, style, False)
        if show_values:
            for i, (p, v) in enumerate(zip(positions, s.values)):
                label = _label_text(chart, v, i, len(chart.series))
                if label:
                    texts.append(ax.annotate(label, (p, v), xytext=(0, 10), textcoords="offset points", ha="center",
                                             va="bottom", fontsize=max(MIN_TEXT_PT, style.font_size_pt * 0.9), color=colour))  # fmt: skip
    _category_axis(ax, chart, style, fig, False, positions)
    _style_value_axis(ax, chart, False)
    _mark_fixed(ax, chart)
    _references(ax, chart, style, False)
    if len(chart.series) > 1:
        _legend(ax, chart, style, legend_colours)
    ax.margins(x=0.06, y=0.1)
    _fit_texts(fig, ax, texts, False)


def _draw_pie(fig: Figure, chart: Chart, style: ChartStyle) -> None:
    """A donut with the total in the middle and a value legend: no crowded slice labels."""
    ax = fig.add_subplot()
    s = chart.series[0]
    fmt = _fmt(chart)
    colours, _ = _colours(chart, style)
    palette = [_hex(c) for c in style.palette]
    has_emphasis = chart.options.get("highlight") or chart.options.get("mute")
    slice_colours = colours[0] if has_emphasis else [palette[i % len(palette)] for i in range(len(s.values))]
    ax.pie(s.values, colors=slice_colours, startangle=90, counterclock=False,
           wedgeprops=dict(width=0.36, edgecolor=_hex(style.background), linewidth=2.5))  # fmt: skip
    total = sum(s.values)
    ax.text(0, 0.06, format_value(total, fmt), ha="center", va="center", fontsize=style.font_size_pt * 1.8, fontweight="bold")
    ax.text(0, -0.2, "in total", ha="center", va="center", fontsize=style.small_pt)
    ax.set_aspect("equal")
    handles = [Rectangle((0, 0), 1, 1, color=c) for c in slice_colours]
    labels = [f"{c}  {format_value(v, fmt)}" for c, v in zip(chart.categories, s.values)]
    ax.legend(handles, labels, loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False, handlelength=1.0,
              handleheight=1.0, fontsize=style.font_size_pt, labelspacing=0.8)  # fmt: skip


def _draw_waffle(fig: Figure, chart: Chart, style: ChartStyle) -> None:
    """One panel per row: `n of total` squares, the count in the accent colour, then the rest muted."""
    counts, totals = chart.series[0].values, chart.series[1].values
    panels = len(counts)
    w, h = fig.get_figwidth(), fig.get_figheight()
    big = style.font_size_pt * 2.6
    text_h = (big * 1.3 + style.font_size_pt * 2.8) / 72  # "8 of 8" plus two lines of label, inches
    for k, (n, total, cat) in enumerate(zip(counts, totals, chart.categories)):
        total_i, n_i = int(total), int(n)
        cols = total_i if total_i <= 10 else math.ceil(math.sqrt(total_i * 2))
        rows = math.ceil(total_i / cols)
        panel_w = w / panels * 0.9
        cell = min(panel_w / cols, (h - text_h - 0.4) / rows, 0.9)  # inches; capped so 8 squares stay squares, not tiles
        block_w, block_h = cell * cols, cell * rows
        mid = (k + 0.5) / panels
        top = (h - (block_h + text_h)) / 2 + block_h + text_h  # centre squares + text vertically
        ax = fig.add_axes((mid - block_w / 2 / w, (top - block_h) / h, block_w / w, block_h / h))
        ax.set_xlim(0, cols)
        ax.set_ylim(rows, 0)
        ax.axis("off")
        for i in range(total_i):
            r, c = divmod(i, cols)
            colour = _hex(style.accent) if i < n_i else _hex(style.muted)
            ax.add_patch(FancyBboxPatch((c + 0.08, r + 0.08), 0.84, 0.84, boxstyle="round,pad=0,rounding_size=0.12",
                                        fc=colour, ec="none"))  # fmt: skip
        y_text = (top - block_h - 0.15) / h
        noun = chart.series[0].name.lower()
        fig.text(mid, y_text, f"{n_i} of {total_i}", ha="center", va="top", fontsize=big, fontweight="bold", color=_hex(style.accent))
        sub = noun if cat == chart.options.get("title") else cat
        fig.text(mid, y_text - big * 1.25 / 72 / h, _wrap(sub, _chars(panel_w, style.font_size_pt)), ha="center",
                 va="top", fontsize=style.font_size_pt)  # fmt: skip


def _draw_timeline(fig: Figure, chart: Chart, style: ChartStyle) -> None:
    """Years down a line, events beside them; two columns when one would not fit at a legible size."""
    w_pt, h_pt = fig.get_figwidth() * 72, fig.get_figheight() * 72
    events = list(zip(chart.categories, chart.labels or chart.categories))
    margin = style.font_size_pt * 0.6
    highlight = set(chart.options.get("highlight") or ())
    # Prefer the theme size in fewer columns; shrink towards 14 pt only when three columns overflow.
    for size in [style.font_size_pt - d for d in range(0, int(style.font_size_pt - MIN_TEXT_PT) + 1)]:
        line_h = size * 1.4
        year_w = size * 2.6
        for cols in (1, 2, 3):
            col_w = (w_pt - margin * 2) / cols
            text_chars = _chars((col_w - year_w - size * 1.8) / 72, size)
            wrapped = [(y, _wrap(t, text_chars)) for y, t in events]
            per_col = math.ceil(len(wrapped) / cols)
            heights = [sum((t.count("\n") + 1) * line_h + size * 0.5 for _, t in wrapped[c * per_col:(c + 1) * per_col])
                       for c in range(cols)]  # fmt: skip
            if max(heights) <= h_pt - margin * 2:
                break
        else:
            continue
        break
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, w_pt)
    ax.set_ylim(h_pt, 0)
    ax.axis("off")
    for c in range(cols):
        chunk = wrapped[c * per_col:(c + 1) * per_col]
        x = margin + c * col_w
        y = margin
        dot_x = x + year_w + size * 0.5
        start = y
        for year, text in chunk:
            lines = text.count("\n") + 1
            mid = y + line_h / 2
            emph = year in highlight
            ax.text(x + year_w - size * 0.2, mid, year, ha="right", va="center", fontsize=size, fontweight="bold",
                    color=_hex(style.accent) if emph else _hex(style.text))  # fmt: skip
            ax.plot([dot_x], [mid], marker="o", markersize=size * 0.55, color=_hex(style.accent if emph else style.palette[0]), zorder=3)
            ax.text(dot_x + size * 0.9, mid, text.split("\n")[0], ha="left", va="center", fontsize=size)
            for extra, more in enumerate(text.split("\n")[1:], start=1):
                ax.text(dot_x + size * 0.9, mid + extra * line_h, more, ha="left", va="center", fontsize=size)
            end = mid
            y += lines * line_h + size * 0.5
        ax.plot([dot_x, dot_x], [start + line_h / 2, end], color=_hex(style.grid), linewidth=2, zorder=1)


def _decorations(fig: Figure, chart: Chart, style: ChartStyle, free: bool) -> None:
    note = chart.options.get("note") or ""
    if note:
        text = _wrap(note, _chars(fig.get_figwidth() * 0.95, style.small_pt))
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


_DRAWERS = {
    "bar": _draw_bars,
    "grouped-bar": _draw_bars,
    "stacked": _draw_bars,
    "dot": _draw_dots,
    "line": _draw_line,
    "pie": _draw_pie,
    "waffle": _draw_waffle,
    "timeline": _draw_timeline,
}
