"""Compile tests: the closing kind — message and contact become the subtitle lines."""

from __future__ import annotations

from pathlib import Path

from lecturegen.compile.kinds import KINDS, kind_role
from lecturegen.compile.kinds.closing import ClosingSpec
from lecturegen.model.shapes import TextShape
from tests.compile.kinds.kit import deck, inside, parse, slides_of


def test_keys_and_entry() -> None:
    spec, problems = parse("closing", "kind: closing\nmessage: Thank you\ncontact: me@example.org\n")
    assert problems == [] and isinstance(spec, ClosingSpec)
    assert [t.text for t in spec.texts()] == ["Thank you", "me@example.org"]
    _, problems = parse("closing", "kind: closing\nmesage: Thanks\n")
    assert any(p.startswith("s.yaml:2:1: error: unknown key 'mesage'") for p in problems), problems
    assert kind_role("closing") == "section" and KINDS["closing"].minimum_minutes == 0.5


def test_built_and_placed(tmp_path: Path) -> None:
    built, _ = deck(tmp_path, """\
        - kind: closing
          title: Thank you
          message: Questions welcome
          contact: me@example.org
        """)
    slide = slides_of(built, "closing")[0]
    assert ["".join(r.text for r in p.runs) for p in slide.subtitle] == ["Questions welcome", "me@example.org"]
    sub = next(s for s in slide.shapes if isinstance(s, TextShape) and s.name == "Subtitle")
    assert inside(sub, built) and len(sub.lines) == 2
