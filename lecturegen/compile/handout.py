"""Compile layer: Deck + timing plan → the handout model (pure: no file, process or font access).

`deck_to_handout` decides everything a printed page depends on: which slides become which blocks
(`SLIDE_BLOCKS`), the programme's clock times and durations (both from the same whole minutes),
the take-home messages and the three charts on the key-findings page, the size every chart is
drawn and printed at (from its content, for paper), and the QR code to the slides. Chart pictures
are not drawn here: blocks carry the deck's `Chart`s and the renderer asks for their PNGs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field

from lecturegen.compile.handout_blocks import BlockContext, slide_blocks
from lecturegen.compile.handout_figures import crowded_chart_warnings  # noqa: F401  (what `handout` asks for)
from lecturegen.compile.handout_schedule import Clock, Span, build_programme, clock_from, schedule_spans
from lecturegen.compile.handout_summary import contact_for, cover_for, key_findings, take_home_slide
from lecturegen.compile.handout_text import duration, printed, typographic
from lecturegen.compile.icons import icon_credits
from lecturegen.compile.timing import TimingPlan
from lecturegen.model.deck import Deck, Slide
from lecturegen.model.handout import (
    PAGES,
    Block,
    BreakMark,
    Handout,
    HandoutSection,
    Metadata,
    NotesSpace,
    Sources,
    Worksheet,
)
from lecturegen.model.shapes import Media
from lecturegen.model.text import Run
from lecturegen.records import record

Runs = tuple[Run, ...]


@record
class HandoutOptions:
    """What the handout needs beyond the deck: the reader's choices and what the talk declares."""

    paper: str = "a4"  # a4 | letter
    start: str | None = None  # --start HH:MM: wall-clock programme
    day_start: str | None = None  # the talk's day_start
    with_notes: bool = False
    logo: Media | None = None
    logo_alt: str = ""
    contact: str = ""  # the talk's `contact:`
    slides_url: str = ""  # where the slides are (else the talk's `event: {slides_url: …}`)
    # Worksheets by the id of the exercise slide they belong to (see docs/handouts.md).
    worksheets: Mapping[str, Worksheet] = field(default_factory=dict)
    thumbnails: tuple[bytes, ...] | None = None


# ── sections ─────────────────────────────────────────────────────────────────────────────────────


def _section_time(spans: list[Span], title: str, clock: Clock) -> tuple[str, str, int] | None:
    """A section's header times from the schedule's spans of it: its own minutes, never the break after it;
    a section that a break interrupts shows each stretch ("13:35–15:00, 15:15–15:45") and their sum."""
    mine = [s for s in spans if s.kind == "section" and s.section == title]
    if not mine:
        return None
    when = ", ".join(f"{clock.show(s.start)}–{clock.show(s.end)}" for s in mine)
    return when, duration(sum(s.end - s.start for s in mine)), mine[0].day


def _sections(deck: Deck, ctx: BlockContext, skip: Slide | None,
              spans: list[Span] | None = None) -> tuple[HandoutSection, ...]:
    order: list[str] = []
    grouped: dict[str, list[tuple[int, Slide]]] = {}
    for number, slide in enumerate(deck.slides, start=1):
        if slide.hidden or not slide.section or slide is skip:
            continue
        if slide.section not in grouped:
            order.append(slide.section)
            grouped[slide.section] = []
        grouped[slide.section].append((number, slide))
    sections: list[HandoutSection] = []
    for title in order:
        slides = grouped[title]
        blocks: list[Block] = []
        summary: Runs = ()
        for number, slide in slides:
            if slide.kind == "section" and slide.subtitle and not summary:
                summary = printed(slide.subtitle[0].runs)
            blocks.extend(slide_blocks(slide, ctx, number))
        if not any(not isinstance(b, BreakMark) for b in blocks):
            continue
        content = [b for b in blocks if not isinstance(b, (BreakMark, Sources))]
        if not isinstance(content[-1], Worksheet):  # a worksheet ends with its own writing space
            # The notes belong to the section's content: before a break that closes it.
            end = len(blocks)
            while end and isinstance(blocks[end - 1], BreakMark):
                end -= 1
            blocks.insert(end, NotesSpace())
        scheduled = _section_time(spans or [], title, ctx.clock)
        if scheduled is not None:
            when, length, day = scheduled
        else:  # not in the schedule (a plan without this section's items): from the slides' own times
            timed = [(ctx.timing.get(n), s) for n, s in slides if s.kind not in ("closing", "break")] or \
                [(ctx.timing.get(n), s) for n, s in slides]
            first_item, first = timed[0]
            last_item, last = timed[-1]
            start = ctx.clock.minute(first.start_minute, first_item.clock_shift if first_item else 0.0)
            end = ctx.clock.minute(last.start_minute + last.minutes, last_item.clock_shift if last_item else 0.0)
            when, length = f"{ctx.clock.show(start)}–{ctx.clock.show(end)}", duration(end - start)
            day = first_item.day if first_item else 1
        sections.append(HandoutSection(typographic(title), when, length, summary, tuple(blocks), day))
    return tuple(sections)


# ── the handout ──────────────────────────────────────────────────────────────────────────────────


def deck_to_handout(deck: Deck, plan: TimingPlan, options: HandoutOptions = HandoutOptions()) -> Handout:
    """The handout model for a compiled deck; the same inputs give an equal Handout."""
    if deck.style is None:
        raise ValueError("a handout needs the deck's resolved style (colours and fonts)")
    page = PAGES.get(options.paper.lower(), PAGES["a4"])
    clock = clock_from(options.start or options.day_start)
    timing = {item.number: item for item in plan.items if item.number is not None}
    ctx = BlockContext(round(page.frame_width / 72, 3), options.with_notes, options.worksheets, clock, timing,
                       deck.style.colors.get("background", "FFFFFF").lstrip("#").upper())

    titled = {s.section for s in deck.slides if s.section}
    opening = next((s.title for s in plan.sections if s.title not in titled and s.slides), "Opening")
    spans = schedule_spans(plan, clock, opening)
    programme = build_programme(plan, clock, opening)
    findings = key_findings(deck, page)
    take_home = take_home_slide(deck)
    event = dict(deck.event or {})
    subject = " · ".join(p for p in (deck.subtitle, event.get("name", "")) if p) or "Handout"
    keywords = tuple(k for k in ("handout", deck.talk, deck.audience or "") if k)
    return Handout(
        metadata=Metadata(deck.title, deck.presenter, subject, keywords, deck.language or "en-GB", deck.timestamp),
        page=page,
        style=deck.style,
        cover=cover_for(deck, options.logo, options.logo_alt),
        contact=contact_for(deck, options.contact, options.slides_url),
        key_findings=findings,
        programme=programme if programme.rows else None,
        # The take-home slide is on the key-findings page; it is not repeated in its section.
        sections=_sections(deck, ctx, take_home if findings is not None and findings.take_home else None, spans),
        references=tuple(printed(r) for r in deck.references),
        running_title=typographic(deck.title),
        footer=" · ".join(typographic(p) for p in (deck.presenter, event.get("name", "") or deck.date) if p),
        thumbnails=options.thumbnails,
        credits=icon_credits(deck),
    )
