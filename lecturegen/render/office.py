"""Render layer: real slides through LibreOffice — the deck as PDF, as PNGs, and the words it drew where.

`soffice --headless` converts the deck in a private temporary profile (so it neither collides with a
running LibreOffice nor touches the user's profile); poppler rasterises pages (`pdftoppm`) and reports
where each word was drawn (`pdftotext -bbox-layout`). When a tool is missing this says so, as a
diagnostic naming the package to install, rather than producing something half-made.
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

from lecturegen.diagnostics import Diagnostic, LecturegenError

# LibreOffice gets a time that fits the job: a cold start, then seconds per slide (a slow VM converts a
# slide in well under a second; charts and pictures cost more). Past it the whole process group is killed.
START_SECONDS = 60
SECONDS_PER_SLIDE = 2
MAX_SECONDS = 900
TIMEOUT_SECONDS = 180  # poppler's tools, per call
THUMBNAIL_DPI = 60
INSTALL_HINT = "install it with: apt-get install libreoffice-impress poppler-utils"
Word = tuple[str, float, float, float, float]  # text, x0, y0, x1, y1 in points from the page's top left


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _failed(message: str, code: str, hint: str | None = None) -> LecturegenError:
    return LecturegenError([Diagnostic("error", message, code, None, hint)])


def office_available() -> bool:
    return _soffice() is not None


def visible_slides(pptx_bytes: bytes) -> int:
    """How many pages LibreOffice should draw: the deck's slides that are not hidden."""
    with zipfile.ZipFile(io.BytesIO(pptx_bytes)) as archive:
        names = [n for n in archive.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
        return sum(1 for n in names if not re.search(rb"<p:sld\b[^>]*\bshow=\"(0|false)\"", archive.read(n)[:2000]))


def office_time_limit(slides: int) -> int:
    return min(MAX_SECONDS, START_SECONDS + SECONDS_PER_SLIDE * slides)


def run_in_group(argv: list[str], seconds: float, env: dict[str, str] | None = None) -> tuple[int | None, str]:
    """Run a tool in a process group of its own: (exit status or None past `seconds`, its last output).

    The whole group is killed when the tool ends, fails or runs out of time, so no child it left behind
    (LibreOffice forks) outlives this call or holds its output. Output goes to a file, not a pipe: a child
    holding a pipe open would keep us waiting after the tool itself has exited."""
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env,
                                   start_new_session=True)
        try:
            status: int | None = process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            status = None
        except BaseException:  # Ctrl-C while waiting: nothing of the tool may survive us
            _kill_group(process)
            raise
        _kill_group(process)
        log.seek(0)
        output = log.read()[-4000:].decode("utf-8", "replace")
    return status, output


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """The tool and every process it started, killed; returns once the group is gone (a loaded machine takes a
    moment to deliver the kill), or after two seconds if a member lingers as a zombie nobody reaps."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # the group is already gone
    process.wait()
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.01)


def deck_to_pdf(pptx_bytes: bytes, purpose: str = "export the deck as PDF", code: str = "office.missing") -> bytes:
    """The deck as LibreOffice Impress draws it, one page per visible slide, checked to be exactly that."""
    soffice = _soffice()
    if soffice is None:
        raise _failed(f"to {purpose} lecturegen needs LibreOffice, and it is not installed", code, INSTALL_HINT)
    slides = visible_slides(pptx_bytes)
    seconds = office_time_limit(slides)
    with tempfile.TemporaryDirectory(prefix="lecturegen-office-") as tmp:
        work = Path(tmp)
        deck = work / "deck.pptx"
        deck.write_bytes(pptx_bytes)
        profile = (work / "profile").as_uri()
        env = dict(os.environ, HOME=str(work))
        status, output = run_in_group(
            [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
             "--convert-to", "pdf", "--outdir", str(work), str(deck)], seconds, env)
        if status is None:
            raise _failed(f"LibreOffice did not finish within {seconds} s ({START_SECONDS} s to start and "
                          f"{SECONDS_PER_SLIDE} s for each of {slides} slides); it was stopped", code)
        pdf = work / "deck.pdf"
        if status != 0 or not pdf.is_file():
            detail = output.strip().splitlines()
            reason = f" ({detail[-1][:200]})" if detail else f" (exit status {status})"
            raise _failed(f"LibreOffice could not convert the deck to PDF{reason}", code)
        data = pdf.read_bytes()
    problem = pdf_problem(data, slides)
    if problem is not None:
        raise _failed(f"LibreOffice wrote {problem}; nothing was written", code)
    return data


def pdf_problem(data: bytes, pages: int) -> str | None:
    """Why `data` is not a whole PDF of `pages` pages (poppler's pdfinfo counts them), or None."""
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        return "something that is not a PDF"
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:
        return None  # the header and trailer are all that can be checked without poppler
    with tempfile.TemporaryDirectory(prefix="lecturegen-pdfinfo-") as tmp:
        path = Path(tmp) / "deck.pdf"
        path.write_bytes(data)
        status, output = run_in_group([pdfinfo, str(path)], TIMEOUT_SECONDS)
    found = re.search(r"^Pages:\s+(\d+)", output, re.M)
    if status != 0 or found is None:
        return "a PDF that cannot be read"
    if int(found.group(1)) != pages:
        count = int(found.group(1))
        return f"a PDF of {count} page{'s' if count != 1 else ''} for {pages} slide{'s' if pages != 1 else ''}"
    return None


def _poppler(tool: str, code: str) -> str:
    found = shutil.which(tool)
    if found is None:
        raise _failed(f"{tool} (poppler) is not installed", code, INSTALL_HINT)
    return found


def render_slide_pngs(pptx_bytes: bytes, dpi: int = THUMBNAIL_DPI) -> list[bytes]:
    """One PNG per slide, in order, drawn by LibreOffice Impress."""
    code = "handout.libreoffice"
    if _soffice() is None:
        raise _failed("to draw slide thumbnails lecturegen needs LibreOffice, and it is not installed", code,
                      INSTALL_HINT)
    pdftoppm = _poppler("pdftoppm", code)
    pdf_bytes = deck_to_pdf(pptx_bytes, "draw slide thumbnails", code)
    with tempfile.TemporaryDirectory(prefix="lecturegen-pages-") as tmp:
        work = Path(tmp)
        pdf = work / "deck.pdf"
        pdf.write_bytes(pdf_bytes)
        status, output = run_in_group([pdftoppm, "-png", "-r", str(dpi), str(pdf), str(work / "slide")],
                                      TIMEOUT_SECONDS)
        if status is None:
            raise _failed(f"pdftoppm did not finish within {TIMEOUT_SECONDS} s", code)
        if status != 0:
            raise _failed(f"pdftoppm could not draw the slides ({output.strip()[-200:]})", code)
        # pdftoppm pads page numbers to the width of the largest: a plain sort keeps slide order.
        return [page.read_bytes() for page in sorted(work.glob("slide-*.png"))]


_PAGE = re.compile(r"<page\b.*?</page>", re.S)
_WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>', re.S)


def pdf_words(pdf_bytes: bytes) -> list[list[Word]]:
    """Every word on every page with its box, as poppler reads the PDF."""
    pdftotext = _poppler("pdftotext", "render.poppler")
    with tempfile.TemporaryDirectory(prefix="lecturegen-words-") as tmp:
        pdf = Path(tmp) / "deck.pdf"
        pdf.write_bytes(pdf_bytes)
        words = Path(tmp) / "words.html"
        status, _ = run_in_group([pdftotext, "-bbox-layout", str(pdf), str(words)], TIMEOUT_SECONDS)
        if status != 0 or not words.is_file():
            raise _failed("pdftotext could not read the rendered deck", "render.poppler")
        text = words.read_text(encoding="utf-8", errors="replace")
    return [[(html.unescape(w), float(a), float(b), float(c), float(d)) for a, b, c, d, w in _WORD.findall(page)]
            for page in _PAGE.findall(text)]
