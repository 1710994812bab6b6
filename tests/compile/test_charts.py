"""Tests for parse_chart (load) and bind_chart (compile): columns, values and alt text."""

from __future__ import annotations

import math
from pathlib import Path

from lecturegen.compile.charts import bind_chart, check_chart_fits, format_value, plan_timeline, wrap_text
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.model.deck import Chart, Run
from lecturegen.model.chart import options_for
from lecturegen.sources.charts import ChartSpec, parse_chart
from lecturegen.sources.data import Dataset, load_dataset
from lecturegen.sources.yamlload import Ctx, compose_yaml

ROOT = Path(__file__).resolve().parents[2]


def fake_cite(keys: list[str], loc: Location | None) -> tuple[Run, ...]:
    return (Run("Source: " + "; ".join(keys), cited=True),)


def _spec(text: str, diags: Diagnostics) -> ChartSpec | None:
    node = compose_yaml(text, "content/talks/k.yaml", diags)
    assert node is not None
    return parse_chart(node, Ctx("content/talks/k.yaml", diags))


def _datasets(spec: ChartSpec, root: Path, diags: Diagnostics) -> dict[str, Dataset]:
    """What the load layer gives compile: the chart's dataset, read from the workspace."""
    if spec.data is None:
        return {}
    dataset = load_dataset(root, spec.data, diags, spec.at("data"))
    return {spec.data: dataset} if dataset is not None else {}


def _bind(text: str, years: dict[str, tuple[int, str]] | None = None) -> tuple[Chart | None, list[str]]:
    diags = Diagnostics()
    spec = _spec(text, diags)
    chart = bind_chart(spec, _datasets(spec, ROOT, diags), diags, fake_cite, years) if spec else None
    return chart, [d.render() for d in diags.sorted()]


def test_reliability_bar_binds_values_and_writes_alt_text() -> None:
    chart, lines = _bind(
        "type: bar\ndata: rdfs-reliability\nx: sample\ny: alpha\ny_min: 0.8\ny_max: 1.0\naxis: truncated\n"
        "highlight: Clients (2019)\n"
    )
    assert lines == []
    assert chart is not None
    assert chart.categories == ("Therapists (2019)", "Clients (2019)", "UK patients (2023)", "US patients (2023)")
    assert chart.series[0].values == (0.85, 0.93, 0.91, 0.92)
    assert chart.source == (Run("Source: dimalta2019; dimalta2023", cited=True),)
    assert chart.base.format == "r"
    for value in (".85", ".93", ".91", ".92"):
        assert value in chart.alt
    assert chart.alt.startswith("Bar chart: RDFS internal consistency")
    assert "Source: dimalta2019; dimalta2023." in chart.alt
    assert ".csv" not in chart.alt and "rdfs-reliability" not in chart.alt


def test_long_format_group_becomes_series() -> None:
    chart, lines = _bind("type: grouped-bar\ndata: rdfs-validity\nx: metric\ny: r\ngroup: country\n")
    assert lines == [] and chart is not None
    assert [s.name for s in chart.series] == ["UK", "US"]
    assert chart.series[0].values == (0.73, 0.10, 0.69)
    assert chart.series[1].values == (0.76, 0.12, 0.70)
    assert "Divergent (order assumed): UK .10, US .12" in chart.alt


def test_crosslagged_labels_and_mute() -> None:
    chart, lines = _bind(
        "type: bar\norientation: horizontal\ndata: crosslagged-2025\nx: path\ny: r\nlabel: annotation\nmute: Distress\n"
    )
    assert lines == [] and chart is not None
    assert chart.series[0].values == (-0.060, -0.050, -0.038, 0.103)
    assert chart.labels[2] == "p = .122 (n.s.)"
    assert "Distress \u2212.038, p = .122 (n.s.)" in chart.alt
    assert "Greyed out: Distress." in chart.alt


def test_many_points_give_range_and_extremes() -> None:
    chart, _ = _bind("type: bar\ndata: sample-sizes\nx: study\ny: participants\nlog: true\nsort: descending\n"
                     "value_labels: false\n")
    assert chart is not None
    assert chart.categories[:3] == ("Di Malta et al. 2025", "Di Malta et al. 2023", "Di Malta et al. 2019")
    assert "15 values from 5 (Amos 2023) to 1,086 (Di Malta et al. 2025)" in chart.alt


