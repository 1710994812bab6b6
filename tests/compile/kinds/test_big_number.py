"""Compile tests: the big-number kind — keys, spec, the number it builds (unit kept on its line) and placement."""

from __future__ import annotations

from pathlib import Path

from lecturegen.compile.kinds import kind_role
from lecturegen.compile.kinds.big_number import BigNumberSpec
from lecturegen.compile.timing import estimate_minutes
from lecturegen.model.shapes import TextShape
from tests.compile.kinds.kit import deck, inside, parse, slides_of


def test_the_number_is_required_and_located() -> None:
    spec, problems = parse("big-number", "kind: big-number\ncontext: of therapists\n")
    assert spec is None
    assert problems == ["s.yaml:1:1: error: big-number slide is missing the required key 'number' "
                        "[yaml.missing-key]"]
    _, problems = parse("big-number", "kind: big-number\nnumber: 8\nchart: {}\n")
    assert any(p.startswith("s.yaml:3:1: error: unknown key 'chart'") for p in problems), problems


def test_spec_and_entry() -> None:
    spec, _ = parse("big-number", "kind: big-number\nnumber: '72.7'\nunit: '%'\ncontext: of sessions\n")
    assert isinstance(spec, BigNumberSpec) and [t.text for t in spec.texts()] == ["72.7", "%", "of sessions"]
    assert kind_role("big-number") == "content" and estimate_minutes("big-number", "", 130, None) == 0.5


def test_built_with_its_unit_glued_and_placed_in_the_middle(tmp_path: Path) -> None:
    built, _ = deck(tmp_path, """\
        - kind: big-number
          title: How many
          number: "168"
          unit: therapists
          context: took part in 5 of 7 studies
          caption: A caption
        - kind: big-number
          title: Share
          number: "72.7"
          unit: "%"
        """)
    first, second = slides_of(built, "big-number")
    assert [p.style for p in first.body] == ["big", "context", "caption"]
    assert "".join(r.text for r in first.body[0].runs) == "168\u00a0therapists"
    assert "".join(r.text for r in first.body[1].runs) == "took part in 5\u00a0of\u00a07\u00a0studies"
    assert "".join(r.text for r in second.body[0].runs) == "72.7%"
    body = next(s for s in first.shapes if isinstance(s, TextShape) and s.role == "body")
    assert inside(body, built) and body.anchor == "ctr"
