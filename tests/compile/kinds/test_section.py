"""Compile tests: the section kind — its key, and the section slide placed with its subtitle."""

from __future__ import annotations

from pathlib import Path

from lecturegen.compile.kinds import KINDS, kind_role
from lecturegen.model.shapes import TextShape
from tests.compile.kinds.kit import deck, inside, parse, slides_of


def test_keys_and_entry() -> None:
    _, problems = parse("section", "kind: section\nsubtitle: x\ncaption: y\n")
    assert any(p.startswith("s.yaml:3:1: error: unknown key 'caption'") for p in problems), problems
    assert kind_role("section") == "section" and KINDS["section"].minimum_minutes == 0.25


def test_placed_with_its_subtitle(tmp_path: Path) -> None:
    built, _ = deck(tmp_path, """\
        - kind: section
          title: A new part
          subtitle: Where we turn
        """)
    written = [s for s in slides_of(built, "section") if "".join(r.text for r in s.title) == "A new part"][0]
    title = next(s for s in written.shapes if isinstance(s, TextShape) and s.role == "title")
    sub = next(s for s in written.shapes if isinstance(s, TextShape) and s.name == "Subtitle")
    assert inside(title, built) and inside(sub, built) and sub.lines[0].text == "Where we turn"
