"""Handouts, the deck as PDF and a new workspace, as the command functions write them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from lecturegen.commands.building import build_one
from lecturegen.commands.exports import export_pdf, scaffold, write_handout
from lecturegen.diagnostics import Diagnostic, LecturegenError
from lecturegen.render import office
from lecturegen.workspace import Workspace

FAKE_PDF = b"%PDF-1.4\n% a stand-in for what LibreOffice makes\n%%EOF\n"


def handout(root: Path, fmt: str = "pdf", output: Path | None = None, with_notes: bool = False,
            warnings: list[Diagnostic] | None = None) -> str:
    return write_handout(Workspace(root), "small", None, fmt, output, "a4", False, with_notes, None,
                         warnings=warnings)


def pdf_text(path: Path) -> str:
    """The words of every page, lines joined (a reference wraps where the page width says)."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_a_pdf_handout_holds_the_talk_and_its_references(mini: Path) -> None:
    warnings: list[Diagnostic] = []
    assert handout(mini, warnings=warnings) == "wrote build/small-handout.pdf"
    text = pdf_text(mini / "build" / "small-handout.pdf")
    assert "A small talk" in text and "First findings" in text
    assert "Counselling and Psychotherapy Research" in text  # the cited work, in the reference list
    assert "A book no slide cites" not in text
    assert warnings == []  # no chart to simplify


def test_speaker_notes_go_into_the_handout_only_when_asked(mini: Path) -> None:
    handout(mini)
    assert "Let the number land" not in pdf_text(mini / "build" / "small-handout.pdf")
    handout(mini, with_notes=True)
    assert "Let the number land" in pdf_text(mini / "build" / "small-handout.pdf")


def test_a_docx_handout_is_a_word_document_with_the_slide_titles(mini: Path, tmp_path: Path) -> None:
    target = tmp_path / "notes.docx"
    assert handout(mini, "docx", target) == f"wrote {target}"
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "First findings" in text and "Eight of eight" in text


def test_a_handout_never_replaces_an_input(mini: Path) -> None:
    (mini / "content" / "extra.pdf").write_bytes(FAKE_PDF)
    with pytest.raises(LecturegenError) as refused:
        handout(mini, output=mini / "content" / "extra.pdf")
    (error,) = refused.value.diagnostics
    assert error.code == "output.write" and "one of this build's input files" in error.message
    assert (mini / "content" / "extra.pdf").read_bytes() == FAKE_PDF


@pytest.fixture
def fake_libreoffice(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """LibreOffice stood in for: each deck it is given is kept, and a small PDF comes back."""
    given: list[bytes] = []

    def deck_to_pdf(data: bytes, purpose: str = "", code: str = "") -> bytes:
        given.append(data)
        return FAKE_PDF

    monkeypatch.setattr(office, "deck_to_pdf", deck_to_pdf)
    return given


def test_export_pdf_converts_the_compiled_deck(mini: Path, fake_libreoffice: list[bytes]) -> None:
    assert export_pdf(Workspace(mini), "small", None, None, None) == "wrote build/small.pdf"
    assert (mini / "build" / "small.pdf").read_bytes() == FAKE_PDF
    (deck,) = fake_libreoffice
    assert deck[:2] == b"PK"  # a .pptx
    assert not (mini / "build" / "small.pptx").exists()  # the deck itself is not written


def test_export_pdf_of_a_built_deck_converts_that_deck(mini: Path, fake_libreoffice: list[bytes]) -> None:
    build_one(Workspace(mini), "small", None, None, None, False, None, False, parallel_charts=False)
    built = (mini / "build" / "small.pptx").read_bytes()
    target = mini / "backup.pdf"
    assert export_pdf(Workspace(mini), "small", None, None, target, deck=mini / "build" / "small.pptx") \
        == "wrote backup.pdf"
    assert fake_libreoffice == [built]
    assert target.read_bytes() == FAKE_PDF


def test_export_pdf_refuses_a_wrong_target_before_converting(mini: Path, fake_libreoffice: list[bytes]) -> None:
    with pytest.raises(LecturegenError) as refused:
        export_pdf(Workspace(mini), "small", None, None, mini / "bibliography.bib")
    assert [d.code for d in refused.value.diagnostics] == ["output.write"]
    assert fake_libreoffice == []  # refused before LibreOffice spent seconds on it


def test_scaffold_copies_a_workspace_that_builds(tmp_path: Path) -> None:
    target = tmp_path / "fresh"
    count = scaffold(target)
    files = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert count == len(files) >= 4
    assert "content/talks/example.yaml" in files and "bibliography.bib" in files
    assert not [f for f in files if "__pycache__" in f]
    report = build_one(Workspace(target), "example", None, None, None, False, None, False, parallel_charts=False)
    assert report.exit_code == 0 and (target / "build" / "example.pptx").is_file()


def test_scaffold_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError, match="exists and is not empty"):
        scaffold(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


def test_scaffold_into_an_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert scaffold(tmp_path / "empty") > 0


def test_a_new_workspace_where_no_folder_can_be_made_is_a_one_line_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from lecturegen.cli import main

    a_file = tmp_path / "notes.txt"
    a_file.write_text("a file, not a folder", encoding="utf-8")
    result = CliRunner().invoke(main, ["new", str(a_file / "workspace")])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception  # not NotADirectoryError
    assert "error" in result.stderr.lower() and "Traceback" not in result.output
