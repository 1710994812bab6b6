"""Text made readable against what the template really draws behind it, and `check` reporting what is not."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Inches

from lecturegen.cli import main

THEME = "template: ours.pptx\n"


def template_with_dark_band(path: Path) -> None:
    """python-pptx's default, with a near-black rectangle drawn by the content layout under its content box:
    the layout's own (black) text colour cannot be read there."""
    prs = Presentation()
    layout = next(l for l in prs.slide_layouts if l.name == "Title and Content")
    # python-pptx draws shapes on slides only: draw it on a scratch slide, then move it to the layout.
    scratch = prs.slides.add_slide(layout)
    band = scratch.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, Inches(1.6), prs.slide_width, Inches(5.9))
    band.fill.solid()
    band.fill.fore_color.rgb = RGBColor(0x10, 0x10, 0x18)
    band.line.fill.background()
    layout.shapes._spTree.insert(2, band._element)  # drawn first: the placeholders stay above it
    sld_id = prs.slides._sldIdLst[-1]
    prs.part.drop_rel(sld_id.rId)
    prs.slides._sldIdLst.remove(sld_id)
    prs.save(path)


def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    assert CliRunner().invoke(main, ["new", str(root)]).exit_code == 0
    theme = root / "themes" / "ours"
    theme.mkdir(parents=True)
    template_with_dark_band(theme / "ours.pptx")
    (theme / "theme.yaml").write_text(THEME, encoding="utf-8")
    return root


def test_text_over_a_dark_band_is_set_in_a_light_colour(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    talks = sorted((root / "content" / "talks").glob("*.yaml"))
    talk = talks[0].stem
    result = CliRunner().invoke(main, ["build", talk, "--root", str(root), "--theme", "ours", "-o",
                                       str(tmp_path / "deck.pptx")])
    assert result.exit_code == 0, result.output
    prs = Presentation(str(tmp_path / "deck.pptx"))
    colours: list[tuple[str, str]] = []
    for slide in prs.slides:
        if slide.slide_layout.name != "Title and Content":
            continue
        for shape in slide.placeholders:
            if shape.placeholder_format.idx != 1:  # the content placeholder only (the title is on white)
                continue
            for paragraph in shape.text_frame.paragraphs:
                if not paragraph.text.strip():
                    continue
                fill = paragraph._p.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}srgbClr")
                colours.append((paragraph.text, fill.get("val") if fill is not None else "inherited"))
    assert colours, "no content slide on the layout"
    # The body stands on the band: a colour that reads there was written, never the black
    # the layout gives.
    assert all(colour not in ("inherited", "000000") for text, colour in colours if text), colours
    check = CliRunner().invoke(main, ["check", talk, "--root", str(root), "--theme", "ours"])
    assert "[a11y.contrast]" not in check.output + check.stderr
