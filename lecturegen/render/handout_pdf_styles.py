"""Render layer: the PDF handout's paragraph styles, from the theme's fonts and colours."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from lecturegen.model.handout import (
    ChartBlock,
    Handout,
)
from lecturegen.records import record
from lecturegen.render.handout_fonts import bold_face, dark_enough, hex_colour, italic_face, register_font

ChartPictures = Callable[[ChartBlock], bytes]


@record(frozen=False)
class Styles:
    body: str
    heading: str
    s: dict[str, ParagraphStyle]

    def __getitem__(self, key: str) -> ParagraphStyle:
        return self.s[key]


def pdf_styles(handout: Handout) -> Styles:
    """Every paragraph style the PDF uses, by name, in the theme's fonts (embedded stand-ins) and colours."""
    style = handout.style
    body = register_font(style.body.family)
    heading = register_font(style.heading.family)
    c = style.colors
    text, title, muted = hex_colour(c["text"]), hex_colour(c["title"]), hex_colour(c["muted"])
    accent = hex_colour(c["accent"])
    # Long URLs split only where they cannot fit on a line of their own, and then at a '/', with
    # nothing inserted: the 0.999 makes reportlab try a URI split only at the start of a line.
    base = ParagraphStyle("base", fontName=body, bulletFontName=body, fontSize=10.5, leading=14.5, textColor=text,
                          alignment=TA_LEFT,
                          spaceAfter=0, splitLongWords=1, uriWasteReduce=0.999, allowWidows=0, allowOrphans=0)
    s: dict[str, ParagraphStyle] = {"base": base}

    def add(name: str, parent: str = "base", **kw: Any) -> None:
        s[name] = ParagraphStyle(name, parent=s[parent], **kw)

    add("body", spaceAfter=4)
    add("h1", fontName=bold_face(heading), fontSize=17, leading=21, textColor=title, spaceBefore=4, spaceAfter=2,
        keepWithNext=1)
    add("h1-meta", fontSize=9, leading=12, textColor=muted, spaceAfter=4, keepWithNext=1)
    add("summary", fontName=italic_face(body), fontSize=10.5, leading=14, textColor=muted, spaceAfter=6, keepWithNext=1)
    add("h2", fontName=bold_face(heading), fontSize=12, leading=15, textColor=accent, spaceBefore=9, spaceAfter=3,
        keepWithNext=1)
    add("h3", fontName=bold_face(heading), fontSize=10.5, leading=13.5, textColor=title, spaceBefore=2, spaceAfter=2,
        keepWithNext=1)
    add("bullet0", leftIndent=14, bulletIndent=3, spaceAfter=2.5)
    add("bullet1", leftIndent=28, bulletIndent=17, spaceAfter=2, fontSize=10, leading=13.5)
    add("bullet2", leftIndent=42, bulletIndent=31, spaceAfter=2, fontSize=10, leading=13.5)
    add("caption", fontSize=9.5, leading=12.5, textColor=text, spaceBefore=3, spaceAfter=2)
    add("source", fontSize=8.5, leading=11, textColor=muted, spaceBefore=1, spaceAfter=2)
    add("big", fontName=bold_face(heading), fontSize=19, leading=23, textColor=accent, spaceBefore=2, spaceAfter=3)
    add("callout-number", fontName=bold_face(heading), fontSize=30, leading=34, textColor=accent, spaceAfter=2)
    add("callout-claim", fontName=bold_face(heading), fontSize=15, leading=19.5, textColor=accent, spaceAfter=3)
    add("callout-context", fontSize=12, leading=16, textColor=title, spaceAfter=2)
    add("callout-caption", fontSize=9.5, leading=12.5, textColor=text, spaceBefore=3)
    add("quote", fontName=italic_face(body), fontSize=13, leading=17.5, textColor=title, spaceAfter=3)
    add("attribution", fontSize=9.5, leading=12.5, textColor=muted)
    add("col-head", fontName=bold_face(body), fontSize=10.5, leading=14, textColor=title, spaceAfter=3)
    add("cell", fontSize=9.5, leading=12.5)
    add("cell-head", fontName=bold_face(body), fontSize=9.5, leading=12.5, textColor=title)
    add("activity-head", fontName=bold_face(heading), fontSize=12, leading=15, textColor=title, spaceAfter=1)
    add("badge", fontName=bold_face(body), fontSize=9, leading=12,
        textColor=hex_colour(c["accent2"]) if dark_enough(c["accent2"]) else accent, spaceAfter=4)
    add("notes-label", fontName=bold_face(body), fontSize=8.5, leading=11, textColor=muted, spaceBefore=6, spaceAfter=1)
    add("notes", fontSize=9, leading=12.5, textColor=muted, spaceAfter=3)
    add("reference", fontSize=9.5, leading=13, leftIndent=16, firstLineIndent=-16, spaceAfter=5)
    add("outcome", leftIndent=14, bulletIndent=3, spaceAfter=3)
    add("key-message", leftIndent=14, bulletIndent=3, spaceAfter=3.5, fontSize=11, leading=15)
    add("key-chart-title", fontName=bold_face(body), fontSize=9.5, leading=12, textColor=title, spaceAfter=2)
    _page_styles(add, body, heading, c)
    return Styles(body, heading, s)


def _page_styles(add: Callable[..., None], body: str, heading: str, c: dict[str, str]) -> None:
    """The styles of the cover, contents, contact, programme and worksheets."""
    text, title, muted, accent = hex_colour(c["text"]), hex_colour(c["title"]), hex_colour(c["muted"]), \
        hex_colour(c["accent"])
    add("cover-kicker", fontName=bold_face(body), fontSize=10, leading=13, textColor=hex_colour(c["band_text"]),
        spaceAfter=10)
    add("cover-title", fontName=bold_face(heading), fontSize=30, leading=35, textColor=hex_colour(c["band_text"]),
        spaceAfter=8)
    add("cover-subtitle", fontSize=15, leading=19, textColor=hex_colour(c["band_text"]))
    add("cover-line", fontSize=11.5, leading=15, textColor=text)
    add("cover-label", fontName=bold_face(body), fontSize=8, leading=10, textColor=accent)
    add("cover-question", fontName=italic_face(heading), fontSize=17, leading=22.5, textColor=title)
    add("cover-who", fontName=bold_face(body), fontSize=12.5, leading=16, textColor=title)
    add("contact-head", fontName=bold_face(body), fontSize=10, leading=13, textColor=title, spaceAfter=2)
    add("contact", fontSize=10, leading=13.5)
    add("contents", fontSize=11, leading=14, textColor=text)
    add("contents-page", fontName=bold_face(body), fontSize=11, leading=14, textColor=accent, alignment=TA_RIGHT)
    add("prog", fontSize=10, leading=13)
    add("prog-time", fontSize=10, leading=13, textColor=title)
    add("prog-break", fontName=italic_face(body), fontSize=10, leading=13, textColor=muted)
    add("prog-min", fontSize=9, leading=13, textColor=muted, alignment=TA_RIGHT)
    add("prog-day", fontName=bold_face(heading), fontSize=11, leading=14, textColor=accent)
    add("break", fontName=italic_face(body), fontSize=9.5, leading=12, textColor=muted)
    add("worksheet-label", fontName=bold_face(body), fontSize=8.5, leading=11, textColor=accent, spaceAfter=1)
    add("worksheet-head", fontName=bold_face(heading), fontSize=12, leading=15, textColor=title, spaceAfter=4)
    add("worksheet-item", fontSize=10.5, leading=14, spaceAfter=0)
