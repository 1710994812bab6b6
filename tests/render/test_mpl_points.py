"""Renderer tests for mpl_points: dot plots with intervals and annotations, slope charts, revealed steps."""

from __future__ import annotations

import matplotlib
from matplotlib.collections import PathCollection

from lecturegen.model.chart import Chart, ChartSeries, Reference, chart_frames, options_for
from lecturegen.render.charts_mpl import build_figure, drawn_texts
from tests.render.test_charts_mpl import CHARTS, STYLE


def _texts(chart: Chart) -> list[str]:
    return [t.get_text() for t in drawn_texts(build_figure(chart, STYLE, 10.0, 5.0, dpi=72))]


def test_a_slope_chart_names_each_line_and_values_both_ends() -> None:
    texts = _texts(CHARTS["slope"])
    assert any(t.startswith("First sample") and t.endswith(".10") for t in texts), texts
    assert any(t.startswith("Second sample") for t in texts)
    assert ".69" in texts and ".70" in texts
    assert "Social desirability" in texts and "Satisfaction" in texts


def test_a_slope_chart_has_no_value_axis_to_repeat_its_values() -> None:
    fig = build_figure(CHARTS["slope"], STYLE, 10.0, 5.0, dpi=72)
    assert not fig.axes[0].yaxis.get_visible()


def test_the_highlighted_line_is_in_the_highlight_colour_and_thicker() -> None:
    fig = build_figure(CHARTS["slope"], STYLE, 10.0, 5.0, dpi=72)
    lines = [line for line in fig.axes[0].get_lines() if len(line.get_xdata()) == 2 and line.get_marker() == "o"]  # type: ignore[arg-type]
    first = next(line for line in lines if matplotlib.colors.to_hex(line.get_color()).upper() == "#" + STYLE.accent)
    assert first.get_linewidth() > min(line.get_linewidth() for line in lines)


def test_a_dot_plot_writes_the_interval_and_p_beside_the_highlighted_dot() -> None:
    chart = Chart("dot", ("Depression", "Alliance"), (ChartSeries("r", (-0.06, 0.103), (-0.1, 0.05), (0.0, 0.15)),),
                  "alt", (), options_for("dot", format="r3", highlight=("Alliance",), references=(Reference(0.0),)),
                  labels=("", "[.050, .150]\u2002p = .010"))  # fmt: skip
    texts = _texts(chart)
    assert ".103\u2002[.050, .150]\u2002p = .010" in texts, texts
    assert "\u2212.060" in texts


def test_each_step_of_a_revealed_dot_plot_shows_one_more_row() -> None:
    chart = Chart("dot", ("a", "b", "c"), (ChartSeries("r", (0.1, 0.2, 0.3)),), "alt", (),
                  options_for("dot", format="r", reveal="points"))  # fmt: skip
    shown = []
    for frame in chart_frames(chart):
        fig = build_figure(frame, STYLE, 10.0, 5.0, dpi=72)
        shown.append(sum(1 for c in fig.findobj(PathCollection) if c.get_visible()))
    assert shown == [1, 2, 3]


def test_each_step_of_a_line_chart_by_points_draws_the_line_so_far() -> None:
    chart = Chart("line", ("2019", "2023", "2025"), (ChartSeries("n", (556.0, 916.0, 1086.0)),), "alt", (),
                  options_for("line", format="int", reveal="points"))  # fmt: skip
    lengths = []
    for frame in chart_frames(chart):
        fig = build_figure(frame, STYLE, 10.0, 5.0, dpi=72)
        line = next(line for line in fig.axes[0].get_lines() if line.get_gid() == "line:0:-1")
        lengths.append(len(line.get_xdata()))  # type: ignore[arg-type]
    assert lengths == [1, 2, 3]
