"""The PDF handout as a reader gets it: text (pdftotext, pypdf), links, bookmarks, metadata, fonts, pages."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from lecturegen.build import Prepared, prepare, store_for
from lecturegen.compile.handout import HandoutOptions, deck_to_handout
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.handout import ChartBlock, Handout, Prompt, TickBox, Worksheet
from lecturegen.model.text import Paragraph, Run
from lecturegen.render.handout import render_handout
from lecturegen.store.charts import ChartDrawer
from lecturegen.workspace import Workspace
from tests.compile.test_handout import sample_deck

ROOT = Path(__file__).resolve().parents[2]
SLIDES_URL = "https://example.org/talks/keynote-1h"
CHECKLIST = Worksheet(
    (Run("My strategies of disconnection"),),
    (TickBox((Run("Going quiet behind a professional manner"),)), TickBox((Run("Rescuing before understanding"),)),
     Prompt((Run("Which of these do you notice most often?"),), 4)),
    (Paragraph((Run("Tick the ways you tend to pull back from contact."),)),),
)
# The fill every page reaches (lowest ink, as a fraction of the frame height), except the cover and the
# last page; a page where a section ends is filled by that section's notes space.
MIN_FILL = 0.6

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
                                   reason="poppler-utils (pdftotext, pdftoppm) is needed to read the PDF as a "
                                          "reader's tools do")


def handout_for(prepared: Prepared, **options: object) -> Handout:
    defaults: dict[str, object] = {"day_start": prepared.talk.day_start, "logo": prepared.loaded.logo}
    return deck_to_handout(prepared.result.deck, prepared.result.plan,
                           HandoutOptions(**{**defaults, **options}))  # type: ignore[arg-type]


def pdf_of(prepared: Prepared, handout: Handout) -> bytes:
    drawer = ChartDrawer(store_for(prepared.workspace), parallel=False)
    return render_handout(handout, "pdf", drawer.png)


@pytest.fixture(scope="module")
def keynote() -> Prepared:
    return prepare(Workspace(ROOT), "keynote-1h", Diagnostics())


@pytest.fixture(scope="module")
def keynote_handout(keynote: Prepared) -> Handout:
    return handout_for(keynote, contact="Mick Cooper\nm.cooper@example.org", slides_url=SLIDES_URL)


@pytest.fixture(scope="module")
def keynote_pdf(keynote: Prepared, keynote_handout: Handout) -> bytes:
    return pdf_of(keynote, keynote_handout)


@pytest.fixture(scope="module")
def workshop() -> Prepared:
    return prepare(Workspace(ROOT), "workshop-1day", Diagnostics())


@pytest.fixture(scope="module")
def workshop_handout(workshop: Prepared) -> Handout:
    exercise = next(s.id for s in workshop.result.deck.slides if s.kind == "exercise" and s.id)
    return handout_for(workshop, worksheets={exercise: CHECKLIST})


@pytest.fixture(scope="module")
def workshop_pdf(workshop: Prepared, workshop_handout: Handout) -> bytes:
    return pdf_of(workshop, workshop_handout)


def pdftotext(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "h.pdf"
        path.write_bytes(pdf)
        return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def page_fills(pdf: bytes, dpi: int = 40) -> list[float]:
    """Per page, how far down the frame the lowest ink reaches (0 = nothing, 1 = the frame's foot)."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "h.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(path), f"{tmp}/p"], check=True)
        fills = []
        pngs = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        for png in pngs:
            image = Image.open(png).convert("L")
            width, height = image.size
            px = dpi / 25.4
            top, bottom = int(22 * px), int(height - 20 * px)  # the A4 frame: 22 mm and 20 mm margins
            lowest = next((y for y in range(bottom - 1, top, -1)
                           if image.crop((0, y, width, y + 1)).getextrema()[0] < 235), top)  # type: ignore[index]
            fills.append((lowest - top) / (bottom - top))
        return fills


def outline_titles(reader: PdfReader) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def walk(items: list[object], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, str(item.title)))  # type: ignore[attr-defined]

    walk(reader.outline, 0)  # type: ignore[arg-type]
    return found


def link_uris(pdf: bytes) -> set[str]:
    uris = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and action.get_object().get("/URI"):
                uris.add(str(action.get_object()["/URI"]))
    return uris


def bibliography_dois(prepared: Prepared) -> list[str]:
    entries = [prepared.citations.bib.get(key) for key in prepared.result.cited_keys]
    return [e.fields["doi"] for e in entries if e is not None and e.fields.get("doi")]


# ── text as a reader copies or searches it ──


