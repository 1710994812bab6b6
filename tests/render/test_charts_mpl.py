"""Tests for the matplotlib chart renderer: exact size, determinism, legible text, highlights."""

from __future__ import annotations

import io

import matplotlib
import pytest
from matplotlib.text import Text
from PIL import Image

from lecturegen.model.deck import Chart, ChartSeries, Run
from lecturegen.model.chart import Reference, options_for, with_base
from lecturegen.render.chart_style import MIN_TEXT_PT, ChartStyle
from lecturegen.render.charts_mpl import build_figure, render_chart_png

STYLE = ChartStyle(palette=("1F4E79", "E69F00", "009E73"), accent="C0504D", font_family="Calibri")


def bar_chart(**options: object) -> Chart:
    opts = {"format": "r", "y_min": 0.8, "y_max": 1.0, "highlight": ("Clients",), "y_title": "Cronbach's α",
            "references": (Reference(0.9, "α = .90"),)}  # fmt: skip
    opts.update(options)
    return Chart(
        type="bar",
        categories=("Therapists", "Clients", "UK", "US"),
        series=(ChartSeries("alpha", (0.85, 0.93, 0.91, 0.92)),),
        alt="Bar chart",
        source=(Run("Source: Di Malta et al. (2023)"),),
        options=options_for("bar", **opts),
    )