def test_values_written_on_the_chart_are_all_in_the_alt_text() -> None:
    """The renderer may drop a value label it has no room for: the alt text still has that value."""
    chart, _ = _bind("type: bar\ndata: sample-sizes\nx: study\ny: participants\nlog: true\nsort: descending\n")
    assert chart is not None and len(chart.categories) == 15
    assert "Di Malta et al. 2025 1,086; Di Malta et al. 2023 916;" in chart.alt
    assert "Amos 2023 5" in chart.alt and "15 values" not in chart.alt


def test_a_bar_chart_starts_at_zero_unless_the_cut_is_declared() -> None:
    text = "type: bar\ndata: rdfs-reliability\nx: sample\ny: alpha\ny_min: 0.8\ny_max: 1.0\n"
    chart, lines = _bind(text)
    assert lines == [
        "content/talks/k.yaml:5:8: warning: a bar chart's axis starts at zero: 'y_min: 0.8' would cut every bar "
        "short and exaggerate the differences; drawn from zero (add 'axis: truncated' to cut it on purpose (the "
        "chart then says so), or use a 'dot' chart) [chart.truncated-axis]"
    ]
    assert chart is not None and chart.axis.y_min is None and chart.axis.axis_note == ""
    assert "Value axis from 0 to 1.00." in chart.alt
    chart, lines = _bind(text + "axis: truncated\n")
    assert lines == [] and chart is not None
    assert chart.axis.y_min == 0.8 and chart.axis.axis_note == "Axis starts at .80, not zero"
    assert "Value axis from .80 to 1.00." in chart.alt


def test_dots_and_lines_may_start_anywhere() -> None:
    for kind in ("dot", "line"):
        chart, lines = _bind(f"type: {kind}\ndata: rdfs-reliability\nx: sample\ny: alpha\ny_min: 0.8\n")
        assert lines == [] and chart is not None and chart.axis.y_min == 0.8


def test_axis_truncated_without_a_cut_says_it_does_nothing() -> None:
    _, lines = _bind("type: dot\ndata: rdfs-reliability\nx: sample\ny: alpha\naxis: truncated\n")
    assert lines == ["content/talks/k.yaml:5:7: warning: 'axis: truncated' has no effect here: only a bar chart "
                     "whose 'y_min' is above zero is cut [chart.axis]"]
    _, lines = _bind("type: bar\ndata: rdfs-reliability\nx: sample\ny: alpha\naxis: cut\n")
    assert lines == ["content/talks/k.yaml:5:7: error: 'axis' must be one of 'truncated', 'zero', got 'cut' "
                     "[chart.option]"]


def test_an_empty_value_is_not_reported_in_the_alt_text() -> None:
    chart, _ = _bind("type: bar\ndata: rdfs-funnel\nx: stage\ny: items\n")
    assert chart is not None and math.isnan(chart.series[0].values[-1])
    assert "Outcome study (RDFS in a clinic) not reported." in chart.alt


def test_single_series_stacked_becomes_one_part_whole_bar() -> None:
    chart, _ = _bind("type: stacked\ndata: clinic-gender-2025\nx: gender\ny: n\n")
    assert chart is not None
    assert chart.categories == ("Clients",)
    assert [(s.name, s.values) for s in chart.series] == [
        ("Female", (501.0,)), ("Male", (234.0,)), ("Prefer not to say", (347.0,)), ("Other", (4.0,))
    ]  # fmt: skip
    assert "total 1,086" in chart.alt


def test_waffle_and_timeline() -> None:
    chart, _ = _bind("type: waffle\ndata: rd-online\nvalue: n\ntotal: total\n")
    assert chart is not None and chart.series[0].values == (5.0,) and chart.series[1].values == (7.0,)
    assert "5 of 7 interviewees" in chart.alt
    chart, _ = _bind("type: timeline\ndata: research-timeline\nx: year\nlabel: event\n")
    assert chart is not None and chart.categories[0] == "2005" and chart.categories[-1] == "2025"
    assert "2025: RDFS predicts depression and anxiety change (n = 1,086)" in chart.alt


