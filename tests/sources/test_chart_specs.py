"""Chart specs under hostile input: numbers in options, series and waffle caps, the size check at bind time."""

from __future__ import annotations

import pytest

from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.sources.charts import ChartSpec, check_chart_size, parse_chart
from lecturegen.sources.data import DataColumn, Dataset
from lecturegen.sources.yamlload import Ctx, compose_yaml


def parse(text: str) -> tuple[ChartSpec | None, list[str]]:
    diags = Diagnostics()
    node = compose_yaml(f"chart: {text}\n", "s.yaml", diags)
    assert node is not None
    spec = parse_chart(node.value[0][1], Ctx("s.yaml", diags))
    return spec, [d.render() for d in diags.items]


@pytest.mark.parametrize("text, line", [
    ("{type: bar, data: d, x: a, y: b, y_max: .inf}", "s.yaml:1:48: error: 'y_max' must be a finite number, got '.inf' "
                                                     "[yaml.type]"),
    ("{type: bar, data: d, x: a, y: b, y_min: -1.0e+300}", "s.yaml:1:48: error: 'y_min' must be at least -1e+15, got "
                                                          "-1.0e+300 [yaml.range]"),
    ("{type: bar, data: d, x: a, y: b, reference: 1" + "0" * 400 + "}",
     "s.yaml:1:52: error: 'reference' must be at most 1e+15, got 100000000000000000000000… (401 characters) "
     "[yaml.range]"),
    ("{type: bar, data: d, x: a, y: b, reference: [.nan]}", "s.yaml:1:53: error: 'reference' must be a finite number, "
                                                           "got '.nan' [yaml.type]"),
    ("{type: bar, data: d, x: a, y: [" + ", ".join(f"c{i}" for i in range(51)) + "]}",
     "s.yaml:1:38: error: a chart may have at most 50 series, got 51 [chart.too-large]"),
    ("{type: waffle, data: d, value: n, total: '" + "9" * 5000 + "'}",
     "s.yaml:1:49: error: 'total' must be at most 400, got 999999999999999999999999… (5,000 characters) (a waffle "
     "chart has one square per unit of its total) [chart.waffle]"),
])
def test_chart_numbers_and_counts_are_bounded_at_load(text: str, line: str) -> None:
    assert parse(text)[1] == [line]


def dataset(rows: int, series: int = 1, groups: int = 0) -> Dataset:
    columns = [DataColumn("x", "text", tuple(f"c{i // max(groups, 1)}" for i in range(rows)))]
    if groups:
        columns.append(DataColumn("g", "text", tuple(f"g{i % groups}" for i in range(rows))))
    columns += [DataColumn(f"y{j}", "number", (1.0,) * rows) for j in range(series)]
    return Dataset("big", "Big", tuple(columns), ("cooper2005",), "", "", False, Location("content/data/big.csv"),
                   rows=rows)


DATA_AT = Location("content/sections/intro.yaml", 22, 30)


def size_check(spec: ChartSpec, data: Dataset) -> list[str]:
    diags = Diagnostics()
    assert check_chart_size(spec, data, diags) is (not diags.items)
    return [d.render() for d in diags.items]


def chart(**options: object) -> ChartSpec:
    return ChartSpec(type=str(options.pop("type", "bar")), location=Location("content/sections/intro.yaml", 22, 12),
                     key_locations=(("data", DATA_AT),), **options)  # type: ignore[arg-type]


def test_charts_within_the_caps_pass() -> None:
    assert size_check(chart(x="x", y=("y0",)), dataset(200)) == []
    assert size_check(chart(x="x", y=("y0",), group="g", native=True), dataset(5000, groups=10)) == []


def test_a_picture_chart_is_refused_past_what_it_can_draw_in_time() -> None:
    assert size_check(chart(x="x", y=("y0", "y1")), dataset(150, series=2)) == [
        "content/sections/intro.yaml:22:30: error: dataset 'big' gives this chart 150 categories of 2 series; a chart "
        "drawn as a picture shows at most 200 values (summarise the data for the slide, or make it 'native: true' "
        "(up to 10,000 values)) [chart.too-large]"]


def test_a_native_chart_is_refused_past_its_category_and_series_caps() -> None:
    assert size_check(chart(x="x", y=("y0",), native=True), dataset(1001)) == [
        "content/sections/intro.yaml:22:30: error: dataset 'big' gives this chart 1,001 categories of 1 series; a "
        "chart shows at most 1,000 categories of 50 series (summarise the data for the slide) [chart.too-large]"]
    assert size_check(chart(x="x", y=("y0",), group="g", native=True), dataset(60, groups=60)) == [
        "content/sections/intro.yaml:22:30: error: dataset 'big' gives this chart 1 categories of 60 series; a "
        "chart shows at most 1,000 categories of 50 series (summarise the data for the slide) [chart.too-large]"]
    assert size_check(chart(x="x", y=tuple(f"y{j}" for j in range(20)), native=True), dataset(600, series=20)) == [
        "content/sections/intro.yaml:22:30: error: dataset 'big' gives this chart 600 categories of 20 series; a "
        "native chart shows at most 10,000 values (summarise the data for the slide) [chart.too-large]"]
