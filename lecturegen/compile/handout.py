"""Compile layer: Deck + timing plan → the handout model (pure: no file, process or font access).

`deck_to_handout` decides everything a printed page depends on: which slides become which blocks
(`SLIDE_BLOCKS`), the programme's clock times and durations (both from the same whole minutes),
the take-home messages and the three charts on the key-findings page, the size every chart is
drawn and printed at (from its content, for paper), and the QR code to the slides. Chart pictures
are not drawn here: blocks carry the deck's `Chart`s and the renderer asks for their PNGs.
"""

from __future__ import annotations

import dataclasses
import math
import re
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import field

from lecturegen.model.links import MAX_QR_BYTES, is_safe_link, link_target
from lecturegen.compile.kinds.diagram import Diagram as DiagramRecord
from lecturegen.compile.kinds.diagram import DiagramNode
from lecturegen.compile.kinds.statement import Statement as StatementRecord
from lecturegen.compile.timing import TimedItem, TimingPlan, parse_clock
from lecturegen.diagnostics import Diagnostic
from lecturegen.model.chart import MAX_PICTURE_VALUES, Chart, Reference, with_axis, with_base
from lecturegen.model.deck import Column, Deck, Slide
from lecturegen.model.deck import Worksheet as SlideWorksheet
from lecturegen.model.handout import (
    PAGES,
    Activity,
    Block,
    BreakMark,
    ChartBlock,
    Columns,
    Contact,
    Cover,
    Figure,
    Handout,
    HandoutSection,
    ImageBlock,
    KeyFindings,
    Metadata,
    NotesSpace,
    Page,
    Points,
    Programme,
    ProgrammeRow,
    QrCode,
    Quote,
    SlideHeading,
    Sources,
    SpeakerNotes,
    Statement,
    TableBlock,
    Prompt,
    Rating,
    ScalePoint,
    TickBox,
    Worksheet,
    WorksheetItem,
)
from lecturegen.records import record
from lecturegen.model.shapes import Media
from lecturegen.model.text import Paragraph, Run

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


# ── printed text ─────────────────────────────────────────────────────────────────────────────────

_OPEN_DOUBLE = re.compile(r'(^|[\s(\[{—–-])"')
_OPEN_SINGLE = re.compile(r"(^|[\s(\[{—–-])'")


def typographic(text: str) -> str:
    """Curly quotes and apostrophes for print (British: 'single' first, “double” inside)."""
    if "'" not in text and '"' not in text:
        return text
    text = _OPEN_DOUBLE.sub("\\1\u201c", text).replace('"', "\u201d")
    return _OPEN_SINGLE.sub("\\1\u2018", text).replace("'", "\u2019")


def printed(runs: Runs) -> Runs:
    """Runs as printed: typographic quotes everywhere except in links (a URL must stay as written)."""
    return tuple(r if r.link or ("'" not in r.text and '"' not in r.text)
                 else dataclasses.replace(r, text=typographic(r.text)) for r in runs if r.text)


def _paragraphs(paragraphs: tuple[Paragraph, ...]) -> tuple[Paragraph, ...]:
    return tuple(dataclasses.replace(p, runs=printed(p.runs)) for p in paragraphs)


# reportlab splits a paragraph that runs over a page by wrapping all of what is left again: one paragraph of
# 1.9 MB of notes took over 100 s. Printed paragraphs are cut into pieces of at most this many characters, at a
# sentence end where one is near, else at a space, so that each piece costs the same.
MAX_PRINTED_PARAGRAPH = 2_000
_SPACE = re.compile(r"\s+")


def chunked(paragraph: Paragraph, limit: int = MAX_PRINTED_PARAGRAPH) -> tuple[Paragraph, ...]:
    """The paragraph as pieces of at most `limit` characters (a word longer than that is cut)."""
    if len(paragraph.text) <= limit:
        return (paragraph,)
    pieces: list[tuple[Run, ...]] = []
    current: list[Run] = []
    size = 0
    for run in paragraph.runs:
        text, at = run.text, 0
        while size + len(text) - at > limit:
            cut = _cut(text, at, limit - size)
            if cut is None:  # no space in the room left: close the piece if it has anything, else cut the word
                if current:
                    pieces.append(tuple(current))
                    current, size = [], 0
                    continue
                cut = (at + limit, at + limit)
            if cut[0] > at:
                current.append(dataclasses.replace(run, text=text[at:cut[0]]))
            pieces.append(tuple(current))
            current, size, at = [], 0, cut[1]
        if at < len(text):
            current.append(dataclasses.replace(run, text=text[at:]))
            size += len(text) - at
    if current:
        pieces.append(tuple(current))
    return tuple(dataclasses.replace(paragraph, runs=runs) for runs in pieces if runs)


