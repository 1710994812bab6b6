"""Renderer tests for mpl_bars: bars, grouped bars with error bars, the steps of a revealed bar chart."""

from __future__ import annotations

from matplotlib.patches import Rectangle

from lecturegen.model.chart import Chart, ChartSeries, chart_frames, options_for
from lecturegen.render.charts_mpl import build_figure, drawn_texts
from tests.render.test_charts_mpl import STYLE


def _grouped(reveal: str = "none") -> Chart:
    return Chart("grouped-bar", ("Retest", "Divergent", "Criterion"),
                 (ChartSeries("UK", (0.73, 0.10, 0.69), (0.70, 0.05, 0.65), (0.76, 0.15, 0.73)),
                  ChartSeries("US", (0.76, 0.12, 0.70))), "alt", (), options_for("grouped-bar", format="r", reveal=reveal))  # fmt: skip


def _visible_bars(chart: Chart) -> int:
    fig = build_figure(chart, STYLE, 10.0, 5.0, dpi=72)
    return sum(1 for p in fig.axes[0].patches if isinstance(p, Rectangle) and p.get_visible())


def test_each_step_by_series_adds_a_series_of_bars() -> None:
    assert [_visible_bars(f) for f in chart_frames(_grouped("series"))] == [3, 6]


def test_each_step_by_points_adds_a_category() -> None:
    assert [_visible_bars(f) for f in chart_frames(_grouped("points"))] == [2, 4, 6]


def test_a_step_hides_the_values_and_intervals_of_what_comes_later() -> None:
    first = chart_frames(_grouped("points"))[0]
    fig = build_figure(first, STYLE, 10.0, 5.0, dpi=72)
    texts = [t.get_text() for t in drawn_texts(fig)]
    assert ".73" in texts and ".76" in texts and ".10" not in texts and ".69" not in texts
    intervals = [line for line in fig.axes[0].get_lines() if (line.get_gid() or "").startswith("element:0:")]
    assert intervals and all(line.get_visible() == line.get_gid().endswith(":0") for line in intervals)  # type: ignore[union-attr]


def test_the_steps_share_their_axes() -> None:
    limits = {build_figure(f, STYLE, 10.0, 5.0, dpi=72).axes[0].get_ylim() for f in chart_frames(_grouped("points"))}
    assert len(limits) == 1
