"""The model is plain frozen data; the one rule it carries is the caption-and-sources line."""

from __future__ import annotations

import dataclasses

import pytest

from lecturegen.model.deck import Chart, Run, Slide


def slide(**fields):  # type: ignore[no-untyped-def]
    return Slide(kind="bullets", layout="Title and Content", title=(Run("T"),), **fields)


def test_slides_are_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        slide().kind = "quote"  # type: ignore[misc]


def test_bottom_line_joins_caption_and_sources() -> None:
    s = slide(caption=(Run("A caption"),), sources=(Run("Source: Cooper (2005)"),))
    assert "".join(r.text for r in s.bottom_line()) == "A caption  Source: Cooper (2005)"
    assert slide().bottom_line() == ()


def test_chart_source_and_illustrative_stamp() -> None:
    chart = Chart(type="bar", categories=("a",), series=(), alt="x", source=(Run("Source: X (2020)"),),
                  illustrative=True)
    s = slide(chart=chart)
    runs = s.bottom_line()
    assert runs[0] == Run("Illustrative data. ", bold=True)
    assert "".join(r.text for r in runs).endswith("Source: X (2020)")
