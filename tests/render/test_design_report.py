"""The one-page design report: a PNG of the page's size, the same bytes every time, and not blank."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
import pytest
from PIL import Image

from lecturegen.build import prepare, store_for
from lecturegen.compile.design import DesignRules, DesignSummary, RuleSummary, design_summary
from lecturegen.diagnostics import Diagnostics
from lecturegen.render.design_report import DPI, PAGE_IN, render_design_report
from lecturegen.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]
OVER_RGB = (0xD5, 0x5E, 0x00)  # what the report marks a broken rule with


def summary(words: tuple[tuple[int, int], ...], over: int) -> DesignSummary:
    rows = (
        RuleSummary("words", "words per slide", "≤ 30", len(words), over, "slide 2: 41" if over else "slide 1: 12",
                    2, 41.0),
        RuleSummary("reference-slides", "reference slides", "≤ 1", 1, 0, "1", None, 1.0, per_slide=False),
    )
    return DesignSummary(talk="t", title="A talk", width_in=13.333, rows=rows, words=words, max_words=30,
                         slides=len(words), slides_over=over)


def over_pixels(png: bytes) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=image.width * image.height) or []
    return sum(count for count, colour in colours if colour == OVER_RGB)


@pytest.fixture(scope="module")
def keynote_png(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The report of keynote-1h as the first release shipped it (tests/fixtures/keynote-before/): a dense deck."""
    import shutil

    root = tmp_path_factory.mktemp("before") / "ws"
    shutil.copytree(REPO / "tests" / "fixtures" / "keynote-before", root)
    shutil.copytree(REPO / "themes", root / "themes")
    workspace = Workspace(root)
    deck = prepare(workspace, "keynote-1h", Diagnostics(), store=store_for(workspace, writable=False)).result.deck
    return render_design_report(design_summary(deck, DesignRules()), deck.title)


def test_the_report_is_one_a4_landscape_page_at_150_dpi(keynote_png: bytes) -> None:
    image = Image.open(io.BytesIO(keynote_png))
    assert image.format == "PNG"
    assert image.size == (int(PAGE_IN[0] * DPI), int(PAGE_IN[1] * DPI)) == (1753, 1240)


def test_the_report_is_deterministic_and_carries_no_software_chunk() -> None:
    first = render_design_report(summary(((1, 12), (2, 41), (3, 25)), 1), "A talk")
    assert first == render_design_report(summary(((1, 12), (2, 41), (3, 25)), 1), "A talk")
    assert b"Software" not in first and b"matplotlib" not in first


def test_the_report_is_not_blank_and_marks_what_is_over(keynote_png: bytes) -> None:
    image = Image.open(io.BytesIO(keynote_png)).convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 20_000  # the text, the table's lines and the bars
    # The keynote breaks rules: its words bars and the 'over' counts are drawn in the warning colour.
    assert over_pixels(keynote_png) > 5_000
    clean = render_design_report(summary(((1, 12), (2, 20), (3, 25)), 0), "A clean talk")
    assert over_pixels(clean) == 0


def test_a_talk_with_no_slide_under_the_words_rule_still_renders() -> None:
    png = render_design_report(summary((), 0), "Only references")
    assert Image.open(io.BytesIO(png)).size == (1753, 1240)


def test_drawing_the_report_leaves_matplotlibs_settings_alone() -> None:
    before = dict(matplotlib.rcParams)
    render_design_report(summary(((1, 12),), 0), "A talk")
    assert dict(matplotlib.rcParams) == before
