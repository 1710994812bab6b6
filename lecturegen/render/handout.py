"""Render layer: the organiser's handout (PDF or DOCX) built from the same compiled Deck as the slides.

`render_handout` first turns the Deck and its timing plan into a small, format-free handout model
(cover, learning outcomes, programme, sections of key-point blocks, references). The PDF
(`handout_pdf`) and DOCX (`handout_docx`) writers then translate those blocks mechanically, each
with its own block-type dispatch table. Which slide kinds become which blocks is decided here,
once, by `SLIDE_BLOCKS`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Union

from lecturegen.compile.timing import TimingPlan
from lecturegen.diagnostics import Diagnostic, LecturegenError
from lecturegen.model.deck import Chart, Column, Deck, Paragraph, Run, Slide, Table
from lecturegen.render.chart_style import ChartStyle, chart_style

ChartPng = Callable[[Chart, ChartStyle, float, float, int], bytes]

Runs = tuple[Run, ...]

# Charts are drawn once at this size and scaled into the page: 16-pt labels at 10 in wide print at
# about 10 pt on A4, and 200 dpi over 10 in leaves ~300 dpi on paper.
CHART_WIDTH_IN = 10.0
CHART_HEIGHT_IN = 5.0
CHART_DPI = 200


# ── the handout model ────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class SlideHeading:
    """The title of one slide, introducing its key points."""

    runs: Runs


@dataclass(frozen=True)
class Points:
    """Bulleted key points; `Paragraph.level` gives the nesting."""

    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Statement:
    """A big statement or number, with its explanatory caption."""

    big: Runs
    caption: Runs = ()


@dataclass(frozen=True)
class Quote:
    text: Runs
    attribution: Runs = ()


@dataclass(frozen=True)
class Columns:
    """Two (or more) headed lists side by side: two-column and comparison slides."""

    columns: tuple[Column, ...]


@dataclass(frozen=True)
class TableBlock:
    table: Table


@dataclass(frozen=True)
class ChartBlock:
    png: bytes
    alt: str
    caption: Runs
    source: Runs
    illustrative: bool
    width_in: float = CHART_WIDTH_IN
    height_in: float = CHART_HEIGHT_IN


@dataclass(frozen=True)
class ImageBlock:
    path: str
    alt: str
    caption: Runs = ()


@dataclass(frozen=True)
class Activity:
    """An exercise or discussion: instructions with the grouping and minutes ('In pairs · 15 min')."""

    title: Runs
    badge: str
    kind: str  # exercise | discussion
    steps: tuple[Paragraph, ...]
    numbered: bool


@dataclass(frozen=True)
class Sources:
    """The slide's "Sources: …" line."""

    runs: Runs


@dataclass(frozen=True)
class SpeakerNotes:
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class NoteLines:
    """Ruled lines for the participant's own notes."""

    count: int


Block = Union[SlideHeading, Points, Statement, Quote, Columns, TableBlock, ChartBlock, ImageBlock, Activity,
              Sources, SpeakerNotes, NoteLines]


@dataclass(frozen=True)
class ProgrammeEntry:
    title: str
    start: str  # "09:30" or elapsed "0:05"
    end: str
    minutes: float
    kind: str  # section | break | reserved


@dataclass(frozen=True)
class HandoutSection:
    title: str
    when: str  # "10:01–10:07"
    minutes: float
    summary: Runs
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Handout:
    deck: Deck
    title: str
    subtitle: str
    presenter: str
    affiliation: str
    event_name: str
    organiser: str
    venue: str
    date: str
    logo: Path | None
    outcomes: tuple[Runs, ...]
    programme: tuple[ProgrammeEntry, ...]
    clock_times: bool  # True: wall-clock times; False: elapsed from the start
    sections: tuple[HandoutSection, ...]
    references: tuple[Runs, ...]
    colors: dict[str, str]
    body_font: str
    heading_font: str
    language: str
    timestamp: int
    thumbnails: tuple[bytes, ...] | None = None
    with_notes: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def author(self) -> str:
        return self.presenter

    @property
    def subject(self) -> str:
        parts = [p for p in (self.subtitle, self.event_name) if p]
        return " · ".join(parts) if parts else "Handout"

    @property
    def cover_lines(self) -> list[str]:
        """Presenter, affiliation, event, venue and date, as the cover shows them."""
        who = ", ".join(p for p in (self.presenter, self.affiliation) if p)
        event = " · ".join(p for p in (self.event_name, self.organiser) if p)
        where = " · ".join(p for p in (self.venue, self.date) if p)
        return [line for line in (who, event, where) if line]


