"""Tests for the matplotlib chart renderer: exact size, determinism, legible text, highlights."""

from __future__ import annotations

import io

import matplotlib
import pytest
from matplotlib.text import Text
from PIL import Image

from lecturegen.model.deck import Chart, ChartSeries, Run
from lecturegen.render.chart_style import MIN_TEXT_PT, ChartStyle
from lecturegen.render.charts_mpl import build_figure, render_chart_png

STYLE = ChartStyle(palette=("1F4E79", "E69F00", "009E73"), accent="C0504D", font_family="Calibri")


def bar_chart(**options: object) -> Chart:
    opts = {"format": "r", "y_min": 0.8, "y_max": 1.0, "highlight": ("Clients",), "y_title": "Cronbach's α",
            "reference": ((0.9, "α = .90"),)}  # fmt: skip
    opts.update(options)
    return Chart(
        type="bar",
        categories=("Therapists", "Clients", "UK", "US"),
        series=(ChartSeries("alpha", (0.85, 0.93, 0.91, 0.92)),),
        alt="Bar chart",
        source=(Run("Source: Di Malta et al. (2023)"),),
        options=opts,
    )


CHARTS = {
    "bar": bar_chart(),
    "horizontal": bar_chart(orientation="horizontal", y_min=None, y_max=None),
    "grouped": Chart("grouped-bar", ("Retest", "Divergent", "Criterion"),
                     (ChartSeries("UK", (0.73, 0.10, 0.69)), ChartSeries("US", (0.76, 0.12, 0.70))), "alt", (),
                     {"format": "r", "note": "UK-then-US order assumed"}),
    "stacked": Chart("stacked", ("Clients",), tuple(ChartSeries(n, (v,)) for n, v in
                     (("Female", 501.0), ("Male", 234.0), ("Prefer not to say", 347.0), ("Other", 4.0))), "alt", (),
                     {"format": "int"}),
    "pie": Chart("pie", ("A", "B"), (ChartSeries("n", (336.0, 220.0)),), "alt", (), {"format": "int"}),
    "dot": Chart("dot", ("Depression", "Alliance"), (ChartSeries("r", (-0.06, 0.103), (-0.1, 0.05), (0.0, 0.15)),),
                 "alt", (), {"format": "r3", "reference": ((0.0, ""),)}),
    "line": Chart("line", ("2019", "2023", "2025"), (ChartSeries("n", (556.0, 916.0, 1086.0)),), "alt", (), {"format": "int"}),
    "waffle": Chart("waffle", ("Interviewees",), (ChartSeries("Interviewees", (5.0,)), ChartSeries("total", (7.0,))),
                    "alt", (), {"format": "int"}, illustrative=True),
    "timeline": Chart("timeline", ("2005", "2019"), (ChartSeries("year", (2005.0, 2019.0)),), "alt", (), {"format": "d"},
                      labels=("Definitional book", "RDFS paper")),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_png_has_the_exact_size_and_dpi(name: str) -> None:
    png = render_chart_png(CHARTS[name], STYLE, 10.0, 5.0, dpi=150)
    image = Image.open(io.BytesIO(png))
    assert image.size == (1500, 750)
    assert image.info["dpi"] == pytest.approx((150, 150), abs=0.05)  # pHYs stores pixels per metre
    assert b"Software" not in png and b"matplotlib" not in png


def test_rendering_is_deterministic_and_leaves_rcparams_alone() -> None:
    before = dict(matplotlib.rcParams)
    first = render_chart_png(CHARTS["bar"], STYLE, 8, 4.5)
    second = render_chart_png(CHARTS["bar"], STYLE, 8, 4.5)
    assert first == second
    assert dict(matplotlib.rcParams) == before


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_text_is_legible_and_inside_the_picture(name: str) -> None:
    fig = build_figure(CHARTS[name], STYLE, 10.0, 5.0, dpi=100)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert texts
    for t in texts:
        assert t.get_fontsize() >= MIN_TEXT_PT, (t.get_text(), t.get_fontsize())
    # Everything drawn (tick labels in view, value labels, legends, notes) lies inside the picture.
    drawn = fig.get_tightbbox(renderer)
    assert drawn.x0 >= -0.01 and drawn.y0 >= -0.01, drawn
    assert drawn.x1 <= fig.get_figwidth() + 0.01 and drawn.y1 <= fig.get_figheight() + 0.01, drawn


def test_highlight_and_stamp() -> None:
    fig = build_figure(CHARTS["bar"], STYLE, 10.0, 5.0, dpi=100)
    bars = fig.axes[0].patches
    colours = [matplotlib.colors.to_hex(b.get_facecolor()).upper() for b in bars]
    assert colours[1] == "#C0504D" and colours[0] == colours[2] == "#" + STYLE.muted
    fig = build_figure(CHARTS["waffle"], STYLE, 10.0, 5.0, dpi=100)
    assert any(t.get_text() == "Illustrative data" for t in fig.findobj(Text))
