"""Compile tests: a revealed chart's clicks are counted on its slide (the notes' cue says them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecturegen.build import prepare
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Slide
from lecturegen.workspace import Workspace
from tests.conftest import MINI_BIB, MINI_TALK, write_workspace

SECTION = """\
title: Charts
summary: Charts built click by click.
slides:
{slides}
"""
SLIDE = """\
  - kind: chart
    id: {id}
    title: Four samples
    chart: {{type: {type}, data: alphas, x: sample, y: alpha, reveal: {reveal}, native: {native}}}
    notes: Four values.
"""


@pytest.fixture(scope="module")
def slides(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Slide]:
    cases = [("native-points", "bar", "points", "true"), ("picture-points", "bar", "points", "false"),
             ("native-series", "line", "series", "true"), ("still", "bar", "none", "false")]
    section = SECTION.format(slides="".join(SLIDE.format(id=i, type=t, reveal=r, native=n) for i, t, r, n in cases))
    root = write_workspace(tmp_path_factory.mktemp("reveal") / "ws", {
        "bibliography.bib": MINI_BIB,
        "content/talks/small.yaml": MINI_TALK.replace("use: intro", "use: charts"),
        "content/sections/charts.yaml": section,
        "content/data/alphas.csv": "sample,alpha\nA,0.85\nB,0.93\nC,0.91\nD,0.92\n",
        "content/data/alphas.yaml": "title: Alphas\nillustrative: true\ncolumns: {sample: text, alpha: number}\n",
    })  # fmt: skip
    diags = Diagnostics()
    result = prepare(Workspace(root), "small", diags)
    assert not diags.errors, [d.render() for d in diags.items]
    return {s.id or "": s for s in result.result.deck.slides if s.id}


def test_a_native_chart_takes_a_click_per_step(slides: dict[str, Slide]) -> None:
    assert slides["native-points"].clicks == 4
    assert slides["native-series"].clicks == 1


def test_a_picture_chart_shows_its_first_step_without_a_click(slides: dict[str, Slide]) -> None:
    assert slides["picture-points"].clicks == 3
    assert slides["still"].clicks == 0