CHARTS = {
    "bar": bar_chart(),
    "horizontal": bar_chart(orientation="horizontal", y_min=None, y_max=None),
    "grouped": Chart("grouped-bar", ("Retest", "Divergent", "Criterion"),
                     (ChartSeries("UK", (0.73, 0.10, 0.69)), ChartSeries("US", (0.76, 0.12, 0.70))), "alt", (),
                     options_for("grouped-bar", **{"format": "r", "note": "UK-then-US order assumed"})),
    "stacked": Chart("stacked", ("Clients",), tuple(ChartSeries(n, (v,)) for n, v in
                     (("Female", 501.0), ("Male", 234.0), ("Prefer not to say", 347.0), ("Other", 4.0))), "alt", (),
                     options_for("stacked", **{"format": "int"})),
    "pie": Chart("pie", ("A", "B"), (ChartSeries("n", (336.0, 220.0)),), "alt", (), options_for("pie", **{"format": "int"})),
    "dot": Chart("dot", ("Depression", "Alliance"), (ChartSeries("r", (-0.06, 0.103), (-0.1, 0.05), (0.0, 0.15)),),
                 "alt", (), options_for("dot", **{"format": "r3", "references": (Reference(0.0),)})),
    "line": Chart("line", ("2019", "2023", "2025"), (ChartSeries("n", (556.0, 916.0, 1086.0)),), "alt", (), options_for("line", **{"format": "int"})),
    "slope": Chart("slope", ("Social desirability", "Satisfaction"),
                   (ChartSeries("First sample", (0.10, 0.69)), ChartSeries("Second sample", (0.12, 0.70))), "alt", (),
                   options_for("slope", format="r", y_min=0.0, y_max=1.0, highlight=("First sample",))),
    "waffle": Chart("waffle", ("Interviewees",), (ChartSeries("Interviewees", (5.0,)), ChartSeries("total", (7.0,))),
                    "alt", (), options_for("waffle", **{"format": "int"}), illustrative=True),
    "timeline": Chart("timeline", ("2005", "2019"), (ChartSeries("year", (2005.0, 2019.0)),), "alt", (), options_for("timeline", **{"format": "d"}),
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
        assert float(t.get_fontsize()) >= MIN_TEXT_PT, (t.get_text(), t.get_fontsize())
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


# ---------------------------------------------------------------------------------------------
# highlight, empty categories, cut axes, value labels


def _texts(fig: matplotlib.figure.Figure) -> list[Text]:
    from lecturegen.render.charts_mpl import drawn_texts

    return drawn_texts(fig)


def _hexes(artists: object) -> list[str]:
    return [matplotlib.colors.to_hex(a.get_facecolor()).upper() for a in artists]  # type: ignore[attr-defined]


ACCENT = "#" + STYLE.accent


@pytest.mark.parametrize("name", ["grouped", "dot", "line", "pie", "stacked", "waffle", "timeline"])
def test_every_kind_marks_what_the_highlight_names(name: str) -> None:
    chart = CHARTS[name]
    target = {"grouped": "US", "dot": "Alliance", "line": "2023", "pie": "B", "stacked": "Male",
              "waffle": "Interviewees", "timeline": "2019"}[name]  # fmt: skip
    chart = Chart(chart.type, chart.categories, chart.series, chart.alt, chart.source,
                  with_base(chart, highlight=(target,)).options, labels=chart.labels)  # fmt: skip
    fig = build_figure(chart, STYLE, 10.0, 5.0, dpi=72)
    painted = {matplotlib.colors.to_hex(c).upper() for a in fig.findobj() for c in _colours_of(a)}  # type: ignore[arg-type]
    assert ACCENT in painted, (name, painted)
    if name in ("grouped", "pie", "stacked"):
        assert "#" + STYLE.muted in painted  # the rest recedes


def _colours_of(artist: object) -> list[object]:
    out = []
    for getter in ("get_facecolor", "get_color", "get_markerfacecolor"):
        try:
            value = getattr(artist, getter)()
        except (AttributeError, TypeError, ValueError):
            continue
        values = value if hasattr(value, "ndim") and getattr(value, "ndim", 1) == 2 else [value]
        for v in values:
            try:
                if matplotlib.colors.to_rgba(v)[3] > 0:
                    out.append(v)
            except ValueError:
                pass
    return out


def test_a_faint_accent_gives_way_to_the_text_colour() -> None:
    from lecturegen.model.style import DeckStyle, FontFace
    from lecturegen.render.chart_style import chart_style

    face = FontFace("Calibri", "Carlito", "estimated")
    colours = {"background": "FFFFFF", "text": "1F2933", "accent2": "F0E442"}  # yellow on white: 1.2:1
    style = chart_style(DeckStyle(colors=colours, palette=("0072B2",), heading=face, body=face))
    assert style.accent == "1F2933"
    colours["accent2"] = "B35900"
    assert chart_style(DeckStyle(colors=colours, palette=("0072B2",), heading=face, body=face)).accent == "B35900"


def test_an_empty_category_says_not_reported_on_its_baseline() -> None:
    chart = Chart("bar", ("Pool", "Pretest", "Outcome study"), (ChartSeries("Items", (36.0, 16.0, float("nan"))),),
                  "alt", (), options_for("bar", **{"format": "int"}))  # fmt: skip
    fig = build_figure(chart, STYLE, 10.0, 4.5, dpi=72)
    ax = fig.axes[0]
    marks = [t for t in _texts(fig) if t.get_text() == "not reported"]
    assert len(marks) == 1
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    extent, baseline = marks[0].get_window_extent(renderer), ax.transData.transform((2, 0))
    assert abs(extent.y0 - baseline[1]) < 12 and abs((extent.x0 + extent.x1) / 2 - baseline[0]) < 2
    assert float(marks[0].get_fontsize()) >= MIN_TEXT_PT


def test_a_cut_axis_is_marked_and_noted() -> None:
    chart = bar_chart(axis_note="Axis starts at .80, not zero")
    fig = build_figure(chart, STYLE, 10.0, 4.5, dpi=72)
    assert fig.axes[0].get_ylim()[0] == pytest.approx(0.8)
    assert any(t.get_text().startswith("Axis starts at .80, not zero.") for t in _texts(fig))
    strokes = [line for line in fig.axes[0].lines if not line.get_clip_on() and line.get_linestyle() == "-"]
    assert len(strokes) == 2  # the break mark on the value axis
    plain = build_figure(bar_chart(y_min=None), STYLE, 10.0, 4.5, dpi=72)
    assert plain.axes[0].get_ylim()[0] == 0  # a bar chart without a declared cut stands on zero


def test_labels_go_inside_their_bars_alike_when_there_is_no_room_above() -> None:
    # y_max fixed at the tallest value: no room above the bars, so every label of the series goes inside.
    chart = bar_chart(y_min=0.0, y_max=0.93, references=(), highlight=())
    fig = build_figure(chart, STYLE, 10.0, 4.5, dpi=72)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    bars = [b for b in fig.axes[0].patches if b.get_visible()]
    labels = [t for t in _texts(fig) if t.get_text() in (".85", ".93", ".91", ".92")]
    assert len(labels) == 4
    for label, bar in zip(sorted(labels, key=lambda t: t.xy[0]), bars):  # type: ignore[attr-defined]
        assert bar.get_window_extent(renderer).contains(*label.get_window_extent(renderer).get_points().mean(axis=0))
        assert label.get_color() in ("#FFFFFF", "#ffffff")  # white reads on the palette's dark bar


def test_labels_that_cannot_fit_are_shortened_then_dropped() -> None:
    long_label = "p = .010, the authors call this small but robust"
    chart = Chart("bar", tuple(f"Path {i}" for i in range(6)), (ChartSeries("r", (0.06, 0.05, 0.04, 0.03, 0.02, 0.01)),),
                  "alt", (), options_for("bar", **{"format": "r3"}), labels=(long_label,) * 6)  # fmt: skip
    fig = build_figure(chart, STYLE, 9.0, 4.0, dpi=72)
    texts = [t.get_text() for t in _texts(fig)]
    assert not [t for t in texts if long_label in t]  # six of these side by side cannot fit 9 in
    assert {".060", ".050", ".040"} <= set(texts)  # the numbers themselves do


def test_a_donut_hole_says_something_the_legend_does_not() -> None:
    def centre(chart: Chart) -> list[str]:
        fig = build_figure(chart, STYLE, 10.0, 5.0, dpi=72)
        return [t.get_text() for t in fig.axes[0].texts if t.get_text()]  # the hole's words (the legend's are its own artists)

    counts = CHARTS["pie"]
    assert centre(counts) == ["556", "in total"]  # counts: their total is news
    shares = Chart("pie", ("Insufficient (under 8 hours)", "Borderline", "Optimal"),
                   (ChartSeries("%", (68.9, 23.5, 7.6)),), "alt", (), options_for("pie", **{"format": ".1f"}))  # fmt: skip
    assert centre(shares) == []  # shares of a whole: "100.0 in total" would tell the room nothing
    marked = Chart(shares.type, shares.categories, shares.series, "alt", (),
                   with_base(shares, highlight=("Insufficient (under 8 hours)",)).options)  # fmt: skip
    assert centre(marked) == ["68.9", "Insufficient"]  # the slice the title talks about, in its colour
