"""Tests for parse_chart (load) and bind_chart (compile): columns, values and alt text."""

from __future__ import annotations

import math
from pathlib import Path

from lecturegen.compile.charts import bind_chart, format_value
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.model.deck import Chart, Run
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
        "type: bar\ndata: rdfs-reliability\nx: sample\ny: alpha\ny_min: 0.8\ny_max: 1.0\nhighlight: Clients (2019)\n"
    )
    assert lines == []
    assert chart is not None
    assert chart.categories == ("Therapists (2019)", "Clients (2019)", "UK patients (2023)", "US patients (2023)")
    assert chart.series[0].values == (0.85, 0.93, 0.91, 0.92)
    assert chart.source == (Run("Source: dimalta2019; dimalta2023", cited=True),)
    assert chart.options["format"] == "r"
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
    chart, _ = _bind("type: bar\ndata: sample-sizes\nx: study\ny: participants\nlog: true\nsort: descending\n")
    assert chart is not None
    assert chart.categories[:3] == ("Di Malta et al. 2025", "Di Malta et al. 2023", "Di Malta et al. 2019")
    assert "15 values from 5 (Amos 2023) to 1,086 (Di Malta et al. 2025)" in chart.alt


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
        "content/talks/k.yaml:5:1: error: unknown key 'colour' in a chart (expected one of: 'data', 'format', "
        "'group', 'high', 'highlight', 'label', 'log', 'low', 'mute', 'native', 'note', 'orientation', "
        "'reference', 'sort', 'total', 'type', 'value', 'value_labels', 'x', 'x_title', 'y', 'y_max', "
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
    assert format_value(math.nan, "r") == "no value"
