"""The two deck variants `check --render` measures contrast with."""

from __future__ import annotations

import io
import zipfile

from lecturegen.render.contrast_probe import VIVID, blank_text, vivid_text

SLIDE = ('<p:sld xmlns:a="a" xmlns:p="p"><a:p><a:r><a:rPr lang="en-GB" sz="2400"><a:solidFill><a:srgbClr '
         'val="112233"/></a:solidFill><a:latin typeface="Arial"/></a:rPr><a:t>Caf&#233; &amp; tea</a:t></a:r>'
         '<a:r><a:t>plain</a:t></a:r><a:fld id="x" type="slidenum"><a:rPr lang="en-GB"/><a:pPr algn="r"/>'
         '<a:t>12</a:t></a:fld><a:endParaRPr lang="en-GB"/></a:p></p:sld>')


def deck(xml: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("ppt/slides/slide1.xml", xml)
        archive.writestr("ppt/slideLayouts/slideLayout1.xml", "<a:t>untouched</a:t>")
    return out.getvalue()


def slide(blob: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        assert archive.read("ppt/slideLayouts/slideLayout1.xml") == b"<a:t>untouched</a:t>"
        return archive.read("ppt/slides/slide1.xml").decode()


def test_blank_keeps_the_layout_and_draws_no_glyph() -> None:
    xml = slide(blank_text(deck(SLIDE)))
    assert "<a:t>" + " " * len("Café & tea") + "</a:t>" in xml
    assert "<a:fld" not in xml and "<a:t>  </a:t>" in xml  # the slide number too, as a plain run
    assert "plain" not in xml and "112233" in xml


def test_vivid_colours_every_run_and_drops_other_fills() -> None:
    xml = slide(vivid_text(deck(SLIDE)))
    assert "112233" not in xml
    assert xml.count(f'<a:srgbClr val="{VIVID}"/>') == 4  # three runs (one was bare) and the paragraph end
    assert '<a:rPr lang="en-GB" sz="2400"><a:solidFill><a:srgbClr val="FF00FF"/></a:solidFill><a:latin' in xml
    assert "<a:pPr" not in xml.split("<a:r>")[-1]
