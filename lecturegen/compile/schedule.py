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

AGENDA_ONE_COLUMN = 7
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
        items.append(TimedItem(number, "".join(r.text for r in slide.title), slide.kind, draft.section, minutes, t,
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


def agenda_entries(drafts: list[Draft], talk: TalkSpec) -> int:
    sections = {d.section for d in drafts if d.section}
    days = sum(1 for d in drafts if d.slide.new_day)
    breaks = sum(1 for d in drafts if d.slide.kind == "break")
    return len(sections) + len(talk.reserved) + breaks + (days + 1 if days else 0)


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
    """Long programmes (a day's workshop) get as many agenda slides as they need, numbered (1/2)…"""
    pages = -(-agenda_entries(drafts, talk) // AGENDA_PER_SLIDE)
    if pages <= 1:
        return drafts
    out: list[Draft] = []
    for d in drafts:
        if d.slide.kind != "agenda":
            out.append(d)
            continue
        for page in range(1, pages + 1):
            title = d.slide.title + (Run(f" ({page}/{pages})"),)
            out.append(replace(d, slide=replace(d.slide, title=title, id=f"agenda-{page}")))
    return out


def fill_agenda(slides: list[Slide], plan: TimingPlan, talk: TalkSpec, start: str | None,
                layouter: Layouter) -> list[Slide]:
    origin = start_minutes(talk, start)
    lines: list[Paragraph] = []
    previous_day = 1
    if any(section.day > 1 for section in plan.sections):
        lines.append(Paragraph((Run("Day 1", bold=True),), style="agenda"))
    # Sessions, and the breaks inside them with their durations, in time order.
    entries: list[tuple[int, float, str, float, float]] = [
        (section.day, section.start, section.title, section.clock_shift, 0.0)
        for section in plan.sections if section.title != "Opening"]
    entries += [(item.day, item.start, item.title, item.clock_shift, item.minutes)
                for item in plan.items if item.kind == "break" and item.minutes > 0]
    entries.sort(key=lambda e: (e[0], e[1], e[4] > 0))
    for day, begin, title, shift, length in entries:
        when = clock(origin, begin + shift) if origin is not None else elapsed(begin)
        if day > 1 and day != previous_day:
            lines.append(Paragraph((Run(f"Day {day}", bold=True),), style="agenda"))
        previous_day = day
        label = f"\t{title} · {spoken_duration(length)}" if length else f"\t{title}"
        lines.append(Paragraph((Run(when, bold=True), Run(label)), style="agenda"))
    chunks = [lines[i:i + AGENDA_PER_SLIDE] for i in range(0, len(lines), AGENDA_PER_SLIDE)] or [[]]
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
