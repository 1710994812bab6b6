"""Render layer: two variants of a built deck that let a rendering show where each word's glyphs are.

`check --render` measures contrast on what LibreOffice really draws. It renders the deck three times: as it
is; with every slide's text blanked (each character replaced by a space, so nothing moves); and with every run
forced to one vivid colour. Glyph pixels are where the third differs from the second; a word's contrast is
the first against the second at those pixels.
"""

from __future__ import annotations

import io
import re
import zipfile

VIVID = "FF00FF"  # magenta: no template draws text in it, and it is far from every grey
_SLIDE = re.compile(r"^ppt/slides/slide\d+\.xml$")
_TEXT = re.compile(r"(<a:t>)(.*?)(</a:t>)", re.S)
_RUN_PROPS = re.compile(r"<a:(rPr|endParaRPr)\b([^>]*?)(/>|>(.*?)</a:\1>)", re.S)
_FILL = re.compile(r"<a:(solidFill|gradFill|noFill|pattFill|blipFill)\b(?:[^>]*/>|[^>]*>.*?</a:\1>)", re.S)
_HIGHLIGHT = re.compile(r"<a:highlight>.*?</a:highlight>", re.S)
_BARE_RUN = re.compile(r"<a:r>(?!<a:rPr)")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")
# A field (the slide number) is drawn from the slide, not from its text: it becomes a plain run of that text.
_FIELD = re.compile(r"<a:fld\b[^>]*>(.*?)</a:fld>", re.S)
_PARAGRAPH_PROPS = re.compile(r"<a:pPr\b[^>]*?(/>|>.*?</a:pPr>)", re.S)


def blank_text(pptx: bytes) -> bytes:
    """The deck with every character of slide text a space: the same layout, no glyphs."""
    return _rewrite(pptx, _blank)


def vivid_text(pptx: bytes) -> bytes:
    """The deck with every run of slide text in one vivid colour."""
    return _rewrite(pptx, _vivid)


def _rewrite(pptx: bytes, change: object) -> bytes:
    assert callable(change)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(pptx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if _SLIDE.match(info.filename):
                xml = _FIELD.sub(lambda m: "<a:r>" + _PARAGRAPH_PROPS.sub("", m.group(1)) + "</a:r>",
                                 data.decode("utf-8"))
                data = change(xml).encode("utf-8")
            target.writestr(info, data)
    return out.getvalue()


def _blank(xml: str) -> str:
    def spaces(match: re.Match[str]) -> str:
        text = _ENTITY.sub("x", match.group(2))
        return match.group(1) + " " * len(text) + match.group(3)

    return _TEXT.sub(spaces, xml)


def _vivid(xml: str) -> str:
    xml = _BARE_RUN.sub("<a:r><a:rPr/>", xml)

    def recolour(match: re.Match[str]) -> str:
        tag, attributes, inner = match.group(1), match.group(2), match.group(4) or ""
        inner = _HIGHLIGHT.sub("", _FILL.sub("", inner))
        # a:ln comes before the fill in CT_TextCharacterProperties; everything else after it.
        fill = f'<a:solidFill><a:srgbClr val="{VIVID}"/></a:solidFill>'
        if inner.startswith("<a:ln"):
            end = inner.find("</a:ln>")
            cut = end + len("</a:ln>") if end >= 0 else inner.find("/>") + 2
            inner = inner[:cut] + fill + inner[cut:]
        else:
            inner = fill + inner
        return f"<a:{tag}{attributes}>{inner}</a:{tag}>"

    return _RUN_PROPS.sub(recolour, xml)
