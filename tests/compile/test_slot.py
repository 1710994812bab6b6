"""Tests for section budgets, an audience's slot, the notes-over check and --fit's failure message.

Workspaces are written in code; everything runs through the CLI, as a presenter would meet it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from lecturegen.cli import main
from lecturegen.compile.slot import budget_scale

from tests.conftest import MINI_BIB, write_workspace

SENTENCE = "These ten words are what the presenter says aloud here. "

TALK = """\
title: A budgeted talk
presenter: Test Presenter
slot: 20
speaking_rate: 100
theme: calm
agenda: false
reserved:
  - {title: Questions, minutes: 4}
sections:
  - use: part
    minutes: 8
    header: false
  - use: other
    minutes: 6
    header: false
"""


def _section(title: str, ident: str, words: tuple[int, int]) -> str:
    slides = []
    for n, count in enumerate(words, start=1):
        notes = (SENTENCE * (count // 10)).strip()
        slides.append(f"""\
  - kind: bullets
    id: {ident}-{n}
    title: {title} slide {n}
    bullets: [A point, Another point]
    notes: >
      {notes}
""")
    return f"title: {title}\nslides:\n" + "".join(slides)


def _workspace(tmp_path: Path, part_words: tuple[int, int] = (300, 300), extra: dict[str, str] | None = None) -> Path:
    files = {
        "bibliography.bib": MINI_BIB,
        "content/talks/budgeted.yaml": TALK,
        "content/sections/part.yaml": _section("Part", "part", part_words),
        "content/sections/other.yaml": _section("Other", "other", (250, 250)),
    }
    return write_workspace(tmp_path / "ws", {**files, **(extra or {})})


def _run(root: Path, *args: str) -> object:
    return CliRunner().invoke(main, [*args, "--root", str(root)])


def test_budget_scale_takes_the_slot_difference_out_of_the_budgets() -> None:
    assert budget_scale(60, 60, 49.4) == 1.0
    # keynote-1h: 49.4 budgeted minutes, 10 reserved, 0.6 outside any budget; a 45-minute slot.
    assert round(budget_scale(60, 45, 49.4) * 49.4, 6) == 34.4
    assert budget_scale(45, 90, 45) == 2.0
    assert budget_scale(20, 5, 10) == 0.0  # the budgets cannot absorb it: every budgeted section fails
    assert budget_scale(20, 10, 0) == 1.0  # nothing budgeted: nothing to scale


def test_notes_within_their_budget_raise_nothing_and_the_run_sheet_shows_both_figures(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    built = _run(root, "build", "budgeted", "--strict")
    assert built.exit_code == 0, built.output
    sheet = _run(root, "timing", "budgeted")
    assert sheet.exit_code == 0, sheet.output
    assert re.search(r"#\s+time\s+min\s+notes\s+cum\s+title", sheet.output), sheet.output
    # 300 words at 100 wpm: 3 min of notes on a slide the budget gives 4 min.
    assert re.search(r"\s4\.0\s+3\.0\s+\S+\s+Part slide 1$", sheet.output, re.M), sheet.output
    assert re.search(r"8\.0 min\s+6\.0\s+Part$", sheet.output, re.M), sheet.output
    plan = json.loads(_run(root, "timing", "budgeted", "--format", "json").output)
    row = next(r for r in plan["slides"] if r["title"] == "Part slide 2")
    assert (row["minutes"], row["speaking"]) == (4.0, 3.0)
    assert next(s for s in plan["sections"] if s["title"] == "Part")["speaking"] == 6.0


def test_700_more_words_of_notes_in_a_budgeted_section_fail_strict_naming_the_slide(tmp_path: Path) -> None:
    root = _workspace(tmp_path, part_words=(1000, 300))  # the budget stays 8 min; the notes need 13
    loose = _run(root, "build", "budgeted")
    assert loose.exit_code == 0, loose.output
    assert "18.5 of 20 min planned" in loose.output  # the plan alone still "fits": that is what hid it
    strict = _run(root, "build", "budgeted", "--strict")
    assert strict.exit_code == 1
    assert "[timing.notes-over]" in strict.stderr
    lines = [x for x in loose.output.splitlines() if "[timing.notes-over]" in x]
    assert len(lines) == 1, loose.output
    # The budget shares its 8 minutes 10:3 between the slides; the first slide's notes are 385 words past its share.
    assert lines[0].startswith("content/sections/part.yaml:3:5: warning: the notes of section 'Part' need 13.0 min "
                               "at 100 wpm, more than its 8-minute budget (500 words over; over their share: "
                               "slide 2 'Part slide 1' +385 words; slide 3 'Part slide 2' +115 words)"), lines[0]
    check = _run(root, "check", "budgeted", "--strict", "--no-spelling")
    assert check.exit_code == 1 and "[timing.notes-over]" in check.output + check.stderr
    sheet = _run(root, "timing", "budgeted")
    assert "Part slide 1 !" in sheet.output and "[timing.notes-over]" in sheet.output


def test_a_slide_with_its_own_minutes_is_over_when_its_notes_need_more(tmp_path: Path) -> None:
    talk = TALK.split("sections:")[0].replace("slot: 20", "slot: 7") + "sections:\n  - {use: part, header: false}\n"
    section = _section("Part", "part", (300, 100)).replace("    id: part-1\n", "    id: part-1\n    minutes: 1\n")
    root = _workspace(tmp_path, extra={"content/talks/budgeted.yaml": talk, "content/sections/part.yaml": section})
    loose = _run(root, "build", "budgeted")
    assert loose.exit_code == 0, loose.output
    assert ("content/sections/part.yaml:3:5: warning: slide 2 'Part slide 1': its notes (300 words) need 3.0 min "
            "at 100 wpm, more than its 1 min (200 words over)") in loose.output, loose.output
    assert [x for x in loose.output.splitlines() if "timing.notes-over" in x][1:] == []  # the other slide: own notes
    assert _run(root, "build", "budgeted", "--strict").exit_code == 1


def test_an_audience_slot_scales_the_budgets(tmp_path: Path) -> None:
    profile = "title: Short\nslot: 13\n"  # 14 budgeted minutes absorb the 7 minutes less: every budget halves
    root = _workspace(tmp_path, part_words=(100, 100), extra={"content/audiences/short.yaml": profile})
    plan = json.loads(_run(root, "timing", "budgeted", "-a", "short", "--format", "json").output)
    sections = {s["title"]: s["minutes"] for s in plan["sections"]}
    assert sections["Part"] == 4.0 and sections["Other"] == 3.0 and sections["Questions"] == 4
    assert plan["fits"] and plan["slot"] == 13
    # The other section's notes (5 min) no longer fit its 3 minutes: said, not hidden.
    assert any(w["code"] == "timing.notes-over" and "'Other'" in w["message"] and "3-minute budget" in w["message"]
               for w in plan["warnings"]), plan["warnings"]


def test_a_fit_failure_names_the_budgets_that_cause_it(tmp_path: Path) -> None:
    talk = TALK.replace("slot: 20", "slot: 12")  # budgets 8 + 6, the title and 4 reserved: 18.5 min required
    root = _workspace(tmp_path, extra={"content/talks/budgeted.yaml": talk})
    result = _run(root, "build", "budgeted", "--fit")
    assert result.exit_code == 1
    line = next(x for x in result.stderr.splitlines() if "[timing.required-over]" in x)
    assert "required material alone takes 18.5 min, more than the 12-minute slot" in line, line
    assert "section budgets, which required slides keep whatever is dropped: 'Part' 8.0 min, 'Other' 6.0 min " \
           "(together 14.0 min)" in line, line
    assert "Traceback" not in result.output


def test_a_discussion_is_timed_for_the_prompts_it_carries(tmp_path: Path) -> None:
    def discussion(minutes: int) -> str:
        return f"""\
title: Part
slides:
  - kind: discussion
    id: team-talk
    title: What would this look like here?
    grouping: whole group
    minutes: {minutes}
    prompts:
      - Where is there room for depth?
      - What gets in the way?
      - One thing to try this month
    notes: Over to you.
"""
    talk = TALK.split("sections:")[0] + "sections:\n  - {use: part, header: false}\n"
    short = _workspace(tmp_path / "a", extra={"content/talks/budgeted.yaml": talk,
                                              "content/sections/part.yaml": discussion(3)})
    result = _run(short, "check", "budgeted", "--no-spelling")
    assert ("content/sections/part.yaml:3:5: warning: discussion 'team-talk' has 3 min for 3 prompts for the whole "
            "group, which need about 6 (2 min a prompt) (give it more minutes, or fewer prompts) "
            "[timing.discussion-short]") in result.output, result.output
    timed = _workspace(tmp_path / "b", extra={"content/talks/budgeted.yaml": talk,
                                              "content/sections/part.yaml": discussion(6)})
    assert "timing.discussion-short" not in _run(timed, "check", "budgeted", "--no-spelling").output
