"""Tests for render/handout_pdf_markup.py: runs → reportlab markup."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle

from lecturegen.model.text import Run
from lecturegen.render.handout_fonts import register_font
from lecturegen.render.handout_pdf_markup import markup, reference_markup


def test_text_is_escaped_styled_and_links_are_anchors_in_the_link_colour() -> None:
    url = "https://doi.org/10.1/x"
    out = markup((Run("A & B", bold=True), Run(" see "), Run(url, link=url)), "0B5CAD")
    assert "<b>A &amp; B</b>" in out
    assert f'href="{url}"' in out and "#0B5CAD" in out


def test_a_url_longer_than_the_line_breaks_at_slashes_with_nothing_inserted() -> None:
    url = "https://example.org/" + "/".join(f"segment{i}" for i in range(30))
    style = ParagraphStyle("r", fontName=register_font("Calibri"), fontSize=9.5, leading=13)
    out = reference_markup((Run("Ref. "), Run(url, link=url)), "0B5CAD", style, 300.0)
    assert "<br/>" in out
    shown = "".join(part.split(">", 1)[1].split("<", 1)[0] for part in out.split("<a ")[1:])
    assert shown == url
