"""Render layer: a bound Chart → PNG bytes with matplotlib's object API (no pyplot, no global state).

Every chart is drawn at exactly the size of its box on the slide, so points are points: no text is smaller
than MIN_TEXT_PT where it is shown. Text is set in the slides' own font files. Value labels are placed
after the layout, from the renderer's own text extents, where they collide with nothing (`mpl_text.settle`).
The chart families are drawn in `mpl_bars`, `mpl_points` and `mpl_panels`; what they share is in `mpl_axes`.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any, Callable

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from lecturegen.model.chart import Chart
from lecturegen.render.chart_style import MIN_TEXT_PT, OKABE_ITO, ChartStyle
from lecturegen.render.chart_version import RENDERER_VERSION
from lecturegen.render.mpl_bars import draw_bars
from lecturegen.render.mpl_panels import draw_pie, draw_timeline, draw_waffle, note_text
from lecturegen.render.mpl_points import draw_dots, draw_line, draw_slope
from lecturegen.render.mpl_text import Metrics, Plot, drawn_texts, lay_out, mpl_colour, settle, show_frame, wrap_label

__all__ = ["ChartStyle", "MIN_TEXT_PT", "OKABE_ITO", "RENDERER_VERSION", "build_figure", "drawn_texts",
           "font_stack", "render_chart_png"]


FALLBACK_FONTS = ("Carlito", "Liberation Sans", "DejaVu Sans")


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
    text = mpl_colour(style.text)
    return {
        # The families themselves, not "sans-serif": every Text keeps them, so it draws (and reports, with
        # get_fontname) the slides' font even outside this context.
        "font.family": list(font_stack(style.font_family, style.font_files)),
        "font.size": style.font_size_pt,
        "text.color": text,
        "text.parse_math": False,  # "$5 to $10" in a label is text, not mathematics
        "axes.labelcolor": text,
        "axes.edgecolor": text,
        "axes.facecolor": mpl_colour(style.background),
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
        "grid.color": mpl_colour(style.grid),
        "grid.linewidth": 1.0,
        "figure.facecolor": mpl_colour(style.background),
        "savefig.facecolor": mpl_colour(style.background),
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
            settle(fig, plot)
        elif not free:
            lay_out(fig)
            fig.set_layout_engine("none")
        else:
            fig.draw_without_rendering()
        if chart.base.frame is not None:
            show_frame(fig, chart.base.reveal, chart.base.frame)
    return fig


def _decorations(fig: Figure, chart: Chart, style: ChartStyle, free: bool) -> None:
    note = note_text(chart)
    if note:
        text = wrap_label(Metrics(fig), note, style.small_pt, fig.get_figwidth() * 72 * 0.96)
        if free:
            fig.text(0.01, 0.01, text, ha="left", va="bottom", fontsize=style.small_pt, style="italic")
        else:
            fig.supxlabel(text, x=0.01, ha="left", fontsize=style.small_pt, style="italic")
    if chart.illustrative:
        stamp: dict[str, Any] = dict(
            fontsize=style.small_pt,
            style="italic",
            color=mpl_colour(style.text),
            bbox=dict(boxstyle="round,pad=0.3", fc=mpl_colour(style.background), ec=mpl_colour(style.muted), lw=1.2),
        )
        if free:
            fig.text(0.99, 0.98, "Illustrative data", ha="right", va="top", **stamp)
        else:
            fig.suptitle("Illustrative data", x=0.99, ha="right", **stamp)


_DRAWERS: dict[str, Callable[[Figure, Chart, ChartStyle], Plot | None]] = {
    "bar": draw_bars,
    "grouped-bar": draw_bars,
    "stacked": draw_bars,
    "dot": draw_dots,
    "line": draw_line,
    "slope": draw_slope,
    "pie": draw_pie,
    "waffle": draw_waffle,
    "timeline": draw_timeline,
}
