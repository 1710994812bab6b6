"""Tests for render/handout_pdf_styles.py: the PDF's paragraph styles from the theme."""

from __future__ import annotations

from lecturegen.render.handout_fonts import bold_face, hex_colour
from lecturegen.render.handout_pdf_styles import pdf_styles
from tests.handout_samples import sample_handout


def test_styles_use_the_embedded_fonts_and_the_themes_colours() -> None:
    handout = sample_handout()
    st = pdf_styles(handout)
    assert st.body == "LG-Carlito" and st["h1"].fontName == bold_face(st.heading)
    assert st["cover-title"].textColor.hexval() == hex_colour(handout.style.colors["band_text"]).hexval()
    assert st["cover-label"].textColor.hexval() == hex_colour(handout.style.colors["accent"]).hexval()
    for name in ("cover-question", "contents-page", "key-message", "worksheet-item", "callout-number"):
        assert st[name].fontSize >= 8
