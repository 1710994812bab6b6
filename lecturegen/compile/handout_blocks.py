"""Compile layer: what each slide becomes on paper (one function per slide kind → handout blocks)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping

from lecturegen.compile.handout_figures import chart_block
from lecturegen.compile.handout_schedule import Clock
from lecturegen.compile.handout_text import chunked, duration, paragraphs_printed, plain, printed, typographic
from lecturegen.compile.kinds.diagram import Diagram as DiagramRecord
from lecturegen.compile.kinds.diagram import DiagramNode
from lecturegen.compile.kinds.statement import Statement as StatementRecord
from lecturegen.compile.timing import TimedItem
from lecturegen.model.deck import Column, Slide
from lecturegen.model.deck import Worksheet as SlideWorksheet
from lecturegen.model.handout import (
    Activity,
    Block,
    BreakMark,
    Columns,
    DiagramFigure,
    ImageBlock,
    Points,
    Prompt,
    Quote,
    Rating,
    ScalePoint,
    SlideHeading,
    Sources,
    SpeakerNotes,
    Statement,
    TableBlock,
    TickBox,
    Worksheet,
    WorksheetItem,
)
from lecturegen.model.shapes import GroupShape
from lecturegen.model.text import Paragraph, Run, runs_text
from lecturegen.records import record

Runs = tuple[Run, ...]

# ── slide kind → blocks ──────────────────────────────────────────────────────────────────────────


@record
class BlockContext:
    frame_width_in: float
    with_notes: bool
    worksheets: Mapping[str, Worksheet]
    clock: Clock
    timing: Mapping[int, TimedItem]  # by slide number
    background: str = ""  # the slides' background colour; empty: diagrams are described in words, not drawn


def body_printed(slide: Slide, *skip: str) -> tuple[Paragraph, ...]:
    return paragraphs_printed(tuple(p for p in slide.body if p.style not in skip and p.text.strip()))


def _heading(slide: Slide) -> list[Block]:
    return [SlideHeading(printed(slide.title))]


def _sources(slide: Slide) -> list[Block]:
    return [Sources(printed(slide.sources))] if slide.sources else []


def _caption(slide: Slide) -> list[Block]:
    return [Points((Paragraph(printed(slide.caption), style="caption"),))] if slide.caption else []


def _bullets(slide: Slide, ctx: BlockContext, number: int) -> list[Block]:
    paragraphs = body_printed(slide)
    return _heading(slide) + ([Points(paragraphs)] if paragraphs else []) + _caption(slide) + _sources(slide)


def _callout(slide: Slide, ctx: BlockContext, number: int) -> list[Block]:
    """A big-number slide (or a finding told by a number): the number, its context line and its caption as one
    call-out; the slide's other body text (if any) as key points after it."""
    if slide.chart is not None:
        return _chart(slide, ctx, number)
    body = body_printed(slide)
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


def _quote(slide: Slide, ctx: BlockContext, number: int) -> list[Block]:
    text = printed(tuple(r for p in slide.body if p.style == "quote" for r in p.runs))
    attribution = printed(tuple(r for p in slide.body if p.style == "attribution" for r in p.runs))
    if not text:
        return _bullets(slide, ctx, number)
    return _heading(slide) + [Quote(text, attribution)] + _sources(slide)


def _columns(slide: Slide, ctx: BlockContext, number: int) -> list[Block]:
    blocks = _heading(slide)
    if body_printed(slide):
        blocks.append(Points(body_printed(slide)))
    if slide.columns:
        blocks.append(Columns(tuple(Column(printed(c.heading), paragraphs_printed(c.body)) for c in slide.columns)))
    return blocks + _sources(slide)


def _table(slide: Slide, ctx: BlockContext, number: int) -> list[Block]:
    blocks = _heading(slide)
    if slide.table is not None:
        table = slide.table
        blocks.append(TableBlock(dataclasses.replace(
            table, header=tuple(printed(c) for c in table.header),
            rows=tuple(tuple(printed(c) for c in row) for row in table.rows))))
    return blocks + _caption(slide) + _sources(slide)


def _chart(slide: Slide, ctx: BlockContext, number: int) -> list[Block]:
    if slide.chart is None:
        return _bullets(slide, ctx, number)
    # The chart's own source line stands for the slide's "Sources:" line (they name the same works).
    return _heading(slide) + [chart_block(slide, slide.chart, ctx.frame_width_in)]


def _image(slide: Slide, ctx: BlockContext, number: int) -> list[Block]:
    picture = slide.picture
    if picture is None or picture.media is None:
        return _bullets(slide, ctx, number)
    return _heading(slide) + [ImageBlock(picture.media, picture.alt, printed(slide.caption))]


def _activity(slide: Slide, ctx: BlockContext, number: int) -> list[Block]:
    steps = body_printed(slide, "badge")
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


def _break(slide: Slide, ctx: BlockContext, number: int) -> list[Block]:
    item = ctx.timing.get(number)
    if item is None or item.minutes <= 0:
        return []
    start = ctx.clock.minute(item.start, item.clock_shift)
    end = ctx.clock.minute(item.start + item.minutes, item.clock_shift)
    return [BreakMark(plain(printed(slide.title)), f"{ctx.clock.show(start)}–{ctx.clock.show(end)}",
                      duration(end - start))]


def _nothing(slide: Slide, ctx: BlockContext, number: int) -> list[Block]:
    return []


# Generated slides (title, agenda, section headers, references) are stood for by the cover, the
# programme, the section headings and the reference list; the closing slide by the contact block.
SLIDE_BLOCKS: dict[str, Callable[[Slide, BlockContext, int], list[Block]]] = {
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


def _content(slide: Slide, ctx: BlockContext, number: int) -> list[Block]:
    """A registered kind: by the type of its record; any other (a diagram) described in words, as its alt text
    says it."""
    content = slide.content
    assert content is not None
    if isinstance(content, StatementRecord):
        return _heading(slide) + [Statement(printed(content.text), printed(content.caption or slide.caption))] \
            + _sources(slide)
    if isinstance(content, DiagramRecord):
        group = next((s for s in slide.shapes if isinstance(s, GroupShape)), None)
        if group is not None and ctx.background:
            # Drawn as on the slide, its caption and source under it as one figure.
            return _heading(slide) + [DiagramFigure(group, content.alt(), printed(slide.caption),
                                                    printed(slide.sources), ctx.background)]
        return _heading(slide) + [_diagram(content)] + _caption(slide) + _sources(slide)
    described = (Paragraph((Run(content.describe()),), style="plain"),)
    return _heading(slide) + [Points(described)] + _caption(slide) + _sources(slide)


def _diagram(diagram: DiagramRecord) -> Points:
    """A diagram in words, readable on paper: what kind of figure it is as a lead line, then one point per
    step, stage or card (numbered where the order matters), each with its detail."""
    def say(runs: Runs) -> str:
        return " ".join(runs_text(runs).split())

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


def slide_blocks(slide: Slide, ctx: BlockContext, number: int) -> list[Block]:
    """The handout blocks for one slide; a kind this table does not know is shown as key points."""
    if slide.content is not None:
        blocks = _content(slide, ctx, number)
    else:
        blocks = SLIDE_BLOCKS.get(slide.kind, _bullets)(slide, ctx, number)
    if blocks and ctx.with_notes and slide.kind != "break":
        notes = tuple(p for p in slide.notes if p.style not in ("cue", "direction") and p.text.strip())
        if notes:
            blocks.append(SpeakerNotes(tuple(c for p in paragraphs_printed(notes) for c in chunked(p))))
    return blocks
