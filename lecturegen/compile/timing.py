"""Compile layer: planned minutes per slide and the talk's timing plan (pure)."""

from __future__ import annotations

import re

from lecturegen.compile.kinds.registry import KINDS
from lecturegen.records import record

_WORD = re.compile(r"[^\s]+")


def words_in(text: str) -> int:
    return len(_WORD.findall(text))


def estimate_minutes(kind: str, notes_text: str, rate_wpm: float, explicit: float | None) -> float:
    """Explicit minutes win; otherwise the spoken notes at the speaking rate, never below the kind's minimum."""
    if explicit is not None:
        return explicit
    spoken = words_in(notes_text) / rate_wpm if rate_wpm > 0 else 0.0
    # However short the notes, the audience needs time to read a chart or take in a section change: each kind
    # (`compile/kinds/`) says how long at least.
    registered = KINDS.get(kind)
    least = registered.minimum_minutes if registered is not None else 0.5
    return round(max(least, spoken), 2)


def clock(start_minutes: float, offset: float) -> str:
    """Wall-clock time `HH:MM` for an offset in minutes from a start given in minutes after midnight."""
    total = int(round(start_minutes + offset)) % (24 * 60)
    return f"{total // 60:02d}:{total % 60:02d}"


def elapsed(offset: float) -> str:
    """Elapsed time `H:MM` from the start of the talk."""
    total = int(round(offset))
    return f"{total // 60}:{total % 60:02d}"


def minutes_seconds(offset: float) -> str:
    """Elapsed time `M:SS` (minutes and seconds) for cues within a talk."""
    total = int(round(offset * 60))
    return f"{total // 60}:{total % 60:02d}"


def spoken_duration(minutes: float) -> str:
    """A duration as a cue gives it: whole seconds under a minute, else quarter minutes ("1 min 15 s")."""
    if minutes < 1:
        return f"{max(1, int(round(minutes * 60)))} s"
    quarters = int(round(minutes * 4))
    whole, rest = divmod(quarters, 4)
    return f"{whole} min" + (f" {rest * 15} s" if rest else "")


def cue_time(start_minutes: float | None, offset: float) -> str:
    """When a slide begins: the clock (HH:MM) with a start time, else the elapsed time (M:SS)."""
    if start_minutes is not None:
        return clock(start_minutes, offset)
    return minutes_seconds(offset)


def parse_clock(value: str) -> float | None:
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
    if not match:
        return None
    return int(match.group(1)) * 60 + int(match.group(2))


@record
class TimedItem:
    number: int | None  # slide number (None for reserved blocks)
    title: str
    kind: str
    section: str
    minutes: float
    start: float  # minutes from the start
    day: int = 1
    # Added to `start` for wall-clock times: after an overnight break the clock restarts at day_start.
    clock_shift: float = 0.0
    # How long the notes take to say at the speaking rate: next to `minutes` (what the plan gives the
    # slide), it shows where a budget has squeezed long notes.
    speaking: float = 0.0


@record
class SectionTiming:
    title: str
    start: float
    minutes: float
    slides: int
    day: int = 1
    clock_shift: float = 0.0
    speaking: float = 0.0  # the section's notes at the speaking rate


# A plan "fits" when it is no more than this over its slot (three seconds): every command says the same.
FIT_TOLERANCE = 0.05


@record
class TimingPlan:
    items: tuple[TimedItem, ...]
    sections: tuple[SectionTiming, ...]
    slot: float
    reserved: float
    total: float  # slides plus reserved blocks

    @property
    def fits(self) -> bool:
        return self.total <= self.slot + FIT_TOLERANCE

    @property
    def planned(self) -> str:
        """The planned minutes as every command prints them: "59.5", "120"."""
        return format_minutes(self.total)


def format_minutes(minutes: float) -> str:
    """Minutes to the tenth, without a trailing .0: the one way planned time is shown."""
    value = round(minutes, 1)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"
