"""The `check` command as a function: what it finds (design, accessibility, spelling) and that it writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecturegen.build import prepare
from lecturegen.commands.checking import check_talk, design_report, design_rules
from lecturegen.diagnostics import Diagnostic, Diagnostics, LecturegenError
from lecturegen.workspace import Workspace


def check(root: Path, spelling: bool = True) -> tuple[list[Diagnostic], dict[str, object]]:
    return check_talk(Workspace(root), "small", None, None, False, spelling=spelling)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_clean_talk_is_summarised_and_nothing_is_written(mini: Path) -> None:
    diagnostics, info = check(mini)
    assert [d.code for d in diagnostics] == ["timing.under"]  # 10 min slot, about 5 planned
    assert not (mini / "build").exists()  # not even the cache
    prepared = prepare(Workspace(mini), "small", Diagnostics())
    assert info["slides"] == len(prepared.result.deck.slides) == 6  # title, 2 slides, questions, references, end
    assert info["slot"] == 10 and info["planned_minutes"] == prepared.result.plan.total
    design = info["design"]
    assert isinstance(design, dict) and design["rules"]


def test_a_broken_outline_is_returned_not_raised(mini: Path) -> None:
    edit(mini / "content" / "sections" / "intro.yaml", "    bullets:", "    bulets:")
    diagnostics, info = check(mini)
    assert "yaml.unknown-key" in {d.code for d in diagnostics}
    assert info == {"slides": 0, "measured_font": "-"}


def test_duplicate_titles_are_an_accessibility_finding_at_the_slide(mini: Path) -> None:
    edit(mini / "content" / "sections" / "intro.yaml", "title: Eight of eight", "title: First findings")
    diagnostics, _info = check(mini)
    duplicates = [d for d in diagnostics if d.code == "a11y.duplicate-title"]
    assert duplicates
    assert all(d.location is not None and d.location.path == "content/sections/intro.yaml" for d in duplicates)


def test_a_misspelling_is_found_only_when_spelling_is_checked(mini: Path) -> None:
    edit(mini / "content" / "sections" / "intro.yaml", "genuinely caring", "genuinley caring")
    with_spelling, _ = check(mini)
    misspelt = [d for d in with_spelling if d.code == "spelling"]
    assert len(misspelt) == 1 and "genuinley" in misspelt[0].message
    assert misspelt[0].location is not None and misspelt[0].location.path == "content/sections/intro.yaml"
    without, _ = check(mini, spelling=False)
    assert not [d for d in without if d.code == "spelling"]


def test_the_talks_design_overrides_tighten_the_rules(mini: Path) -> None:
    workspace = Workspace(mini)
    assert design_rules(prepare(workspace, "small", Diagnostics()), Diagnostics()).max_bullets == 4
    talk = mini / "content" / "talks" / "small.yaml"
    talk.write_text(talk.read_text(encoding="utf-8") + "design:\n  max_bullets: 1\n", encoding="utf-8")
    assert design_rules(prepare(workspace, "small", Diagnostics()), Diagnostics()).max_bullets == 1
    diagnostics, _ = check(mini)
    assert any(d.code.startswith("design.") and "bullet" in d.code and d.location is not None
               and d.location.path == "content/sections/intro.yaml" for d in diagnostics)


def test_an_unknown_design_rule_is_an_error_at_its_key(mini: Path) -> None:
    talk = mini / "content" / "talks" / "small.yaml"
    talk.write_text(talk.read_text(encoding="utf-8") + "design:\n  max_bulets: 1\n", encoding="utf-8")
    diags = Diagnostics()
    rules = design_rules(prepare(Workspace(mini), "small", Diagnostics()), diags)
    assert rules.max_bullets == 4
    (error,) = diags.errors
    assert error.code == "design.rule" and "max_bulets" in error.message
    assert error.location is not None and error.location.path == "content/talks/small.yaml"


def test_the_design_report_is_a_png_written_where_asked(mini: Path) -> None:
    from PIL import Image

    target = mini / "report.png"
    message = design_report(Workspace(mini), "small", None, None, target)
    assert message == "wrote report.png"
    with Image.open(target) as image:
        assert image.format == "PNG" and image.width > 100


def test_the_design_report_refuses_another_suffix(mini: Path) -> None:
    with pytest.raises(LecturegenError) as refused:
        design_report(Workspace(mini), "small", None, None, mini / "report.pptx")
    assert [d.code for d in refused.value.diagnostics] == ["output.write"]
    assert not (mini / "report.pptx").exists()
