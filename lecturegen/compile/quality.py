"""Compile layer: deck-level quality checks — accessibility (titles, alt text, contrast) and readability."""

from __future__ import annotations

from collections import Counter

from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Deck
from lecturegen.sources.themes import ThemeSpec

WCAG_AA = 4.5


def relative_luminance(hex_color: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_color[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def theme_findings(theme: ThemeSpec, diags: Diagnostics) -> None:
    """Every text/background pair the theme uses must reach WCAG AA (4.5:1)."""
    c = theme.colors
    pairs = [
        ("text", "background"), ("title", "background"), ("accent", "background"), ("muted", "background"),
        ("link", "background"), ("band_text", "band"),
    ]
    for fg, bg in pairs:
        ratio = contrast_ratio(c[fg], c[bg])
        if ratio < WCAG_AA:
            diags.error(f"theme colour '{fg}' on '{bg}' has contrast {ratio:.2f}:1, below the WCAG AA "
                        f"{WCAG_AA}:1", "a11y.contrast", theme.location)
    for color in theme.palette[:4]:
        ratio = contrast_ratio(color, c["background"])
        if ratio < 3.0:
            diags.warning(f"chart colour '{color}' has contrast {ratio:.2f}:1 with the background "
                          "(3:1 is the WCAG minimum for graphics)", "a11y.chart-contrast", theme.location)


def deck_findings(deck: Deck, theme: ThemeSpec, diags: Diagnostics) -> None:
    theme_findings(theme, diags)
    titles = Counter("".join(r.text for r in s.title).strip() for s in deck.slides)
    reported: set[str] = set()
    for slide in deck.slides:
        title = "".join(r.text for r in slide.title).strip()
        if not title:
            diags.error("slide has no title (screen readers and the outline need one)", "a11y.title", slide.location)
        elif titles[title] > 1 and title not in reported:
            reported.add(title)
            diags.warning(f"{titles[title]} slides share the title '{title}'; titles should be unique",
                          "a11y.duplicate-title", slide.location)
        if slide.picture is not None and not slide.picture.alt.strip():
            diags.error("picture has no alt text", "a11y.alt", slide.location)
        if slide.chart is not None and not slide.chart.alt.strip():
            diags.error("chart has no alt text", "a11y.alt", slide.location)
        if slide.kind not in ("title", "section", "references", "agenda") and len(slide.notes) <= 1:
            diags.warning(f"slide '{title[:50]}' has no speaker notes", "notes.missing", slide.location)
