"""Renderer tests for mpl_axes: reference lines with their labels, tagged error bars, label texts."""

from __future__ import annotations

import math

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from lecturegen.model.chart import Chart, ChartSeries, Reference, options_for
from lecturegen.render.mpl_axes import draw_interval, label_texts, reference_lines
from tests.render.test_charts_mpl import STYLE


def _chart(**options: object) -> Chart:
    return Chart("bar", ("a", "b"), (ChartSeries("s", (0.85, 0.93)),), "alt", (), options_for("bar", format="r", **options),
                 labels=("", "p = .010"))  # fmt: skip


def _axes() -> tuple[Figure, object]:
    fig = Figure(figsize=(6, 3), dpi=72)
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def test_each_reference_line_is_dashed_and_labelled() -> None:
    fig, ax = _axes()
    rules = reference_lines(ax, _chart(references=(Reference(0.9, "α = .90"), Reference(0.7))), STYLE, False)  # type: ignore[arg-type]
    assert [rule.get_ydata()[0] for rule in rules] == [0.9, 0.7]  # type: ignore[index]
    assert all(rule.get_linestyle() == "--" for rule in rules)
    assert [t.get_text() for t in ax.texts] == ["α = .90"]  # type: ignore[attr-defined]


def test_error_bars_are_tagged_with_their_element_and_skip_missing_ends() -> None:
    fig, ax = _axes()
    draw_interval(ax, [0, 1], [0.5, 0.6], [0.4, math.nan], [0.6, 0.7], STYLE, False, series=2)  # type: ignore[arg-type]
    gids = {line.get_gid() for line in ax.get_lines()}  # type: ignore[attr-defined]
    assert gids == {"element:2:0"}


def test_a_value_with_a_text_gives_the_whole_then_the_number() -> None:
    chart = _chart()
    assert label_texts(chart, 0.93, 1, 1) == (".93\u2002p = .010", ".93")
    assert label_texts(chart, 0.85, 0, 1) == (".85",)
    assert label_texts(chart, 0.93, 1, 2) == (".93",)  # several series: the text would not say whose
    assert label_texts(chart, math.nan, 0, 1) == ()