def test_research_timeline_from_cited_works() -> None:
    years = {"cooper2005": (2005, "Cooper"), "mearns2005": (2005, "Mearns & Cooper"), "dimalta2023": (2023, "Di Malta et al.")}
    chart, lines = _bind("type: research-timeline\n", years)
    assert lines == [] and chart is not None
    assert chart.categories == ("2005", "2023")
    assert chart.labels == ("Cooper; Mearns & Cooper", "Di Malta et al.")
    _, lines = _bind("type: research-timeline\n", {})
    assert lines == [
        "content/talks/k.yaml:1:1: error: a research timeline needs cited works with years; "
        "this talk cites none [chart.no-works]"
    ]


def test_unknown_column_is_located_at_the_key_with_a_hint() -> None:
    _, lines = _bind("type: bar\ndata: rdfs-reliability\nx: sample\ny: alpah\n")
    assert lines == [
        "content/talks/k.yaml:4:4: error: dataset 'rdfs-reliability' has no column 'alpah' "
        "(did you mean 'alpha'?) [chart.unknown-column]"
    ]


def test_text_column_as_value_is_an_error() -> None:
    _, lines = _bind("type: bar\ndata: rdfs-reliability\nx: sample\ny: study\n")
    assert lines[0].startswith("content/talks/k.yaml:4:4: error: column 'study' holds text, but 'y' needs numbers")


def test_unknown_key_and_type_are_located() -> None:
    _, lines = _bind("type: bars\ndata: rdfs-reliability\nx: sample\ny: alpha\ncolour: red\n")
    assert lines == [
        "content/talks/k.yaml:1:7: error: unknown chart type 'bars' (did you mean 'bar'?) [chart.type]",
        "content/talks/k.yaml:5:1: error: unknown key 'colour' in a chart (expected one of: 'axis', 'data', 'format', "
        "'group', 'high', 'highlight', 'interval', 'label', 'log', 'low', 'mute', 'native', 'note', 'orientation', "
        "'p', 'reference', 'reveal', 'sort', 'total', 'type', 'value', 'value_labels', 'x', 'x_title', 'y', 'y_max', "
        "'y_min', 'y_title') [yaml.unknown-key]",
    ]


def test_unknown_dataset_is_located_at_data() -> None:
    _, lines = _bind("type: bar\ndata: rdfs-reliabilty\nx: sample\ny: alpha\n")
    assert lines == [
        "content/talks/k.yaml:2:7: error: unknown dataset 'rdfs-reliabilty' (did you mean 'rdfs-reliability'?) [data.unknown]"
    ]


def test_native_request_for_unsupported_type_warns() -> None:
    chart, lines = _bind("type: dot\ndata: crosslagged-2025\nx: path\ny: r\nnative: true\n")
    assert chart is not None and not chart.native
    assert lines[0].startswith("content/talks/k.yaml:5:9: warning: a 'dot' chart cannot be a native PowerPoint chart")


def test_interval_columns_become_error_values(tmp_path: Path) -> None:
    data = tmp_path / "content" / "data"
    data.mkdir(parents=True)
    (data / "ci.csv").write_text("m,es,lo,hi\nDistress,0.85,0.67,1.03\n")
    (data / "ci.yaml").write_text("title: CORE-OM change\nsource: murphy2014\ncolumns: {m: text, es: number, lo: number, hi: number}\n")
    diags = Diagnostics()
    spec = _spec("type: dot\ndata: ci\nx: m\ny: es\nlow: lo\nhigh: hi\n", diags)
    assert spec is not None
    chart = bind_chart(spec, _datasets(spec, tmp_path, diags), diags, fake_cite)
    assert chart is not None and chart.series[0].errors_low == (0.67,) and chart.series[0].errors_high == (1.03,)
    assert "Distress .85 (.67 to 1.03)" in chart.alt


def test_format_value() -> None:
    assert format_value(0.85, "r") == ".85"
    assert format_value(-0.06, "r3") == "\u2212.060"
    assert format_value(1086, "int") == "1,086"
    assert format_value(0.5, ".2f") == "0.50"
    assert format_value(math.nan, "r") == "not reported"


class _Widths:
    """Half an em per character, as a sans font roughly is: enough to test the planning."""

    line_height = 1.2

    def width(self, text: str, size_pt: float, bold: bool = False) -> float:
        return len(text) * size_pt * 0.5


def _timeline(events: int, text: str = "An event that takes a line or two") -> Chart:
    years = tuple(str(2000 + i) for i in range(events))
    return Chart("timeline", years, (), "alt", (), options_for("timeline", **{"format": "d"}), labels=(text,) * events)


