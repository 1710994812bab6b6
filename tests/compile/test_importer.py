"""compile/importer.py: deck text made safe as outline text; slides become the kinds their shapes show."""

from __future__ import annotations

from lecturegen.compile.importer import deck_to_workspace, escape_markup, slug
from lecturegen.model.roundtrip import DeckSnapshot, ShapeText, SlideSnapshot


def test_deck_text_never_reads_as_markup() -> None:
    assert escape_markup("5 * 3 @home {{ x }} mail a@b.org") == "5 \\* 3 \\@home {{ '{{' }} x }} mail a@b.org"


def test_slugs_are_unique() -> None:
    taken: set[str] = set()
    assert [slug(t, taken) for t in ("Why it matters!", "Why it matters", "")] == \
        ["why-it-matters", "why-it-matters-2", "section"]


def test_sections_from_powerpoint_sections() -> None:
    def slide(n: int, title: str, section: str) -> SlideSnapshot:
        shapes = (ShapeText("T", 2, "title", ((0, title),)), ShapeText("B", 3, "body", ((0, f"point {n}"),)))
        return SlideSnapshot("", n, False, shapes, section=section)

    plan = deck_to_workspace(DeckSnapshot((slide(1, "One", "Intro"), slide(2, "Two", "Intro"),
                                           slide(3, "Three", "Results"))), "deck", "deck.pptx")
    assert sorted(plan.files) == ["content/sections/intro.yaml", "content/sections/results.yaml",
                                  "content/talks/deck.yaml", "themes/deck/theme.yaml"]
    assert "- use: intro\n    header: false" in plan.files["content/talks/deck.yaml"]
    assert "title: Three" in plan.files["content/sections/results.yaml"]