@needs_poppler
def test_every_doi_is_found_exactly_as_the_bibliography_writes_it(keynote: Prepared, keynote_pdf: bytes) -> None:
    text = pdftotext(keynote_pdf)
    dois = bibliography_dois(keynote)
    assert "10.1080/10503307.2019.1585590" in dois
    for doi in dois:
        assert doi in text, doi
    # Nothing invisible was inserted to let lines break.
    assert not re.search("[\u200b\u200c\u200d\u00ad\u2060]", text)


def test_pypdf_extracts_the_same_dois(keynote: Prepared, keynote_pdf: bytes) -> None:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(keynote_pdf)).pages)
    for doi in bibliography_dois(keynote):
        assert doi in text, doi


def test_every_link_in_the_references_is_an_annotation(keynote: Prepared, keynote_pdf: bytes) -> None:
    links = {r.link for entry in keynote.result.deck.references for r in entry if r.link}
    assert any("doi.org" in link for link in links)
    assert links | {SLIDES_URL} <= link_uris(keynote_pdf)


@needs_poppler
def test_a_url_longer_than_a_line_breaks_at_a_slash_with_nothing_inserted() -> None:
    long_url = "https://archive.example.org/" + "/".join(f"section-{i:02d}-of-the-collection" for i in range(8))
    deck, plan = sample_deck()
    deck = dataclasses.replace(deck, references=((Run("Someone, A. (2020). A web page. "),
                                                  Run(long_url, link=long_url)),))
    handout = deck_to_handout(deck, plan)
    pdf = render_handout(handout, "pdf", lambda *args: _blank_png())
    text = pdftotext(pdf)
    assert long_url not in text  # it does not fit on one line …
    lines = [line.strip() for line in text.splitlines()]
    start = next(i for i, line in enumerate(lines) if "archive.example.org" in line)
    pieces = lines[start:start + 4]
    assert pieces[0].split()[-1].endswith("/")  # … and breaks after a slash …
    rejoined = re.sub(r"(?<=/)\n", "", "\n".join(pieces))
    assert long_url in rejoined  # … with every character where it was
    assert long_url in link_uris(pdf)


def _blank_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(out, format="PNG")
    return out.getvalue()


# ── structure ──


def test_bookmarks_name_every_part_and_section(keynote_handout: Handout, keynote_pdf: bytes) -> None:
    titles = outline_titles(PdfReader(io.BytesIO(keynote_pdf)))
    top = [t for level, t in titles if level == 0]
    assert top[0] == keynote_handout.metadata.title  # the cover
    expected = ["Key findings", "Programme"] + [s.title for s in keynote_handout.sections] + ["References"]
    assert top[1:] == expected
    # Slides are bookmarked under their section.
    assert any(level == 1 for level, _ in titles)


def test_key_findings_fill_one_page_and_the_programme_follows(keynote_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(keynote_pdf))
    texts = [page.extract_text() or "" for page in reader.pages]
    assert "Key findings" in texts[1] and "Take-home messages" in texts[1] and "Learning outcomes" in texts[1]
    assert "Programme" not in texts[1] and "Programme" in texts[2]
    assert len(reader.pages[1].images) == 3  # the three charts that carry the findings


@needs_poppler
def test_programme_rows_print_with_durations_that_match(keynote_handout: Handout, keynote_pdf: bytes) -> None:
    text = pdftotext(keynote_pdf)
    assert keynote_handout.programme is not None
    for row in keynote_handout.programme.rows:
        assert f"{row.start}–{row.end}" in text
        assert row.duration in text


def test_cover_shows_contents_contact_and_the_qr_code(keynote_handout: Handout, keynote_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(keynote_pdf))
    cover = reader.pages[0].extract_text() or ""
    for expected in ("Meeting at relational depth", "Mick Cooper", "IN THIS HANDOUT", "m.cooper@example.org",
                     SLIDES_URL):
        assert expected in cover
    # The contents give the page each part starts on.
    assert re.search(r"Key findings\s*2\b", cover) and re.search(r"Programme\s*3\b", cover)
    uris = set()
    for annot in reader.pages[0].get("/Annots") or []:
        action = annot.get_object().get("/A")
        if action is not None:
            uris.add(str(action.get_object().get("/URI")))
    assert SLIDES_URL in uris  # the QR code and the printed address both open the slides


def test_no_qr_code_without_a_url(keynote: Prepared) -> None:
    pdf = pdf_of(keynote, handout_for(keynote))
    cover = PdfReader(io.BytesIO(pdf)).pages[0].extract_text() or ""
    assert "The slides" not in cover and "Contact" not in cover


