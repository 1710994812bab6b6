"""Compile tests: the bullets kind — keys, spec, the list it builds, and how it is placed and continued."""

from __future__ import annotations

from pathlib import Path

from lecturegen.compile.kinds import KINDS, kind_role, reveals_lists
from lecturegen.compile.kinds.bullets import BulletsSpec
from lecturegen.compile.timing import estimate_minutes
from lecturegen.model.shapes import TextShape
from tests.compile.kinds.kit import deck, inside, parse, slides_of


def test_the_list_is_required_and_problems_are_located() -> None:
    spec, problems = parse("bullets", "kind: bullets\ncaption: Why\n")
    assert problems == ["s.yaml:1:1: error: bullets slide is missing the required key 'bullets' [yaml.missing-key]"]
    _, problems = parse("bullets", "kind: bullets\nbullets:\n  - one\n  - {a: 1, b: 2}\n")
    assert any(p.startswith("s.yaml:4:5: error: each bullet must be text") for p in problems), problems


def test_the_spec_reads_its_texts_in_order() -> None:
    spec, problems = parse("bullets", "kind: bullets\ncaption: Cap\nbullets:\n  - One:\n    - One a\n  - Two\n")
    assert problems == [] and isinstance(spec, BulletsSpec)
    assert [t.text for t in spec.texts()] == ["Cap", "One", "One a", "Two"]


def test_entry() -> None:
    assert kind_role("bullets") == "content" and reveals_lists("bullets")
    assert estimate_minutes("bullets", "", 130, None) == 1.0 and KINDS["bullets"].place is None


def test_a_short_list_is_placed_inside_its_area_and_a_long_one_continues(tmp_path: Path) -> None:
    many = "\n".join(f"            - Point number {i} says something about relational depth in therapy" for i in range(30))
    built, _ = deck(tmp_path, f"""\
        - kind: bullets
          title: Few
          caption: A caption
          bullets:
            - One point:
              - with a detail
            - Another point
        - kind: bullets
          title: Many
          bullets:
{many}
        """)
    few, *many_slides = slides_of(built, "bullets")
    assert [p.level for p in few.body] == [0, 1, 0] and "".join(r.text for r in few.caption) == "A caption"
    body = next(s for s in few.shapes if isinstance(s, TextShape) and s.role == "body")
    assert inside(body, built) and body.lines[0].size > 0
    assert len(many_slides) >= 2 and many_slides[1].title[-1].text == " (cont.)"
