"""Render layer: the theme values charts are drawn with; importing it costs no matplotlib."""

from __future__ import annotations

from dataclasses import dataclass

from lecturegen.model.style import DeckStyle

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
    # The font files text on the slides is measured with: charts are drawn in the same type.
    font_files: tuple[str, ...] = ()

    @property
    def small_pt(self) -> float:
        return max(MIN_TEXT_PT, self.font_size_pt * 0.85)


def chart_style(style: DeckStyle, font_size_pt: float = 18.0) -> ChartStyle:
    """The deck's colours and body font as a chart style (the highlight is the theme's second accent)."""
    files = tuple(f for f in (style.body.regular, style.body.bold) if f)
    return ChartStyle(palette=tuple(style.palette), accent=style.colors["accent2"], muted="B8BEC6",
                      text=style.colors["text"], background=style.colors["background"],
                      font_family=style.body.measured, font_size_pt=font_size_pt, grid=style.grid, font_files=files)
