"""Compile layer: deck-level quality checks — accessibility (titles, alt text, contrast) and readability."""

from __future__ import annotations

from collections import Counter

from lecturegen.model.colour import WCAG_AA, contrast_ratio
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Deck
from lecturegen.model.text import runs_text

def style_findings(deck: Deck, diags: Diagnostics) -> None:
    """Every text/background pair the deck uses must reach WCAG AA (4.5:1); chart colours 3:1."""
    if deck.style is None:
        return
    c = deck.style.colors
    # Titles stand on their own band or area of the template: `legibility.contrast_findings` judges them
    # against what is really drawn there.
    pairs = [("text", "background"), ("accent", "background"), ("muted", "background"), ("link", "background")]
    for fg, bg in pairs:
        ratio = contrast_ratio(c[fg], c[bg])
        if ratio < WCAG_AA:
            diags.warning(f"colour '{fg}' (#{c[fg]}) on '{bg}' (#{c[bg]}) has contrast {ratio:.2f}:1, below the "
                          f"WCAG AA {WCAG_AA}:1", "a11y.contrast", None,
                          hint="set a darker colour in theme.yaml 'colors:'")
    for color in deck.style.palette[:4]:
        ratio = contrast_ratio(color, c["background"])
        if ratio < 3.0:
            diags.warning(f"chart colour '{color}' has contrast {ratio:.2f}:1 with the background "
                          "(3:1 is the WCAG minimum for graphics)", "a11y.chart-contrast", None)


def deck_findings(deck: Deck, diags: Diagnostics) -> None:
    style_findings(deck, diags)
    titles = Counter(runs_text(s.title).strip() for s in deck.slides)
    reported: set[str] = set()
    for slide in deck.slides:
        title = runs_text(slide.title).strip()
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
