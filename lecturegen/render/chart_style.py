"""Render layer: the theme values charts are drawn with; importing it costs no matplotlib."""

from __future__ import annotations

from dataclasses import dataclass

MIN_TEXT_PT = 14.0
# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
OKABE_ITO = ("0072B2", "E69F00", "009E73", "CC79A7", "56B4E9", "D55E00", "F0E442")


@dataclass(frozen=True)
class ChartStyle:
    """Theme values a chart needs; colours are hex strings like '1F4E79' (a leading '#' is allowed)."""

    palette: tuple[str, ...] = OKABE_ITO
    accent: str = "D55E00"
    muted: str = "BFBFBF"
    text: str = "262626"
    background: str = "FFFFFF"
    font_family: str = "Carlito"
    font_size_pt: float = 18.0  # tick and value labels; 16 or more keeps every label at 14 pt or more
    grid: str = "D9D9D9"

    @property
    def small_pt(self) -> float:
        return max(MIN_TEXT_PT, self.font_size_pt * 0.85)
