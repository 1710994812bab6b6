"""Model tests: typed chart options per chart type, the steps of a revealed chart, native reference lines."""

from __future__ import annotations

import pytest

from lecturegen.model.chart import (
    BarOptions,
    Chart,
    ChartSeries,
    DotOptions,
    PieOptions,
    Reference,
    SlopeOptions,
    TimelineOptions,
    ValueAxis,
    chart_frames,
    native_reference_lines,
    options_for,
    reveal_steps,
    with_axis,
    with_base,
)


def _chart(kind: str = "bar", **options: object) -> Chart:
    return Chart(kind, ("a", "b", "c"), (ChartSeries("s", (1.0, 2.0, 3.0)), ChartSeries("t", (2.0, 3.0, 4.0))),
                 "alt", (), options_for(kind, **options))


def test_options_go_to_the_record_that_has_them() -> None:
    options = options_for("dot", format="r", highlight=("a",), y_min=0.0, references=(Reference(0.5, "half"),))
    assert isinstance(options, DotOptions)
    assert options.base.format == "r" and options.base.highlight == ("a",)
    assert options.axis.y_min == 0.0 and options.axis.references == (Reference(0.5, "half"),)
    assert isinstance(options_for("slope"), SlopeOptions)
    assert options_for("timeline", orientation="horizontal") == TimelineOptions(orientation="horizontal")


@pytest.mark.parametrize("kind", ["pie", "waffle"])
def test_a_chart_without_a_value_axis_refuses_axis_options(kind: str) -> None:
    with pytest.raises(TypeError):
        options_for(kind, y_min=0.0)


def test_a_chart_without_a_value_axis_answers_with_an_empty_one() -> None:
    pie = Chart("pie", ("a",), (ChartSeries("s", (1.0,)),), "alt", (), PieOptions())
    assert pie.axis == ValueAxis() and not pie.horizontal
    assert with_axis(pie, y_min=1.0) is pie


def test_with_base_and_with_axis_change_one_option() -> None:
    chart = with_axis(with_base(_chart(), note="n"), orientation="horizontal")
    assert isinstance(chart.options, BarOptions)
    assert chart.base.note == "n" and chart.horizontal


def test_a_revealed_chart_takes_a_step_per_series_or_per_category() -> None:
    assert reveal_steps(_chart()) == 0 and chart_frames(_chart()) == (_chart(),)
    assert reveal_steps(_chart(reveal="series")) == 2
    frames = chart_frames(_chart(reveal="points"))
    assert [f.base.frame for f in frames] == [0, 1, 2]


def test_native_reference_lines_only_across_columns_and_lines() -> None:
    refs = (Reference(1.5),)
    assert native_reference_lines(_chart(references=refs)) == refs
    assert native_reference_lines(_chart(references=refs, orientation="horizontal")) == ()
    assert native_reference_lines(_chart("dot", references=refs)) == ()
