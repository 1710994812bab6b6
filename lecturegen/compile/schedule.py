"""Compile layer: the timing plan of the final slide list, timing cues in the notes, and the agenda."""

from __future__ import annotations

from dataclasses import replace

from lecturegen.compile.draft import Draft
from lecturegen.compile.layout import Layouter
from lecturegen.compile.timing import (
    SectionTiming,
    TimedItem,
    TimingPlan,
    clock,
    cue_time,
    elapsed,
    parse_clock,
    spoken_duration,
)
from lecturegen.model.deck import Column, Paragraph, Run, Slide
from lecturegen.sources.specs import TalkSpec
from lecturegen.model.text import runs_text

AGENDA_ONE_COLUMN = 9
AGENDA_PER_SLIDE = 2 * AGENDA_ONE_COLUMN


def start_minutes(talk: TalkSpec, start: str | None) -> float | None:
    value = start or talk.day_start
    return parse_clock(value) if value else None


def schedule(drafts: list[Draft], talk: TalkSpec, slot: float, rate: float,
             start: str | None) -> tuple[list[Slide], TimingPlan]:
    items: list[TimedItem] = []
    slides: list[Slide] = []
    t = 0.0
    section_order: list[str] = []
    section_acc: dict[str, list[float]] = {}
    day, shift = 1, 0.0
    shifts: list[float] = []
    for number, draft in enumerate(drafts, start=1):
        minutes = draft.minutes(rate)
        slide = replace(draft.slide, minutes=minutes, start_minute=round(t, 2))
        slides.append(slide)
        shifts.append(shift)
        speaking = round(draft.speaking_minutes(rate), 2)
        items.append(TimedItem(number, runs_text(slide.title), slide.kind, draft.section, minutes, t,
                               day, shift, speaking))
        key = draft.section or "Opening"
        if key not in section_acc:
            section_order.append(key)
            section_acc[key] = [t, 0.0, 0, day, shift, 0.0]
        section_acc[key][1] += minutes
        section_acc[key][2] += 1
        section_acc[key][5] += speaking
        t += minutes
        if slide.new_day:
            # The next slide starts at day_start on the following day: shift its clock time.
            day += 1
            shift = (day - 1) * 24 * 60 - t
    reserved_total = 0.0
    for block in talk.reserved:
        items.append(TimedItem(None, block.title, "reserved", "", block.minutes, t, day, shift))
        section_order.append(block.title)
        section_acc[block.title] = [t, block.minutes, 0, day, shift, 0.0]
        t += block.minutes
        reserved_total += block.minutes
    sections = tuple(SectionTiming(name, section_acc[name][0], section_acc[name][1], int(section_acc[name][2]),
                                   int(section_acc[name][3]), section_acc[name][4], round(section_acc[name][5], 2))
                     for name in section_order)
    plan = TimingPlan(tuple(items), sections, slot, reserved_total, round(t, 2))
    origin = start_minutes(talk, start)
    out: list[Slide] = []
    for index, slide in enumerate(slides):
        begin = slide.start_minute + (shifts[index] if origin is not None else 0.0)
        # One format everywhere: "⏱ 12:30 → slide 14 · 1 min 15 s" (and the clicks a reveal takes).
        cue = f"⏱ {cue_time(origin, begin)} → slide {index + 1} · {spoken_duration(slide.minutes)}"
        if slide.clicks:
            cue += f" · {slide.clicks} click{'s' if slide.clicks != 1 else ''}"
        if index == 0:
            cue += " · the opening minute: welcome the room, say who you are and what the session holds"
        out.append(replace(slide, notes=(Paragraph((Run(cue),), style="cue"),) + slide.notes))
    return out, plan


def agenda_entries(drafts: list[Draft], talk: TalkSpec) -> list[int]:
    """How many lines each day's agenda holds: the sessions that begin that day and its breaks (the talk's
    reserved blocks close the last day)."""
    days = [0]
    seen: set[str] = set()
    for d in drafts:
        if d.section and d.section not in seen:
            seen.add(d.section)
            days[-1] += 1
        if d.slide.kind == "break" and not d.slide.new_day and (d.explicit_minutes or 0) > 0:
            days[-1] += 1
        if d.slide.new_day:
            days.append(0)
    days[-1] += len(talk.reserved)
    return days