def test_timeline_prefers_the_largest_size_then_the_fewest_columns() -> None:
    few = plan_timeline(*_years_and_texts(_timeline(4)), 870, 320, _Widths(), 18, 14)
    assert few.fits and few.size_pt == 18 and few.columns == 1
    many = plan_timeline(*_years_and_texts(_timeline(17)), 870, 267, _Widths(), 18, 14)
    assert many.fits and many.columns >= 2 and 14 <= many.size_pt <= 18
    assert [r.year for r in many.rows] == [str(2000 + i) for i in range(17)]  # every event, in order
    assert all(len(r.lines) <= 3 for r in many.rows)
    for row in many.rows:
        assert all(_Widths().width(line, many.size_pt) <= many.column_width_pt for line in row.lines)


def test_timeline_never_breaks_a_number_from_its_sign() -> None:
    lines = wrap_text(_Widths(), "Prevalence study online (n = 342)", 18, 200)
    assert lines is not None and any("(n = 342)" in line for line in lines)


def _years_and_texts(chart: Chart) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return chart.categories, chart.labels


def test_a_timeline_too_long_for_its_box_is_a_located_error_that_suggests_splitting() -> None:
    diags = Diagnostics()
    where = Location("content/sections/history.yaml", 9, 5)
    assert check_chart_fits(_timeline(12), 12.1, 4.5, _Widths(), diags, where)
    assert not diags.errors
    assert not check_chart_fits(_timeline(60), 12.1, 4.5, _Widths(), diags, where)
    assert [d.render() for d in diags.sorted()] == [
        "content/sections/history.yaml:9:5: error: a timeline of 60 events does not fit its 12.1 × 4.5 in box "
        "with text of 14 pt or more (split it over two slides (2000–2029 and 2030–2059), or shorten the event "
        "texts) [chart.too-many-events]"
    ]


# ---------------------------------------------------------------------------------------------
# typed options per chart type, intervals and p-values, slope charts, reveals, fallbacks


def _ci_workspace(tmp_path: Path) -> Path:
    data = tmp_path / "content" / "data"
    data.mkdir(parents=True)
    (data / "ci.csv").write_text("m,es,lo,hi,p\nDistress,0.85,0.67,1.03,0.004\nWell-being,0.40,0.20,0.60,< .001\n")
    (data / "ci.yaml").write_text("title: Change\nsource: murphy2014\n"
                                  "columns: {m: text, es: number, lo: number, hi: number, p: text}\n")
    return tmp_path


def _bind_in(root: Path, text: str) -> tuple[Chart | None, list[str]]:
    diags = Diagnostics()
    spec = _spec(text, diags)
    chart = bind_chart(spec, _datasets(spec, root, diags), diags, fake_cite) if spec else None
    return chart, [d.render() for d in diags.sorted()]


def test_interval_and_p_annotate_the_highlighted_element(tmp_path: Path) -> None:
    chart, lines = _bind_in(_ci_workspace(tmp_path), "type: dot\ndata: ci\nx: m\ny: es\ninterval: [lo, hi]\np: p\n"
                                                     "highlight: Distress\nformat: r\n")
    assert lines == [] and chart is not None
    assert chart.series[0].errors_low == (0.67, 0.20) and chart.series[0].errors_high == (1.03, 0.60)
    assert chart.labels == ("[.67, 1.03]\u2002p = .004", "")  # only the highlighted row
    assert "Distress .85 (.67 to 1.03), [.67, 1.03]\u2002p = .004" in chart.alt


def test_without_a_highlight_every_element_is_annotated(tmp_path: Path) -> None:
    chart, _ = _bind_in(_ci_workspace(tmp_path), "type: bar\ndata: ci\nx: m\ny: es\np: p\n")
    assert chart is not None and chart.labels == ("p = .004", "p < .001")


def test_interval_and_low_high_together_are_refused(tmp_path: Path) -> None:
    root = _ci_workspace(tmp_path)
    _, lines = _bind_in(root, "type: dot\ndata: ci\nx: m\ny: es\ninterval: [lo, hi]\nlow: lo\n")
    assert lines == ["content/talks/k.yaml:5:11: error: give the interval either as 'interval: [low, high]' or as "
                     "'low:' and 'high:', not both [chart.option]"]
    _, lines = _bind_in(root, "type: dot\ndata: ci\nx: m\ny: es\ninterval: [lo]\n")
    assert lines[0].startswith("content/talks/k.yaml:5:11: error: 'interval' names two columns")


