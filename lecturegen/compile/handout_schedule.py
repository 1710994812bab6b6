"""Compile layer: the handout's one schedule: clock minutes, the running order's spans and the programme rows."""

from __future__ import annotations

import math

from lecturegen.compile.handout_text import duration
from lecturegen.compile.timing import TimingPlan, parse_clock
from lecturegen.model.handout import Programme, ProgrammeRow
from lecturegen.records import record

# ── the clock ────────────────────────────────────────────────────────────────────────────────────


@record
class Clock:
    """Offsets in the plan → whole minutes → strings; every time and duration goes through `minute`."""

    origin: float | None  # minutes after midnight, or None for elapsed times

    @property
    def wall(self) -> bool:
        return self.origin is not None

    def minute(self, offset: float, shift: float = 0.0) -> int:
        # Half a minute rounds up (not to even): 0.5 and 1.5 must not both become 0 and 2.
        if self.origin is None:
            return math.floor(offset + 0.5)
        return math.floor(self.origin + offset + shift + 0.5)

    def show(self, minute: int) -> str:
        if self.origin is None:
            return f"{minute // 60}:{minute % 60:02d}"
        minute %= 24 * 60
        return f"{minute // 60:02d}:{minute % 60:02d}"


def clock_from(start: str | None) -> Clock:
    """The clock for a programme starting at `start` ("09:30"), or elapsed times without one."""
    return Clock(parse_clock(start) if start else None)


# ── programme ────────────────────────────────────────────────────────────────────────────────────


@record(frozen=False)
class Span:
    title: str
    kind: str
    day: int
    start: int
    end: int
    section: str = ""  # the section a "section" span belongs to (its title without "(continued)")


def schedule_spans(plan: TimingPlan, clock: Clock, opening: str) -> list[Span]:
    """The running order in whole clock minutes: a span per stretch of a section between breaks, and one per
    break and reserved block. The programme's rows and every section's header are read from these, so that
    no time in the handout disagrees with another."""
    spans: list[Span] = []
    for item in plan.items:
        if item.kind == "references":
            continue
        start = clock.minute(item.start, item.clock_shift)
        end = clock.minute(item.start + item.minutes, item.clock_shift)
        if item.kind in ("break", "reserved"):
            kind = "day-end" if item.kind == "break" and item.minutes == 0 else item.kind
            spans.append(Span(item.title, kind, item.day, start, end))
            continue
        title = item.section or opening
        last = spans[-1] if spans else None
        if last is not None and last.kind == "section" and last.day == item.day and last.section == title:
            last.end = end
        else:
            resumed = any(s.section == title and s.kind == "section" for s in spans)
            spans.append(Span(f"{title} (continued)" if resumed else title, "section", item.day, start, end,
                               title))
    # A section that rounds to no time at all (a header slide alone) would be a row reading "0 min".
    return [s for s in spans if s.end > s.start or s.kind == "day-end"]


def build_programme(plan: TimingPlan, clock: Clock, opening: str) -> Programme:
    """One row per section in running order; breaks and reserved blocks are rows of their own.

    Built from the plan's timed items rather than its section totals, so that a break in the middle
    of a section splits it and generated slides (references) do not stretch the close. Start, end
    and minutes of a row all come from the same whole clock minutes, so end − start == minutes.
    """
    spans = schedule_spans(plan, clock, opening)
    rows = tuple(ProgrammeRow(clock.show(s.start), clock.show(s.end), s.end - s.start,
                              duration(s.end - s.start) if s.kind != "day-end" else "", s.title, s.kind, s.day)
                 for s in spans)
    days = max((r.day for r in rows), default=1)
    if not rows:
        summary = ""
    elif clock.wall:
        per_day = []
        for day in range(1, days + 1):
            mine = [r for r in rows if r.day == day]
            if mine:
                per_day.append((f"Day {day}: " if days > 1 else "") + f"{mine[0].start}–{mine[-1].end}")
        summary = " · ".join(per_day)
    else:
        total = spans[-1].end - spans[0].start
        summary = f"{duration(total)} in all · times from the start of the session"
    return Programme(rows, clock.wall, summary, days)
