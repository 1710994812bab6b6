"""Chart text as an audience sees it: every chart of every shipped talk (and of the foreign workspace), drawn
at its real size on the slide, in the slides' own font, legible, and with no two texts overlapping."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from matplotlib import font_manager
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from lecturegen.build import prepare
from lecturegen.compile.charts import check_chart_fits as check_chart_size
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.chart import Chart
from lecturegen.model.shapes import ChartShape
from lecturegen.model.style import DeckStyle, FontFace
from lecturegen.render.chart_style import MIN_TEXT_PT, ChartStyle, chart_style
from lecturegen.render.charts_mpl import build_figure
from lecturegen.sources.fonts import LoadedFont, find_face, load_font
from lecturegen.workspace import Workspace
from tests.conftest import REPO
from tests.render.test_charts_mpl import CHARTS

FOREIGN = REPO / "tests" / "fixtures" / "foreign"
# The content area of a chart slide: 16:9 (13.33 × 7.5 in) and 4:3 (10 × 7.5 in) templates.
SLIDE_SIZES = ((12.1, 4.5), (9.0, 4.0))
# Texts side by side closer than this read as one ("−.060" against "Depression"); the renderer keeps 3 pt.
# Lines one above the other may touch, as the lines of a paragraph do.
TOUCHING_PT = 1.0
# Layout is in points, so a lower resolution than the slides' 200 dpi draws the same chart, twice as fast.
TEST_DPI = 100


@contextmanager
def recording(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Text]]:
    """The texts a real Agg draw puts on the canvas (an oracle independent of the renderer's own bookkeeping)."""
    drawn: list[Text] = []
    current: list[Text] = []
    text_draw, agg_draw_text = Text.draw, RendererAgg.draw_text

    def draw(self: Text, renderer: RendererAgg) -> None:
        current.append(self)
        try:
            text_draw(self, renderer)
        finally:
            current.pop()

    def draw_text(self: RendererAgg, *args: object, **kwargs: object) -> None:
        if current and (not drawn or drawn[-1] is not current[-1]):
            drawn.append(current[-1])
        agg_draw_text(self, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(Text, "draw", draw)
        patch.setattr(RendererAgg, "draw_text", draw_text)
        yield drawn


def drawn_extents(fig: Figure, monkeypatch: pytest.MonkeyPatch) -> list[tuple[Text, Bbox]]:
    with recording(monkeypatch) as drawn:
        fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    unique = list({id(t): t for t in drawn}.values())
    return [(t, t.get_window_extent(renderer)) for t in unique]


def text_faults(chart: Chart, style: ChartStyle, width_in: float, height_in: float, dpi: int,
                monkeypatch: pytest.MonkeyPatch) -> list[str]:  # fmt: skip
    """What is wrong with the chart's text at this size: overlaps, text off the picture, text under 14 pt."""
    fig = build_figure(chart, style, width_in, height_in, dpi)
    extents = drawn_extents(fig, monkeypatch)
    where = f"{chart.type} {chart.base.title!r} at {width_in} × {height_in} in"
    faults = []
    gap = TOUCHING_PT * dpi / 72
    for (a, ea), (b, eb) in itertools.combinations(extents, 2):
        side_by_side = ea.y0 < eb.y1 - 0.5 and eb.y0 < ea.y1 - 0.5
        if side_by_side and ea.x0 < eb.x1 + gap and eb.x0 < ea.x1 + gap:
            faults.append(f"{where}: {a.get_text()!r} overlaps or touches {b.get_text()!r}")
        elif ea.x0 < eb.x1 - 0.5 and eb.x0 < ea.x1 - 0.5 and ea.y0 < eb.y1 - 0.5 and eb.y0 < ea.y1 - 0.5:
            faults.append(f"{where}: {a.get_text()!r} overlaps {b.get_text()!r}")
    w, h = fig.bbox.width, fig.bbox.height
    for t, e in extents:
        if e.x0 < -0.5 or e.y0 < -0.5 or e.x1 > w + 0.5 or e.y1 > h + 0.5:
            faults.append(f"{where}: {t.get_text()!r} leaves the picture ({e})")
        if float(t.get_fontsize()) < MIN_TEXT_PT - 1e-6:
            faults.append(f"{where}: {t.get_text()!r} is {t.get_fontsize():.1f} pt")
    if chart.type == "timeline":
        years = {t.get_text() for t, _ in extents}
        faults += [f"{where}: the event of {y} is not drawn" for y in chart.categories if y not in years]
        # What the build checks before drawing agrees: the timeline fits, measured with the slides' font.
        if not check_chart_size(chart, width_in, height_in, _slide_font(style), Diagnostics(), None):
            faults.append(f"{where}: the size check says the timeline does not fit")
    return faults


def _slide_font(style: ChartStyle) -> LoadedFont:
    return load_font(style.font_family)


@dataclass(frozen=True)
class Placed:
    chart: Chart
    style: ChartStyle
    width_in: float
    height_in: float


def placed_charts(root: Path, talk: str, theme: str | None) -> list[Placed]:
    """Every picture chart of a compiled talk, with the box the layout gave it."""
    result = prepare(Workspace(root), talk, Diagnostics(), theme_name=theme).result
    deck = result.deck
    assert deck.style is not None
    style = chart_style(deck.style)
    out = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if isinstance(shape, ChartShape) and slide.chart is not None:
                out.append(Placed(slide.chart, style, round(shape.box.cx / 914400, 2), round(shape.box.cy / 914400, 2)))
    return out


@pytest.fixture(scope="module")
def foreign_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("foreign-charts") / "workspace"
    shutil.copytree(FOREIGN / "workspace", root)
    shutil.copytree(FOREIGN / "themes", root / "themes")
    return root


SHIPPED = [("keynote-1h", None), ("keynote-2h", None), ("workshop-1day", None), ("workshop-2day", None),
           ("keynote-1h", "contrast")]  # fmt: skip
FOREIGN_THEMES = [None, "corporate-43", "wide-1610", "left-title", "a4-landscape"]


@pytest.mark.parametrize(("talk", "theme"), SHIPPED)
def test_shipped_charts_have_no_colliding_or_illegible_text(talk: str, theme: str | None,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    charts = placed_charts(REPO, talk, theme)
    faults = [f for p in charts for f in text_faults(p.chart, p.style, p.width_in, p.height_in, TEST_DPI, monkeypatch)]
    assert not faults, "\n".join(faults)


@pytest.mark.parametrize("theme", FOREIGN_THEMES)
def test_foreign_charts_have_no_colliding_or_illegible_text(theme: str | None, foreign_root: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    charts = placed_charts(foreign_root, "sleep-and-learning", theme)
    assert len({p.chart.type for p in charts}) >= 8  # every kind the workspace shows
    faults = [f for p in charts for f in text_faults(p.chart, p.style, p.width_in, p.height_in, TEST_DPI, monkeypatch)]
    assert not faults, "\n".join(faults)


@pytest.mark.parametrize(("width_in", "height_in"), SLIDE_SIZES)
def test_every_chart_fits_both_slide_shapes(width_in: float, height_in: float, foreign_root: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """The same charts on a 16:9 and on a 4:3 content area, whatever the deck they came from."""
    charts = {id(p.chart): p for p in placed_charts(REPO, "keynote-2h", None)}
    charts.update({id(p.chart): p for p in placed_charts(foreign_root, "sleep-and-learning", None)})
    faults = [f for p in charts.values() for f in text_faults(p.chart, p.style, width_in, height_in, TEST_DPI, monkeypatch)]
    assert not faults, "\n".join(faults)


# ---------------------------------------------------------------------------------------------
# the slides' font


def _deck_style(body: FontFace) -> DeckStyle:
    colours = {"background": "FFFFFF", "text": "1F2933", "accent2": "B35900", "accent": "0047AB"}
    return DeckStyle(colors=colours, palette=("0047AB", "B35900", "006B3C"), heading=body, body=body)


@pytest.mark.parametrize(("template_font", "drawn_with"), [("Calibri", "Carlito"), ("Verdana", "DejaVu Sans")])
@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_text_is_set_in_the_font_the_slides_are_measured_with(template_font: str, drawn_with: str,
                                                                    name: str) -> None:  # fmt: skip
    face = find_face(template_font)
    if face.measured != drawn_with or face.regular is None:
        pytest.skip(f"{template_font} is measured with {face.measured} here, not {drawn_with}")
    style = chart_style(_deck_style(face))
    assert style.font_family == template_font  # what a native chart names, and PowerPoint shows
    fig = build_figure(CHARTS[name], style, 10.0, 5.0, dpi=72)
    texts = [t for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()]
    assert texts
    for t in texts:
        assert t.get_fontname() == drawn_with, (t.get_text(), t.get_fontname())
        # Not just a family of that name: the very file the slide text is measured with.
        if t.get_fontweight() in ("normal", 400) and t.get_fontstyle() == "normal":
            assert Path(font_manager.findfont(t.get_fontproperties())).resolve() == Path(face.regular).resolve()
