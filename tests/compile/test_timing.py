"""Timing model: explicit minutes, notes at the speaking rate, per-kind minimums, clock arithmetic."""

from __future__ import annotations

from lecturegen.compile.timing import clock, elapsed, estimate_minutes, minutes_seconds, parse_clock


def test_explicit_minutes_win() -> None:
    assert estimate_minutes("bullets", "word " * 1000, 130, 2.0) == 2.0


def test_notes_at_the_speaking_rate() -> None:
    assert estimate_minutes("bullets", "word " * 260, 130, None) == 2.0
    assert estimate_minutes("bullets", "word " * 260, 120, None) == round(260 / 120, 2)


def test_kind_minimum_applies_to_short_notes() -> None:
    assert estimate_minutes("chart", "one line", 130, None) == 1.25
    assert estimate_minutes("section", "", 130, None) == 0.25


def test_clock_arithmetic() -> None:
    start = parse_clock("09:30")
    assert start == 570
    assert clock(start, 95) == "11:05"
    assert clock(parse_clock("23:30"), 45) == "00:15"
    assert elapsed(75) == "1:15"
    assert minutes_seconds(12.5) == "12:30"
    assert parse_clock("25:00") is None and parse_clock("9.30") is None
