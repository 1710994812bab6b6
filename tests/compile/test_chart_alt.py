"""Compile tests for chart_alt: alt text from the data — values, intervals, references, emphasis, reveal."""

from __future__ import annotations

import math

from lecturegen.compile.chart_alt import chart_alt_text
from lecturegen.model.chart import Chart, ChartSeries, Reference, options_for
from lecturegen.model.text import Run


def _chart(kind: str = "dot", **options: object) -> Chart:
    return Chart(kind, ("Criterion", "Divergent"), (ChartSeries("UK", (0.69, 0.10)), ChartSeries("US", (0.70, 0.12))),
                 "", (), options_for(kind, format="r", **options))


def test_every_value_by_category_and_the_source() -> None:
    text = chart_alt_text(_chart(y_title="r"), "Validity", "Measure", (Run("Source: Di Malta et al. (2023)"),))
    assert text == ("Dot plot: Validity. r by measure: Criterion: UK .69, US .70; Divergent: UK .10, US .12. "
                    "Source: Di Malta et al. (2023).")


def test_axis_references_emphasis_note_and_reveal_are_said() -> None:
    chart = _chart("grouped-bar", y_min=0.0, y_max=1.0, references=(Reference(0.5, "half"),), highlight=("Criterion",),
                   mute=("Divergent",), note="Order assumed", reveal="points")  # fmt: skip
    text = chart_alt_text(chart, "Validity", "", ())
    for part in ("Value axis from 0 to 1.00.", "Reference line at .50 (half).", "Highlighted: Criterion.",
                 "Greyed out: Divergent.", "Order assumed.", "Built one category per click."):
        assert part in text, (part, text)


def test_a_slope_chart_and_its_interval_ends() -> None:
    slope = Chart("slope", ("Before", "After"), (ChartSeries("At least 8 hours", (16.4, 54.7), (14.0, 50.0), (19.0, math.nan)),),
                  "", (), options_for("slope", format=".1f"))  # fmt: skip
    text = chart_alt_text(slope, "Sleep", "Phase", ())
    assert text.startswith("Slope chart: Sleep. At least 8 hours by phase: Before 16.4 (14.0 to 19.0); After 54.7")
