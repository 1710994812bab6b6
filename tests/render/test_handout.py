"""The handout entry point: model → PDF/DOCX with chart pictures for paper, and the `handout` command."""

from __future__ import annotations

import ast
import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from lecturegen.build import prepare
from lecturegen.compile.handout import HandoutOptions, deck_to_handout
from lecturegen.diagnostics import Diagnostics, LecturegenError
from lecturegen.model.chart import Chart
from lecturegen.render.chart_style import ChartStyle
from lecturegen.render.handout import chart_requests, print_chart_style, render_handout
from lecturegen.workspace import Workspace
from tests.compile.test_handout import STYLE, sample_deck

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "lecturegen"


def _imports(module: Path) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("lecturegen")}


def test_the_handout_writers_import_only_the_model() -> None:
    writers = sorted(p for p in (PACKAGE / "render").glob("handout_*.py"))
    assert {"handout_pdf.py", "handout_docx.py", "handout_diagram.py"} <= {p.name for p in writers}
    for path in writers:
        imports = _imports(path)
        # The model, records (the dataclass decorator every layer shares) and the writers' own modules.
        assert all(i.startswith(("lecturegen.model", "lecturegen.render.handout_")) or i == "lecturegen.records"
                   for i in imports), (path.name, imports)
        assert imports or path.name == "handout_fonts.py"  # the fonts need nothing of the package


def test_the_model_and_builder_do_not_reach_into_render() -> None:
    assert all(i.startswith("lecturegen.model") or i == "lecturegen.records"
               for i in _imports(PACKAGE / "model" / "handout.py"))
    builder = _imports(PACKAGE / "compile" / "handout.py")
    assert not any(i.startswith(("lecturegen.render", "lecturegen.sources", "lecturegen.store")) for i in builder)


class Recorder:
    """Stands in for ChartDrawer.png: remembers every request, returns a small white PNG."""

    def __init__(self) -> None:
        self.calls: list[tuple[Chart, ChartStyle, float, float, int]] = []

    def __call__(self, chart: Chart, style: ChartStyle, width: float, height: float, dpi: int) -> bytes:
        from PIL import Image

        self.calls.append((chart, style, width, height, dpi))
        out = io.BytesIO()
        Image.new("RGB", (int(width * 20), int(height * 20)), "white").save(out, format="PNG")
        return out.getvalue()


def test_charts_are_requested_at_the_models_size_on_white() -> None:
    deck, plan = sample_deck()
    handout = deck_to_handout(deck, plan)
    recorder = Recorder()
    render_handout(handout, "pdf", recorder)
    blocks = handout.chart_blocks
    assert blocks and len(recorder.calls) >= len(blocks)
    requested = {(c.type, w, h) for c, _, w, h, _ in recorder.calls}
    assert {(b.chart.type, b.figure.width_in, b.figure.height_in) for b in blocks} <= requested
    style = recorder.calls[0][1]
    assert style.background == "FFFFFF" and style.font_size_pt == blocks[0].figure.font_pt
    assert print_chart_style(STYLE, 16.0).palette == STYLE.palette
    assert [r[2:] for r in chart_requests(handout)] == [(b.figure.width_in, b.figure.height_in, b.figure.dpi)
                                                         for b in blocks]


def test_unknown_format_is_a_diagnostic_not_a_traceback() -> None:
    deck, plan = sample_deck()
    with pytest.raises(LecturegenError) as info:
        render_handout(deck_to_handout(deck, plan), "odt", Recorder())
    diag = info.value.diagnostics[0]
    assert diag.code == "handout.format" and "'odt'" in diag.message


def test_cli_writes_the_pdf_and_the_docx(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from lecturegen.cli import main

    pdf, docx = tmp_path / "h.pdf", tmp_path / "h.docx"
    for target, fmt in ((pdf, "pdf"), (docx, "docx")):
        result = CliRunner().invoke(main, ["handout", "keynote-1h", "--root", str(ROOT), "-o", str(target),
                                           "--format", fmt, "--start", "14:00"])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("wrote ")
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    assert "14:00–" in "\n".join(p.extract_text() or "" for p in reader.pages[:4])
    assert docx.read_bytes()[:2] == b"PK"


def test_thumbnails_missing_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    from lecturegen.render import office

    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    with pytest.raises(LecturegenError) as info:
        office.render_slide_pngs(b"not used")
    diag = info.value.diagnostics[0]
    assert diag.code == "handout.libreoffice"
    assert "needs LibreOffice" in diag.message and "apt-get install" in (diag.hint or "")


def test_cli_thumbnails_without_libreoffice_exits_1(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from lecturegen.cli import main

    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice, no pdftoppm
    out = tmp_path / "h.pdf"
    result = CliRunner().invoke(main, ["handout", "keynote-1h", "--thumbnails", "--root", str(ROOT), "-o", str(out)])
    assert result.exit_code == 1
    assert "needs LibreOffice" in result.output
    assert not out.exists()


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                    reason="LibreOffice (soffice) and poppler's pdftoppm are needed to draw slide thumbnails")
def test_thumbnails_with_libreoffice() -> None:
    from lecturegen.build import render_deck
    from lecturegen.render.office import render_slide_pngs

    keynote = prepare(Workspace(ROOT), "keynote-1h", Diagnostics())
    thumbs = render_slide_pngs(render_deck(keynote))
    assert len(thumbs) == len([s for s in keynote.result.deck.slides if not s.hidden])
    assert all(t.startswith(b"\x89PNG") for t in thumbs)
    deck, plan = keynote.result.deck, keynote.result.plan
    plain = PdfReader(io.BytesIO(render_handout(deck_to_handout(deck, plan), "pdf", Recorder())))
    with_thumbs = deck_to_handout(deck, plan, HandoutOptions(thumbnails=tuple(thumbs)))
    pdf = PdfReader(io.BytesIO(render_handout(with_thumbs, "pdf", Recorder())))
    assert len(pdf.pages) >= len(plain.pages) + len(thumbs) // 3
    text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert "Slides and notes" in text and f"Slide {len(thumbs)}" in text


def _writer_available() -> bool:
    if shutil.which("soffice") is None:
        return False
    # Writer ships its own module; Impress alone cannot convert a .docx.
    return any(Path(p).exists() for p in ("/usr/lib/libreoffice/program/libswlo.so",
                                          "/usr/lib/libreoffice/program/libswlx.so"))


@pytest.mark.skipif(not _writer_available(), reason="LibreOffice Writer (libreoffice-writer) is not installed")
def test_docx_opens_in_libreoffice(tmp_path: Path) -> None:
    import subprocess

    from lecturegen.build import store_for
    from lecturegen.store.charts import ChartDrawer

    keynote = prepare(Workspace(ROOT), "keynote-1h", Diagnostics())
    handout = deck_to_handout(keynote.result.deck, keynote.result.plan)
    docx = tmp_path / "handout.docx"
    docx.write_bytes(render_handout(handout, "docx", ChartDrawer(store_for(keynote.workspace), parallel=False).png))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=240)
    pdf = PdfReader(io.BytesIO((tmp_path / "handout.pdf").read_bytes()))
    text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert len(pdf.pages) >= 5
    assert "Meeting at relational depth" in text and "References" in text and "Key findings" in text
