"""The `build` command as a function: the deck written, its one-line summary, the build cache, the edit guard."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation

from lecturegen.commands import building
from lecturegen.commands.building import BuildReport, build_many, build_one
from lecturegen.diagnostics import LecturegenError
from lecturegen.workspace import Workspace


def build(root: Path, **options: object) -> BuildReport:
    defaults: dict[str, object] = {"audience": None, "output": None, "theme": None, "fit": False, "start": None,
                                   "strict": False, "parallel_charts": False}
    defaults.update(options)
    return build_one(Workspace(root), "small", **defaults)  # type: ignore[arg-type]


def test_a_build_writes_the_deck_and_reports_what_it_holds(mini: Path) -> None:
    report = build(mini)
    deck = mini / "build" / "small.pptx"
    assert report.exit_code == 0
    assert report.output == deck and report.output_display == "build/small.pptx"
    slides = len(Presentation(str(deck)).slides)
    assert report.slides == slides
    assert report.summary.startswith(f"built build/small.pptx: {slides} slides, ")
    assert f"of {report.slot:g} min planned" in report.summary
    assert report.slot == 10
    # The bibliography's unused entry is a note, not a warning.
    assert any(d.code == "bib.uncited" and "unused2001" in d.message for d in report.diagnostics)
    assert ", 1 note" in report.summary


def test_an_unchanged_rebuild_is_served_from_the_cache(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = build(mini)
    deck = mini / "build" / "small.pptx"
    data = deck.read_bytes()
    deck.unlink()

    def no_compiling(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("compiled again although nothing changed")

    monkeypatch.setattr(building, "_build_uncached", no_compiling)
    second = build(mini)
    assert deck.read_bytes() == data
    assert (second.slides, second.summary, second.warnings) == (first.slides, first.summary, first.warnings)
    assert [d.message for d in second.diagnostics] == [d.message for d in first.diagnostics]


def test_a_cached_report_names_the_new_output(mini: Path, tmp_path: Path) -> None:
    build(mini)
    report = build(mini, output=mini / "build" / "other.pptx")
    assert report.summary.startswith("built build/other.pptx: ")
    assert (mini / "build" / "other.pptx").is_file()


def test_an_edit_to_the_sources_is_never_served_stale(mini: Path) -> None:
    build(mini)
    section = mini / "content" / "sections" / "intro.yaml"
    section.write_text(section.read_text().replace("First findings", "First results"), encoding="utf-8")
    build(mini)
    titles = [s.shapes.title.text_frame.text for s in Presentation(str(mini / "build" / "small.pptx")).slides
              if s.shapes.title is not None]
    assert "First results" in titles and "First findings" not in titles


def test_strict_fails_on_warnings_and_writes_nothing(mini: Path) -> None:
    talk = mini / "content" / "talks" / "small.yaml"
    talk.write_text(talk.read_text().replace("slot: 10", "slot: 60"), encoding="utf-8")
    report = build(mini, strict=True)
    assert report.exit_code == 1 and report.output is None
    assert report.warnings >= 1
    assert any(d.code == "timing.under" for d in report.diagnostics)
    assert report.summary == f"{report.warnings} warning(s) treated as errors (--strict); nothing written"
    assert not (mini / "build" / "small.pptx").exists()


def test_an_edited_deck_is_refused_unless_edits_are_discarded(mini: Path) -> None:
    build(mini)
    deck = mini / "build" / "small.pptx"
    prs = Presentation(str(deck))
    prs.slides[0].shapes.title.text_frame.text = "Edited by hand"
    prs.save(str(deck))
    edited = deck.read_bytes()
    with pytest.raises(LecturegenError) as refused:
        build(mini)
    assert [d.code for d in refused.value.diagnostics] == ["output.edited"]
    assert deck.read_bytes() == edited
    report = build(mini, discard_edits=True)
    kept = [p for p in (mini / "build").iterdir() if p.name.startswith("small.edited-")]
    assert len(kept) == 1 and kept[0].read_bytes() == edited
    assert f"(the edited one kept as build/{kept[0].name})" in report.summary
    assert deck.read_bytes() != edited


def test_a_broken_outline_raises_located_errors(mini: Path) -> None:
    section = mini / "content" / "sections" / "intro.yaml"
    section.write_text(section.read_text().replace("    bullets:", "    bulets:"), encoding="utf-8")
    with pytest.raises(LecturegenError) as failed:
        build(mini)
    assert "yaml.unknown-key" in {d.code for d in failed.value.diagnostics}
    assert not (mini / "build" / "small.pptx").exists()


def test_build_many_reports_each_deck_in_order_and_turns_errors_into_reports(mini: Path) -> None:
    audiences = mini / "content" / "audiences"
    audiences.mkdir()
    (audiences / "team.yaml").write_text("title: The team\n", encoding="utf-8")
    seen: list[str | None] = []
    reports = build_many(Workspace(mini), "small", ["team", "nobody"], None, False, None, False, jobs=1,
                         progress=lambda r: seen.append(r.audience))
    assert [r.audience for r in reports] == seen == ["team", "nobody"]
    assert reports[0].exit_code == 0 and (mini / "build" / "small--team.pptx").is_file()
    assert reports[1].exit_code == 1
    assert reports[1].summary.startswith("small for 'nobody': ") and reports[1].summary.endswith("nothing written")
    assert not (mini / "build" / "small--nobody.pptx").exists()


def test_planned_text_prints_minutes_as_every_command_does() -> None:
    report = BuildReport("t", None, None, "-", 1, 59.5, 60.0, 0)
    assert report.planned_text == "59.5"
    assert BuildReport("t", None, None, "-", 1, 60.0, 60.0, 0).planned_text == "60"


def test_build_many_in_worker_processes_reports_in_the_order_asked(mini: Path) -> None:
    audiences = mini / "content" / "audiences"
    audiences.mkdir()
    for name in ("team", "board"):
        (audiences / f"{name}.yaml").write_text(f"title: The {name}\n", encoding="utf-8")
    reports = build_many(Workspace(mini), "small", ["team", "nobody", "board"], None, False, None, False, jobs=2)
    assert [r.audience for r in reports] == ["team", "nobody", "board"]
    assert [r.exit_code for r in reports] == [0, 1, 0]
    assert (mini / "build" / "small--team.pptx").is_file() and (mini / "build" / "small--board.pptx").is_file()
    assert reports[2].summary.startswith("built build/small--board.pptx: ")
