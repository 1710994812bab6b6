"""Compile layer: text measurement with real font metrics (Carlito for Calibri, Liberation for Arial)."""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

# PowerPoint fonts → metric-compatible free fonts (same advance widths), as LibreOffice substitutes them.
SUBSTITUTES = {
    "calibri": "Carlito",
    "cambria": "Caladea",
    "arial": "Liberation Sans",
    "helvetica": "Liberation Sans",
    "times new roman": "Liberation Serif",
    "courier new": "Liberation Mono",
}
_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
LINE_HEIGHT = 1.2  # line pitch as a multiple of the font size (PowerPoint and LibreOffice, single spacing)
FALLBACK_EM = 0.52  # average advance of a proportional sans font, in ems, when no font file is found


@dataclass(frozen=True)
class MeasuredFont:
    requested: str
    measured: str  # the family whose metrics were used, for reports
    regular: str | None
    bold: str | None


@functools.lru_cache(maxsize=32)
def find_font(family: str) -> MeasuredFont:
    """Locate font files for a family (or its metric-compatible substitute) through fontconfig."""
    target = SUBSTITUTES.get(family.lower(), family)
    regular = _fc_match(target, False)
    bold = _fc_match(target, True)
    if regular is None:
        return MeasuredFont(family, f"{family} (estimated: no font file found)", None, None)
    return MeasuredFont(family, target, regular, bold or regular)


def _fc_match(family: str, bold: bool) -> str | None:
    if shutil.which("fc-match"):
        pattern = f"{family}:bold" if bold else family
        try:
            out = subprocess.run(["fc-match", "-f", "%{family}|%{file}", pattern], capture_output=True, text=True,
                                 timeout=5, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        if "|" in out:
            found_family, file = out.split("|", 1)
            if family.lower() in found_family.lower() and Path(file).is_file():
                return file
    stem = family.replace(" ", "") + ("-Bold" if bold else "-Regular")
    for folder in _FONT_DIRS:
        if folder.is_dir():
            for hit in folder.rglob(f"{stem}.ttf"):
                return str(hit)
    return None


@functools.lru_cache(maxsize=64)
def _pil_font(file: str, size_px: int):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    return ImageFont.truetype(file, size_px)


# Measuring at a fixed large pixel size and scaling keeps hinting from distorting small sizes.
_REFERENCE_PX = 200
_PIECE = 10_000


class TextMeasurer:
    """Width of text in points, and how many lines it wraps to in a given width."""

    def __init__(self, family: str):
        self.font = find_font(family)

    @property
    def measured_family(self) -> str:
        return self.font.measured

    @functools.lru_cache(maxsize=50_000)
    def width(self, text: str, size_pt: float, bold: bool = False) -> float:
        file = self.font.bold if bold else self.font.regular
        if file is None:
            return len(text) * size_pt * FALLBACK_EM * (1.07 if bold else 1.0)
        font = _pil_font(file, _REFERENCE_PX)
        # Pillow refuses strings over a million characters; an absurd word is measured in pieces.
        total = sum(font.getlength(text[i:i + _PIECE]) for i in range(0, len(text), _PIECE)) if text else 0.0
        return total * size_pt / _REFERENCE_PX

    def count_lines(self, words: Sequence[tuple[str, bool]], size_pt: float, width_pt: float) -> int:
        """Greedy wrapping as PowerPoint does; over-long words are broken across lines."""
        if width_pt <= 0:
            return 10_000
        lines = 1
        current = 0.0
        space = self.width(" ", size_pt)
        for word, bold in words:
            if not word or word == "\n":
                continue
            w = self.width(word, size_pt, bold)
            needed = w if current == 0 else current + space + w
            if needed <= width_pt:
                current = needed
                continue
            if current > 0:
                lines += 1
            if w <= width_pt:
                current = w
            else:
                # A word wider than the box: LibreOffice and PowerPoint break it by characters.
                pieces = int(w // width_pt)
                lines += pieces
                current = w - pieces * width_pt
        return lines


@dataclass(frozen=True)
class TextBlock:
    """A paragraph to measure: its words (with boldness), size, left margin and spacing."""

    words: tuple[tuple[str, bool], ...]
    size_pt: float
    margin_pt: float = 0.0
    space_before_pt: float = 0.0
    line_spacing: float = 1.0


def words_of(runs: Sequence[tuple[str, bool]]) -> tuple[tuple[str, bool], ...]:
    out: list[tuple[str, bool]] = []
    for text, bold in runs:
        for line_no, line in enumerate(text.split("\n")):
            if line_no:
                out.append(("\n", False))
            out.extend((w, bold) for w in line.split())
    return tuple(out)


def block_height(measurer: TextMeasurer, blocks: Sequence[TextBlock], width_pt: float) -> float:
    """Height in points the paragraphs need in a box of the given inner width."""
    total = 0.0
    for index, block in enumerate(blocks):
        lines = 0
        segment: list[tuple[str, bool]] = []
        for word in block.words + (("\n", False),):
            if word[0] == "\n":
                lines += measurer.count_lines(segment, block.size_pt, width_pt - block.margin_pt) if segment else 1
                segment = []
            else:
                segment.append(word)
        if index:
            total += block.space_before_pt
        total += lines * block.size_pt * LINE_HEIGHT * block.line_spacing
    return total


def caption_height_pt(measurer: TextMeasurer, runs: Sequence[tuple[str, bool]], size_pt: float,
                      width_pt: float) -> float:
    """Height of a caption text box (with its insets) holding the given runs (line breaks included)."""
    block = TextBlock(words_of(runs), size_pt)
    return block_height(measurer, [block], width_pt - 14.4) + 7.2 + 2.0