# ── slide kind → blocks ──────────────────────────────────────────────────────────────────────────

ChartRenderer = Callable[[Chart], bytes]


@dataclass
class _Context:
    chart_png: ChartRenderer
    with_notes: bool


def _body(slide: Slide, *skip: str) -> tuple[Paragraph, ...]:
    return tuple(p for p in slide.body if p.style not in skip and p.text.strip())


def _sources(slide: Slide) -> list[Block]:
    return [Sources(slide.sources)] if slide.sources else []


def _bullets(slide: Slide, ctx: _Context) -> list[Block]:
    paragraphs = _body(slide)
    blocks: list[Block] = [SlideHeading(slide.title)]
    if paragraphs:
        blocks.append(Points(paragraphs))
    if slide.caption:
        blocks.append(Points((Paragraph(slide.caption, style="caption"),)))
    return blocks + _sources(slide)


def _statement(slide: Slide, ctx: _Context) -> list[Block]:
    big = tuple(r for p in slide.body if p.style == "big" for r in p.runs)
    caption = tuple(r for p in slide.body if p.style == "caption" for r in p.runs) or slide.caption
    rest = tuple(p for p in _body(slide) if p.style not in ("big", "caption"))
    blocks: list[Block] = [SlideHeading(slide.title), Statement(big, caption)]
    if rest:
        blocks.append(Points(rest))
    return blocks + _sources(slide)


def _quote(slide: Slide, ctx: _Context) -> list[Block]:
    text = tuple(r for p in slide.body if p.style == "quote" for r in p.runs)
    attribution = tuple(r for p in slide.body if p.style == "attribution" for r in p.runs)
    if not text:
        return _bullets(slide, ctx)
    blocks: list[Block] = [SlideHeading(slide.title), Quote(text, attribution)]
    return blocks + _sources(slide)


def _columns(slide: Slide, ctx: _Context) -> list[Block]:
    blocks: list[Block] = [SlideHeading(slide.title)]
    if _body(slide):
        blocks.append(Points(_body(slide)))
    if slide.columns:
        blocks.append(Columns(slide.columns))
    return blocks + _sources(slide)


def _table(slide: Slide, ctx: _Context) -> list[Block]:
    blocks: list[Block] = [SlideHeading(slide.title)]
    if slide.table is not None:
        blocks.append(TableBlock(slide.table))
    if slide.caption:
        blocks.append(Points((Paragraph(slide.caption, style="caption"),)))
    return blocks + _sources(slide)


def _chart(slide: Slide, ctx: _Context) -> list[Block]:
    chart = slide.chart
    if chart is None:
        return _bullets(slide, ctx)
    png = ctx.chart_png(chart)
    # The chart's own source line replaces the slide's "Sources:" line (they name the same works).
    return [SlideHeading(slide.title), ChartBlock(png, chart.alt, slide.caption, chart.source, chart.illustrative)]


def _image(slide: Slide, ctx: _Context) -> list[Block]:
    if slide.picture is None:
        return _bullets(slide, ctx)
    return [SlideHeading(slide.title), ImageBlock(slide.picture.path, slide.picture.alt, slide.caption)]


def _activity(slide: Slide, ctx: _Context) -> list[Block]:
    steps = _body(slide, "badge")
    numbered = any(p.style == "step" for p in steps)
    return [Activity(slide.title, slide.badge, slide.kind, steps, numbered)] + _sources(slide)


