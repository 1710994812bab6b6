"""`lecturegen pull`: a presenter's edits to the deck come back into the YAML sources, comments kept."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from lecturegen.cli import main
from lecturegen.sources.deck import read_deck
from tests.roundtrip_workspace import make_workspace, presenter_edits, slide_with_title


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


@pytest.fixture()
def ws(tmp_path: Path) -> Path:
    root = make_workspace(tmp_path / "ws")
    code, out = _run("build", "rt", "--root", str(root))
    assert code == 0, out
    return root


def _titles(deck: Path) -> list[tuple[str, bool]]:
    return [(s.title(), s.hidden) for s in read_deck(deck.read_bytes()).slides]


def test_edit_refuse_pull_apply_rebuild(ws: Path) -> None:
    deck = ws / "build" / "rt.pptx"
    section = ws / "content" / "sections" / "main.yaml"
    before = section.read_text(encoding="utf-8")
    presenter_edits(deck)
    code, out = _run("build", "rt", "--root", str(ws))
    assert code == 1 and "[output.edited]" in out

    code, out = _run("pull", "rt", "--root", str(ws))
    assert code == 0, out
    assert section.read_text(encoding="utf-8") == before  # a diff only
    for line in ("-    title: First findings   # a comment after the title",
                 "+    title: First results    # a comment after the title",
                 "-      - Clients remember moments of depth", "+      - Clients recall moments of depth",
                 "+    hidden: true", "+    skip: true", "-      - [Beta, \"2010\"]", "+      - [Gamma, \"2010\"]",
                 "-      Say what the findings mean.", "+      Say what the results mean."):
        assert line in out.splitlines(), line
    assert "run again with --apply" in out

    code, out = _run("pull", "rt", "--root", str(ws), "--apply")
    assert code == 0, out
    after = section.read_text(encoding="utf-8")
    assert "# Section comment: must survive a pull" in after and "# a comment after the title" in after
    assert "{{ term.Client }} words" in after and "Depth is mutual [@cooper2005]" in after
    assert '"Levels:":' in after and "notes: |" in after  # quotes and block styles kept

    code, out = _run("build", "rt", "--root", str(ws))
    assert code == 0, out
    titles = _titles(deck)
    assert ("First results", False) in titles and ("Second slide", True) in titles
    assert all(t != "Fifth slide" for t, _ in titles)
    slides = read_deck(deck.read_bytes()).slides
    first = next(s for s in slides if s.title() == "First results")
    assert "Say what the results mean." in first.notes
    assert any(p == (0, "Clients recall moments of depth") for shape in first.shapes for p in shape.paragraphs)


def test_an_edited_term_is_a_conflict_and_the_deck_stays_protected(ws: Path) -> None:
    from pptx import Presentation

    deck = ws / "build" / "rt.pptx"
    prs = Presentation(str(deck))
    slide_with_title(prs, "Client words").shapes.title.text_frame.text = "Patient words"
    prs.save(str(deck))
    code, out = _run("pull", "rt", "--root", str(ws), "--apply")
    assert code == 1
    assert "content/sections/main.yaml:" in out and "[pull.conflict]" in out
    assert "source: '{{ term.Client }} words'" in out and "deck:   'Patient words'" in out
    assert "the deck stays protected" in out
    code, out = _run("build", "rt", "--root", str(ws))
    assert code == 1 and "[output.edited]" in out


def test_moved_slides_reorder_the_section_and_timings_are_reported_or_kept(ws: Path) -> None:
    from pptx import Presentation

    deck = ws / "build" / "rt.pptx"
    prs = Presentation(str(deck))
    ids = prs.slides._sldIdLst
    entries = list(ids)
    second = next(e for e in entries if prs.part.related_part(e.rId).slide.shapes.title.text_frame.text
                  == "Second slide")
    ids.remove(second)
    first = next(e for e in list(ids) if prs.part.related_part(e.rId).slide.shapes.title.text_frame.text
                 == "First findings")
    first.addprevious(second)
    rehearsed = slide_with_title(prs, "A table")
    transition = rehearsed.element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}transition")
    transition.set("advTm", "95000")  # as Rehearse Timings writes it
    prs.save(str(deck))

    code, out = _run("pull", "rt", "--root", str(ws))
    assert code == 0, out
    assert "rehearsed timings" in out and "rehearsed   1.58 min" in out
    code, out = _run("pull", "rt", "--root", str(ws), "--apply", "--timings", "minutes")
    assert code == 0, out
    text = (ws / "content" / "sections" / "main.yaml").read_text(encoding="utf-8")
    assert text.index("title: Second slide") < text.index("title: First findings")
    assert "minutes: 1.58" in text
    assert "# a comment after the title" in text
    code, out = _run("build", "rt", "--root", str(ws))
    assert code == 0, out
    titles = [t for t, _ in _titles(deck)]
    assert titles.index("Second slide") < titles.index("First findings")


def test_a_slide_added_in_powerpoint_comes_into_the_section_where_it_stands(ws: Path) -> None:
    from pptx import Presentation

    deck = ws / "build" / "rt.pptx"
    prs = Presentation(str(deck))
    layout = slide_with_title(prs, "Second slide").slide_layout
    added = prs.slides.add_slide(layout)
    added.shapes.title.text = "A slide of my own"
    added.placeholders[1].text_frame.text = "My first point"
    added.notes_slide.notes_text_frame.text = "What I add here."
    ids = prs.slides._sldIdLst
    entry = list(ids)[-1]
    ids.remove(entry)
    second = next(e for e in ids if prs.part.related_part(e.rId).slide.shapes.title.text_frame.text
                  == "Second slide")
    second.addnext(entry)  # between "Second slide" and "Client words"
    at_the_end = prs.slides.add_slide(layout)
    at_the_end.shapes.title.text = "After the references"
    prs.save(str(deck))
    code, out = _run("pull", "rt", "--root", str(ws), "--apply")
    assert code == 1  # the slide after the generated references slide has no place: listed
    assert "(After the references) added in PowerPoint: no outline slide stands next to it" in out
    for line in ("+  - kind: bullets", "+    title: A slide of my own", "+    bullets:",
                 "+      - My first point", "+    notes: What I add here."):
        assert line in out.splitlines(), line
    text = (ws / "content" / "sections" / "main.yaml").read_text(encoding="utf-8")
    assert text.index("title: Second slide") < text.index("title: A slide of my own") \
        < text.index('title: "{{ term.Client }} words"')
    code, out = _run("build", "rt", "--root", str(ws), "--discard-edits")
    assert code == 0, out
    titles = [t for t, _ in _titles(deck)]
    assert titles.index("Second slide") + 1 == titles.index("A slide of my own")


def test_pull_without_a_record_is_a_located_error(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    code, out = _run("pull", "rt", "--root", str(root))
    assert code == 1
    assert out.splitlines()[0].startswith("build/rt.pptx: error: no record of lecturegen building 'build/rt.pptx'")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_deck_saved_by_libreoffice_keeps_its_ids_and_its_edits_come_back(ws: Path, tmp_path: Path) -> None:
    from pptx import Presentation

    deck = ws / "build" / "rt.pptx"
    out_dir = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", "--convert-to", "pptx", "--outdir", str(out_dir), str(deck)],
                   check=True, capture_output=True, timeout=240)
    converted = out_dir / "rt.pptx"
    written = read_deck(deck.read_bytes())
    saved = read_deck(converted.read_bytes())
    assert [s.uid for s in saved.slides] == [s.uid for s in written.slides]
    assert all(s.uid for s in saved.slides)
    from lecturegen.model.roundtrip import compare_decks

    assert not compare_decks(written, saved).any  # saving in LibreOffice alone changes nothing lecturegen wrote
    prs = Presentation(str(converted))
    slide_with_title(prs, "First findings").shapes.title.text_frame.text = "First results"
    prs.save(str(deck))
    code, out = _run("pull", "rt", "--root", str(ws))
    assert code == 0, out
    assert "+    title: First results    # a comment after the title" in out.splitlines()
    assert "1 edit(s) to 1 file(s)" in out


def test_a_text_changed_in_both_the_source_and_the_deck_shows_both(ws: Path) -> None:
    from pptx import Presentation

    section = ws / "content" / "sections" / "main.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace("title: Second slide", "title: Second thoughts"),
                       encoding="utf-8")
    deck = ws / "build" / "rt.pptx"
    prs = Presentation(str(deck))
    slide_with_title(prs, "Second slide").shapes.title.text_frame.text = "Second page"
    prs.save(str(deck))
    code, out = _run("pull", "rt", "--root", str(ws), "--apply")
    assert code == 1
    assert "the source changed since the deck was built [pull.conflict]" in out
    assert "source: \"now 'Second thoughts'\"" in out and "deck:   'Second page'" in out
    assert "title: Second thoughts" in section.read_text(encoding="utf-8")  # neither version lost


def test_a_copy_edited_elsewhere_is_pulled_against_the_built_deck(ws: Path, tmp_path: Path) -> None:
    from pptx import Presentation

    copy = tmp_path / "on-the-laptop.pptx"
    shutil.copy(ws / "build" / "rt.pptx", copy)
    prs = Presentation(str(copy))
    slide_with_title(prs, "Second slide").shapes.title.text_frame.text = "Second thoughts"
    prs.save(str(copy))
    code, out = _run("pull", "rt", str(copy), "--root", str(ws))
    assert code == 0, out
    assert "+    title: Second thoughts" in out.splitlines()
    code, out = _run("pull", "rt", str(copy), "--root", str(ws), "--apply")
    assert code == 0, out
    code, out = _run("build", "rt", "--root", str(ws))  # the built deck was not edited: replaced
    assert code == 0, out
    assert ("Second thoughts", False) in _titles(ws / "build" / "rt.pptx")
    other = tmp_path / "other.pptx"
    prs = Presentation()
    prs.slides.add_slide(prs.slide_layouts[0]).shapes.title.text = "Unrelated"
    prs.save(str(other))
    code, out = _run("pull", "rt", str(other), "--root", str(ws))
    assert code == 1 and "holds none of the slides lecturegen built for 'rt'" in out


def test_deleted_slides_can_be_dropped_instead_of_skipped(ws: Path) -> None:
    from pptx import Presentation

    from tests.roundtrip_workspace import delete_slide

    deck = ws / "build" / "rt.pptx"
    prs = Presentation(str(deck))
    delete_slide(prs, slide_with_title(prs, "Fifth slide"))
    delete_slide(prs, slide_with_title(prs, "Second slide"))
    prs.save(str(deck))
    code, out = _run("pull", "rt", "--root", str(ws), "--deleted", "drop", "--apply")
    assert code == 0, out
    text = (ws / "content" / "sections" / "main.yaml").read_text(encoding="utf-8")
    assert "Fifth slide" not in text and "Second slide" not in text and "skip:" not in text
    assert "title: First findings   # a comment after the title" in text and "title: A table" in text


def test_a_paragraph_added_to_the_notes_is_a_paragraph_in_the_source(ws: Path) -> None:
    from pptx import Presentation

    deck = ws / "build" / "rt.pptx"
    prs = Presentation(str(deck))
    slide_with_title(prs, "Second slide").notes_slide.notes_text_frame.add_paragraph().text = "Pause for questions."
    prs.save(str(deck))
    code, out = _run("pull", "rt", "--root", str(ws), "--apply")
    assert code == 0, out
    code, out = _run("build", "rt", "--root", str(ws))
    assert code == 0, out
    slide = next(s for s in read_deck(deck.read_bytes()).slides if s.title() == "Second slide")
    assert slide.notes == ("Notes of the second slide.", "Pause for questions.")
