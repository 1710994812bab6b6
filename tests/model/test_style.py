"""Tests for model/style.py: a deck's resolved look — its colours and what each font face is measured with."""

from __future__ import annotations

import dataclasses

import pytest

from lecturegen.model.style import FONT_QUALITIES, DeckStyle, FontFace, FontMetrics
from lecturegen.sources.fonts import LoadedFont

COLORS = {"background": "FFFFFF", "text": "1F2933", "title": "0F4C5C", "accent": "0F766E"}


def style(colors: dict[str, str] | None = None) -> DeckStyle:
    face = FontFace("Calibri", "Carlito", "metric-compatible")
    return DeckStyle(dict(colors or COLORS), ("0F766E", "D97706"), face, face)


@pytest.mark.parametrize(("quality", "wording"), [
    ("exact", "Georgia"),
    ("metric-compatible", "Gelasio, metric-compatible with Georgia"),
    ("substitute", "Gelasio standing in for Georgia, which is not installed here; widths may differ"),
    ("estimated", "estimated widths: Georgia is not installed and has no substitute here"),
])
def test_a_face_describes_how_it_was_measured(quality: str, wording: str) -> None:
    assert FontFace("Georgia", "Gelasio", quality).describe() == wording


def test_each_quality_is_described_differently() -> None:
    described = {FontFace("Georgia", "Gelasio", q).describe() for q in FONT_QUALITIES}
    assert len(described) == len(FONT_QUALITIES)


def test_a_deck_colour_is_looked_up_by_its_key() -> None:
    deck = style()
    assert deck.color("title") == "0F4C5C" and deck.color("background") == "FFFFFF"
    with pytest.raises(KeyError):
        deck.color("band")


def test_chart_type_and_grid_have_defaults() -> None:
    assert (style().chart_font_pt, style().grid) == (18.0, "D9D9D9")


def test_a_style_is_hashable_though_its_colours_are_a_dict_and_compares_them() -> None:
    a, b = style(), style()
    assert a == b and hash(a) == hash(b)
    other = style({**COLORS, "title": "000000"})
    assert a != other
    assert hash(a) == hash(other)  # the colours take no part in the hash: a dict cannot
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.grid = "000000"  # type: ignore[misc]


def test_a_loaded_font_is_the_font_metrics_the_model_measures_with() -> None:
    metrics: FontMetrics = LoadedFont(FontFace("No Such Family 1234", "No Such Family 1234", "estimated"))
    short, long = metrics.width("ill", 20), metrics.width("illness", 20)
    assert 0 < short < long
    assert metrics.width("illness", 40) == pytest.approx(2 * long)
    assert metrics.width("illness", 20, bold=True) >= long
    assert metrics.line_height > 1.0
