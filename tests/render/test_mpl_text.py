"""Renderer tests for mpl_text: measured wrapping, value labels placed clear of each other, frames of a reveal."""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from lecturegen.render.mpl_text import Metrics, Plot, Spot, ValueLabel, settle, show_frame, tag, wrap_label


def _figure() -> Figure:
    fig = Figure(figsize=(6, 3), dpi=72, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def test_wrap_label_breaks_at_spaces_to_the_measured_width() -> None:
    metrics = Metrics(_figure())
    text = "Criterion validity against satisfaction"
    wrapped = wrap_label(metrics, text, 18, 150)
    assert wrapped.replace("\n", " ") == text and "\n" in wrapped
    assert all(metrics.width(line, 18) <= 150 for line in wrapped.split("\n"))
    assert wrap_label(metrics, "Short", 18, 150) == "Short"


def test_two_labels_wanting_the_same_place_are_set_apart() -> None:
    fig = _figure()
    ax = fig.add_subplot()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    plot = Plot(ax, False, fixed_lo=True, fixed_hi=True)
    for text in (".69", ".70"):
        spots = [Spot((5, 5), (0, 0), "center", "center", "#000000"), Spot((5, 5), (0, 30), "center", "bottom", "#000000")]
        plot.labels.append(ValueLabel((text,), spots, 14.0))
    settle(fig, plot)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [label.artist.get_window_extent(renderer) for label in plot.labels if label.artist is not None]
    assert len(boxes) == 2 and not boxes[0].overlaps(boxes[1])


def test_show_frame_hides_what_later_steps_add() -> None:
    fig = _figure()
    ax = fig.add_subplot()
    marks = [[tag(ax.plot([i], [j])[0], j, i) for i in range(3)] for j in range(2)]
    show_frame(fig, "points", 1)
    assert [[m.get_visible() for m in row] for row in marks] == [[True, True, False]] * 2
    fig = _figure()
    ax = fig.add_subplot()
    marks = [[tag(ax.plot([i], [j])[0], j, i) for i in range(3)] for j in range(2)]
    show_frame(fig, "series", 0)
    assert [[m.get_visible() for m in row] for row in marks] == [[True] * 3, [False] * 3]
