"""Compile layer: the deck's look from its template and theme — theme keys override the template one by one."""

from __future__ import annotations

from dataclasses import field

from lecturegen.model.colour import blend, contrast_ratio
from lecturegen.model.style import DeckStyle, FontFace
from lecturegen.model.template import Template
from lecturegen.records import record
from lecturegen.sources.themes import DEFAULT_SIZES, TEMPLATE_SIZES, ThemeSpec

CONTENT_LAYOUTS = frozenset({"content", "two-content", "comparison", "title-only"})


@record
class Sizes:
    """Point sizes: what the theme declares, else the template's own (per placeholder), else the defaults."""

    declared: dict[str, float] = field(default_factory=dict)

    def get(self, key: str) -> float:
        return self.declared.get(key, DEFAULT_SIZES[key])

    def declared_or(self, key: str, template_value: float) -> float:
        """A size the template has its own value for (title, body, level2, footer)."""
        return self.declared.get(key, template_value)

    def minimum(self, key: str) -> float:
        return self.get(key)


def template_overrides_for(theme: ThemeSpec) -> dict[str, str]:
    """theme.yaml colours as the template's colour-scheme slots they replace."""
    slots = {"text": "dk1", "background": "lt1", "accent": "accent1", "accent2": "accent2", "link": "hlink"}
    return {slots[k]: v for k, v in theme.colors.items() if k in slots}


def resolve_style(theme: ThemeSpec, template: Template, heading: FontFace, body: FontFace) -> DeckStyle:
    """Colours and palette: the theme's where it declares them, else the template's scheme."""
    scheme = template.scheme
    background = theme.colors.get("background", template.background)
    text = theme.colors.get("text", template.body_color)
    if "text" not in theme.colors and contrast_ratio(text, background) < 4.5:
        # The layout's own text colour does not read on what it draws under the content (a dark band): the
        # scheme's colour that reads best does.
        candidates = (text, scheme["dk1"], scheme["lt1"], scheme["dk2"], scheme["lt2"], "000000", "FFFFFF")
        text = max(candidates, key=lambda c: contrast_ratio(c, background))
    title = theme.colors.get("title", template.title_color)
    accent = theme.colors.get("accent", scheme["accent1"])
    accent2 = theme.colors.get("accent2", scheme["accent2"])
    link = theme.colors.get("link", scheme["hlink"])
    muted = theme.colors.get("muted") or _muted(text, background)
    colors = {
        "background": background, "text": text, "title": title, "accent": accent, "accent2": accent2,
        "muted": muted, "link": link,
        "band": theme.colors.get("band", scheme["dk2"] if not template.generated else title),
        "band_text": theme.colors.get("band_text", scheme["lt1"]),
    }
    # Accents and links are set as text: a template's colour that does not read on its own background (a
    # yellow accent on white, a mid blue link on black) is moved towards the text colour until it does.
    for key in ("accent", "accent2", "link"):
        if key not in theme.colors:
            colors[key] = _readable(colors[key], background, text, 4.5)
    # Chart colours are graphics (3:1): the theme's palette is the author's choice, the template's is adjusted.
    palette = theme.palette or tuple(_readable(scheme[f"accent{i}"], background, text, 3.0) for i in range(1, 7))
    return DeckStyle(colors=colors, palette=palette, heading=heading, body=body)


def _readable(colour: str, background: str, text: str, minimum: float) -> str:
    """The colour itself if it reaches `minimum` on the background, else the least blend towards the text
    colour that does (the hue kept as far as it can be), else the text colour."""
    for share in (0.0, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9):
        candidate = blend(colour, text, share) if share else colour
        if contrast_ratio(candidate, background) >= minimum:
            return candidate
    return text


def _muted(text: str, background: str) -> str:
    """A quieter text colour for captions and sources that still reads (WCAG AA 4.5:1)."""
    for share in (0.35, 0.25, 0.15, 0.0):
        candidate = blend(text, background, share)
        if contrast_ratio(candidate, background) >= 4.5:
            return candidate
    return text


def sizes_for(theme: ThemeSpec) -> Sizes:
    return Sizes(dict(theme.sizes))


__all__ = ["CONTENT_LAYOUTS", "Sizes", "TEMPLATE_SIZES", "resolve_style", "sizes_for", "template_overrides_for"]
