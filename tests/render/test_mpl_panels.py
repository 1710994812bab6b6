"""Renderer tests for mpl_panels: the donut's hole, waffle counts, timeline events and the note under them."""

from __future__ import annotations

from lecturegen.model.chart import with_base
from lecturegen.render.charts_mpl import build_figure, drawn_texts
from lecturegen.render.mpl_panels import note_text
from tests.render.test_charts_mpl import CHARTS, STYLE


def _texts(name: str, note: str = "") -> list[str]:
    chart = with_base(CHARTS[name], note=note) if note else CHARTS[name]
    return [t.get_text() for t in drawn_texts(build_figure(chart, STYLE, 10.0, 5.0, dpi=72))]


def test_a_waffle_says_n_of_total() -> None:
    assert "5 of 7" in _texts("waffle")


def test_a_timeline_writes_each_year_and_event() -> None:
    texts = _texts("timeline")
    assert {"2005", "2019", "Definitional book", "RDFS paper"} <= set(texts)


def test_the_note_is_one_sentence_under_the_chart() -> None:
    assert note_text(with_base(CHARTS["pie"], note="Order assumed")) == "Order assumed."
    assert note_text(CHARTS["pie"]) == ""
    assert any("Order assumed." in t for t in _texts("timeline", note="Order assumed"))
