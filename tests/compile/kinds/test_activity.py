"""Compile tests: the exercise and discussion kinds — grouping, steps or prompts, minutes and worksheet read with
located problems; the badge, steps and worksheet built; the text placed in the body."""

from __future__ import annotations

from pathlib import Path

from lecturegen.compile.kinds import KINDS, kind_role, reveals_lists
from lecturegen.compile.kinds.activity import ActivitySpec
from lecturegen.model.shapes import TextShape
from tests.compile.kinds.kit import deck, inside, parse, slides_of


def test_problems_are_located() -> None:
    _, problems = parse("exercise", "kind: exercise\ngrouping: pears\ninstructions: [Talk]\n")
    assert problems == ["s.yaml:2:11: error: unknown grouping 'pears' (did you mean 'pairs'?) [outline.grouping]",
                        "s.yaml:1:1: error: exercise slide is missing the required key 'minutes' [yaml.missing-key]"]
    _, problems = parse("discussion", "kind: discussion\nminutes: 10\n")
    assert problems == ["s.yaml:1:1: error: discussion slide is missing the required key 'prompts' "
                        "[yaml.missing-key]"]
    _, problems = parse("exercise", "kind: exercise\ninstructions: [a]\nworksheet: {title: W}\nminutes: 5\n")
    assert any("a worksheet needs 'prompts' or a 'checklist'" in p and p.startswith("s.yaml:3:") for p in problems)


def test_the_spec_keeps_steps_minutes_and_worksheet() -> None:
    spec, problems = parse("exercise", "kind: exercise\ngrouping: pairs\nminutes: 15\ninstructions: [One, Two]\n"
                                       "worksheet: {title: Notes, prompts: [What happened?]}\n")
    assert problems == [] and isinstance(spec, ActivitySpec)
    assert spec.exercise and spec.minutes == 15 and spec.worksheet is not None
    assert [t.text for t in spec.texts()] == ["One", "Two"]


def test_entries() -> None:
    assert kind_role("exercise") == "content" and kind_role("discussion") == "content"
    assert reveals_lists("discussion") and KINDS["exercise"].minimum_minutes == 5.0


def test_built_with_badge_steps_and_worksheet_and_placed(tmp_path: Path) -> None:
    built, _ = deck(tmp_path, """\
        - kind: exercise
          title: Practise
          grouping: pairs
          minutes: 15
          instructions: [Listen, Reflect back]
          worksheet: {title: Notes, prompts: [What did you notice?]}
        - kind: discussion
          title: Talk
          grouping: whole group
          minutes: 6
          prompts: [What surprised you?]
        """)
    exercise = slides_of(built, "exercise")[0]
    assert exercise.badge == "In pairs · 15 min"
    assert [p.style for p in exercise.body] == ["badge", "step", "step"]
    assert exercise.worksheet is not None and "".join(r.text for r in exercise.worksheet.title) == "Notes"
    discussion = slides_of(built, "discussion")[0]
    assert discussion.badge == "Whole group · 6 min" and discussion.body[1].style != "step"
    for slide in (exercise, discussion):
        body = next(s for s in slide.shapes if isinstance(s, TextShape) and s.role == "body")
        assert inside(body, built)


def test_who_works_together_and_for_how_long_stand_in_a_panel_beside_the_steps(tmp_path: Path) -> None:
    from lecturegen.model.shapes import IconShape

    built, _ = deck(tmp_path, """\
        - kind: exercise
          title: Practise
          grouping: threes
          minutes: 20
          instructions: [Speaker talks, Listener reflects, Observer notes]
        """)
    slide = slides_of(built, "exercise")[0]
    panel = next(s for s in slide.shapes if isinstance(s, TextShape) and s.name == "Activity")
    details = next(s for s in slide.shapes if isinstance(s, TextShape) and s.name == "Activity details")
    icon = next(s for s in slide.shapes if isinstance(s, IconShape))
    body = next(s for s in slide.shapes if isinstance(s, TextShape) and s.role == "body")
    assert [line.text for line in details.lines] == ["In threes", "20 min"]
    assert icon.icon.name == "users" and icon.box.inside(panel.box)
    assert details.box.inside(panel.box) and details.measured_height * 12700 <= details.box.cy
    assert body.box.x >= panel.box.right  # the steps read to the right of the panel
    assert [line.text for line in body.lines] == ["Speaker talks", "Listener reflects", "Observer notes"]
    assert all(inside(s, built) for s in (panel, details, icon, body))
    assert slide.body[0].style == "badge"  # the handout still prints the badge line


def test_a_long_list_of_steps_keeps_the_whole_width(tmp_path: Path) -> None:
    steps = ", ".join(f"Step {i} asks for a good deal of careful and detailed work from everyone" for i in range(9))
    built, _ = deck(tmp_path, f"""\
        - kind: exercise
          title: Practise
          grouping: pairs
          minutes: 20
          instructions: [{steps}]
        """)
    slide = slides_of(built, "exercise")[0]
    assert not any(s.name == "Activity" for s in slide.shapes)
    body = next(s for s in slide.shapes if isinstance(s, TextShape) and s.role == "body")
    assert body.lines[0].text == "In pairs · 20 min"
