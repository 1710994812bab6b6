"""The output guard: a deck or handout edited since lecturegen wrote it is never overwritten (build and watch)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from lecturegen.cli import main
from tests.roundtrip_workspace import make_workspace, presenter_edits


@pytest.fixture()
def built(tmp_path: Path) -> Path:
    root = make_workspace(tmp_path / "ws")
    result = CliRunner().invoke(main, ["build", "rt", "--root", str(root)])
    assert result.exit_code == 0, result.output
    return root


def test_an_unedited_deck_is_rebuilt(built: Path) -> None:
    result = CliRunner().invoke(main, ["build", "rt", "--root", str(built), "--force"])
    assert result.exit_code == 0, result.output


def test_an_edited_deck_is_refused_in_one_located_line_naming_the_slides(built: Path) -> None:
    deck = built / "build" / "rt.pptx"
    presenter_edits(deck)
    before = deck.read_bytes()
    result = CliRunner().invoke(main, ["build", "rt", "--root", str(built), "--force"])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(errors) == 1
    line = errors[0]
    assert line.startswith("build/rt.pptx: error: 'build/rt.pptx' was edited since lecturegen wrote it (")
    assert line.endswith("[output.edited]")
    assert "lecturegen pull rt" in line and "--discard-edits" in line
    assert "changed 4 (title, text, notes)" in line and "deleted 8" in line and "hidden" in line
    assert deck.read_bytes() == before  # nothing overwritten
    assert "Traceback" not in result.output


def test_discard_edits_keeps_the_edited_deck_first(built: Path) -> None:
    deck = built / "build" / "rt.pptx"
    presenter_edits(deck)
    edited = deck.read_bytes()
    result = CliRunner().invoke(main, ["build", "rt", "--root", str(built), "--discard-edits"])
    assert result.exit_code == 0, result.output
    kept = list((built / "build").glob("rt.edited-*.pptx"))
    assert len(kept) == 1 and kept[0].read_bytes() == edited
    assert deck.read_bytes() != edited
    assert "the edited one kept as build/rt.edited-" in result.output
    # the new deck is recorded: a plain build replaces it again
    assert CliRunner().invoke(main, ["build", "rt", "--root", str(built), "--force"]).exit_code == 0


def test_a_deck_saved_again_without_changes_is_replaced(built: Path) -> None:
    from pptx import Presentation

    deck = built / "build" / "rt.pptx"
    Presentation(str(deck)).save(str(deck))  # python-pptx rewrites every part: new bytes, same content
    result = CliRunner().invoke(main, ["build", "rt", "--root", str(built), "--force"])
    assert result.exit_code == 0, result.output


def test_watch_never_overwrites_an_edited_deck(built: Path) -> None:
    from lecturegen.watch import watch
    from lecturegen.workspace import Workspace

    deck = built / "build" / "rt.pptx"
    presenter_edits(deck)
    edited = deck.read_bytes()
    section = built / "content" / "sections" / "main.yaml"
    lines: list[tuple[str, bool]] = []

    def changes():  # type: ignore[no-untyped-def]
        section.write_text(section.read_text(encoding="utf-8").replace("Third notes.", "Third notes!"),
                           encoding="utf-8")
        yield {(2, str(section))}

    assert watch(Workspace(built), "rt", [None], None, False, None, False,
                 lambda line, err: lines.append((line, err)), changes=changes()) == 0
    assert deck.read_bytes() == edited
    assert sum("[output.edited]" in line for line, _ in lines) == 2  # the first build and the rebuild
    assert ("the edited deck is left as it is; run 'lecturegen pull' (or build with --discard-edits), then save "
            "again", True) in lines


def test_an_edited_handout_is_refused(built: Path) -> None:
    result = CliRunner().invoke(main, ["handout", "rt", "--root", str(built), "--format", "docx"])
    assert result.exit_code == 0, result.output
    handout = built / "build" / "rt-handout.docx"
    handout.write_bytes(handout.read_bytes() + b"\0")  # any change at all
    result = CliRunner().invoke(main, ["handout", "rt", "--root", str(built), "--format", "docx"])
    assert result.exit_code == 1
    assert "was changed since lecturegen wrote it" in result.output and "[output.edited]" in result.output
    result = CliRunner().invoke(main, ["handout", "rt", "--root", str(built), "--format", "docx",
                                       "--discard-edits"])
    assert result.exit_code == 0, result.output
    assert len(list((built / "build").glob("rt-handout.edited-*.docx"))) == 1


def test_a_moved_shape_is_an_edit_too(built: Path) -> None:
    from pptx import Presentation
    from pptx.util import Emu

    deck = built / "build" / "rt.pptx"
    prs = Presentation(str(deck))
    table_slide = next(s for s in prs.slides if s.shapes.title is not None and s.shapes.title.text == "A table")
    table = next(s for s in table_slide.shapes if s.has_table)
    table.left = Emu(table.left + 914400)
    prs.save(str(deck))
    result = CliRunner().invoke(main, ["build", "rt", "--root", str(built), "--force"])
    assert result.exit_code == 1 and "(moved or resized)" in result.output
    result = CliRunner().invoke(main, ["pull", "rt", "--root", str(built)])
    assert result.exit_code == 1 and "moved or resized" in result.output and "[pull.unplaced]" in result.output


def test_a_file_rewritten_is_hashed_again_even_at_once(tmp_path: Path) -> None:
    from lecturegen.store.outputs import file_digest

    deck = tmp_path / "talk.pptx"
    deck.write_bytes(b"first version")
    first = file_digest(deck)
    deck.write_bytes(b"other version")  # the same size, written within the same moment
    assert file_digest(deck) != first
    assert file_digest(tmp_path / "missing.pptx") is None


def test_a_settled_file_is_hashed_once_per_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    from lecturegen.store import outputs

    monkeypatch.setattr(outputs, "_SETTLED_NS", -1)  # every file counts as settled
    deck = tmp_path / "talk.pptx"
    deck.write_bytes(b"a deck")
    calls: list[object] = []
    real = hashlib.file_digest

    def counting(handle: object, name: str) -> object:
        calls.append(handle)
        return real(handle, name)  # type: ignore[arg-type]

    monkeypatch.setattr(hashlib, "file_digest", counting)
    assert outputs.file_digest(deck) == outputs.file_digest(deck) == hashlib.sha256(b"a deck").hexdigest()
    assert len(calls) == 1
    deck.write_bytes(b"a changed deck")  # a new ctime (and size): hashed again
    assert outputs.file_digest(deck) == hashlib.sha256(b"a changed deck").hexdigest()
    assert len(calls) == 2