def _cut(text: str, at: int, room: int) -> tuple[int, int] | None:
    """Where to end a piece starting at `at` within `room` characters: (its end, where the next starts), at the
    last sentence end in the second half of the room, else at the last space; None without a space."""
    best = sentence = None
    end = at + room
    for match in _SPACE.finditer(text, at + 1, min(len(text), end + 1)):
        if match.start() > end:
            break
        best = (match.start(), match.end())
        if text[match.start() - 1] in ".!?…" and match.start() >= at + room // 2:
            sentence = best
    return sentence or best


def plain(runs: Runs) -> str:
    return "".join(r.text for r in runs)


def duration(minutes: int) -> str:
    """Whole minutes as a programme shows them: '6 min', '75 min', '1 h 45 min', '2 h'."""
    if minutes >= 60 and minutes % 60 == 0:
        return f"{minutes // 60} h"
    if minutes > 90:
        return f"{minutes // 60} h {minutes % 60} min"
    return f"{minutes} min"


# ── the clock ────────────────────────────────────────────────────────────────────────────────────


@record
class _Clock:
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


def _clock(options: HandoutOptions) -> _Clock:
    value = options.start or options.day_start
    return _Clock(parse_clock(value) if value else None)


# ── programme ────────────────────────────────────────────────────────────────────────────────────


@record(frozen=False)
class _Span:
    title: str
    kind: str
    day: int
    start: int
    end: int
    section: str = ""  # the section a "section" span belongs to (its title without "(continued)")


def schedule_spans(plan: TimingPlan, clock: _Clock, opening: str) -> list[_Span]:
    """The running order in whole clock minutes: a span per stretch of a section between breaks, and one per
    break and reserved block. The programme's rows and every section's header are read from these, so that
    no time in the handout disagrees with another."""
    spans: list[_Span] = []
    for item in plan.items:
        if item.kind == "references":
            continue
        start = clock.minute(item.start, item.clock_shift)
        end = clock.minute(item.start + item.minutes, item.clock_shift)
        if item.kind in ("break", "reserved"):
            kind = "day-end" if item.kind == "break" and item.minutes == 0 else item.kind
            spans.append(_Span(item.title, kind, item.day, start, end))
            continue
        title = item.section or opening
        last = spans[-1] if spans else None
        if last is not None and last.kind == "section" and last.day == item.day and last.section == title:
            last.end = end
        else:
            resumed = any(s.section == title and s.kind == "section" for s in spans)
            spans.append(_Span(f"{title} (continued)" if resumed else title, "section", item.day, start, end,
                               title))
    # A section that rounds to no time at all (a header slide alone) would be a row reading "0 min".
    return [s for s in spans if s.end > s.start or s.kind == "day-end"]


def build_programme(plan: TimingPlan, clock: _Clock, opening: str) -> Programme:
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


# ── charts for paper ─────────────────────────────────────────────────────────────────────────────

# Charts are drawn larger than they print and scaled down: the drawer's smallest type (14 pt, its
# floor) then prints at 14 × 0.62 ≈ 8.7 pt and the tick labels (16 pt) at about 10 pt.
FIGURE_FONT_PT = 16.0
CHART_MIN_FONT_PT = 14.0  # render/chart_style.py MIN_TEXT_PT: the drawer never goes below it
PRINT_SCALE = 0.62
MIN_PRINTED_PT = 8.0
CHART_DPI = 200
# A full-width figure taller than this on paper would leave its page mostly to itself.
MAX_PRINT_HEIGHT_IN = 5.6
KEY_CHART_MAX_PRINT_HEIGHT_IN = 2.9
KEY_CHART_GAP_PT = 18.0
# A generous average glyph width (in ems) for checking that a word fits, wider than the drawer's 0.52.
WIDE_GLYPH = 0.56


def _chars(width_in: float, size_pt: float) -> int:
    # The drawer's own estimate of how many characters a line holds (average glyph ≈ half the size).
    return int(width_in * 72 / (size_pt * 0.52))


def _wrapped_lines(text: str, width_chars: int) -> int:
    return max(1, len(textwrap.wrap(text, max(6, width_chars), break_long_words=False)))


