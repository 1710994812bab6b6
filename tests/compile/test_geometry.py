"""check --render: words LibreOffice drew are judged by where they are, each by its own box."""

from __future__ import annotations

from dataclasses import replace

from lecturegen.compile.geometry import RenderedPage, rendered_findings
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Deck, Slide
from lecturegen.model.geometry import Box
from lecturegen.model.shapes import ChartShape, TextShape
from lecturegen.model.text import Run

CHART = ChartShape("Chart", Box(0, 1000000, 10000000, 5000000), native=True)
CAPTION = TextShape("Caption", "caption", Box(0, 6500000, 10000000, 500000), ())


def _deck(*shapes: object) -> Deck:
    slide = Slide(kind="chart", layout="Title Only", title=(Run("Reliable"),))
    slide = replace(slide, shapes=shapes)
    return Deck(talk="t", title="t", subtitle="", presenter="", affiliation="", date="", footer="", theme="calm",
                slides=(slide,), slot_minutes=1)


def _errors(deck: Deck, words: tuple[tuple[str, Box], ...]) -> list[str]:
    diags = Diagnostics()
    rendered_findings(deck, [RenderedPage(words)], diags)
    return [d.message for d in diags.items]


def test_a_caption_word_that_a_chart_label_repeats_is_inside_its_frame() -> None:
    deck = _deck(CHART, CAPTION)
    words = (("(2023)", Box(100000, 5800000, 500000, 100000)),   # the chart's category label, in the chart
             ("(2023)", Box(100000, 6600000, 500000, 100000)))   # the caption's, in the caption's frame
    assert _errors(deck, words) == []


def test_a_word_in_no_frame_and_no_chart_is_reported() -> None:
    deck = _deck(CHART, CAPTION)
    words = (("(2023)", Box(100000, 6600000, 500000, 100000)), ("stray", Box(100000, 8000000, 500000, 100000)))
    errors = _errors(deck, words)
    assert len(errors) == 1 and "'stray'" in errors[0]
