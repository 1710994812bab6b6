"""What is printed rather than written: timings, reference lists, a theme's template, the workspace, audiences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lecturegen.commands.reports import (
    describe_theme,
    is_clock_time,
    list_workspace,
    offered_audiences,
    reference_list,
    timing_report,
)
from lecturegen.diagnostics import LecturegenError
from lecturegen.workspace import Workspace


@pytest.fixture
def audiences(mini: Path) -> Path:
    folder = mini / "content" / "audiences"
    folder.mkdir()
    (folder / "team.yaml").write_text("title: The team\n", encoding="utf-8")
    (folder / "board.yaml").write_text("title: The board\n", encoding="utf-8")
    return mini


def test_every_profile_is_offered_unless_the_talk_lists_some(audiences: Path) -> None:
    workspace = Workspace(audiences)
    assert offered_audiences(workspace, "small") == ["board", "team"]
    talk = audiences / "content" / "talks" / "small.yaml"
    talk.write_text(talk.read_text(encoding="utf-8") + "audiences: [team]\n", encoding="utf-8")
    assert offered_audiences(workspace, "small") == ["team"]


@pytest.mark.parametrize(("value", "expected"), [("14:00", True), ("9:05", True), ("25:99", False),
                                                 ("noon", False), ("", False)])
def test_clock_times(value: str, expected: bool) -> None:
    assert is_clock_time(value) is expected


def test_the_timing_table_runs_on_the_clock_from_the_start_given(mini: Path) -> None:
    text = timing_report(Workspace(mini), "small", None, "14:00", False, "text").splitlines()
    assert text[0] == "A small talk"
    assert text[1].startswith("slot 10 min · planned ") and "(fits)" in text[1] and text[1].endswith("reserved 2 min")
    rows = [line for line in text if line[:3].strip().isdigit()]
    assert rows[0].split()[:2] == ["1", "14:00–14:00"] and rows[0].endswith("A small talk")
    assert any(line.endswith("First findings") for line in rows)
    assert "     ── Introduction" in text
    assert any(line.strip().endswith("[Questions]") for line in text)  # the reserved time, unnumbered
    assert text[-1].endswith("[timing.under]")  # the warning, located, last


def test_without_a_start_the_table_counts_minutes_and_seconds(mini: Path) -> None:
    text = timing_report(Workspace(mini), "small", None, None, False, "text").splitlines()
    rows = [line for line in text if line[:3].strip().isdigit()]
    assert rows[0].split()[1].startswith("0:00–0:")


def test_the_timing_json_adds_up(mini: Path) -> None:
    data = json.loads(timing_report(Workspace(mini), "small", None, "09:30", False, "json"))
    assert (data["talk"], data["slot"], data["start"], data["reserved"]) == ("small", 10, "09:30", 2)
    assert data["fits"] is True
    assert data["slides"][0]["clock_start"] == "09:30"
    assert abs(sum(s["minutes"] for s in data["slides"]) - data["total"]) < 0.05
    assert [s["kind"] for s in data["slides"]][-1] == "reserved"
    assert [w["code"] for w in data["warnings"]] == ["timing.under"]
    assert [s["title"] for s in data["sections"]][1] == "Introduction"


def test_a_talk_over_its_slot_says_by_how_much(mini: Path) -> None:
    talk = mini / "content" / "talks" / "small.yaml"
    talk.write_text(talk.read_text(encoding="utf-8").replace("slot: 10", "slot: 3"), encoding="utf-8")
    header = timing_report(Workspace(mini), "small", None, None, False, "text").splitlines()[1]
    assert "min over)" in header and "(fits)" not in header


def test_a_talks_reference_list_holds_only_the_works_it_cites(mini: Path) -> None:
    text = reference_list(Workspace(mini), "small", None, None, "text", None)
    assert text.splitlines()[0].startswith("Cooper, M. (2005).")
    assert "Knox, R., & Cooper, M. (2010)." in text
    assert "Nobody" not in text


def test_a_bibliography_alone_lists_every_entry_in_the_style_asked(mini: Path) -> None:
    apa = reference_list(Workspace(mini), None, None, None, "text", None)
    assert "Nobody, A. (2001)." in apa and "Cooper, M. (2005)." in apa
    harvard = reference_list(Workspace(mini), None, None, "harvard", "text", None)
    assert harvard != apa and "Nobody" in harvard


def test_a_bibliography_file_named_outside_a_workspace(mini: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.bib"
    other.write_text("@book{solo2020, author = {Solo, Han}, title = {Alone}, year = {2020}, publisher = {X}}\n",
                     encoding="utf-8")
    text = reference_list(None, None, other, None, "text", None)
    assert text.startswith("Solo, H. (2020).") and "Cooper" not in text


def test_no_bibliography_is_an_error_with_a_hint(tmp_path: Path) -> None:
    with pytest.raises(LecturegenError) as failed:
        reference_list(Workspace(tmp_path), None, None, None, "text", None)
    (error,) = failed.value.diagnostics
    assert error.code == "bib.missing" and error.hint is not None and "--bibliography" in error.hint


def test_a_folder_named_as_the_bibliography_is_named_as_such(mini: Path) -> None:
    with pytest.raises(LecturegenError) as failed:
        reference_list(Workspace(mini), None, mini / "content", None, "text", None)
    (error,) = failed.value.diagnostics
    assert error.code == "bib.not-a-file" and "is a folder" in error.message


def test_an_unknown_style_suggests_one(mini: Path) -> None:
    with pytest.raises(LecturegenError) as failed:
        reference_list(Workspace(mini), None, None, "harvard1", "text", None)
    (error,) = failed.value.diagnostics
    assert error.code == "cite.style" and error.hint == "did you mean 'harvard'?"


def test_describe_theme_names_the_template_and_its_layouts_roles(mini: Path) -> None:
    lines = describe_theme(Workspace(mini), "calm").splitlines()
    assert lines[0].startswith("theme calm: template generated from themes/calm/theme.yaml (13.33 × 7.50 in, ")
    assert any("'Title Slide'" in line and line.rstrip().endswith("→ title") for line in lines)
    assert any("'Section Header'" in line and line.rstrip().endswith("→ section") for line in lines)


def test_describe_an_unknown_theme_is_an_error(mini: Path) -> None:
    with pytest.raises(LecturegenError) as failed:
        describe_theme(Workspace(mini), "clam")
    assert "theme.unknown" in {d.code for d in failed.value.diagnostics}


def test_the_workspace_listing_names_talks_themes_and_audiences(audiences: Path) -> None:
    (audiences / "content" / "talks" / "broken.yaml").write_text("title: Broken\nslot: 10\n", encoding="utf-8")
    lines = list_workspace(Workspace(audiences)).splitlines()
    assert lines[0] == "talks:"
    small = next(line for line in lines if line.startswith("  small "))
    assert "slot   10 min" in small and "6 slides" in small and small.endswith("· A small talk")
    broken = next(line for line in lines if line.startswith("  broken "))
    assert "error(s): run 'lecturegen check broken')" in broken
    assert lines[lines.index("themes:") + 1] == "  calm"
    after = lines[lines.index("audiences:") + 1:]
    assert [line.split()[0] for line in after] == ["board", "team"]
    assert after[1].endswith("The team")