def _nothing(slide: Slide, ctx: _Context) -> list[Block]:
    return []


# Generated slides (title, agenda, section headers, references) are represented by the cover, the
# programme, the section headings and the reference list; breaks appear in the programme.
SLIDE_BLOCKS: dict[str, Callable[[Slide, _Context], list[Block]]] = {
    "title": _nothing,
    "agenda": _nothing,
    "section": _nothing,
    "references": _nothing,
    "break": _nothing,
    "closing": _nothing,
    "bullets": _bullets,
    "statement": _statement,
    "quote": _quote,
    "two-column": _columns,
    "comparison": _columns,
    "table": _table,
    "chart": _chart,
    "image": _image,
    "exercise": _activity,
    "discussion": _activity,
}


def slide_blocks(slide: Slide, ctx: _Context) -> list[Block]:
    """The handout blocks for one slide; a kind this table does not know is shown as key points."""
    blocks = SLIDE_BLOCKS.get(slide.kind, _bullets)(slide, ctx)
    if blocks and ctx.with_notes:
        notes = tuple(p for p in slide.notes if p.style != "cue" and p.text.strip())
        if notes:
            blocks.append(SpeakerNotes(notes))
    return blocks


# ── programme ────────────────────────────────────────────────────────────────────────────────────


def _clock_function(start: str | None, day_start: str | None) -> tuple[Callable[[float], str], bool]:
    from lecturegen.compile.timing import clock, elapsed, parse_clock

    value = start or day_start
    origin = parse_clock(value) if value else None
    if origin is None:
        return elapsed, False
    return (lambda offset: clock(origin, offset)), True


def build_programme(plan: Any, when: Callable[[float], str], opening: str) -> list[ProgrammeEntry]:
    """One entry per section in running order; breaks and reserved blocks are entries of their own.

    Built from the plan's timed items rather than its section totals so that a break in the middle
    of a section splits it, and generated slides (references) do not stretch the opening.
    """
    spans: list[list[Any]] = []  # [title, kind, start, end]
    for item in plan.items:
        end = item.start + item.minutes
        if item.kind in ("break", "reserved"):
            spans.append([item.title, item.kind, item.start, end])
        elif item.kind == "references":
            continue
        else:
            title = item.section or opening
            if spans and spans[-1][0] == title and spans[-1][1] == "section":
                spans[-1][3] = end
            else:
                spans.append([title, "section", item.start, end])
    return [ProgrammeEntry(title, when(start), when(end), round(end - start, 2), kind)
            for title, kind, start, end in spans]


# ── building the handout ─────────────────────────────────────────────────────────────────────────


