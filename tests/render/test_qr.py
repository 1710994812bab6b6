"""The closing references slide's QR code scans to the URL the talk gives (decoded with zxing-cpp)."""

from __future__ import annotations

from lecturegen.model.links import shown_link

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pptx import Presentation

from lecturegen.cli import main
from lecturegen.render.qr import qr_png

URL = "https://example.org/relational-depth/references"


def _decode(png: bytes) -> list[str]:
    zxingcpp = pytest.importorskip("zxingcpp")
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))]


def test_qr_png_decodes_to_its_text_and_is_the_same_each_time() -> None:
    assert _decode(qr_png(URL)) == [URL]
    assert qr_png(URL, 800) == qr_png(URL, 800)


def test_the_references_slide_carries_a_scannable_qr_code(mini: Path) -> None:
    talk = mini / "content" / "talks" / "small.yaml"
    talk.write_text(talk.read_text() + f"references: handout\nreferences_url: {URL}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "small", "--root", str(mini)])
    assert result.exit_code == 0, result.output
    prs = Presentation(str(mini / "build" / "small.pptx"))
    slide = next(s for s in prs.slides if s.shapes.title is not None and s.shapes.title.text == "References")
    pictures = [s for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 1
    assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == f"QR code linking to {URL}"
    assert _decode(pictures[0].image.blob) == [URL]
    text = "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert "listed in full in the handout" in text
    # The generated slide's note is a direction to the presenter, set apart in italics, not a script.
    notes = slide.notes_slide.notes_text_frame.paragraphs
    # It says what the QR code opens, not that the code carries the list (it carries one address).
    assert [p.text for p in notes][-1] == f"The handout lists every work cited in full. The QR code opens {shown_link(URL)}."
    assert all(r.font.italic for r in notes[-1].runs)


def test_notes_written_on_a_placed_references_slide_are_kept(mini: Path) -> None:
    talk = mini / "content" / "talks" / "small.yaml"
    talk.write_text(talk.read_text() + f"references: handout\nreferences_url: {URL}\n", encoding="utf-8")
    section = mini / "content" / "sections" / "intro.yaml"
    section.write_text(section.read_text() + "  - kind: references\n    notes: Everything I cited is online.\n",
                       encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "small", "--root", str(mini)])
    assert result.exit_code == 0, result.output
    prs = Presentation(str(mini / "build" / "small.pptx"))
    slide = next(s for s in prs.slides if s.shapes.title is not None and s.shapes.title.text == "References")
    assert slide.notes_slide.notes_text_frame.text.endswith("Everything I cited is online.")
