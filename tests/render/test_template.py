"""User templates: any .pptx/.potx with the standard layout names works; problems are located errors."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from click.testing import CliRunner
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Inches

from lecturegen.cli import main

THEME = """\
title: Corporate
template: corporate.pptx
fonts: {heading: Arial, body: Arial}
"""


def corporate_template(path: Path, drop_layout: str | None = None) -> None:
    """A 16:9 template in another look: dark-red titles, a logo on the master, one sample slide."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    master = prs.slide_master
    for owner in [master, *prs.slide_layouts]:
        for ph in owner.placeholders:
            if ph._element.spPr.xfrm is None:
                continue  # inherits its position from the master, which is scaled already
            left, top, width, height = ph.left, ph.top, ph.width, ph.height
            ph.left, ph.top, ph.width, ph.height = int(left * 4 / 3), top, int(width * 4 / 3), height
    logo = path.parent / "logo.png"
    from PIL import Image

    Image.new("RGB", (120, 60), (140, 20, 20)).save(logo)
    # python-pptx has no API for pictures on masters: place it on a slide, then move it over.
    carrier = prs.slides.add_slide(prs.slide_layouts[6])
    pic = carrier.shapes.add_picture(str(logo), Inches(12.0), Inches(0.1), Inches(1.0), Inches(0.5))
    image_part = carrier.part.related_part(pic._element.blipFill.blip.rEmbed)
    rel_id = master.part.relate_to(image_part, RT.IMAGE)
    pic._element.blipFill.blip.set(qn("r:embed"), rel_id)
    master.shapes._spTree.append(pic._element)
    sld_id = prs.slides._sldIdLst[-1]
    prs.part.drop_rel(sld_id.rId)
    prs.slides._sldIdLst.remove(sld_id)
    for ph in master.placeholders:
        if ph.placeholder_format.type == 1:  # title
            ph.text_frame.paragraphs[0].font.color.rgb = RGBColor(0x8B, 0x14, 0x14)
    sample = prs.slides.add_slide(prs.slide_layouts[0])
    sample.shapes.title.text = "SAMPLE SLIDE FROM THE TEMPLATE"
    if drop_layout:
        for layout in list(prs.slide_layouts):
            if layout.name == drop_layout:
                prs.slide_layouts.remove(layout)
    prs.save(path)


def with_theme(mini: Path, template_name: str = "corporate.pptx") -> Path:
    folder = mini / "themes" / "corporate"
    folder.mkdir(parents=True)
    (folder / "theme.yaml").write_text(THEME.replace("corporate.pptx", template_name), encoding="utf-8")
    return folder


def test_user_template_gives_its_look_and_no_sample_slides(mini: Path) -> None:
    folder = with_theme(mini)
    corporate_template(folder / "corporate.pptx")
    result = CliRunner().invoke(main, ["build", "small", "--root", str(mini), "--theme", "corporate"])
    assert result.exit_code == 0, result.output
    prs = Presentation(str(mini / "build" / "small.pptx"))
    titles = [s.shapes.title.text for s in prs.slides]
    assert "SAMPLE SLIDE FROM THE TEMPLATE" not in titles
    assert titles[0] == "A small talk"
    assert any(shape.shape_type == 13 for shape in prs.slide_master.shapes)  # the logo picture


def test_potx_template_is_accepted(mini: Path) -> None:
    folder = with_theme(mini, "corporate.potx")
    pptx_path = folder / "tmp.pptx"
    corporate_template(pptx_path)
    out = io.BytesIO()
    with zipfile.ZipFile(pptx_path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"presentationml.presentation.main+xml", b"presentationml.template.main+xml")
            dst.writestr(item, data)
    (folder / "corporate.potx").write_bytes(out.getvalue())
    pptx_path.unlink()
    result = CliRunner().invoke(main, ["build", "small", "--root", str(mini), "--theme", "corporate"])
    assert result.exit_code == 0, result.output


def test_a_missing_role_is_derived_from_the_nearest_layout_and_noted(mini: Path) -> None:
    folder = with_theme(mini)
    corporate_template(folder / "corporate.pptx", drop_layout="Comparison")
    result = CliRunner().invoke(main, ["build", "small", "--root", str(mini), "--theme", "corporate"])
    assert result.exit_code == 0, result.output
    check = CliRunner().invoke(main, ["check", "small", "--root", str(mini), "--theme", "corporate"])
    assert "comparison from layout 'Two Content' (two columns, each heading as its column's first line)" in check.output \
        + check.stderr
    assert "[theme.layout-derived]" in check.output + check.stderr


def test_corrupt_template_is_an_error_not_a_traceback(mini: Path) -> None:
    folder = with_theme(mini)
    (folder / "corporate.pptx").write_bytes(b"this is not a zip file at all")
    result = CliRunner().invoke(main, ["build", "small", "--root", str(mini), "--theme", "corporate"])
    assert result.exit_code == 1
    assert ("error: template 'themes/corporate/corporate.pptx' is not a PowerPoint file (not a zip archive) "
            "[theme.template-corrupt]") in result.stderr
    assert "Traceback" not in result.output


def test_placeholder_beyond_the_slide_edge_is_a_warning(mini: Path) -> None:
    folder = with_theme(mini)
    corporate_template(folder / "corporate.pptx")
    prs = Presentation(str(folder / "corporate.pptx"))
    layout = next(layout for layout in prs.slide_layouts if layout.name == "Title and Content")
    body = next(ph for ph in layout.placeholders if ph.placeholder_format.idx == 1)
    left, top, height = body.left, body.top, body.height
    body.left, body.top, body.width, body.height = left, top, Inches(20), height
    prs.save(str(folder / "corporate.pptx"))
    result = CliRunner().invoke(main, ["build", "small", "--root", str(mini), "--theme", "corporate"])
    assert result.exit_code == 0, result.output
    assert ("themes/corporate/corporate.pptx: warning: template 'themes/corporate/corporate.pptx': the body "
            "placeholder of layout 'Title and Content' reaches beyond the slide's edge; clipped to the slide, so that "
            "text stays inside the slide (fix the layout in PowerPoint or LibreOffice) [theme.placeholder-off-slide]") in result.stderr
    prs = Presentation(str(mini / "build" / "small.pptx"))
    width = prs.slide_width
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.width is not None:
                assert shape.left + shape.width <= width + 45720, (shape.name, shape.left, shape.width)
