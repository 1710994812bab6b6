"""Tests for sources/charts.py: a slide's `chart:` mapping read into a located ChartSpec, every problem located.

(Hostile numbers and the size check at bind time are in test_chart_specs.py; binding to data in
tests/compile/test_charts.py.)"""

from __future__ import annotations

import textwrap

import pytest

from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.sources.charts import (
    CHART_TYPES,
    TYPE_KEYS,
    ChartSpec,
    ReferenceLine,
    check_format,
    parse_chart,
)
from lecturegen.sources.yamlload import Ctx, compose_yaml


def parse(text: str) -> tuple[ChartSpec | None, list[str]]:
    """The chart's spec from a `chart:` mapping written as YAML, and every problem reported, rendered."""
    diags = Diagnostics()
    node = compose_yaml(textwrap.dedent(text), "s.yaml", diags)
    assert node is not None
    spec = parse_chart(node, Ctx("s.yaml", diags))
    return spec, [d.render() for d in diags.items]


def at(line: int, col: int) -> Location:
    return Location("s.yaml", line, col)


BAR = "type: bar\ndata: scores\nx: group\ny: score\n"


def test_a_full_bar_chart_reads_every_key_into_its_spec() -> None:
    spec, problems = parse("""\
        type: grouped-bar
        data: scores
        x: group
        y: [pre, post]
        orientation: horizontal
        highlight: [Trainees]
        mute: [Controls, Others]
        reference: [0.7, {value: 0.8, label: good}]
        x_title: Group
        y_title: Score
        y_min: 0
        y_max: 1
        log: false
        sort: descending
        format: .2f
        value_labels: false
        native: true
        note: Scores are means.
        axis: truncated
        reveal: series
        """)
    assert problems == []
    assert spec is not None
    assert (spec.type, spec.data, spec.x, spec.y) == ("grouped-bar", "scores", "group", ("pre", "post"))
    assert (spec.orientation, spec.highlight, spec.mute) == ("horizontal", ("Trainees",), ("Controls", "Others"))
    assert spec.reference == (ReferenceLine(0.7), ReferenceLine(0.8, "good"))
    assert (spec.x_title, spec.y_title, spec.y_min, spec.y_max) == ("Group", "Score", 0, 1)
    assert (spec.log, spec.sort, spec.format, spec.value_labels, spec.native) == (False, "descending", ".2f", False,
                                                                                   True)
    assert (spec.note, spec.axis, spec.reveal) == ("Scores are means.", "truncated", "series")
    assert spec.location == at(1, 1)
    assert spec.at("data") == at(2, 7) and spec.at("y") == at(4, 4) and spec.at("reveal") == at(20, 9)


def test_a_chart_of_few_keys_takes_the_defaults() -> None:
    spec, problems = parse(BAR)
    assert problems == [] and spec is not None
    assert (spec.y, spec.group, spec.low, spec.high, spec.p, spec.label) == (("score",), None, None, None, None, None)
    assert (spec.orientation, spec.sort, spec.axis, spec.reveal) == ("vertical", "none", "zero", "none")
    assert (spec.value_labels, spec.native, spec.log, spec.reference) == (True, False, False, ())
    assert spec.at("note") == spec.location  # a key not written answers with the chart


def test_an_unknown_chart_type_is_located_at_its_value_with_a_suggestion() -> None:
    assert parse("type: barr\ndata: d\nx: a\ny: b\n") == (
        None, ["s.yaml:1:7: error: unknown chart type 'barr' (did you mean 'bar'?) [chart.type]"])


def test_a_type_far_from_any_lists_every_type() -> None:
    spec, problems = parse("type: venn\ndata: d\n")
    assert spec is None and len(problems) == 1
    assert problems[0].startswith("s.yaml:1:7: error: unknown chart type 'venn' (expected one of: ")
    assert all(f"'{name}'" in problems[0] for name in CHART_TYPES)


def test_a_key_of_another_type_is_located_at_the_key_and_names_the_types_that_take_it() -> None:
    spec, problems = parse("type: pie\ndata: d\nx: a\ny: b\ninterval: [lo, hi]\n")
    assert spec is None
    assert problems == [
        "s.yaml:5:1: error: a 'pie' chart has no key 'interval' ('interval' belongs to 'bar', 'dot', 'grouped-bar', "
        "'line', 'slope' charts; a 'pie' chart takes: 'data', 'format', 'group', 'highlight', 'label', 'mute', "
        "'native', 'note', 'reveal', 'sort', 'type', 'value_labels', 'x', 'y') [chart.option]"]


@pytest.mark.parametrize("kind", CHART_TYPES)
def test_every_type_refuses_each_key_it_does_not_take(kind: str) -> None:
    others = sorted(frozenset().union(*TYPE_KEYS.values()) - TYPE_KEYS[kind])
    for key in others:
        spec, problems = parse(f"type: {kind}\n{key}: z\n")
        assert spec is None and f"s.yaml:2:1: error: a '{kind}' chart has no key '{key}'" in "\n".join(problems)


def test_a_key_no_chart_takes_is_an_unknown_key() -> None:
    spec, problems = parse(BAR + "colour: red\n")
    assert spec is None and len(problems) == 1
    assert problems[0].startswith("s.yaml:5:1: error: unknown key 'colour' in a chart (expected one of: ")


def test_a_chart_that_is_not_a_mapping_is_an_error() -> None:
    assert parse("- type: bar\n") == (
        None, ["s.yaml:1:1: error: a chart must be a mapping of keys to values, got a list [yaml.type]"])


