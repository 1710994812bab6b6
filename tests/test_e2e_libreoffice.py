"""End to end through LibreOffice: decks open, one page per slide, nothing overflows, measurement agrees."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from lecturegen.cli import main
from lecturegen.compile.measure import count_lines, words_of
from lecturegen.sources.fonts import load_font

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (libreoffice-impress) and poppler-utils are not installed; .ci/run installs them",
)
REPO = Path(__file__).resolve().parents[1]
PT_PER_IN = 72


def to_pdf(deck: Path) -> Path:
    profile = deck.parent / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(deck.parent), str(deck)], check=True, capture_output=True, timeout=240)
    return deck.with_suffix(".pdf")


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]


def words_by_page(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    out = []
    for page in re.findall(r"<page.*?</page>", xml, re.S):
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                           page)
        out.append([(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in words])
    return out


@pytest.fixture(scope="module")
def keynote_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    folder = tmp_path_factory.mktemp("keynote")
    deck = folder / "keynote-1h.pptx"
    result = CliRunner().invoke(main, ["build", "keynote-1h", "--root", str(REPO), "-o", str(deck)])
    assert result.exit_code == 0, result.output
    from pptx import Presentation

    return to_pdf(deck), len(Presentation(str(deck)).slides)


def test_keynote_opens_with_one_page_per_slide(keynote_pdf: tuple[Path, int]) -> None:
    pdf, slides = keynote_pdf
    assert pages(pdf) == slides


def test_no_text_runs_into_the_footer_band(keynote_pdf: tuple[Path, int]) -> None:
    """Below the caption line only the footer and the slide number may stand."""
    pdf, _ = keynote_pdf
    footer_top = 6.9 * PT_PER_IN
    allowed = set("Meeting at relational depth".split())
    for number, words in enumerate(words_by_page(pdf), start=1):
        stray = [w for x0, y0, x1, y1, w in words if y0 >= footer_top - 1 and w not in allowed and not w.isdigit()]
        assert not stray, f"slide {number}: text in the footer band: {stray[:5]}"
        below = [w for x0, y0, x1, y1, w in words if y1 > 7.5 * PT_PER_IN]
        assert not below, f"slide {number}: text below the slide: {below[:5]}"


def test_no_text_crosses_the_right_edge(keynote_pdf: tuple[Path, int]) -> None:
    pdf, _ = keynote_pdf
    for number, words in enumerate(words_by_page(pdf), start=1):
        wide = [w for x0, y0, x1, y1, w in words if x1 > 13.333 * PT_PER_IN + 0.5]
        assert not wide, f"slide {number}: text beyond the right edge: {wide}"


def test_measured_line_count_matches_libreoffice(tmp_path: Path) -> None:
    """Paragraphs of 3 to 33 words in a 12.13 in body box: our wrap equals LibreOffice's, line for line."""
    from tests.conftest import MINI_BIB, write_workspace  # not `tests.conftest`: spylls installs a top-level `tests` package

    sentences = [" ".join(["relational", "depth", "measured", "carefully", "across", "samples"][i % 6]
                          for i in range(n)) for n in (3, 9, 17, 26, 33)]
    bullets = "\n".join(f"      - {s}" for s in sentences)
    root = write_workspace(tmp_path / "ws", {
        "bibliography.bib": MINI_BIB,
        "content/talks/t.yaml": "title: Measure\nslot: 5\nagenda: false\nreferences: false\nsections:\n  - use: s\n",
        "content/sections/s.yaml": f"title: S\nheader: false\nslides:\n  - id: m\n    title: Measured\n"
                                   f"    split: false\n    bullets:\n{bullets}\n    notes: x\n",
    })
    deck = tmp_path / "m.pptx"
    result = CliRunner().invoke(main, ["build", "t", "--root", str(root), "-o", str(deck)])
    assert result.exit_code == 0, result.output
    words = words_by_page(to_pdf(deck))[1]
    body_top, body_bottom = 1.75 * PT_PER_IN, 6.6 * PT_PER_IN
    tops = sorted(y0 for x0, y0, x1, y1, w in words if body_top <= y0 <= body_bottom)
    line_tops = [y for i, y in enumerate(tops) if i == 0 or y - tops[i - 1] > 5]  # words of one line differ ~1 pt
    font = load_font("Calibri")
    inner = 12.13 * PT_PER_IN - 14.4 - 25.2  # insets and the bullet's left margin
    expected = sum(count_lines(font, words_of([(s, False)]), 26, inner) for s in sentences)
    assert len(line_tops) == expected, (len(line_tops), expected, font.face.describe())


@pytest.mark.parametrize("talk,theme", [(t, th) for t in ("keynote-1h", "keynote-2h", "workshop-1day", "workshop-2day")
                                        for th in ("calm", "contrast")])
def test_pptxcheck_passes_every_shipped_talk_without_a_warning(tmp_path: Path, talk: str, theme: str) -> None:
    """The independent checker: schema-valid, no overflow or overlap, alt text everywhere, no small fonts."""
    checker = REPO.parent / "shared" / "tools" / "pptxcheck" / "pptxcheck.py"
    if not checker.is_file():
        pytest.skip("../shared/tools/pptxcheck is not beside this checkout")
    deck = tmp_path / f"{talk}.pptx"
    args = ["build", talk, "--root", str(REPO), "-o", str(deck), "--theme", theme]
    assert CliRunner().invoke(main, args).exit_code == 0
    run = subprocess.run([sys.executable, str(checker), str(deck), "--no-libreoffice", "--json"],
                         capture_output=True, text=True, timeout=300)
    import json

    report = json.loads(run.stdout)
    assert report["ok"], run.stdout[-2000:]
    findings = [f"{i['code']}: {i['message']}" for i in report["issues"] if i["severity"] != "info"]
    assert findings == [], findings
