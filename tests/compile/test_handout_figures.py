"""Tests for compile/handout_figures.py: the size each chart is drawn and printed at."""

from __future__ import annotations

from lecturegen.compile.handout_figures import (
    CHART_MIN_FONT_PT,
    MIN_PRINTED_PT,
    crowded,
    crowded_chart_warnings,
    figure_for,
    paper_chart,
)
from lecturegen.model.chart import Chart, ChartSeries
from lecturegen.model.deck import Deck, Slide
from lecturegen.model.text import Run


def bar(n: int) -> Chart:
    return Chart("bar", tuple(f"Group {i}" for i in range(n)), (ChartSeries("n", tuple(float(i) for i in range(n))),),
                 "A bar chart", (Run("Source: Cooper (2005)"),))


def test_a_figure_prints_at_its_width_and_its_smallest_type_stays_legible() -> None:
    figure = figure_for(bar(4), 6.0)
    assert figure.print_width_in == 6.0 and figure.dpi == 200
    assert CHART_MIN_FONT_PT * figure.min_print_width_in / figure.width_in >= MIN_PRINTED_PT - 0.01
    assert figure.min_print_width_in <= figure.print_width_in


def test_a_crowded_chart_is_thinned_for_paper_and_warned_about() -> None:
    assert not crowded(bar(5)) and crowded(bar(260))
    drawn, note = paper_chart(bar(260))
    assert drawn != bar(260) and note
    deck = Deck(talk="t", title="T", subtitle="", presenter="", affiliation="", date="", footer="", theme="calm",
                slides=(Slide("chart", "Title Only", (Run("Many groups"),), chart=bar(260)),), slot_minutes=10.0)
    assert crowded_chart_warnings(deck)
