"""Compile tests: the title kind (and the subtitle placement it shares with section, break and closing)."""

from __future__ import annotations

from pathlib import Path

from lecturegen.compile.kinds import KINDS, kind_role
from lecturegen.compile.kinds._subtitle import SubtitleSpec
from lecturegen.model.shapes import TextShape
from tests.compile.kinds.kit import deck, inside, parse, slides_of


def test_keys_are_checked_and_located() -> None:
    spec, problems = parse("title", "kind: title\nsubtitle: Second line\n")
    assert problems == [] and isinstance(spec, SubtitleSpec) and [t.text for t in spec.texts()] == ["Second line"]
    _, problems = parse("title", "kind: title\nsubtitel: Second line\n")
    assert any(p.startswith("s.yaml:2:1: error: unknown key 'subtitel'") and "subtitle" in p for p in problems)


def test_entry() -> None:
    assert kind_role("title") == "title" and KINDS["title"].minimum_minutes == 0.5


def test_an_outline_title_slide_keeps_its_subtitle_in_the_subtitle_box(tmp_path: Path) -> None:
    built, _ = deck(tmp_path, """\
        - kind: title
          title: Part two
          subtitle: After the break
        """)
    generated, written = slides_of(built, "title")  # the talk's own title slide comes first
    assert "".join(r.text for r in generated.title) == "Kinds"
    assert [p.style for p in written.subtitle] == ["subtitle"]
    sub = next(s for s in written.shapes if isinstance(s, TextShape) and s.name == "Subtitle")
    assert inside(sub, built) and sub.lines[0].text == "After the break"