def _vertical(chart: Chart) -> bool:
    return chart.type in ("bar", "grouped-bar", "stacked", "line", "slope") and not chart.horizontal \
        and not (chart.type == "stacked" and len(chart.categories) == 1)


def _timeline_height(chart: Chart, width_in: float, cols: int) -> float:
    """Points of height the timeline drawer needs for `cols` columns at the figure's type size."""
    size = FIGURE_FONT_PT
    margin, line_h, year_w = size * 0.6, size * 1.4, size * 2.6
    col_w = (width_in * 72 - margin * 2) / cols
    chars = _chars((col_w - year_w - size * 1.8) / 72, size)
    texts = list(chart.labels or chart.categories)
    per_col = math.ceil(len(texts) / cols) if texts else 0
    heights = [sum(_wrapped_lines(t, chars) * line_h + size * 0.5 for t in texts[c * per_col:(c + 1) * per_col])
               for c in range(cols)]
    return max(heights, default=0.0) + margin * 2


def figure_height_in(chart: Chart, width_in: float, max_print_height_in: float = MAX_PRINT_HEIGHT_IN) -> float:
    """The height a chart's content needs when drawn `width_in` wide at the figure type size.

    Estimated as the drawer lays each kind out (rows of categories, wrapped labels, legend, axis
    titles); the figure is given that room so that nothing has to shrink or overlap.
    """
    size = FIGURE_FONT_PT
    line = size / 72
    n, m = max(1, len(chart.categories)), max(1, len(chart.series))
    if chart.axis.label_every > 1:  # a crowded chart (see `paper_chart`): laid out for the categories it names
        n, m = math.ceil(n / chart.axis.label_every), 1
    extra = 0.0
    if chart.base.note:
        extra += _wrapped_lines(chart.base.note, _chars(width_in * 0.95, CHART_MIN_FONT_PT)) * line * 1.3
    if chart.illustrative and chart.type not in ("waffle", "timeline"):
        extra += line * 1.6
    if chart.type == "timeline":
        one = _timeline_height(chart, width_in, 1)
        # One column whenever it fits on paper: a second column is where long labels can run into
        # the next column's years.
        if one / 72 * PRINT_SCALE <= max_print_height_in:
            return round(one / 72 + 0.06, 2)
        return round(_timeline_height(chart, width_in, 2) / 72 + 0.06, 2)
    if chart.type == "waffle":
        panel_w = width_in / n * 0.9
        heights = []
        for i in range(n):
            total = int(chart.series[1].values[i]) if len(chart.series) > 1 and i < len(chart.series[1].values) else 10
            total = max(total, 1)
            cols = total if total <= 10 else math.ceil(math.sqrt(total * 2))
            rows = math.ceil(total / cols)
            cell = min(panel_w / cols, 0.9)
            label_lines = _wrapped_lines(chart.categories[i] if i < len(chart.categories) else "",
                                         _chars(panel_w, size))
            text_h = (size * 2.6 * 1.3 + size * 2.8) / 72 + max(0, label_lines - 2) * line * 1.2
            heights.append(cell * rows + text_h + 0.4)
        return round(max(heights) + 0.3 + extra, 2)
    if chart.type == "pie":
        return round(max(width_in * 0.4, (n * 1.5 + 1.5) * line) + extra, 2)
    titled_value_axis = bool(chart.axis.y_title)
    titled_category_axis = bool(chart.axis.x_title)
    if not _vertical(chart):
        # Horizontal bars, dot plots and part-of-a-whole bars: one row per category.
        if chart.type == "stacked" and len(chart.categories) == 1:
            legend_rows = math.ceil(m / 4)
            return round(1.5 + legend_rows * line * 1.5 + line * 1.6 + extra, 2)
        label_lines = max(_wrapped_lines(c, _chars(width_in * 0.4, size)) for c in chart.categories or ("",))
        if chart.type == "dot":
            per_category = max(label_lines * 1.45, 2.5 + 0.6 * (m - 1))
        else:
            per_category = max(label_lines * 1.45, 1.8 if m == 1 else 1.0 * m + 0.6)
        lines = n * per_category + 2.4 + (1.6 if m > 1 else 0.0) + (1.4 if titled_value_axis else 0.0)
        return round(lines * line + 0.3 + extra, 2)
    per = width_in * 0.85 / n
    label_lines = max(_wrapped_lines(c, _chars(per, size)) for c in chart.categories or ("",))
    plot = min(max(width_in * 0.3, 2.6), 3.6)
    lines = label_lines * 1.25 + 1.6 + (1.6 if m > 1 else 0.0) + (1.4 if titled_category_axis else 0.0)
    return round(plot + lines * line + extra, 2)