def test_a_key_of_another_chart_type_is_located_and_says_who_takes_it() -> None:
    _, lines = _bind("type: pie\ndata: clinic-gender-2025\nx: gender\ny: n\ny_min: 0\n")
    assert lines[0].startswith("content/talks/k.yaml:5:1: error: a 'pie' chart has no key 'y_min' "
                               "('y_min' belongs to 'bar', 'dot', 'grouped-bar'")
    assert lines[0].endswith("[chart.option]")


def test_a_bad_reveal_is_located_with_its_choices() -> None:
    _, lines = _bind("type: bar\ndata: rdfs-reliability\nx: sample\ny: alpha\nreveal: bullets\n")
    assert lines == ["content/talks/k.yaml:5:9: error: 'reveal' must be one of 'none', 'points', 'series', got "
                     "'bullets' [chart.option]"]


def test_each_chart_type_gets_its_own_options_record() -> None:
    from lecturegen.model.chart import DotOptions, SlopeOptions, StackedOptions, WaffleOptions

    slope, lines = _bind("type: slope\ndata: rdfs-validity\nx: country\ny: r\ngroup: metric\nreveal: series\n")
    assert lines == [] and slope is not None and isinstance(slope.options, SlopeOptions)
    assert slope.categories == ("UK", "US") and len(slope.series) == 3 and slope.base.reveal == "series"
    assert slope.alt.startswith("Slope chart: RDFS validity profile")
    assert "Built one series per click." in slope.alt
    dot, _ = _bind("type: dot\ndata: crosslagged-2025\nx: path\ny: r\n")
    assert dot is not None and isinstance(dot.options, DotOptions) and dot.horizontal
    stacked, _ = _bind("type: stacked\ndata: clinic-gender-2025\nx: gender\ny: n\n")
    assert stacked is not None and isinstance(stacked.options, StackedOptions)
    waffle, _ = _bind("type: waffle\ndata: rd-online\nvalue: n\ntotal: total\n")
    assert waffle is not None and isinstance(waffle.options, WaffleOptions)


def test_what_a_renderer_cannot_draw_is_a_located_warning() -> None:
    pie, lines = _bind("type: pie\ndata: clinic-gender-2025\nx: gender\ny: n\nreveal: points\n")
    assert pie is not None and pie.base.reveal == "none"
    assert lines == ["content/talks/k.yaml:5:9: warning: a 'pie' chart drawn as a picture is not built step by step; "
                     "it is shown whole (pictures are built step by step for 'bar', 'dot', 'grouped-bar', "
                     "'line', 'slope', 'stacked' charts) [chart.fallback]"]
    native_pie, lines = _bind("type: pie\ndata: clinic-gender-2025\nx: gender\ny: n\nreveal: points\nnative: true\n")
    assert native_pie is not None and native_pie.base.reveal == "points" and lines == []
    _, lines = _bind("type: bar\ndata: rdfs-reliability\nx: sample\ny: alpha\norientation: horizontal\n"
                     "native: true\nreference: 0.9\n")
    assert lines[0].startswith("content/talks/k.yaml:7:12: warning: a native PowerPoint chart draws reference lines "
                               "across columns and lines only")


def test_an_unknown_interval_column_is_located_at_the_interval(tmp_path: Path) -> None:
    _, lines = _bind_in(_ci_workspace(tmp_path), "type: dot\ndata: ci\nx: m\ny: es\ninterval: [lo, top]\n")
    assert lines == ["content/talks/k.yaml:5:11: error: dataset 'ci' has no column 'top' (columns: 'es', 'hi', 'lo', 'm', 'p') "
                     "[chart.unknown-column]"]


def test_annotations_of_several_series_are_left_out_with_a_warning(tmp_path: Path) -> None:
    chart, lines = _bind_in(_ci_workspace(tmp_path), "type: grouped-bar\ndata: ci\nx: m\ny: [es, hi]\np: p\n")
    assert chart is not None and chart.labels == ()
    assert lines == ["content/talks/k.yaml:5:4: warning: interval and p annotations are written beside a chart of one "
                     "series only; here they are left out (the intervals are still drawn) [chart.annotation]"]
