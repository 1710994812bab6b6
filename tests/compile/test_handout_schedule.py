"""Tests for compile/handout_schedule.py: the one schedule every time in the handout is read from."""

from __future__ import annotations

from lecturegen.compile.handout_schedule import build_programme, clock_from, schedule_spans
from lecturegen.compile.timing import SectionTiming, TimedItem, TimingPlan


def plan() -> TimingPlan:
    """Section A, a break in the middle of section B, B again, then a reserved block."""
    items = (TimedItem(1, "a", "bullets", "A", 10.4, 0.0), TimedItem(2, "b", "bullets", "B", 20.0, 10.4),
             TimedItem(3, "Coffee", "break", "B", 15.0, 30.4), TimedItem(4, "c", "bullets", "B", 9.6, 45.4),
             TimedItem(None, "Questions", "reserved", "", 5.0, 55.0))
    return TimingPlan(items, (SectionTiming("A", 0.0, 10.4, 1),), slot=60.0, reserved=5.0, total=60.0)


def test_a_clock_shows_wall_times_from_a_start_and_elapsed_times_without_one() -> None:
    wall, elapsed = clock_from("09:30"), clock_from(None)
    assert wall.wall and not elapsed.wall
    assert wall.show(wall.minute(45.5)) == "10:16" and elapsed.show(elapsed.minute(65.0)) == "1:05"


def test_a_break_splits_its_section_and_the_second_stretch_says_it_continues() -> None:
    spans = schedule_spans(plan(), clock_from("09:00"), "Opening")
    assert [(s.title, s.kind) for s in spans] == [("A", "section"), ("B", "section"), ("Coffee", "break"),
                                                 ("B (continued)", "section"), ("Questions", "reserved")]
    assert all(a.end == b.start for a, b in zip(spans, spans[1:]))


def test_every_programme_row_lasts_its_time_range() -> None:
    programme = build_programme(plan(), clock_from("09:00"), "Opening")
    assert programme.clock_times and programme.summary == "09:00–10:00"
    for row in programme.rows:
        start, end = (int(t[:2]) * 60 + int(t[3:]) for t in (row.start, row.end))
        assert end - start == row.minutes