def labels_fit(chart: Chart, width_in: float) -> bool:
    """Whether every category label's longest word fits the room the drawer gives it at this width.

    The drawer wraps labels at spaces only; a word wider than its slot runs into its neighbour (on a
    column chart with many categories drawn narrow, 'Psychometric' over 'Cognitive').
    """
    if chart.type in ("timeline", "waffle", "pie") or not chart.categories:
        return True
    longest = max((len(word) for c in chart.categories for word in c.split()), default=0)
    need_pt = longest * FIGURE_FONT_PT * WIDE_GLYPH
    if _vertical(chart):
        return need_pt <= width_in * 0.85 / len(chart.categories) * 72 - FIGURE_FONT_PT * 0.5
    return need_pt <= width_in * 0.4 * 72


def figure_for(chart: Chart, print_width_in: float, max_print_height_in: float = MAX_PRINT_HEIGHT_IN) -> Figure:
    width_in = round(print_width_in / PRINT_SCALE, 2)
    height_in = figure_height_in(chart, width_in, max_print_height_in)
    # Shrinking below this would print the drawer's smallest type under the legible minimum.
    min_scale = MIN_PRINTED_PT / CHART_MIN_FONT_PT
    return Figure(width_in, height_in, FIGURE_FONT_PT, CHART_DPI, print_width_in,
                  min(print_width_in, math.ceil(width_in * min_scale * 1000) / 1000))


# A chart drawn on paper with more values than a picture shows (a native chart may have 10,000) is drawn plain:
# matplotlib spends ~12 ms on each labelled value and on each category name (1,000 categories: over a minute).
CROWDED_NAMED_CATEGORIES = 12  # category names on the axis of a crowded chart: every k-th one
CROWDED_PIE_SLICES = 12  # a crowded pie: the largest 11 slices and one for all the others


def crowded(chart: Chart) -> bool:
    """More values than a chart drawn as a picture shows in full (MAX_PICTURE_VALUES)."""
    return len(chart.categories) * max(1, len(chart.series)) > MAX_PICTURE_VALUES


def paper_chart(chart: Chart) -> tuple[Chart, Runs]:
    """The chart as drawn for paper, and a line its caption gains.

    On a column chart the drawer writes a reference line's label at the right end of the line,
    over the last column when that column is taller (the 'α = .90' on a bar); on paper the line
    stays and its label moves into the caption ('Dashed line: α = .90.'). A crowded chart (a native
    one of hundreds of categories) is drawn without value labels, naming every k-th category; a
    crowded pie keeps its largest slices and joins the others.
    """
    references = chart.axis.references
    labelled = [ref.label for ref in references if ref.label]
    note: Runs = ()
    if labelled and _vertical(chart):
        noun = "Dashed line" if len(labelled) == 1 else "Dashed lines"
        chart = with_axis(chart, references=tuple(Reference(ref.value) for ref in references))
        note = (Run(f"{noun}: {'; '.join(labelled)}. "),)
    if crowded(chart):
        chart, line = _plain_chart(chart)
        note += (Run(line),)
    return chart, note


def _plain_chart(chart: Chart) -> tuple[Chart, str]:
    n = len(chart.categories)
    if chart.type == "pie" and chart.series:
        values = chart.series[0].values
        kept = sorted(sorted(range(n), key=lambda i: -_number(values[i]))[:CROWDED_PIE_SLICES - 1])
        rest = n - len(kept)
        chosen = set(kept)
        other = sum(_number(values[i]) for i in range(n) if i not in chosen)
        series = dataclasses.replace(chart.series[0], values=tuple(values[i] for i in kept) + (other,),
                                     errors_low=None, errors_high=None)
        categories = tuple(chart.categories[i] for i in kept) + (f"{rest:,} others",)
        return (dataclasses.replace(chart, categories=categories, series=(series,), labels=()),
                f"The {len(kept)} largest of {n:,} slices; the other {rest:,} together. ")
    every = math.ceil(n / CROWDED_NAMED_CATEGORIES)
    return (with_axis(with_base(chart, value_labels=False), label_every=every),
            f"{n:,} categories: drawn without values, every {_ordinal(every)} category named. ")


def _number(value: float) -> float:
    return 0.0 if math.isnan(value) else value


