"""Compile tests: deck-level accessibility and readability findings."""

from __future__ import annotations

from lecturegen.compile.quality import deck_findings, style_findings
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.chart import Chart
from lecturegen.model.deck import Deck, Paragraph, Picture, Run, Slide
from lecturegen.model.style import DeckStyle, FontFace

FACE = FontFace("Calibri", "Carlito", "metric-compatible")
GOOD = {"background": "FFFFFF", "text": "000000", "title": "000000", "accent": "0F766E", "muted": "595959",
        "link": "0B5CAD", "accent2": "B45309", "band": "000000", "band_text": "FFFFFF"}
NOTES = (Paragraph((Run("One."),)), Paragraph((Run("Two."),)))


def _deck(slides: list[Slide], colors: dict[str, str] | None = None,
          palette: tuple[str, ...] = ("0072B2", "009E73")) -> Deck:
    style = DeckStyle(colors=colors or dict(GOOD), palette=palette, heading=FACE, body=FACE)
    return Deck(talk="t", title="T", subtitle="", presenter="", affiliation="", date="", footer="", theme="calm",
                slides=tuple(slides), slot_minutes=10, style=style)


def _slide(title: str, kind: str = "bullets", notes: tuple[Paragraph, ...] = NOTES, **kw: object) -> Slide:
    return Slide(kind=kind, layout="content", title=(Run(title),), notes=notes, **kw)  # type: ignore[arg-type]


def _codes(deck: Deck, check=deck_findings) -> list[str]:  # type: ignore[no-untyped-def]
    diags = Diagnostics()
    check(deck, diags)
    return [f"{d.severity}:{d.code}" for d in diags.items]


def test_a_clean_deck_has_no_findings() -> None:
    assert _codes(_deck([_slide("One"), _slide("Two")])) == []


def test_low_contrast_colours_are_reported_by_name() -> None:
    diags = Diagnostics()
    style_findings(_deck([], colors={**GOOD, "muted": "BBBBBB"}), diags)
    assert [d.code for d in diags.items] == ["a11y.contrast"]
    assert "'muted' (#BBBBBB)" in diags.items[0].message


def test_pale_chart_colours_are_reported_only_among_the_first_four() -> None:
    palette = ("0072B2", "009E73", "000000", "111111", "F0F0F0")
    assert _codes(_deck([], palette=palette), style_findings) == []
    assert _codes(_deck([], palette=("F0E442",)), style_findings) == ["warning:a11y.chart-contrast"]


def test_a_deck_without_style_is_not_judged_for_colour() -> None:
    deck = _deck([])
    diags = Diagnostics()
    style_findings(Deck(**{**deck.__dict__, "style": None}), diags)
    assert diags.items == []


def test_a_missing_title_is_an_error_and_a_repeated_one_a_single_warning() -> None:
    codes = _codes(_deck([_slide(" "), _slide("Same"), _slide("Same"), _slide("Same")]))
    assert codes == ["error:a11y.title", "warning:a11y.duplicate-title"]
    diags = Diagnostics()
    deck_findings(_deck([_slide("Same"), _slide("Same")]), diags)
    assert "2 slides share the title 'Same'" in diags.items[0].message


def test_pictures_and_charts_need_alt_text() -> None:
    chart = Chart(type="bar", categories=("a",), series=(), alt=" ", source=())
    codes = _codes(_deck([_slide("P", picture=Picture("p.png", "")), _slide("C", chart=chart),
                          _slide("Q", picture=Picture("q.png", "A cat"))]))
    assert codes == ["error:a11y.alt", "error:a11y.alt"]


def test_content_slides_without_notes_are_flagged_but_structural_ones_are_not() -> None:
    one = (Paragraph((Run("Only one."),)),)
    codes = _codes(_deck([_slide("A", notes=one), _slide("B", kind="section", notes=()),
                          _slide("C", kind="references", notes=())]))
    assert codes == ["warning:notes.missing"]
