"""Compile tests: the two-column and comparison kinds — both columns required, headings where the layout has
room for them, both columns inside the slide."""

from __future__ import annotations

from pathlib import Path

from lecturegen.compile.kinds import KINDS, kind_role, reveals_lists
from lecturegen.compile.kinds.columns import ColumnsSpec
from lecturegen.model.shapes import TextShape
from tests.compile.kinds.kit import deck, inside, parse, slides_of


def test_both_columns_are_required_and_problems_located() -> None:
    _, problems = parse("two-column", "kind: two-column\nleft: [a]\n")
    assert problems == ["s.yaml:1:1: error: two-column slide is missing the required key 'right' "
                        "[yaml.missing-key]"]
    _, problems = parse("comparison", "kind: comparison\nleft: {heading: A, bulets: [a]}\nright: [b]\n")
    assert any(p.startswith("s.yaml:2:") and "unknown key 'bulets'" in p for p in problems), problems


def test_the_spec_reads_headings_then_bullets() -> None:
    spec, problems = parse("comparison", "kind: comparison\nleft: {heading: Before, bullets: [a, b]}\n"
                                         "right: {heading: After, bullets: [c]}\n")
    assert problems == [] and isinstance(spec, ColumnsSpec)
    assert [t.text for t in spec.texts()] == ["Before", "a", "b", "After", "c"]


def test_entries() -> None:
    assert kind_role("two-column") == "two-content" and kind_role("comparison") == "comparison"
    assert reveals_lists("two-column") and KINDS["comparison"].minimum_minutes == 1.0


def test_built_and_placed_side_by_side(tmp_path: Path) -> None:
    built, _ = deck(tmp_path, """\
        - kind: two-column
          title: Two sides
          left: {heading: Therapist, bullets: [present, real]}
          right: [open, trusting]
        - kind: comparison
          title: Compared
          left: {heading: Before, bullets: [guarded]}
          right: {heading: After, bullets: [met]}
        """)
    two = slides_of(built, "two-column")[0]
    assert "".join(r.text for r in two.columns[0].heading) == "Therapist" and len(two.columns[1].body) == 2
    texts = [s for s in two.shapes if isinstance(s, TextShape) and s.name.startswith("Content")]
    assert len(texts) == 2 and all(inside(t, built) for t in texts)
    assert texts[0].box.right <= texts[1].box.x
    assert texts[0].lines[0].text == "Therapist"  # no heading placeholder: the heading leads the column
    compared = slides_of(built, "comparison")[0]
    shapes = [s for s in compared.shapes if isinstance(s, TextShape) and s.name.startswith(("Content", "Heading"))]
    assert len(shapes) >= 2 and all(inside(s, built) for s in shapes)