def _pages(per_day: list[int]) -> list[tuple[int, int, int]]:
    """(day, part, parts) of every agenda slide: one a day, a day split only when it does not fit one."""
    out: list[tuple[int, int, int]] = []
    for day, count in enumerate(per_day, start=1):
        parts = max(1, -(-count // AGENDA_PER_SLIDE))
        out.extend((day, part, parts) for part in range(1, parts + 1))
    return out


def fill_breaks(slides: list[Slide], talk: TalkSpec, start: str | None, layouter: Layouter) -> list[Slide]:
    """A break slide says how long it is and, with a clock, when everyone is back ("Back at 11:20")."""
    origin = start_minutes(talk, start)
    out = []
    shift = 0.0
    day = 1
    for slide in slides:
        if slide.kind == "break" and not slide.new_day:
            back = f"Back at {clock(origin, slide.start_minute + slide.minutes + shift)}" if origin is not None \
                else f"Back in {spoken_duration(slide.minutes)}"
            line = Paragraph((Run(back, bold=True), Run(f" · {spoken_duration(slide.minutes)} break")
                              if origin is not None else Run("")), style="subtitle")
            placed = layouter.place(replace(slide, subtitle=slide.subtitle + (line,)), can_split=False)[0]
            slide = replace(placed, minutes=slide.minutes, start_minute=slide.start_minute, notes=slide.notes)
        if slide.new_day:
            day += 1
            shift = (day - 1) * 24 * 60 - (slide.start_minute + slide.minutes)
        out.append(slide)
    return out


def paginate_agenda(drafts: list[Draft], talk: TalkSpec) -> list[Draft]:
    """One agenda slide a day ("Agenda: day 2"), a day's split over two only when it cannot fit one."""
    pages = _pages(agenda_entries(drafts, talk))
    if len(pages) <= 1:
        return drafts
    days = pages[-1][0]
    out: list[Draft] = []
    for d in drafts:
        if d.slide.kind != "agenda":
            out.append(d)
            continue
        for index, (day, part, parts) in enumerate(pages, start=1):
            label = (f": day {day}" if days > 1 else "") + (f" ({part}/{parts})" if parts > 1 else "")
            out.append(replace(d, slide=replace(d.slide, title=d.slide.title + (Run(label),), id=f"agenda-{index}")))
    return out


def fill_agenda(slides: list[Slide], plan: TimingPlan, talk: TalkSpec, start: str | None,
                layouter: Layouter) -> list[Slide]:
    """Each day's sessions and breaks with their start and end times ("09:50–11:00"), one slide a day."""
    origin = start_minutes(talk, start)
    # Sessions and the breaks inside them, in time order, day by day.
    entries: list[tuple[int, float, str, float, float, bool]] = [
        (section.day, section.start, section.title, section.clock_shift, section.minutes, False)
        for section in plan.sections if section.title != "Opening"]
    entries += [(item.day, item.start, item.title, item.clock_shift, item.minutes, True)
                for item in plan.items if item.kind == "break" and item.minutes > 0]
    entries.sort(key=lambda e: (e[0], e[1], e[5]))
    by_day: dict[int, list[Paragraph]] = {}
    for index, (day, begin, title, shift, length, is_break) in enumerate(entries):
        following = entries[index + 1] if index + 1 < len(entries) else None
        # A session ends where the next entry of its day begins (a break inside it, or the next session).
        end = following[1] if following is not None and following[0] == day and not is_break else begin + length
        end = max(end, begin)
        when = f"{_time(origin, begin + shift)}–{_time(origin, end + shift)}"
        by_day.setdefault(day, []).append(Paragraph((Run(when, bold=True), Run(f"\t{title}")), style="agenda"))
    days = sorted(by_day)
    chunks = [lines[i:i + AGENDA_PER_SLIDE] for day in days for lines in [by_day[day]]
              for i in range(0, len(lines), AGENDA_PER_SLIDE)] or [[]]
    agenda_slides = sum(1 for slide in slides if slide.kind == "agenda")
    if len(chunks) != agenda_slides and agenda_slides:
        # The slides were counted before timing (paginate_agenda): share every line out over them instead.
        lines = [line for day in days for line in ([_day_heading(day)] if len(days) > 1 else []) + by_day[day]]
        size = -(-len(lines) // agenda_slides) or 1
        chunks = [lines[i:i + size] for i in range(0, len(lines), size)] or [[]]
    out = []
    page = 0
    for slide in slides:
        if slide.kind == "agenda":
            chunk = chunks[page] if page < len(chunks) else []
            page += 1
            notes = slide.notes + (
                Paragraph((Run("Walk through the plan for the session and when questions are welcome."
                               if page == 1 else "The programme continues."),)),)
            if len(chunk) > AGENDA_ONE_COLUMN:
                half = (len(chunk) + 1) // 2
                columns = (Column(body=tuple(chunk[:half])), Column(body=tuple(chunk[half:])))
                slide = replace(slide, layout="two-content", columns=columns, notes=notes)
            else:
                slide = replace(slide, body=tuple(chunk), notes=notes)
            slide = layouter.place(slide, can_split=False)[0]
        out.append(slide)
    return out


def _time(origin: float | None, offset: float) -> str:
    return clock(origin, offset) if origin is not None else elapsed(offset)


def _day_heading(day: int) -> Paragraph:
    return Paragraph((Run(f"Day {day}", bold=True),), style="agenda")
