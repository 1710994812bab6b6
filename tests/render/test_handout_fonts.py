"""Tests for render/handout_fonts.py: embeddable stand-ins for the theme's fonts, and colour helpers."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics

from lecturegen.render.handout_fonts import (bold_face, dark_enough, hex_colour, italic_face, register_faces,
                                             register_font, tint)
from lecturegen.sources.fonts import print_faces


def test_a_theme_font_is_registered_as_its_metric_compatible_family_with_all_faces() -> None:
    faces = print_faces("Calibri")
    assert faces is not None and faces.files[0].endswith("Carlito-Regular.ttf")
    register_faces([faces])
    family = register_font("Calibri")
    assert family == "LG-Carlito"
    for face in (family, bold_face(family), italic_face(family)):
        assert face in pdfmetrics.getRegisteredFontNames()
    assert register_font("Calibri") == family  # registered once


def test_an_unknown_font_falls_back_to_an_embeddable_one() -> None:
    faces = print_faces("No Such Font")
    assert faces is not None and "LiberationSans" in faces.files[0]
    register_faces([faces])
    assert register_font("No Such Font") == "LG-LiberationSans"


def test_a_font_nobody_registered_is_a_standard_pdf_font() -> None:
    assert register_font("Never Registered Serif") == "Helvetica"


def test_tints_mix_with_white_and_contrast_is_judged_for_small_text() -> None:
    assert tint("000000", 0.0).hexval() == hex_colour("FFFFFF").hexval()
    assert tint("0F766E", 1.0).hexval() == hex_colour("0F766E").hexval()
    assert dark_enough("1F2933") and not dark_enough("F5C518")
