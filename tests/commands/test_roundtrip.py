"""The round trip as functions: `pull` (edits in a built deck back into the sources) and `import` (any deck in)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation

from lecturegen.commands.building import build_one
from lecturegen.commands.roundtrip import import_deck, pull_deck
from lecturegen.diagnostics import LecturegenError
from lecturegen.workspace import Workspace
from tests.roundtrip_workspace import make_workspace, slide_with_title


def build(root: Path, talk: str = "rt", output: Path | None = None) -> None:
    report = build_one(Workspace(root), talk, None, output, None, False, None, False, parallel_charts=False)
    assert report.exit_code == 0, report.summary


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = make_workspace(tmp_path / "ws")
    build(root)
    return root


def retitle(deck: Path, old: str, new: str) -> None:
    prs = Presentation(str(deck))
    slide_with_title(prs, old).shapes.title.text_frame.text = new
    prs.save(str(deck))


def test_a_deck_nobody_edited_has_nothing_to_bring_back(built: Path) -> None:
    report = pull_deck(Workspace(built), "rt", None, None, apply=False)
    assert (report.edits, report.open_items, report.exit_code, report.diff) == (0, 0, 0, "")
    assert report.text == "'build/rt.pptx' has no edits to bring back"


def test_a_retitled_slide_is_a_diff_first_and_written_only_with_apply(built: Path) -> None:
    section = built / "content" / "sections" / "main.yaml"
    before = section.read_text(encoding="utf-8")
    retitle(built / "build" / "rt.pptx", "First findings", "First results")
    workspace = Workspace(built)

    shown = pull_deck(workspace, "rt", None, None, apply=False)
    assert section.read_text(encoding="utf-8") == before
    assert (shown.edits, shown.open_items, shown.exit_code) == (1, 0, 0)
    assert "-    title: First findings   # a comment after the title" in shown.diff.splitlines()
    assert "+    title: First results    # a comment after the title" in shown.diff.splitlines()
    assert shown.text.endswith("1 edit(s) to 1 file(s); run again with --apply to write them")

    applied = pull_deck(workspace, "rt", None, None, apply=True)
    after = section.read_text(encoding="utf-8")
    assert "title: First results    # a comment after the title" in after
    assert "# Section comment: must survive a pull" in after
    assert applied.text.endswith("applied 1 edit(s) to 1 file(s); 'lecturegen build rt' may now replace the deck")
    build(built)  # the record moved on: the pulled deck is not an edited one any more


def test_an_edit_the_sources_cannot_take_keeps_the_deck_protected(built: Path) -> None:
    # The third title comes from a term ({{ term.Client }}): the edit has no place of its own in the sources.
    retitle(built / "build" / "rt.pptx", "Client words", "Patient words")
    report = pull_deck(Workspace(built), "rt", None, None, apply=True)
    assert (report.open_items, report.exit_code) == (1, 1)
    assert "[pull.conflict]" in report.text and "    deck:   'Patient words'" in report.text.splitlines()
    assert "the deck stays protected until you build with --discard-edits" in report.text
    with pytest.raises(LecturegenError) as refused:
        build(built)
    assert [d.code for d in refused.value.diagnostics] == ["output.edited"]


def test_a_copy_edited_elsewhere_is_compared_with_the_built_deck(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / "usb" / "rt.pptx"
    copy.parent.mkdir()
    copy.write_bytes((built / "build" / "rt.pptx").read_bytes())
    retitle(copy, "Second slide", "Another slide")
    report = pull_deck(Workspace(built), "rt", copy, None, apply=True)
    assert report.edits == 1 and report.exit_code == 0
    assert "title: Another slide" in (built / "content" / "sections" / "main.yaml").read_text(encoding="utf-8")
    # The built deck and its record are as they were: the next build replaces it without a word.
    build(built)


def test_pull_without_a_record_is_a_located_error_with_a_hint(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    with pytest.raises(LecturegenError) as failed:
        pull_deck(Workspace(root), "rt", None, None, apply=False)
    (error,) = failed.value.diagnostics
    assert error.code == "pull.no-record" and error.location is not None
    assert error.location.path == "build/rt.pptx"
    assert error.hint is not None and "lecturegen build rt" in error.hint


def test_a_deck_built_from_another_talk_is_refused(built: Path) -> None:
    talks = built / "content" / "talks"
    (talks / "other.yaml").write_text((talks / "rt.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(LecturegenError) as failed:
        pull_deck(Workspace(built), "other", built / "build" / "rt.pptx", None, apply=False)
    (error,) = failed.value.diagnostics
    assert error.code == "pull.other-talk" and "built from talk 'rt', not 'other'" in error.message


def make_deck(path: Path) -> None:
    """A deck made by a python-pptx script: a title slide and one slide of bullets with notes."""
    prs = Presentation()
    title = prs.slides.add_slide(prs.slide_layouts[0])
    title.shapes.title.text = "Listening deeply"
    title.placeholders[1].text = "A talk made elsewhere"
    bullets = prs.slides.add_slide(prs.slide_layouts[1])
    bullets.shapes.title.text = "Three things we found"
    body = bullets.placeholders[1].text_frame
    body.text = "People remember being heard"
    body.add_paragraph().text = "Silence helps"
    bullets.notes_slide.notes_text_frame.text = "Tell the story of the first interview."
    prs.save(str(path))


def test_an_imported_deck_is_a_workspace_that_builds(tmp_path: Path) -> None:
    deck = tmp_path / "Listening Deeply.pptx"
    make_deck(deck)
    into = tmp_path / "imported"
    text, unmapped = import_deck(deck, into)
    lines = text.splitlines()
    assert lines[-1].startswith("build it: lecturegen build ") and lines[-1].endswith(f"--root {into}")
    name = lines[-1].split()[4]
    assert f"imported {deck}: 1 slide(s) into {into}" in text  # the title slide becomes the talk's title
    talk = (into / "content" / "talks" / f"{name}.yaml").read_text(encoding="utf-8")
    assert "Listening deeply" in talk
    assert f"the deck kept as themes/{name}/{name}.pptx" in text
    assert text.count("[import.unmapped]") == unmapped
    assert (into / "themes" / name / f"{name}.pptx").read_bytes() == deck.read_bytes()
    sections = "".join(p.read_text(encoding="utf-8") for p in (into / "content" / "sections").glob("*.yaml"))
    assert "People remember being heard" in sections and "Tell the story of the first interview." in sections
    build(into, name)
    titles = [s.shapes.title.text_frame.text for s in Presentation(str(into / "build" / f"{name}.pptx")).slides
              if s.shapes.title is not None]
    assert "Three things we found" in titles


def test_import_refuses_what_is_not_a_deck_and_a_folder_in_use(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a deck", encoding="utf-8")
    with pytest.raises(LecturegenError) as failed:
        import_deck(notes, tmp_path / "out")
    assert [d.code for d in failed.value.diagnostics] == ["import.not-a-deck"]
    fake = tmp_path / "fake.pptx"
    fake.write_text("not a zip", encoding="utf-8")
    with pytest.raises(LecturegenError) as failed:
        import_deck(fake, tmp_path / "out")
    assert [d.code for d in failed.value.diagnostics] == ["import.unreadable"]
    deck = tmp_path / "talk.pptx"
    make_deck(deck)
    used = tmp_path / "used"
    used.mkdir()
    (used / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(LecturegenError) as failed:
        import_deck(deck, used)
    assert [d.code for d in failed.value.diagnostics] == ["import.exists"]
    assert [p.name for p in used.iterdir()] == ["mine.txt"]
    assert not (tmp_path / "out").exists()