def test_workshop_handout_has_worksheets_exercises_and_breaks(workshop: Prepared, workshop_pdf: bytes) -> None:
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(workshop_pdf)).pages)
    squashed = re.sub(r"\s+", " ", text)
    assert "Worksheet" in text and "My strategies of disconnection" in text
    for item in CHECKLIST.items:
        assert "".join(r.text for r in item.runs) in squashed
    badges = [s.badge for s in workshop.result.deck.slides if s.kind == "exercise" and s.badge]
    assert badges and all(b in squashed for b in badges)
    breaks = ["".join(r.text for r in s.title) for s in workshop.result.deck.slides if s.kind == "break"]
    assert breaks and all(b in squashed for b in breaks)
    assert f"{workshop.talk.day_start}–" in text


# ── pages ──


@needs_poppler
@pytest.mark.parametrize("which", ["keynote", "workshop"])
def test_no_page_is_left_mostly_empty(which: str, request: pytest.FixtureRequest) -> None:
    pdf: bytes = request.getfixturevalue(f"{which}_pdf")
    fills = page_fills(pdf)
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
    # A drawing worksheet that cannot shrink enough to fit starts the next page whole, as a
    # photocopiable sheet should; the page before it is the one page allowed to run short.
    before_a_sheet = {number for number in range(1, len(pages))
                      if "Worksheet" in [line.strip() for line in pages[number].splitlines()[:3]]}
    thin = [(number, round(fill, 2)) for number, fill in enumerate(fills, start=1)
            if fill < MIN_FILL and 1 < number < len(fills) and number not in before_a_sheet]
    assert not thin, f"pages below {MIN_FILL:.0%} of the frame: {thin}"


def test_a_drawing_space_shrinks_to_fit_rather_than_leave_a_page_empty() -> None:
    """A large drawing space fits the rest of a page down to 60% of its height, and no further."""
    from reportlab.lib import colors

    from lecturegen.render.handout_pdf_flowables import DrawingSpace

    space = DrawingSpace(300, 180, colors.grey)
    assert space.wrap(400, 1000) == (400, 300)
    shrunk = space.split(400, 200)
    assert len(shrunk) == 1 and 180 <= shrunk[0].wrap(400, 200)[1] <= 200
    assert space.split(400, 150) == []


def test_charts_are_drawn_at_the_size_the_model_gives(keynote_handout: Handout, keynote_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(keynote_pdf))
    sizes = {(img.image.width, img.image.height) for page in reader.pages for img in page.images}
    for block in keynote_handout.chart_blocks:
        assert isinstance(block, ChartBlock)
        expected = (round(block.figure.width_in * block.figure.dpi), round(block.figure.height_in * block.figure.dpi))
        assert any(abs(w - expected[0]) <= 1 and abs(h - expected[1]) <= 1 for w, h in sizes), expected


# ── file properties ──


def test_metadata_language_and_embedded_fonts(keynote: Prepared, keynote_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(keynote_pdf))
    deck = keynote.result.deck
    meta = reader.metadata
    assert meta is not None
    assert meta.title == deck.title and meta.author == deck.presenter
    assert meta.subject and "handout" in (meta.get("/Keywords") or "")
    assert str(reader.trailer["/Root"].get("/Lang")) == deck.language
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            embedded = descriptor is not None and any(k in descriptor.get_object()
                                                      for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add((str(font.get("/BaseFont")), embedded))
    assert fonts and all(embedded for _, embedded in fonts), fonts
    if Path("/usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf").is_file():
        assert any("Carlito" in name for name, _ in fonts)  # the Calibri theme embeds its metric twin


def test_the_same_handout_gives_the_same_bytes(keynote: Prepared, keynote_handout: Handout,
                                               keynote_pdf: bytes) -> None:
    assert pdf_of(keynote, keynote_handout) == keynote_pdf


def test_letter_paper(keynote: Prepared, keynote_pdf: bytes) -> None:
    a4 = PdfReader(io.BytesIO(keynote_pdf)).pages[0].mediabox
    letter = PdfReader(io.BytesIO(pdf_of(keynote, handout_for(keynote, paper="letter")))).pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)


# ── call-outs ──


@needs_poppler
def test_big_numbers_print_as_call_outs_not_bullet_fragments(keynote_handout: Handout, keynote_pdf: bytes) -> None:
    from lecturegen.model.handout import Statement

    callouts = [b for s in keynote_handout.sections for b in s.blocks if isinstance(b, Statement)]
    bigs = {"".join(r.text for r in b.big) for b in callouts}
    assert {"More than a third", ".76"} <= bigs
    lines = [line.strip() for line in pdftotext(keynote_pdf).splitlines()]
    for big in ("More than a third", ".76"):
        assert big in lines and f"• {big}" not in lines
        context = next(b.context for b in callouts if "".join(r.text for r in b.big) == big)
        after = lines[lines.index(big) + 1]
        assert after and "".join(r.text for r in context).replace("\u00a0", " ").startswith(after)
    reader = PdfReader(io.BytesIO(keynote_pdf))
    sizes: dict[str, float] = {}
    for page in reader.pages:
        def visit(text: str, cm: object, tm: list[float], font: object, size: float) -> None:
            if text.strip() in ("More than a third", ".76"):
                sizes[text.strip()] = size * tm[0]
        page.extract_text(visitor_text=visit)
    assert sizes and all(size >= 24 for size in sizes.values())  # the number large, not body type