def _ordinal(k: int) -> str:
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def crowded_chart_warnings(deck: Deck) -> list[Diagnostic]:
    """A warning for each chart the handout draws plain (see `paper_chart`), at its slide."""
    out = []
    for slide in deck.slides:
        chart = slide.chart
        if slide.hidden or chart is None or not crowded(chart):
            continue
        values = len(chart.categories) * max(1, len(chart.series))
        every = _ordinal(math.ceil(len(chart.categories) / CROWDED_NAMED_CATEGORIES))
        done = (f"keeps its {CROWDED_PIE_SLICES - 1} largest slices and joins the others" if chart.type == "pie"
                else f"is drawn without value labels, naming every {every} category")
        out.append(Diagnostic("warning", f"chart of {values:,} values: on paper it {done} (a picture shows at most "
                              f"{MAX_PICTURE_VALUES} values in full)", "handout.chart-crowded", slide.location))
    return out


def chart_block(slide: Slide, chart: Chart, print_width_in: float,
                max_print_height_in: float = MAX_PRINT_HEIGHT_IN) -> ChartBlock:
    drawn, note = paper_chart(chart)
    stamp = (Run("Illustrative data, not from a study. ", bold=True),) if chart.illustrative else ()
    return ChartBlock(drawn, figure_for(drawn, print_width_in, max_print_height_in), printed(slide.title),
                      stamp + note + printed(slide.caption), printed(chart.source), chart.alt, chart.illustrative)


# ── slide kind → blocks ──────────────────────────────────────────────────────────────────────────


@record
class _Context:
    frame_width_in: float
    with_notes: bool
    worksheets: Mapping[str, Worksheet]
    clock: _Clock
    timing: Mapping[int, TimedItem]  # by slide number


def _body(slide: Slide, *skip: str) -> tuple[Paragraph, ...]:
    return _paragraphs(tuple(p for p in slide.body if p.style not in skip and p.text.strip()))


def _heading(slide: Slide) -> list[Block]:
    return [SlideHeading(printed(slide.title))]


def _sources(slide: Slide) -> list[Block]:
    return [Sources(printed(slide.sources))] if slide.sources else []


def _caption(slide: Slide) -> list[Block]:
    return [Points((Paragraph(printed(slide.caption), style="caption"),))] if slide.caption else []


def _bullets(slide: Slide, ctx: _Context, number: int) -> list[Block]:
    paragraphs = _body(slide)
    return _heading(slide) + ([Points(paragraphs)] if paragraphs else []) + _caption(slide) + _sources(slide)


def _callout(slide: Slide, ctx: _Context, number: int) -> list[Block]:
    """A big-number slide (or a finding told by a number): the number, its context line and its caption as one
    call-out; the slide's other body text (if any) as key points after it."""
    if slide.chart is not None:
        return _chart(slide, ctx, number)
    body = _body(slide)
    big = tuple(p for p in body if p.style == "big")
    if not big:
        return _bullets(slide, ctx, number)
    context = tuple(p for p in body if p.style == "context")
    captions = tuple(p for p in body if p.style == "caption")
    rest = tuple(p for p in body if p.style not in ("big", "context", "caption"))

    def joined(paragraphs: tuple[Paragraph, ...]) -> Runs:
        out: list[Run] = []
        for i, p in enumerate(paragraphs):
            out.extend(((Run(" "),) if i else ()) + p.runs)
        return tuple(out)

    caption = joined(captions) or printed(slide.caption)
    blocks: list[Block] = _heading(slide) + [Statement(joined(big), caption, joined(context))]
    if rest:
        blocks.append(Points(rest))
    return blocks + _sources(slide)


def _quote(slide: Slide, ctx: _Context, number: int) -> list[Block]:
    text = printed(tuple(r for p in slide.body if p.style == "quote" for r in p.runs))
    attribution = printed(tuple(r for p in slide.body if p.style == "attribution" for r in p.runs))
    if not text:
        return _bullets(slide, ctx, number)
    return _heading(slide) + [Quote(text, attribution)] + _sources(slide)


def _columns(slide: Slide, ctx: _Context, number: int) -> list[Block]:
    blocks = _heading(slide)
    if _body(slide):
        blocks.append(Points(_body(slide)))
    if slide.columns:
        blocks.append(Columns(tuple(Column(printed(c.heading), _paragraphs(c.body)) for c in slide.columns)))
    return blocks + _sources(slide)


