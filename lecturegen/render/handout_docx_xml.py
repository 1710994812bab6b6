"""Render layer: WordprocessingML details python-docx lacks (cell shading and borders, fields, row flags)."""

from __future__ import annotations

import io
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor

from lecturegen.model.handout import (
    Block,
    Points,
    QrCode,
    Sources,
)


def rgb(value: str) -> RGBColor:
    return RGBColor.from_string(value.lstrip("#").upper())


def tint_hex(value: str, amount: float) -> str:
    v = value.lstrip("#")
    channels = [int(v[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(255 - (255 - c) * amount):02X}" for c in channels)


def shade(cell: Any, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def cell_borders(cell: Any, **edges: tuple[int, str]) -> None:
    """edges: left/top/bottom/right=(size in eighths of a point, hex colour); others set to none."""
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for edge in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{edge}")
        if edge in edges:
            size, colour = edges[edge]
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), str(size))
            el.set(qn("w:color"), colour)
        else:
            el.set(qn("w:val"), "nil")
        borders.append(el)
    tc_pr.append(borders)


def no_table_borders(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def rule_below(paragraph: Any, colour: str) -> None:
    """A bottom border and a 'between' border, so consecutive ruled paragraphs each show a line."""
    p_pr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    for edge in ("bottom", "between"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "1")
        el.set(qn("w:color"), colour)
        border.append(el)
    p_pr.append(border)


def keep_with_next(paragraph: Any) -> None:
    paragraph.paragraph_format.keep_with_next = True


def cell_margins(cell: Any, **edges: int) -> None:
    """Inner margins of a cell, in twentieths of a point (left=240 is 12 pt)."""
    tc_pr = cell._tc.get_or_add_tcPr()
    margins = OxmlElement("w:tcMar")
    for edge, value in edges.items():
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(value))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tc_pr.append(margins)




def row_flag(row: Any, tag: str) -> None:
    """Set a table row property: `w:tblHeader` (repeated at the top of every page the table runs over) or
    `w:cantSplit` (never broken across a page)."""
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def follows_closely(block: Block) -> bool:
    """A caption or source line belongs with what it captions: never alone at the top of a page."""
    if isinstance(block, Sources):
        return True
    return isinstance(block, Points) and bool(block.paragraphs) and all(p.style == "caption"
                                                                         for p in block.paragraphs)


def fld_char(kind: str) -> Any:
    r = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    r.append(char)
    return r


def complex_field(paragraphs: list[Any], instruction: str, shown: list[str]) -> None:
    """A field whose result spans `paragraphs` (one shown line each), as Word writes a table of contents."""
    first, last = paragraphs[0], paragraphs[-1]
    first._p.append(fld_char("begin"))
    r = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    r.append(instr)
    first._p.append(r)
    first._p.append(fld_char("separate"))
    for paragraph, text in zip(paragraphs, shown):
        paragraph.add_run(text)
    last._p.append(fld_char("end"))


def field(paragraph: Any, instruction: str) -> None:
    """A simple field such as PAGE: Word fills it in when it lays out the page."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instruction)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    paragraph._p.append(fld)


def qr_png(qr: QrCode, module_px: int = 8) -> bytes:
    """The QR code as a black-and-white PNG with its four-module quiet zone (no metadata: bytes repeat)."""
    from PIL import Image

    count = len(qr.modules) + 8
    image = Image.new("1", (count, count), 1)
    for r, row in enumerate(qr.modules):
        for c, dark in enumerate(row):
            if dark:
                image.putpixel((c + 4, r + 4), 0)
    image = image.resize((count * module_px, count * module_px), Image.Resampling.NEAREST)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()

