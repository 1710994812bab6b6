"""Model tests: chart numbers as slides write them, wrapping at spaces, and timeline plans."""

from __future__ import annotations

import math

import pytest

from lecturegen.model.chart_text import MINUS, NOT_REPORTED, format_value, plan_timeline, wrap_text


class Mono:
    """A fixed-width font: each character is half the size wide (bold too)."""

    line_height = 1.2

    def width(self, text: str, size_pt: float, bold: bool = False) -> float:
        return len(text) * size_pt * 0.5


FONT = Mono()


@pytest.mark.parametrize(("value", "fmt", "expected"), [
    (1086.4, "int", "1,086"),
    (0.853, "r", ".85"),
    (-0.0604, "r3", f"{MINUS}.060"),
    (1.5, "r", "1.50"),
    (0.0, "r", "0"),
    (3.14159, ".1f", "3.1"),
    (-2.0, None, f"{MINUS}2"),
    (42.0, "03d", "042"),
    (0.25, ".0%", "25%"),
    (7.0, "bogus", "7"),
    (float("nan"), "int", NOT_REPORTED),
])
def test_format_value(value: float, fmt: str | None, expected: str) -> None:
    assert format_value(value, fmt) == expected


def test_wrap_text_greedily_at_spaces() -> None:
    # 10 pt: 5 pt a character; 50 pt holds ten characters.
    assert wrap_text(FONT, "one two three four", 10, 50) == ("one two", "three four")
    assert wrap_text(FONT, "", 10, 50) == ("",)
    assert wrap_text(FONT, "unbreakableword", 10, 50) is None


def test_statistics_stay_whole_when_wrapped() -> None:
    assert wrap_text(FONT, "sample n = 342 here", 10, 50) == ("sample", "n = 342", "here")
    assert wrap_text(FONT, "a p < .05 b", 10, 35) == ("a", "p < .05", "b")


def test_a_short_timeline_fits_in_one_column_at_the_base_size() -> None:
    plan = plan_timeline(["1950", "1970"], ["Founded", "Grew"], 600, 400, FONT, 18, 12)
    assert plan.fits and plan.size_pt == 18 and plan.columns == 1
    assert [(r.year, r.lines, r.column) for r in plan.rows] == [("1950", ("Founded",), 0), ("1970", ("Grew",), 0)]
    assert plan.rows[0].top_pt == pytest.approx(18 * 0.6)
    assert plan.rows[1].top_pt > plan.rows[0].top_pt


def test_a_long_timeline_takes_more_columns_or_smaller_text_but_keeps_every_event() -> None:
    years = [str(1900 + 10 * i) for i in range(12)]
    texts = [f"Event number {i} happened" for i in range(12)]
    plan = plan_timeline(years, texts, 900, 200, FONT, 18, 12)
    assert plan.fits
    assert plan.columns > 1 or plan.size_pt < 18
    assert [r.year for r in plan.rows] == years
    columns = [r.column for r in plan.rows]
    assert columns == sorted(columns)  # events run down one column, then the next
    assert max(r.top_pt + len(r.lines) * plan.line_pt for r in plan.rows) <= 200


def test_a_timeline_that_cannot_fit_says_so() -> None:
    plan = plan_timeline(["1"] * 40, ["x"] * 40, 300, 50, FONT, 18, 12)
    assert not plan.fits
    assert plan.size_pt == 12
    assert len(plan.rows) == 40
    assert not math.isnan(plan.line_pt)