def _table(slide: Slide, ctx: _Context, number: int) -> list[Block]:
    blocks = _heading(slide)
    if slide.table is not None:
        table = slide.table
        blocks.append(TableBlock(dataclasses.replace(
            table, header=tuple(printed(c) for c in table.header),
            rows=tuple(tuple(printed(c) for c in row) for row in table.rows))))
    return blocks + _caption(slide) + _sources(slide)


def _chart(slide: Slide, ctx: _Context, number: int) -> list[Block]:
    if slide.chart is None:
        return _bullets(slide, ctx, number)
    # The chart's own source line stands for the slide's "Sources:" line (they name the same works).
    return _heading(slide) + [chart_block(slide, slide.chart, ctx.frame_width_in)]


def _image(slide: Slide, ctx: _Context, number: int) -> list[Block]:
    picture = slide.picture
    if picture is None or picture.media is None:
        return _bullets(slide, ctx, number)
    return _heading(slide) + [ImageBlock(picture.media, picture.alt, printed(slide.caption))]


def _activity(slide: Slide, ctx: _Context, number: int) -> list[Block]:
    steps = _body(slide, "badge")
    numbered = any(p.style == "step" for p in steps)
    blocks: list[Block] = [Activity(printed(slide.title), typographic(slide.badge), slide.kind, steps, numbered)]
    worksheet = ctx.worksheets.get(slide.id or "") if slide.kind == "exercise" else None
    if worksheet is None and slide.worksheet is not None:
        worksheet = _worksheet(slide.worksheet)
    if worksheet is not None:
        blocks.append(worksheet)
    return blocks + _sources(slide)


def _worksheet(sheet: SlideWorksheet) -> Worksheet:
    """The outline's `worksheet:` as printed: tick-boxes for the checklist, prompts with writing lines."""
    scale = tuple(ScalePoint(str(value), printed(anchor)) for value, anchor in enumerate(sheet.scale))
    items: list[WorksheetItem] = [Rating(printed(runs)) if scale else TickBox(printed(runs))
                                  for runs in sheet.checklist]
    items += [Prompt(printed(runs), sheet.space) for runs in sheet.prompts]
    intro = (Paragraph(printed(sheet.intro)),) if sheet.intro else ()
    return Worksheet(printed(sheet.title), tuple(items), intro, scale)


def _break(slide: Slide, ctx: _Context, number: int) -> list[Block]:
    item = ctx.timing.get(number)
    if item is None or item.minutes <= 0:
        return []
    start = ctx.clock.minute(item.start, item.clock_shift)
    end = ctx.clock.minute(item.start + item.minutes, item.clock_shift)
    return [BreakMark(plain(printed(slide.title)), f"{ctx.clock.show(start)}–{ctx.clock.show(end)}",
                      duration(end - start))]


def _nothing(slide: Slide, ctx: _Context, number: int) -> list[Block]:
    return []


# Generated slides (title, agenda, section headers, references) are stood for by the cover, the
# programme, the section headings and the reference list; the closing slide by the contact block.
SLIDE_BLOCKS: dict[str, Callable[[Slide, _Context, int], list[Block]]] = {
    "title": _nothing,
    "agenda": _nothing,
    "section": _nothing,
    "references": _nothing,
    "closing": _nothing,
    "break": _break,
    "bullets": _bullets,
    "quote": _quote,
    "two-column": _columns,
    "comparison": _columns,
    "table": _table,
    "chart": _chart,
    "image": _image,
    "exercise": _activity,
    "discussion": _activity,
    "big-number": _callout,
    "finding": _callout,
}


def _content(slide: Slide, ctx: _Context, number: int) -> list[Block]:
    """A registered kind: by the type of its record; any other (a diagram) described in words, as its alt text
    says it."""
    content = slide.content
    assert content is not None
    if isinstance(content, StatementRecord):
        return _heading(slide) + [Statement(printed(content.text), printed(content.caption or slide.caption))] \
            + _sources(slide)
    if isinstance(content, DiagramRecord):
        return _heading(slide) + [_diagram(content)] + _caption(slide) + _sources(slide)
    described = (Paragraph((Run(content.describe()),), style="plain"),)
    return _heading(slide) + [Points(described)] + _caption(slide) + _sources(slide)