# ── worksheets ──


@needs_poppler
def test_a_worksheet_is_never_broken_across_pages_and_ratings_are_a_grid(workshop_handout: Handout,
                                                                        workshop_pdf: bytes) -> None:
    from lecturegen.model.handout import Rating

    reader = PdfReader(io.BytesIO(workshop_pdf))
    pages = [re.sub(r"\s+", " ", p.extract_text() or "") for p in reader.pages]
    sheets = workshop_handout.worksheets
    rated = [w for w in sheets if w.scale]
    assert rated, "the workshop's disconnection checklist asks for 0–3 ratings"
    for sheet in sheets:
        texts = ["".join(r.text for r in i.runs) for i in sheet.items]
        holding = {n for n, page in enumerate(pages) for t in texts if t in page}
        assert len(holding) == 1, ("".join(r.text for r in sheet.title), sorted(holding))
    sheet = rated[0]
    page = pdftotext(workshop_pdf)
    for point in sheet.scale:  # the four columns with their anchors
        assert "".join(r.text for r in point.anchor) in page
    layout = subprocess.run(["pdftotext", "-layout", "-", "-"], input=workshop_pdf, capture_output=True,
                            check=True).stdout.decode()
    assert re.search(r"0\s+1\s+2\s+3", layout)
    rated_items = ["".join(r.text for r in i.runs) for i in sheet.items if isinstance(i, Rating)]
    assert len(rated_items) >= 4
    assert not any(f"☐ {t}" in page for t in rated_items)


def test_a_worksheet_closes_up_its_lines_to_fit_or_moves_whole_and_flows_only_when_longer_than_a_page() -> None:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph as RLParagraph
    from reportlab.lib.styles import getSampleStyleSheet

    from lecturegen.render.handout_pdf_flowables import RULE_LEAST_GAP, Rules, Sheet

    style = getSampleStyleSheet()["Normal"]

    def sheet(prompts: int, frame: float = 700.0) -> Sheet:
        items = []
        for i in range(prompts):
            items += [RLParagraph(f"Question {i}?", style), Rules(3, colors.grey, 22.0)]
        return Sheet(items, frame)

    small = sheet(4)
    _, natural = small.wrap(400, 10_000)
    _, fitted = small.wrap(400, natural - 30)
    assert fitted <= natural - 30 and all(r.gap >= RULE_LEAST_GAP for r in small.rules)
    assert small.split(400, natural - 30 - 12 * 6) == []  # too short even closed up: moves to the next page whole
    long = sheet(40)
    pieces = long.split(400, 300)
    assert len(pieces) == 80  # longer than a page: it flows rather than stop the build


@needs_poppler
def test_a_diagram_prints_as_a_readable_list_in_pdf_and_docx() -> None:
    from docx import Document

    from lecturegen.compile.kinds.diagram import Diagram, DiagramNode
    from lecturegen.model.deck import Slide
    from tests.compile.test_handout import sample_slides

    def r(text: str) -> tuple[Run, ...]:
        return (Run(text),)

    diagram = Diagram("process", (DiagramNode(label=r("Notice")), DiagramNode(label=r("Name"), detail=r("say it")),
                                  DiagramNode(label=r("Stay"))))
    slides = [s for s in sample_slides() if s.kind != "chart"]
    slides.insert(3, Slide("diagram", "Title Only", r("Three steps to stay in contact"), section="Beginnings",
                           content=diagram))
    deck, plan = sample_deck(slides)
    handout = deck_to_handout(deck, plan, HandoutOptions())
    text = re.sub(r"[ \t]+", " ", pdftotext(render_handout(handout, "pdf", lambda block: b"")))
    assert "A process in 3 steps:\n" in text
    assert re.search(r"1\. ?Notice\s+2\. ?Name: say it\s+3\. ?Stay", text)
    doc = Document(io.BytesIO(render_handout(handout, "docx", lambda block: b"")))
    texts = [p.text for p in doc.paragraphs]
    start = texts.index("A process in 3 steps:")
    assert texts[start + 1:start + 4] == ["1.\tNotice", "2.\tName: say it", "3.\tStay"]
