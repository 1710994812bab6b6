"""LibreOffice on a leash: its own process group, a time limit that fits the deck, the whole group killed on
timeout or failure, and its output checked to be a PDF of one page per slide before anything uses it.

Each case puts a fake `soffice` on PATH (a shell script standing in for a LibreOffice that misbehaves)."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from lecturegen.cli import main
from lecturegen.diagnostics import LecturegenError
from lecturegen.render import office

# Writes its own PID (and any child's) to $FAKE_PIDS, finds --outdir, then does what the case says.
PROLOGUE = """#!/bin/sh
echo $$ >> "$FAKE_PIDS"
out=.
while [ $# -gt 0 ]; do [ "$1" = --outdir ] && out=$2; shift; done
"""
HANGS = PROLOGUE + "sleep 1000\n"
FAILS_LEAVING_A_CHILD = PROLOGUE + 'sleep 1000 &\necho $! >> "$FAKE_PIDS"\necho "fatal: broken" >&2\nexit 1\n'
WRITES_HTML = PROLOGUE + 'echo "<html><body>not a pdf</body></html>" > "$out/deck.pdf"\n'


def one_page_pdf() -> bytes:
    from reportlab.pdfgen.canvas import Canvas
    import io

    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 72, "one page")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"  # a zombie has ended; only its parent's reaping is left


@pytest.fixture
def fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def install(script: str) -> Path:
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir(exist_ok=True)
        fake = bin_dir / "soffice"
        fake.write_text(script, encoding="utf-8")
        fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
        pids = tmp_path / "pids"
        pids.write_text("")
        monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin")  # the fake comes first
        monkeypatch.setenv("FAKE_PIDS", str(pids))
        return pids
    return install


def pids_of(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split()]


def converted(deck: bytes) -> str:
    with pytest.raises(LecturegenError) as caught:
        office.deck_to_pdf(deck, "export the deck as PDF", "pdf.libreoffice")
    return caught.value.diagnostics[0].message


@pytest.fixture
def deck(mini: Path) -> bytes:
    result = CliRunner().invoke(main, ["build", "small", "--root", str(mini)])
    assert result.exit_code == 0, result.output
    return (mini / "build" / "small.pptx").read_bytes()


def test_the_time_limit_fits_the_deck(deck: bytes) -> None:
    slides = office.visible_slides(deck)
    assert slides >= 3
    assert office.office_time_limit(slides) == office.START_SECONDS + office.SECONDS_PER_SLIDE * slides
    assert office.office_time_limit(100_000) == office.MAX_SECONDS


def test_a_hanging_libreoffice_is_stopped_with_its_group(fake_soffice, deck: bytes,  # type: ignore[no-untyped-def]
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    pids = fake_soffice(HANGS)
    monkeypatch.setattr(office, "START_SECONDS", 1)
    monkeypatch.setattr(office, "SECONDS_PER_SLIDE", 0)
    assert converted(deck).startswith("LibreOffice did not finish within 1 s")
    assert pids_of(pids) and not any(alive(pid) for pid in pids_of(pids))


def test_a_failing_libreoffice_leaves_no_child_behind(fake_soffice, deck: bytes) -> None:  # type: ignore[no-untyped-def]
    pids = fake_soffice(FAILS_LEAVING_A_CHILD)
    # The child holds the tool's output open; waiting on a pipe would wait for the child (1,000 s).
    assert converted(deck) == "LibreOffice could not convert the deck to PDF (fatal: broken)"
    assert len(pids_of(pids)) == 2 and not any(alive(pid) for pid in pids_of(pids))


def test_html_instead_of_a_pdf_is_refused(fake_soffice, deck: bytes) -> None:  # type: ignore[no-untyped-def]
    fake_soffice(WRITES_HTML)
    assert converted(deck) == "LibreOffice wrote something that is not a PDF; nothing was written"


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler's pdfinfo counts the pages")
def test_a_pdf_with_the_wrong_number_of_pages_is_refused(fake_soffice, deck: bytes,  # type: ignore[no-untyped-def]
                                                         tmp_path: Path) -> None:
    (tmp_path / "one.pdf").write_bytes(one_page_pdf())
    fake_soffice(PROLOGUE + f'cp "{tmp_path / "one.pdf"}" "$out/deck.pdf"\n')
    slides = office.visible_slides(deck)
    assert converted(deck) == f"LibreOffice wrote a PDF of 1 page for {slides} slides; nothing was written"


def test_export_pdf_keeps_the_previous_pdf_when_libreoffice_writes_html(fake_soffice, mini: Path,  # type: ignore[no-untyped-def]
                                                                        deck: bytes) -> None:
    previous = mini / "build" / "small.pdf"
    previous.write_bytes(one_page_pdf())
    before = previous.read_bytes()
    fake_soffice(WRITES_HTML)
    result = CliRunner().invoke(main, ["export-pdf", "small", "--root", str(mini)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "LibreOffice wrote something that is not a PDF" in result.stderr
    assert previous.read_bytes() == before