def build_handout(deck: Deck, plan: TimingPlan, day_start: str | None, logo: Path | None,
                  chart_png: ChartRenderer, thumbnails: list[bytes] | None = None,
                  with_notes: bool = False, start: str | None = None) -> Handout:
    when, clock_times = _clock_function(start, day_start)
    titled = {s.section for s in deck.slides if s.section}
    opening = next((s.title for s in plan.sections if s.title not in titled and s.slides), "Opening")
    programme = build_programme(plan, when, opening)

    ctx = _Context(chart_png, with_notes)
    sections: list[HandoutSection] = []
    timings = {s.title: s for s in plan.sections}
    order: list[str] = []
    grouped: dict[str, list[Slide]] = {}
    for slide in deck.slides:
        if slide.hidden or not slide.section:
            continue
        if slide.section not in grouped:
            order.append(slide.section)
            grouped[slide.section] = []
        grouped[slide.section].append(slide)
    for title in order:
        slides = grouped[title]
        blocks: list[Block] = []
        summary: Runs = ()
        for slide in slides:
            if slide.kind == "section" and slide.subtitle and not summary:
                summary = slide.subtitle[0].runs
            blocks.extend(slide_blocks(slide, ctx))
        if not blocks:
            continue
        blocks.append(NoteLines(5))
        timing = timings.get(title)
        first = slides[0].start_minute
        last = max(s.start_minute + s.minutes for s in slides if s.kind != "closing") \
            if any(s.kind != "closing" for s in slides) else first
        span = f"{when(first)}–{when(last)}"
        sections.append(HandoutSection(title, span, timing.minutes if timing else last - first, summary,
                                       tuple(blocks)))

    event = dict(deck.event or {})
    assert deck.style is not None
    return Handout(
        deck=deck,
        title=deck.title,
        subtitle=deck.subtitle,
        presenter=deck.presenter,
        affiliation=deck.affiliation,
        event_name=str(event.get("name", "") or ""),
        organiser=str(event.get("organiser", "") or ""),
        venue=str(event.get("venue", "") or ""),
        date=str(event.get("date", "") or deck.date or ""),
        logo=logo if logo is not None and logo.is_file() else None,
        outcomes=tuple(deck.learning_outcomes),
        programme=tuple(programme),
        clock_times=clock_times,
        sections=tuple(sections),
        references=tuple(deck.references),
        colors=dict(deck.style.colors),
        body_font=deck.style.body.family,
        heading_font=deck.style.heading.family,
        language=deck.language or "en-GB",
        timestamp=deck.timestamp,
        thumbnails=tuple(thumbnails) if thumbnails is not None else None,
        with_notes=with_notes,
    )


def _print_chart_style(deck: Deck) -> ChartStyle:
    assert deck.style is not None
    # On paper the chart sits on white, and is scaled down from 10 in: 16-pt labels print at ~10 pt.
    return dataclasses.replace(chart_style(deck.style), background="FFFFFF", font_size_pt=16.0)


def render_handout(deck: Deck, plan: TimingPlan, day_start: str | None, logo: Path | None, chart_png: ChartPng,
                   fmt: str = "pdf", paper: str = "a4", thumbnails: list[bytes] | None = None,
                   with_notes: bool = False, start: str | None = None) -> bytes:
    """The handout as PDF or DOCX bytes; the same inputs give the same bytes."""
    if fmt not in ("pdf", "docx"):
        raise LecturegenError([Diagnostic("error", f"unknown handout format '{fmt}'", "handout.format", None,
                                          "use 'pdf' or 'docx'")])
    style = _print_chart_style(deck)

    def render(chart: Chart) -> bytes:
        return chart_png(chart, style, CHART_WIDTH_IN, CHART_HEIGHT_IN, CHART_DPI)

    handout = build_handout(deck, plan, day_start, logo, render, thumbnails, with_notes, start)
    if fmt == "docx":
        from lecturegen.render.handout_docx import render_docx

        return render_docx(handout, paper)
    from lecturegen.render.handout_pdf import render_pdf

    return render_pdf(handout, paper)


# ── text helpers shared by both writers ──────────────────────────────────────────────────────────

_OPEN_DOUBLE = re.compile(r'(^|[\s(\[{—–-])"')
_OPEN_SINGLE = re.compile(r"(^|[\s(\[{—–-])'")


def typographic(text: str) -> str:
    """Curly quotes and apostrophes for print (British: 'single' first, “double” inside)."""
    if "'" not in text and '"' not in text:
        return text
    text = _OPEN_DOUBLE.sub("\\1\u201c", text).replace('"', "\u201d")
    text = _OPEN_SINGLE.sub("\\1\u2018", text).replace("'", "\u2019")
    return text


def plain(runs: Runs) -> str:
    return "".join(r.text for r in runs)


def duration(value: float) -> str:
    """Minutes as a programme shows them: '6 min', '1 h 15 min', '2 h'."""
    whole = int(round(value))
    if whole >= 60 and whole % 60 == 0:
        return f"{whole // 60} h"
    if whole > 90:
        return f"{whole // 60} h {whole % 60} min"
    return f"{max(whole, 1)} min" if value > 0 else "–"
