"""Render layer: the theme values charts are drawn with; importing it costs no matplotlib."""

from __future__ import annotations

import math

from lecturegen.model.colour import blend, contrast_ratio
from lecturegen.model.chart import Chart
from lecturegen.model.style import DeckStyle
from lecturegen.records import record

MIN_TEXT_PT = 14.0
# A highlight is a graphical object that must stand out from the background (WCAG 2.2, 1.4.11: 3:1).
MIN_HIGHLIGHT_CONTRAST = 3.0
# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
OKABE_ITO = ("0072B2", "E69F00", "009E73", "CC79A7", "56B4E9", "D55E00", "F0E442")


@record
class ChartStyle:
    """Theme values a chart needs; colours are hex strings like '1F4E79' (a leading '#' is allowed)."""

    palette: tuple[str, ...] = OKABE_ITO
    accent: str = "D55E00"
    muted: str = "BFBFBF"
    text: str = "262626"
    background: str = "FFFFFF"
    # The family the deck names (what PowerPoint shows in a native chart: 'Calibri', 'Verdana').
    font_family: str = "Carlito"
    font_size_pt: float = 18.0  # tick and value labels; 16 or more keeps every label at 14 pt or more
    grid: str = "D9D9D9"
    # The font files text on the slides is measured with (Carlito for Calibri, DejaVu Sans standing in for
    # Verdana): picture charts are drawn with exactly these, so chart text matches the slide text.
    font_files: tuple[str, ...] = ()

    @property
    def small_pt(self) -> float:
        return max(MIN_TEXT_PT, self.font_size_pt * 0.85)


def highlight_colour(accent: str, text: str, background: str) -> str:
    """The accent, unless it is too faint against the background to mark anything: then the text colour."""
    clean = [_plain(c) for c in (accent, text, background)]
    return clean[0] if contrast_ratio(clean[0], clean[2]) >= MIN_HIGHLIGHT_CONTRAST else clean[1]


def chart_style(style: DeckStyle, font_size_pt: float = 18.0) -> ChartStyle:
    """The deck's colours and body font as a chart style (the highlight is the theme's second accent)."""
    files = tuple(f for f in (style.body.regular, style.body.bold) if f)
    text, background = style.colors["text"], style.colors["background"]
    # Muted bars recede on light and dark backgrounds alike: most of the way from the text to the background.
    muted = blend(_plain(text), _plain(background), 0.68)
    return ChartStyle(palette=tuple(style.palette), accent=highlight_colour(style.colors["accent2"], text, background),
                      muted=muted, text=text, background=background, font_family=style.body.family,
                      font_size_pt=font_size_pt, grid=style.grid, font_files=files)


def muted_shade(style: ChartStyle, index: int) -> str:
    """The muted colour, a little darker for each further muted item, so that muted parts stay apart."""
    return blend(_plain(style.muted), _plain(style.text), 0.2 * (index % 3))


def chart_colours(chart: Chart, style: ChartStyle) -> tuple[list[list[str]], list[str]]:
    """Per series, a colour per category, and each series' legend colour — the same for picture and native.

    Without `highlight` the palette speaks (one colour for a single series, one per series, one per slice of a
    pie). With it, what the highlight names is in the highlight colour and the rest muted; where the muted
    items must still be told apart (series in a legend, slices of a pie) they get graded shades."""
    highlight, mute = set(chart.base.highlight), set(chart.base.mute)
    palette = [_plain(c) for c in style.palette] or ["0072B2"]
    accent, muted = _plain(style.accent), _plain(style.muted)
    single, pie = len(chart.series) == 1, chart.type == "pie"
    series_hl = highlight & {s.name for s in chart.series}
    cat_hl = highlight & set(chart.categories)
    rest_series = [s.name for s in chart.series if s.name not in series_hl]
    rest_cats = [c for c in chart.categories if c not in cat_hl]
    legend: list[str] = []
    for j, s in enumerate(chart.series):
        base = palette[0] if single else palette[j % len(palette)]
        if series_hl:
            base = accent if s.name in series_hl else muted_shade(style, rest_series.index(s.name))
        legend.append(muted if s.name in mute else base)
    out: list[list[str]] = []
    for j, s in enumerate(chart.series):
        row = []
        for i, c in enumerate(chart.categories):
            colour = palette[i % len(palette)] if pie and not series_hl else legend[j]
            if cat_hl and c in cat_hl:
                colour = accent if single else legend[j]
            elif cat_hl:
                colour = muted_shade(style, rest_cats.index(c) if pie else (0 if single else j))
            row.append(muted if c in mute else colour)
        out.append(row)
    return out, legend


def tick_format(fmt: str | None, step: float) -> str:
    """The chart's number format for axis ticks this far apart: just the decimals the step needs
    (ticks .80 .85 .90 for 'r', 0 20 40 for '.1f' data), the same on picture and native charts."""
    fmt = fmt or "g"
    digits = max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 2
    if fmt in ("r", "r2", "r3"):
        return f"r{min(digits, 3)}" if digits > 2 else "r"
    if fmt in ("int", "d") or fmt.endswith("d"):
        return fmt
    return f",.{min(digits, 4)}f"


def text_on(fill: str, style: ChartStyle) -> str:
    """White or the text colour on a filled shape (a bar, a segment), whichever reads better."""
    fill = _plain(fill)
    return "FFFFFF" if contrast_ratio("FFFFFF", fill) >= contrast_ratio(_plain(style.text), fill) else _plain(style.text)


def _plain(colour: str) -> str:
    return colour.strip().lstrip("#").upper()
