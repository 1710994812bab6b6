"""Model layer: the resolved look of a deck — colours, chart palette, fonts and the files that measure them."""

from __future__ import annotations

from dataclasses import field
from typing import Protocol

from lecturegen.records import record

# How the font a deck shows was measured: the real file, a metric-compatible twin (same advance widths),
# another font that stands in for it here (LibreOffice shows that one too), or estimated widths.
FONT_QUALITIES = ("exact", "metric-compatible", "substitute", "estimated")


class FontMetrics(Protocol):
    """Advance widths and line pitch of one font family (regular and bold), as the load layer measures them."""

    line_height: float  # line pitch as a multiple of the size, single spacing

    def width(self, text: str, size_pt: float, bold: bool = False) -> float: ...


@record
class FontFace:
    """A font family as the deck names it, and what stands for it on this machine."""

    family: str  # what PowerPoint shows (the template's or theme's font)
    measured: str  # the family whose metrics were used
    quality: str  # one of FONT_QUALITIES
    regular: str | None = None  # font files, for charts drawn in the same type
    bold: str | None = None

    def describe(self) -> str:
        if self.quality == "exact":
            return self.family
        if self.quality == "metric-compatible":
            return f"{self.measured}, metric-compatible with {self.family}"
        if self.quality == "substitute":
            return f"{self.measured} standing in for {self.family}, which is not installed here; widths may differ"
        return f"estimated widths: {self.family} is not installed and has no substitute here"


@record
class PrintFaces:
    """The font files a printed handout embeds for a theme font: regular, bold, italic and bold italic (paths;
    a missing style is the regular file). Found by `sources/fonts.py::print_faces`."""

    theme_font: str
    files: tuple[str, str, str, str]


@record
class DeckStyle:
    """Everything renderers need to draw in the deck's own colours and type."""

    colors: dict[str, str] = field(hash=False)  # background text title accent accent2 muted band band_text link
    palette: tuple[str, ...]
    heading: FontFace
    body: FontFace
    chart_font_pt: float = 18.0
    grid: str = "D9D9D9"

    def color(self, key: str) -> str:
        return self.colors[key]
