"""Compile tests: `_generated` reads and builds the slides lecturegen fills itself (agenda, references); the tests
check that such a slide records only where it was asked for, takes no words of its own, and is built untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecturegen.compile.kinds import KINDS
from lecturegen.compile.kinds._generated import GeneratedSpec, build
from lecturegen.compile.kinds.base import KindContext
from lecturegen.compile.text import TextResolver
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.model.deck import Paragraph, Run, Slide
from tests.compile.kinds.kit import deck, parse, slides_of


@pytest.mark.parametrize("kind", ["agenda", "references"])
def test_a_generated_slide_is_read_as_where_the_outline_asks_for_it_and_nothing_more(kind: str) -> None:
    spec, problems = parse(kind, f"# a comment first\n\nkind: {kind}\ntitle: Written\nnotes: Say it.\nminutes: 1\n")
    assert problems == [] and isinstance(spec, GeneratedSpec)
    assert spec == GeneratedSpec(Location("s.yaml", 3, 1))
    assert spec.texts() == ()  # its words are made later: the spelling check has none to read here
    assert KINDS[kind].keys == frozenset()


def test_building_a_generated_slide_leaves_it_as_it_came() -> None:
    diags = Diagnostics()
    ctx = KindContext(TextResolver(diags, {}), diags, {}, {}, final=True)
    slide = Slide(kind="references", layout="content", title=(Run("Works cited"),),
                  location=Location("s.yaml", 3, 1), body=(Paragraph((Run("kept"),)),))
    assert build(GeneratedSpec(Location("s.yaml", 3, 1)), slide, ctx) is slide
    assert diags.items == [] and ctx.text.collected == []


def test_the_outline_slide_keeps_its_own_title_notes_and_place_and_the_talk_fills_it(tmp_path: Path) -> None:
    built, _ = deck(tmp_path, """\
        - kind: bullets
          title: Cited
          bullets:
            - Deep moments [@cooper2005]
        - kind: references
          title: Works cited
          notes: Point at the list.
        """)
    slide = slides_of(built, "references")[0]
    assert "".join(r.text for r in slide.title) == "Works cited"
    assert slide.location == Location("content/sections/kinds.yaml", 7, 5)
    assert any(p.text == "Point at the list." for p in slide.notes)
    listed = " ".join(p.text for p in slide.body)
    assert "Cooper, M. (2005)" in listed and "Knox" not in listed and "Nobody" not in listed
