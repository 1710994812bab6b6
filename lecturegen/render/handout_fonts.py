"""Render layer: the handout's fonts (embeddable stand-ins for the theme's) and colour helpers, for PDF and pictures."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from reportlab.lib import colors

from lecturegen.model.style import PrintFaces

# ── fonts ────────────────────────────────────────────────────────────────────────────────────────
# The files come from `sources/fonts.py::print_faces` (the one place fonts are looked for); this module only
# registers them with reportlab, once per family.

_registered: dict[str, str] = {}  # theme font (lower case) → the registered family


def register_faces(faces: Iterable[PrintFaces]) -> None:
    """Register each theme font's embeddable files with reportlab, under a family named after the files."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for face in faces:
        key = face.theme_font.strip().lower()
        if key in _registered:
            continue
        regular = Path(face.files[0])
        family = "LG-" + regular.stem.split("-")[0]
        names = [family, family + "-Bold", family + "-Italic", family + "-BoldItalic"]
        for name, path in zip(names, face.files):
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, path))
        pdfmetrics.registerFontFamily(family, normal=names[0], bold=names[1], italic=names[2], boldItalic=names[3])
        _registered[key] = family


def register_font(theme_font: str) -> str:
    """The registered family for a theme font (see `register_faces`); Helvetica when none was registered."""
    return _registered.get(theme_font.strip().lower(), "Helvetica")


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
