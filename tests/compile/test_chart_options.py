"""Compile tests for chart_options: number formats from the data, APA p-values, one options record per type."""

from __future__ import annotations

import math

import pytest

from lecturegen.compile.chart_options import axis_options, default_format, p_text
from lecturegen.model.chart import BarOptions, ChartBase, LineOptions, PieOptions, SlopeOptions, ValueAxis


@pytest.mark.parametrize(("value", "text"), [
    (0.010, "p = .010"), (0.0004, "p < .001"), ("< .001", "p < .001"), (".122 (n.s.)", "p = .122 (n.s.)"),
    ("0.037", "p = .037"), ("p = .05", "p = .05"), ("", ""), (None, ""), (math.nan, ""),
])  # fmt: skip
def test_p_values_are_written_as_apa_writes_them(value: object, text: str) -> None:
    assert p_text(value) == text


def test_the_default_format_shows_the_data_as_published() -> None:
    assert default_format([0.85, 0.93], None) == "r"
    assert default_format([-0.060, 0.103], None) == "r3"
    assert default_format([501.0, 234.0], None) == "int"
    assert default_format([16.4, 54.7], None) == ",.1f"
    assert default_format([math.nan, 0.5], None) == "r"


def test_each_type_gets_its_record_and_a_pie_no_axis() -> None:
    base, axis = ChartBase(format="r"), ValueAxis(y_min=0.0)
    assert axis_options("bar", base, axis) == BarOptions(base, axis)
    assert axis_options("grouped-bar", base, axis) == BarOptions(base, axis)
    assert isinstance(axis_options("line", base, axis), LineOptions)
    assert isinstance(axis_options("slope", base, axis), SlopeOptions)
    assert axis_options("pie", base, axis) == PieOptions(base)