def _diagram(diagram: DiagramRecord) -> Points:
    """A diagram in words, readable on paper: what kind of figure it is as a lead line, then one point per
    step, stage or card (numbered where the order matters), each with its detail."""
    def say(runs: Runs) -> str:
        return " ".join("".join(r.text for r in runs).split())

    def item(node: DiagramNode) -> Runs:
        head = " ".join(t for t in (say(node.value), say(node.label)) if t)
        extra = "; ".join(say(b) for b in node.bullets if say(b)) or say(node.detail)
        runs: list[Run] = [Run(typographic(head), bold=bool(extra))] if head else []
        if extra:
            runs.append(Run((": " if head else "") + typographic(extra)))
        return tuple(runs)

    count = len(diagram.nodes)
    kind = diagram.type
    lead = {"process": f"A process in {count} steps:", "cycle": f"A cycle of {count} steps, the last leading back "
            "to the first:", "funnel": "A funnel, from the widest to the narrowest:", "timeline": "A timeline:",
            "overlap": f"{count} overlapping circles:", "matrix": "A two-by-two matrix:"}.get(kind)
    if kind == "continuum" or not diagram.nodes:
        return Points((Paragraph((Run(typographic(diagram.describe())),), style="caption"),))
    paragraphs = [Paragraph((Run(lead or f"{count} cards side by side:", italic=True),), style="caption")]
    if kind == "matrix":
        axes = [f"{what} {say(r)}" for what, r in (("across:", diagram.x_axis), ("up:", diagram.y_axis)) if r]
        if axes:
            paragraphs[0] = Paragraph((Run(f"A two-by-two matrix ({'; '.join(axes)}):", italic=True),),
                                      style="caption")
        places = ("Top left", "Top right", "Bottom left", "Bottom right")
        paragraphs += [Paragraph((Run(f"{p}: "),) + item(n)) for p, n in zip(places, diagram.nodes)]
    else:
        paragraphs += [Paragraph(item(n)) for n in diagram.nodes if item(n)]
    if diagram.centre:
        centre = "At the centre" if kind == "cycle" else "Where they overlap"
        paragraphs.append(Paragraph((Run(f"{centre}: {typographic(say(diagram.centre))}"),), style="caption"))
    return Points(tuple(paragraphs), numbered=kind in ("process", "cycle", "funnel"))


def slide_blocks(slide: Slide, ctx: _Context, number: int) -> list[Block]:
    """The handout blocks for one slide; a kind this table does not know is shown as key points."""
    if slide.content is not None:
        blocks = _content(slide, ctx, number)
    else:
        blocks = SLIDE_BLOCKS.get(slide.kind, _bullets)(slide, ctx, number)
    if blocks and ctx.with_notes and slide.kind != "break":
        notes = tuple(p for p in slide.notes if p.style not in ("cue", "direction") and p.text.strip())
        if notes:
            blocks.append(SpeakerNotes(tuple(c for p in _paragraphs(notes) for c in chunked(p))))
    return blocks


# ── key findings ─────────────────────────────────────────────────────────────────────────────────

KEY_TAG = "key"
TAKE_HOME_TAG = "take-home"
CHART_RULE = ("chart slides tagged 'key', in deck order; then one chart per section, in deck order, whose "
              "data are from a study (not illustrative) and that is not a timeline; then further such "
              "charts; only charts that print legibly at half the page width; at most three")


def _is_take_home(slide: Slide) -> bool:
    if TAKE_HOME_TAG in slide.tags:
        return True
    name = f"{slide.id or ''} {plain(slide.title)}".lower().replace("-", " ")
    return slide.kind == "bullets" and "take home" in name


def take_home_slide(deck: Deck) -> Slide | None:
    """The talk's take-home slide: tagged 'take-home', else a bullets slide whose id or title says so."""
    tagged = [s for s in deck.slides if not s.hidden and TAKE_HOME_TAG in s.tags]
    found = tagged or [s for s in deck.slides if not s.hidden and _is_take_home(s)]
    return found[0] if found else None


def key_chart_width_in(page: Page) -> float:
    return round((page.frame_width - KEY_CHART_GAP_PT) / 2 / 72, 3)


def key_chart_slides(deck: Deck, page: Page) -> list[Slide]:
    """The (at most) three chart slides whose charts go on the key-findings page (see CHART_RULE)."""
    width = key_chart_width_in(page)

    def legible(slide: Slide) -> bool:
        assert slide.chart is not None
        figure = figure_for(slide.chart, width)
        return figure.print_height_in <= KEY_CHART_MAX_PRINT_HEIGHT_IN and labels_fit(slide.chart, figure.width_in)

    charts = [s for s in deck.slides if not s.hidden and s.kind == "chart" and s.chart is not None and legible(s)]
    chosen = [s for s in charts if KEY_TAG in s.tags or s.key][:3]
    findings = [s for s in charts if s not in chosen and s.chart is not None and not s.chart.illustrative
                and s.chart.type != "timeline"]
    sections = {s.section for s in chosen}
    for slide in findings:
        if len(chosen) < 3 and slide.section not in sections:
            chosen.append(slide)
            sections.add(slide.section)
    for slide in findings:
        if len(chosen) < 3 and slide not in chosen:
            chosen.append(slide)
    order = {id(s): i for i, s in enumerate(deck.slides)}
    return sorted(chosen, key=lambda s: order[id(s)])


