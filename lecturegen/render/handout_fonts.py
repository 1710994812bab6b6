"""Render layer: the handout's fonts (embeddable stand-ins for the theme's) and colour helpers, for PDF and pictures."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors

# ── fonts ────────────────────────────────────────────────────────────────────────────────────────

_FONT_DIRS = (Path("/usr/share/fonts/truetype"), Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
              Path.home() / ".fonts", Path.home() / ".local/share/fonts")


def _faces(stem: str) -> tuple[str, ...]:
    return tuple(f"{stem}-{face}.ttf" for face in ("Regular", "Bold", "Italic", "BoldItalic"))


# Theme font → a metric-compatible family that is free to embed, as (regular, bold, italic, bold italic).
_SUBSTITUTES: dict[str, tuple[str, ...]] = {
    "calibri": _faces("Carlito"),
    "carlito": _faces("Carlito"),
    "arial": _faces("LiberationSans"),
    "helvetica": _faces("LiberationSans"),
    "liberation sans": _faces("LiberationSans"),
    "times new roman": _faces("LiberationSerif"),
    "liberation serif": _faces("LiberationSerif"),
    "cambria": _faces("Caladea"),
}
_FALLBACK = _SUBSTITUTES["arial"]
_registered: dict[str, str] = {}


def font_file_named(name: str) -> Path | None:
    for base in _FONT_DIRS:
        if base.is_dir():
            for path in sorted(base.rglob(name)):
                return path
    return None


def register_font(theme_font: str) -> str:
    """Register the TTF family for a theme font; the name to use in styles (Helvetica if no TTF exists)."""
    key = theme_font.strip().lower()
    if key in _registered:
        return _registered[key]
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = "Helvetica"
    for files in (_SUBSTITUTES.get(key), _FALLBACK):
        if not files:
            continue
        found = [font_file_named(f) for f in files]
        regular = found[0]
        if regular is None:
            continue
        # A missing style falls back to the regular face rather than to a font that is not embedded.
        paths = [p or regular for p in found]
        family = "LG-" + regular.stem.split("-")[0]
        faces = [family, family + "-Bold", family + "-Italic", family + "-BoldItalic"]
        for face, path in zip(faces, paths):
            if face not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(face, str(path)))
        pdfmetrics.registerFontFamily(family, normal=faces[0], bold=faces[1], italic=faces[2], boldItalic=faces[3])
        name = family
        break
    _registered[key] = name
    return name


def bold_face(font: str) -> str:
    return "Helvetica-Bold" if font == "Helvetica" else font + "-Bold"


def italic_face(font: str) -> str:
    return "Helvetica-Oblique" if font == "Helvetica" else font + "-Italic"



# ── colours ──


def hex_colour(value: str) -> colors.Color:
    return colors.HexColor("#" + value.lstrip("#"))


def tint(value: str, amount: float) -> colors.Color:
    """The colour mixed with white: amount 0 → white, 1 → the colour."""
    c = hex_colour(value)
    return colors.Color(1 - (1 - c.red) * amount, 1 - (1 - c.green) * amount, 1 - (1 - c.blue) * amount)


def dark_enough(value: str) -> bool:
    """Small text in this colour reads on white (luminance contrast roughly ≥ 4.5:1)."""
    c = hex_colour(value)

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * channel(c.red) + 0.7152 * channel(c.green) + 0.0722 * channel(c.blue)
    return 1.05 / (lum + 0.05) >= 4.5
