"""Render layer: runs → reportlab paragraph markup (links, long URLs broken at '/')."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle

from lecturegen.model.handout import (
    ChartBlock,
)
from lecturegen.model.links import is_safe_link, link_target
from lecturegen.model.text import Run
from lecturegen.render.handout_fonts import bold_face

ChartPictures = Callable[[ChartBlock], bytes]


# ── runs → reportlab markup ──────────────────────────────────────────────────────────────────────


def markup(runs: tuple[Run, ...], link_color: str) -> str:
    """Runs as reportlab paragraph markup; a link's text is its address exactly (nothing inserted)."""
    parts = []
    for run in runs:
        if not run.text:
            continue
        piece = escape(run.text)
        if is_safe_link(run.link):
            href = escape(link_target(run.link or ""), {chr(34): "&quot;"})
            piece = f'<a href="{href}" color="#{link_color}">{piece}</a>'
        if run.italic:
            piece = f"<i>{piece}</i>"
        if run.bold:
            piece = f"<b>{piece}</b>"
        parts.append(piece)
    return "".join(parts)


def _link_lines(url: str, font: str, size: float, width: float) -> list[str]:
    """A URL too long for a line, cut into lines that fit: after a '/' or '.' where possible."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    rest = url
    while stringWidth(rest, font, size) > width:
        fits = 1
        while fits < len(rest) and stringWidth(rest[:fits + 1], font, size) <= width:
            fits += 1
        cut = max(rest.rfind("/", 0, fits), rest.rfind(".", 0, fits))
        cut = cut + 1 if cut > len("https://") else fits  # never inside the scheme; else where the line ends
        lines.append(rest[:cut])
        rest = rest[cut:]
    return lines + [rest]


def reference_markup(runs: tuple[Run, ...], link_color: str, style: ParagraphStyle, width: float) -> str:
    """A reference entry; a link wider than a whole line starts a line of its own and is cut into lines
    that fit, each still a link, with nothing inserted between its characters.

    (reportlab splits a URL only once, at a '/', and lets the rest run off the page.)
    """
    parts = []
    continuation = width - style.leftIndent
    for run in runs:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        font = bold_face(style.fontName) if run.bold else style.fontName
        if not run.link or stringWidth(run.text, font, style.fontSize) <= continuation:
            parts.append(markup((run,), link_color))
            continue
        pieces = _link_lines(run.text, font, style.fontSize, continuation)
        parts.append("<br/>" + "<br/>".join(markup((dataclasses.replace(run, text=piece),), link_color)
                                            for piece in pieces))
    return "".join(parts)
