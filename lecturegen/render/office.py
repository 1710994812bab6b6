"""Render layer: real slides through LibreOffice — the deck as PDF, as PNGs, and the words it drew where.

`soffice --headless` converts the deck in a private temporary profile (so it neither collides with a
running LibreOffice nor touches the user's profile); poppler rasterises pages (`pdftoppm`) and reports
where each word was drawn (`pdftotext -bbox-layout`). When a tool is missing this says so, as a
diagnostic naming the package to install, rather than producing something half-made.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from lecturegen.diagnostics import Diagnostic, LecturegenError

TIMEOUT_SECONDS = 180
THUMBNAIL_DPI = 60
INSTALL_HINT = "install it with: apt-get install libreoffice-impress poppler-utils"
Word = tuple[str, float, float, float, float]  # text, x0, y0, x1, y1 in points from the page's top left


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _failed(message: str, code: str, hint: str | None = None) -> LecturegenError:
    return LecturegenError([Diagnostic("error", message, code, None, hint)])


def office_available() -> bool:
    return _soffice() is not None


def deck_to_pdf(pptx_bytes: bytes, purpose: str = "export the deck as PDF", code: str = "office.missing") -> bytes:
    """The deck as LibreOffice Impress draws it, one page per visible slide."""
    soffice = _soffice()
    if soffice is None:
        raise _failed(f"to {purpose} lecturegen needs LibreOffice, and it is not installed", code, INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="lecturegen-office-") as tmp:
        work = Path(tmp)
        deck = work / "deck.pptx"
        deck.write_bytes(pptx_bytes)
        profile = (work / "profile").as_uri()
        env = dict(os.environ, HOME=str(work))
        try:
            done = subprocess.run(
                [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
                 "--convert-to", "pdf", "--outdir", str(work), str(deck)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT_SECONDS, env=env, check=False,
                start_new_session=True,
            )
        except subprocess.TimeoutExpired:
            raise _failed(f"LibreOffice did not finish within {TIMEOUT_SECONDS} s", code) from None
        pdf = work / "deck.pdf"
        if not pdf.is_file():
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            reason = f" ({detail[-1]})" if detail else ""
            raise _failed(f"LibreOffice could not convert the deck to PDF{reason}", code)
        return pdf.read_bytes()


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
        try:
            subprocess.run([pdftoppm, "-png", "-r", str(dpi), str(pdf), str(work / "slide")],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT_SECONDS, check=True)
        except subprocess.TimeoutExpired:
            raise _failed(f"pdftoppm did not finish within {TIMEOUT_SECONDS} s", code) from None
        except subprocess.CalledProcessError as exc:
            raise _failed(f"pdftoppm could not draw the slides ({exc.stderr.decode('utf-8', 'replace').strip()})",
                          code) from None
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
        try:
            xml = subprocess.run([pdftotext, "-bbox-layout", str(pdf), "-"], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, timeout=TIMEOUT_SECONDS, check=True).stdout
        except (subprocess.TimeoutExpired, subprocess.CalledProcessError):
            raise _failed("pdftotext could not read the rendered deck", "render.poppler") from None
    text = xml.decode("utf-8", "replace")
    return [[(html.unescape(w), float(a), float(b), float(c), float(d)) for a, b, c, d, w in _WORD.findall(page)]
            for page in _PAGE.findall(text)]
