"""Compile tests: the agenda kind — no keys of its own; the plan fills it and it stands in the body."""

from __future__ import annotations

from pathlib import Path

from lecturegen.compile.kinds import KINDS, kind_role
from lecturegen.model.shapes import TextShape
from tests.compile.kinds.kit import deck, inside, parse, slides_of


def test_it_takes_no_keys_of_its_own() -> None:
    spec, problems = parse("agenda", "kind: agenda\ntitle: Today\n")
    assert problems == [] and spec is not None and spec.texts() == ()
    _, problems = parse("agenda", "kind: agenda\nbullets: [a]\n")
    assert any(p.startswith("s.yaml:2:1: error: unknown key 'bullets'") for p in problems), problems
    assert kind_role("agenda") == "content" and KINDS["agenda"].minimum_minutes == 0.75


def test_filled_by_the_plan_and_placed_in_the_body(tmp_path: Path) -> None:
    built, _ = deck(tmp_path, """\
        - kind: agenda
          title: Today
        - kind: bullets
          title: Something
          bullets: [a point]
        """)
    generated, written = slides_of(built, "agenda")  # the talk's own, then the outline's: the plan shares out
    assert "".join(r.text for r in written.title) == "Today"
    slide = generated
    assert slide.body[0].style == "agenda"
    body = next(s for s in slide.shapes if isinstance(s, TextShape) and s.role == "body")
    assert inside(body, built)
