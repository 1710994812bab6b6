"""`lecturegen import`: any deck becomes a workspace that builds, with the same text, order and notes."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from lecturegen.cli import main
from lecturegen.sources.deck import read_deck

REAL = Path(__file__).resolve().parent / "fixtures" / "real-templates"


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 160)).save(out, "PNG")
    return out.getvalue()


def _deck_made_by_a_script(path: Path) -> None:
    """As a python-pptx script (or a presenter) makes one: default template, hand-typed slides."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    title = prs.slides.add_slide(prs.slide_layouts[0])
    title.shapes.title.text = "Listening deeply"
    title.placeholders[1].text = "A talk made elsewhere"
    header = prs.slides.add_slide(prs.slide_layouts[2])
    header.shapes.title.text = "Why it matters"
    bullets = prs.slides.add_slide(prs.slide_layouts[1])
    bullets.shapes.title.text = "Three things we found"
    body = bullets.placeholders[1].text_frame
    body.text = "People remember being heard"
    for text, level in (("even years later", 1), ("Silence helps *sometimes*", 0), ("Write to me at a@b.org", 0)):
        p = body.add_paragraph()
        p.text, p.level = text, level
    bullets.notes_slide.notes_text_frame.text = "Tell the story of the first interview."
    table_slide = prs.slides.add_slide(prs.slide_layouts[5])
    table_slide.shapes.title.text = "Who took part"
    table = table_slide.shapes.add_table(3, 2, Inches(1), Inches(2), Inches(6), Inches(2)).table
    for r, row in enumerate((("Group", "People"), ("Clients", "40"), ("Therapists", "12"))):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    picture_slide = prs.slides.add_slide(prs.slide_layouts[5])
    picture_slide.shapes.title.text = "The room we used"
    pic = picture_slide.shapes.add_picture(io.BytesIO(_png()), Inches(1), Inches(2), Inches(4), Inches(3))
    pic._element.nvPicPr.cNvPr.set("descr", "A quiet room with two chairs")
    hidden = prs.slides.add_slide(prs.slide_layouts[1])
    hidden.shapes.title.text = "A backup slide"
    hidden.placeholders[1].text = "Only if asked"
    hidden.element.set("show", "0")
    prs.save(str(path))


def _words(deck: Path, skip: tuple[str, ...] = ()) -> list[str]:
    words: list[str] = []
    for slide in read_deck(deck.read_bytes()).slides:
        for shape in slide.shapes:
            if shape.placeholder in ("ftr", "sldNum", "dt") or shape.name in skip:
                continue
            words += re.findall(r"\w+", shape.text + " " + " ".join(" ".join(r) for r in shape.cells))
        words += re.findall(r"\w+", " ".join(slide.notes))
    return words


def _share_kept(original: Path, built: Path) -> float:
    before, after = _words(original), set(_words(built))
    return sum(1 for w in before if w in after) / max(1, len(before))


def test_a_scripted_deck_imports_and_builds_with_its_text_order_and_notes(tmp_path: Path) -> None:
    deck = tmp_path / "listening.pptx"
    _deck_made_by_a_script(deck)
    into = tmp_path / "ws"
    result = CliRunner().invoke(main, ["import", str(deck), "--into", str(into)])
    assert result.exit_code == 0, result.output
    assert "imported" in result.output and "4 slide(s)" in result.output  # the title and header slides are made again
    section = (into / "content" / "sections" / "why-it-matters.yaml").read_text(encoding="utf-8")
    assert "Silence helps \\*sometimes\\*" in section and "a@b.org" in section  # no markup read into it
    assert "- People remember being heard:\n          - even years later" in section
    assert "alt: A quiet room with two chairs" in section and "hidden: true" in section
    assert "columns: [Group, People]" in section
    assert (into / "content" / "images" / "the-room-we-used.png").is_file()
    assert (into / "themes" / "listening" / "listening.pptx").read_bytes() == deck.read_bytes()
    talk = (into / "content" / "talks" / "listening.yaml").read_text(encoding="utf-8")
    assert "title: Listening deeply" in talk and "subtitle: A talk made elsewhere" in talk

    result = CliRunner().invoke(main, ["build", "listening", "--root", str(into)])
    assert result.exit_code == 0, result.output
    built = into / "build" / "listening.pptx"
    slides = read_deck(built.read_bytes()).slides
    titles = [s.title() for s in slides]
    order = ["Listening deeply", "Why it matters", "Three things we found", "Who took part", "The room we used",
             "A backup slide"]
    assert [t for t in titles if t in order] == order
    assert next(s for s in slides if s.title() == "A backup slide").hidden
    assert "Tell the story of the first interview." in next(s for s in slides if s.title() == order[2]).notes
    assert _share_kept(deck, built) >= 0.95


