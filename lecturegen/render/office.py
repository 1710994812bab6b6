"""Render layer: draw real slides through LibreOffice (for handout thumbnails).

`soffice --headless` converts the deck to PDF in a private temporary profile (so it neither
collides with a running LibreOffice nor touches the user's profile), then `pdftoppm` rasterises
each page to PNG. When either tool is missing this says so, as a diagnostic, rather than
producing a handout with blank boxes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from lecturegen.diagnostics import Diagnostic, LecturegenError

TIMEOUT_SECONDS = 180
THUMBNAIL_DPI = 60
_MISSING = Diagnostic("error", "--thumbnails needs LibreOffice to draw the slides, and it is not installed",
                      "handout.libreoffice", None, "install it with: apt-get install libreoffice-impress poppler-utils")


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _failed(message: str) -> LecturegenError:
    return LecturegenError([Diagnostic("error", message, "handout.libreoffice", None, None)])


def render_slide_pngs(pptx_bytes: bytes, dpi: int = THUMBNAIL_DPI) -> list[bytes]:
    """One PNG per slide, in order, drawn by LibreOffice Impress."""
    soffice = _soffice()
    pdftoppm = shutil.which("pdftoppm")
    if soffice is None or pdftoppm is None:
        raise LecturegenError([_MISSING])
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
            )
        except subprocess.TimeoutExpired:
            raise _failed(f"LibreOffice did not finish drawing the slides within {TIMEOUT_SECONDS} s") from None
        pdf = work / "deck.pdf"
        if not pdf.is_file():
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            reason = f" ({detail[-1]})" if detail else ""
            raise _failed(f"LibreOffice could not convert the slides to PDF{reason}")
        try:
            subprocess.run([pdftoppm, "-png", "-r", str(dpi), str(pdf), str(work / "slide")],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT_SECONDS, check=True)
        except subprocess.TimeoutExpired:
            raise _failed(f"pdftoppm did not finish within {TIMEOUT_SECONDS} s") from None
        except subprocess.CalledProcessError as exc:
            raise _failed(f"pdftoppm could not draw the slides ({exc.stderr.decode('utf-8', 'replace').strip()})") \
                from None
        # pdftoppm pads page numbers to the width of the largest: a plain sort keeps slide order.
        pages = sorted(work.glob("slide-*.png"))
        return [page.read_bytes() for page in pages]