@pytest.mark.parametrize("text, problems", [
    ("type: bar\nx: a\ny: b\n", ["s.yaml:1:1: error: a 'bar' chart needs 'data' (a dataset in content/data/) "
                                 "[yaml.missing-key]"]),
    ("type: line\ndata: d\n", ["s.yaml:1:1: error: a chart is missing the required key 'y' [yaml.missing-key]",
                               "s.yaml:1:1: error: a chart is missing the required key 'x' [yaml.missing-key]"]),
    ("type: waffle\ndata: d\nx: a\n", ["s.yaml:1:1: error: a chart is missing the required key 'value' "
                                      "[yaml.missing-key]"]),
])
def test_what_a_type_needs_is_required(text: str, problems: list[str]) -> None:
    assert parse(text) == (None, problems)


def test_a_research_timeline_needs_no_data() -> None:
    spec, problems = parse("type: research-timeline\norientation: horizontal\n")
    assert problems == [] and spec is not None
    assert (spec.type, spec.data, spec.orientation) == ("research-timeline", None, "horizontal")


def test_an_interval_names_the_low_and_high_columns_and_answers_for_both() -> None:
    spec, problems = parse(BAR + "interval: [ci_low, ci_high]\np: p_value\n")
    assert problems == [] and spec is not None
    assert (spec.low, spec.high, spec.p) == ("ci_low", "ci_high", "p_value")
    assert spec.at("low") == spec.at("high") == spec.at("interval") == at(5, 11)


def test_low_and_high_may_be_given_as_keys() -> None:
    spec, problems = parse("type: dot\ndata: d\nx: a\ny: b\nlow: lo\nhigh: hi\n")
    assert problems == [] and spec is not None
    assert (spec.low, spec.high) == ("lo", "hi")
    assert (spec.at("low"), spec.at("high")) == (at(5, 6), at(6, 7))


@pytest.mark.parametrize("extra, problem", [
    ("interval: [lo, mid, hi]\n", "s.yaml:5:11: error: 'interval' names two columns, the low and the high end; got 3 "
                                  "(interval: [ci_low, ci_high]) [chart.option]"),
    ("interval: [lo, hi]\nlow: l\n", "s.yaml:5:11: error: give the interval either as 'interval: [low, high]' or as "
                                     "'low:' and 'high:', not both [chart.option]"),
])
def test_an_interval_given_wrongly_is_located_at_the_interval(extra: str, problem: str) -> None:
    assert parse("type: dot\ndata: d\nx: a\ny: b\n" + extra) == (None, [problem])


@pytest.mark.parametrize("reveal", ["none", "series", "points"])
def test_reveal_is_read(reveal: str) -> None:
    spec, problems = parse(BAR + f"reveal: {reveal}\n")
    assert problems == [] and spec is not None and spec.reveal == reveal


def test_a_bad_choice_is_located_at_its_value_with_the_choices() -> None:
    assert parse(BAR + "reveal: slowly\n")[1] == [
        "s.yaml:5:9: error: 'reveal' must be one of 'none', 'points', 'series', got 'slowly' [chart.option]"]
    assert parse(BAR + "sort: ascnding\n")[1] == [
        "s.yaml:5:7: error: 'sort' must be one of 'ascending', 'descending', 'none', got 'ascnding' (did you mean "
        "'ascending'?) [chart.option]"]


def test_a_format_that_formats_no_number_is_located() -> None:
    assert parse(BAR + "format: '%d'\n") == (None, [
        "s.yaml:5:9: error: 'format' is not a number format: '%d' (use a Python format such as '.2f' or ',.0f', or "
        "'int', 'r' (.85), 'r3' (.060), 'percent') [chart.format]"])


@pytest.mark.parametrize("fmt, ok", [("int", True), ("r3", True), ("percent", True), (",.0f", True), (".1%", True),
                                     ("%d", False), ("d", False), ("{:.2f}", False)])
def test_check_format(fmt: str, ok: bool) -> None:
    assert check_format(fmt) is ok


def test_an_empty_value_range_is_located_at_y_max() -> None:
    assert parse(BAR + "y_min: 2\ny_max: 1\n") == (
        None, ["s.yaml:6:8: error: 'y_max' (1) must be greater than 'y_min' (2) [chart.range]"])


def test_a_native_request_a_type_cannot_honour_is_a_warning_and_a_picture() -> None:
    spec, problems = parse("type: waffle\ndata: d\nvalue: n\ntotal: '100'\nnative: true\n")
    assert spec is not None and (spec.native, spec.value, spec.total) == (False, "n", "100")
    assert problems == ["s.yaml:5:9: warning: a 'waffle' chart cannot be a native PowerPoint chart; it is drawn as a "
                        "picture (native charts: 'bar', 'grouped-bar', 'line', 'pie', 'slope', 'stacked') "
                        "[chart.native]"]


def test_reference_lines_are_a_number_a_mapping_or_a_list_of_either() -> None:
    spec = parse(BAR + "reference: 0.5\n")[0]
    assert spec is not None and spec.reference == (ReferenceLine(0.5),)
    spec = parse(BAR + "reference: {value: 2, label: target}\n")[0]
    assert spec is not None and spec.reference == (ReferenceLine(2, "target"),)
    assert parse(BAR + "reference: [[1]]\n")[1] == [
        "s.yaml:5:13: error: a reference line must be a number or a mapping, got a list [yaml.type]"]