@pytest.mark.parametrize("name", ["en-keynote-4x3.pptx", "it-iit-16x9.pptx", "en-gslides-light-16x9.pptx",
                                  "en-gslides-dark-16x9.pptx", "zh-wps-picture-16x9.pptx", "nl-sjabloon-16x9.pptx"])
def test_real_decks_from_other_tools_import_and_build(tmp_path: Path, name: str) -> None:
    into = tmp_path / "ws"
    result = CliRunner().invoke(main, ["import", str(REAL / name), "--into", str(into)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    talk = name.removesuffix(".pptx")
    result = CliRunner().invoke(main, ["build", talk, "--root", str(into)])
    assert result.exit_code == 0, result.output
    original = read_deck((REAL / name).read_bytes()).slides
    built = read_deck((into / "build" / f"{talk}.pptx").read_bytes()).slides
    assert len(built) >= len(original)  # every slide is there (a title slide, maybe "(cont.)" parts)
    if name != "en-keynote-4x3.pptx":  # its four names stand in text boxes beside pictures: reported, not kept
        assert _share_kept(REAL / name, into / "build" / f"{talk}.pptx") >= 0.95


def test_import_refuses_a_folder_in_use_and_a_file_that_is_not_a_deck(tmp_path: Path) -> None:
    deck = tmp_path / "talk.pptx"
    _deck_made_by_a_script(deck)
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(deck), "--into", str(tmp_path / "busy")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'busy'}: error: '{tmp_path / 'busy'}' exists and is not an empty folder" in result.output
    fake = tmp_path / "fake.pptx"
    fake.write_text("not a zip", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(fake), "--into", str(tmp_path / "new")])
    assert result.exit_code == 1
    assert result.output.startswith(f"{fake}: error: cannot read the deck: it is not a PowerPoint (.pptx) file")
    assert "Traceback" not in result.output


def test_native_charts_become_datasets_and_chart_slides(tmp_path: Path) -> None:
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    prs = Presentation()
    first = prs.slides.add_slide(prs.slide_layouts[0])
    first.shapes.title.text = "Charts"
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Who took part"
    data = CategoryChartData()
    data.categories = ["Clients", "Therapists"]
    data.add_series("2019", (220, 336))
    data.add_series("2023", (514, 402))
    slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(1.5), Inches(6), Inches(4), data)
    deck = tmp_path / "charts.pptx"
    prs.save(str(deck))
    into = tmp_path / "ws"
    result = CliRunner().invoke(main, ["import", str(deck), "--into", str(into)])
    assert result.exit_code == 0, result.output
    assert (into / "content" / "data" / "who-took-part.csv").read_text(encoding="utf-8") == \
        "category,2019,2023\nClients,220,514\nTherapists,336,402\n"
    assert "source:\n  - deck-charts" in (into / "content" / "data" / "who-took-part.yaml").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "charts", "--root", str(into)])
    assert result.exit_code == 0, result.output
    charts = [s for s in read_deck((into / "build" / "charts.pptx").read_bytes()).slides
              for shape in s.shapes if shape.kind == "chart"]
    assert len(charts) == 1 and charts[0].title() == "Who took part"
    (shape,) = [s for s in charts[0].shapes if s.kind == "chart"]
    assert shape.chart is not None and shape.chart[1] == ("Clients", "Therapists")
    assert [values for _, values in shape.chart[2]] == [(220.0, 336.0), (514.0, 402.0)]