def key_findings(deck: Deck, page: Page) -> KeyFindings | None:
    take_home = take_home_slide(deck)
    messages = _body(take_home) if take_home is not None else ()
    outcomes = tuple(printed(o) for o in deck.learning_outcomes)
    width = key_chart_width_in(page)
    charts = tuple(chart_block(s, s.chart, width, KEY_CHART_MAX_PRINT_HEIGHT_IN)
                   for s in key_chart_slides(deck, page) if s.chart is not None)
    if not (messages or outcomes or charts):
        return None
    title = plain(printed(take_home.title)) if take_home is not None else "Take-home messages"
    return KeyFindings(title, messages, outcomes, charts, CHART_RULE)


# ── cover, contact, QR ───────────────────────────────────────────────────────────────────────────


def qr_code(url: str) -> QrCode:
    """The QR code for a URL, as modules; medium error correction, never a Micro QR (phones skip those)."""
    import segno  # pure computation, no I/O: kept inside so that importing compile costs nothing

    code = segno.make(url, error="m", micro=False, boost_error=False)
    return QrCode(url, tuple(tuple(bool(v) for v in row) for row in code.matrix))


def _contact(deck: Deck, options: HandoutOptions) -> Contact | None:
    url = (options.slides_url or str((deck.event or {}).get("slides_url", "") or "")).strip()
    if url and (not url.lower().startswith(("http://", "https://")) or not is_safe_link(url)
                or len(link_target(url).encode("utf-8")) > MAX_QR_BYTES):
        url = ""  # not a safe web address: no QR code rather than one that opens nothing or hides what it opens
    lines = tuple(typographic(line.strip()) for line in options.contact.splitlines() if line.strip())
    if not (lines or url):
        return None
    return Contact(lines, url, qr_code(url) if url else None)


def _cover(deck: Deck, options: HandoutOptions) -> Cover:
    event = dict(deck.event or {})

    def joined(*parts: str) -> str:
        return " · ".join(typographic(p) for p in parts if p)

    return Cover("Handout", typographic(deck.title), typographic(deck.subtitle), typographic(deck.presenter),
                 typographic(deck.affiliation), joined(event.get("name", ""), event.get("organiser", "")),
                 joined(event.get("venue", ""), str(event.get("date", "") or deck.date or "")),
                 options.logo, options.logo_alt or "Logo")


# ── sections ─────────────────────────────────────────────────────────────────────────────────────


def _section_time(spans: list[_Span], title: str, clock: _Clock) -> tuple[str, str, int] | None:
    """A section's header times from the schedule's spans of it: its own minutes, never the break after it;
    a section that a break interrupts shows each stretch ("13:35–15:00, 15:15–15:45") and their sum."""
    mine = [s for s in spans if s.kind == "section" and s.section == title]
    if not mine:
        return None
    when = ", ".join(f"{clock.show(s.start)}–{clock.show(s.end)}" for s in mine)
    return when, duration(sum(s.end - s.start for s in mine)), mine[0].day


def _sections(deck: Deck, ctx: _Context, skip: Slide | None,
              spans: list[_Span] | None = None) -> tuple[HandoutSection, ...]:
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
    clock = _clock(options)
    timing = {item.number: item for item in plan.items if item.number is not None}
    ctx = _Context(round(page.frame_width / 72, 3), options.with_notes, options.worksheets, clock, timing)

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
        cover=_cover(deck, options),
        contact=_contact(deck, options),
        key_findings=findings,
        programme=programme if programme.rows else None,
        # The take-home slide is on the key-findings page; it is not repeated in its section.
        sections=_sections(deck, ctx, take_home if findings is not None and findings.take_home else None, spans),
        references=tuple(printed(r) for r in deck.references),
        running_title=typographic(deck.title),
        footer=" · ".join(typographic(p) for p in (deck.presenter, event.get("name", "") or deck.date) if p),
        thumbnails=options.thumbnails,
    )
