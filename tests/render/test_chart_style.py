"""Render tests: chart colours, highlights, tick formats and text on fills from the deck's style."""

from __future__ import annotations

from lecturegen.model.chart import Chart, ChartSeries
from lecturegen.model.chart import options_for
from lecturegen.model.colour import blend, contrast_ratio
from lecturegen.model.style import DeckStyle, FontFace
from lecturegen.render.chart_style import (
    MIN_TEXT_PT,
    OKABE_ITO,
    ChartStyle,
    chart_colours,
    chart_style,
    highlight_colour,
    muted_shade,
    text_on,
    tick_format,
)

STYLE = ChartStyle(palette=("111111", "222222", "333333"), accent="AA0000", muted="BBBBBB", text="000000")


def _chart(series: list[str], categories: list[str], kind: str = "bar", **options: object) -> Chart:
    return Chart(type=kind, categories=tuple(categories),
                 series=tuple(ChartSeries(s, tuple(1.0 for _ in categories)) for s in series), alt="a",
                 source=(), options=options_for(kind, **options))


def test_small_text_never_goes_below_the_minimum() -> None:
    assert ChartStyle(font_size_pt=18).small_pt == max(MIN_TEXT_PT, 18 * 0.85)
    assert ChartStyle(font_size_pt=20).small_pt == 17.0
    assert ChartStyle().palette == OKABE_ITO


def test_a_faint_highlight_falls_back_to_the_text_colour() -> None:
    assert highlight_colour("#d55e00", "262626", "ffffff") == "D55E00"
    assert highlight_colour("FFFF66", "#262626", "FFFFFF") == "262626"


def test_the_deck_style_becomes_a_chart_style() -> None:
    face = FontFace("Calibri", "Carlito", "metric-compatible", regular="/f/r.ttf", bold=None)
    deck = DeckStyle(colors={"text": "000000", "background": "FFFFFF", "accent2": "B45309"},
                     palette=("0072B2", "009E73"), heading=face, body=face, grid="EEEEEE")
    style = chart_style(deck, 20)
    assert style.palette == ("0072B2", "009E73") and style.accent == "B45309"
    assert style.muted == blend("000000", "FFFFFF", 0.68)
    assert (style.font_family, style.font_size_pt, style.grid, style.font_files) == ("Calibri", 20, "EEEEEE",
                                                                                      ("/f/r.ttf",))


def test_muted_shades_darken_in_a_cycle_of_three() -> None:
    shades = [muted_shade(STYLE, i) for i in range(4)]
    assert shades[0] == "BBBBBB" and shades[3] == shades[0]
    assert len(set(shades[:3])) == 3


def test_without_highlight_the_palette_speaks() -> None:
    single, legend = chart_colours(_chart(["s"], ["a", "b"]), STYLE)
    assert single == [["111111", "111111"]] and legend == ["111111"]
    many, legend = chart_colours(_chart(["s", "t"], ["a"]), STYLE)
    assert many == [["111111"], ["222222"]] and legend == ["111111", "222222"]
    pie, _ = chart_colours(_chart(["s"], ["a", "b", "c", "d"], kind="pie"), STYLE)
    assert pie == [["111111", "222222", "333333", "111111"]]


def test_a_highlighted_category_stands_out_and_the_rest_is_muted() -> None:
    colours, _ = chart_colours(_chart(["s"], ["a", "b", "c"], highlight=["b"]), STYLE)
    assert colours == [["BBBBBB", "AA0000", "BBBBBB"]]


def test_a_highlighted_series_and_muted_items() -> None:
    colours, legend = chart_colours(_chart(["s", "t", "u"], ["a", "b"], highlight=["t"], mute=["b"]), STYLE)
    assert legend[1] == "AA0000"
    assert legend[0] == muted_shade(STYLE, 0) and legend[2] == muted_shade(STYLE, 1) and legend[0] != legend[2]
    assert [row[1] for row in colours] == ["BBBBBB"] * 3  # a muted category is muted in every series


def test_tick_formats_carry_just_the_decimals_the_step_needs() -> None:
    assert tick_format(None, 10) == ",.0f"
    assert tick_format(".1f", 0.05) == ",.2f"
    assert tick_format("r", 0.05) == "r"
    assert tick_format("r", 0.005) == "r3"
    assert tick_format("int", 0.5) == "int"
    assert tick_format(None, 0) == ",.2f"


def test_text_on_a_fill_is_white_or_the_text_colour_whichever_reads() -> None:
    assert text_on("#000080", STYLE) == "FFFFFF"
    assert text_on("FFFF00", STYLE) == "000000"
    for fill in ("0072B2", "E69F00", "F0E442"):
        assert contrast_ratio(text_on(fill, STYLE), fill) >= 4.5
