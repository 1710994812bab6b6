"""Compile tests: the break kind (`compile/kinds/pause.py`) — its minutes are required, a new day is kept."""

from __future__ import annotations

from pathlib import Path

from lecturegen.compile.kinds import KINDS, kind_role
from lecturegen.compile.kinds.pause import BreakSpec
from tests.compile.kinds.kit import deck, parse, slides_of


def test_the_minutes_are_required_and_located() -> None:
    spec, problems = parse("break", "kind: break\nsubtitle: Coffee\n")
    assert problems == ["s.yaml:1:1: error: break slide is missing the required key 'minutes' [yaml.missing-key]"]
    spec, problems = parse("break", "kind: break\nminutes: 15\nnew_day: true\n")
    assert problems == [] and isinstance(spec, BreakSpec) and spec.new_day


def test_entry_and_build(tmp_path: Path) -> None:
    assert kind_role("break") == "section" and KINDS["break"].minimum_minutes == 0.0
    built, _ = deck(tmp_path, """\
        - kind: break
          title: Coffee
          subtitle: Back at eleven
          minutes: 15
        """)
    slide = slides_of(built, "break")[0]
    assert slide.minutes == 15 and not slide.new_day
    assert "".join(r.text for r in slide.subtitle[0].runs) == "Back at eleven"
