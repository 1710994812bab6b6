"""Compile layer: text set in the template's boxes — paragraphs to measured lines at the theme's sizes, text
shapes, and a region's text shrunk until it fits (the text half of the layouter, `compile/layout.py`)."""

from __future__ import annotations

from dataclasses import replace

from lecturegen.compile.placing import BOX_INSETS, WRAP_SAFETY
from lecturegen.compile.measure import FontMetrics, TextBlock, block_height, widest_line, words_of
from lecturegen.compile.style import Sizes
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.model.deck import Paragraph, Run, Slide
from lecturegen.model.geometry import EMU_PER_INCH, Box, emu, pt
from lecturegen.model.shapes import Media, PlaceholderRef, TextLine, TextShape
from lecturegen.records import record
from lecturegen.model.style import DeckStyle
from lecturegen.model.template import LevelStyle, Placeholder, Template
from lecturegen.model.text import runs_text

SHRINK_STEP = 0.04
NO_BULLET = frozenset({"big", "caption", "quote", "attribution", "reference", "agenda", "subtitle", "badge",
                       "heading", "context", "prompt", "question", "plain"})
# Display text set in the middle of the slide: its lines are balanced ("A gradient, / not a threshold").
BALANCED = frozenset({"big", "context", "question", "prompt"})
AGENDA_TAB = int(1.2 * EMU_PER_INCH)
REFERENCE_HANG = int(0.5 * EMU_PER_INCH)
HARD_FLOOR_PT = 14.0  # below the theme's minimum, generated or long text shrinks no further (the size a room can read)


@record
class Fonts:
    """Measured fonts by family name; unknown families measure as the body font."""

    by_family: dict[str, FontMetrics]
    heading: str
    body: str

    def get(self, family: str) -> FontMetrics:
        return self.by_family.get(family) or self.by_family[self.body]


@record
class Logo:
    media: Media
    place: str  # top-right | top-left | bottom-right | bottom-left
    height_in: float
    alt: str
    at: Location | None = None  # the theme that names it


@record
class LayoutContext:
    template: Template
    style: DeckStyle
    sizes: Sizes
    fonts: Fonts
    footer: str
    footer_extra: str = ""  # " · Event": dropped first when the footer is too long
    logo: Logo | None = None
    footer_at: Location | None = None  # where the talk sets its footer (or the talk itself)
    accent_rule: bool = False  # a generated template: the theme's short rule under content titles


class TextSetter:
    """Sets text in boxes at the theme's sizes, measured with the deck's fonts."""

    def __init__(self, ctx: LayoutContext, diags: Diagnostics):
        self.ctx = ctx
        self.template = ctx.template
        self.sizes = ctx.sizes
        self.style = ctx.style
        self.diags = diags

    # -- text shapes ------------------------------------------------------------------------------------
    def placeholder_shape(self, name: str, role: str, ph: Placeholder, box: Box, lines: tuple[TextLine, ...],
                           anchor: str | None = None) -> TextShape:
        inner = ph.insets.inner(box)
        height = self._height(lines, ph, inner.width_pt)
        family = ph.level(0).font
        return TextShape(name=name, role=role, box=box, lines=lines,
                         placeholder=PlaceholderRef(ph.type, ph.idx, ph.orient),
                         inherit_box=box == ph.box and ph.unique,
                         insets=ph.insets, anchor=anchor or (None if ph.unique else ph.anchor),
                         measured_height=round(height, 2), font_family=family)

    def box_shape(self, name: str, role: str, box: Box, lines: tuple[TextLine, ...], anchor: str = "t",
                   font: str = "body", fill: str | None = None) -> TextShape:
        family = self.ctx.fonts.heading if font == "heading" else self.ctx.fonts.body
        inner = BOX_INSETS.inner(box)
        height = self._height(lines, None, inner.width_pt, family)
        return TextShape(name=name, role=role, box=box, lines=lines, insets=BOX_INSETS, anchor=anchor, font=font,
                         fill=fill, measured_height=round(height, 2), font_family=family)

    def _height(self, lines: tuple[TextLine, ...], ph: Placeholder | None, width_pt: float,
                family: str | None = None) -> float:
        blocks = []
        for line in lines:
            level = ph.level(line.level) if ph is not None else None
            font = self.ctx.fonts.get(level.font if level is not None else (family or self.ctx.fonts.body))
            bold_all = line.bold or (level.bold if level is not None else False)
            runs = [(r.text, r.bold or bold_all) for r in line.runs]
            if line.tab is not None:
                # Measured as if the tab were four spaces on every line, as stricter checkers do.
                runs = [(t.replace("\t", "M "), b) for t, b in runs]
            margin = pt(max(line.margin, line.margin + line.indent))
            blocks.append(TextBlock(words_of(runs), line.size, font, margin, line.space_before, line.line_spacing))
        return block_height(blocks, width_pt * WRAP_SAFETY)

    def breaks_a_word(self, shape: TextShape, ph: Placeholder | None) -> bool:
        """Whether any word is wider than its line (PowerPoint would break it between letters)."""
        width = shape.insets.inner(shape.box).width_pt * WRAP_SAFETY
        for line in shape.lines:
            level = ph.level(line.level) if ph is not None else None
            font = self.ctx.fonts.get(level.font if level is not None else self.ctx.fonts.body)
            bold_all = line.bold or (level.bold if level is not None else False)
            room = width - pt(max(line.margin, line.margin + line.indent))
            for word, bold in words_of([(r.text, r.bold or bold_all) for r in line.runs]):
                if word != "\n" and font.width(word, line.size, bold) > room:
                    return True
        return False

    @staticmethod
    def capacity(shape: TextShape) -> float:
        return shape.insets.inner(shape.box).height_pt + 0.5

    def fits(self, lines: tuple[TextLine, ...], ph: Placeholder, box: Box) -> bool:
        inner = ph.insets.inner(box)
        return self._height(lines, ph, inner.width_pt) <= inner.height_pt + 0.5

    # -- paragraphs → lines ------------------------------------------------------------------------------
    def lines(self, paragraphs: tuple[Paragraph, ...], ph: Placeholder, scale: float = 1.0,
               subtitle_size: float | None = None) -> tuple[TextLine, ...]:
        out = []
        colors = self.style.colors
        tab = self._agenda_tab(paragraphs, ph, scale) if any(p.style == "agenda" for p in paragraphs) else AGENDA_TAB
        for p in paragraphs:
            level = ph.level(p.level if p.style in ("body", "step") else 0)
            base = ph.level(0)
            style = p.style
            size = max(self._style_size(p, ph, subtitle_size) * scale, min(HARD_FLOOR_PT, self._style_size(p, ph, subtitle_size)))
            line = _prompt_look(TextLine(p.runs, round(size, 1), level=p.level if style in ("body", "step") else 0,
                                         margin=level.margin, indent=level.indent,
                                         space_before=level.space_before + level.space_after
                                         if style in ("body", "step") else base.space_before + base.space_after,
                                         line_spacing=level.line_spacing), level)
            if style in NO_BULLET:
                line = replace(line, bullet="none", margin=0, indent=0)
            if style == "big":
                line = replace(line, align="ctr", color=colors["accent"], bold=True, line_spacing=0.9)
            elif style in ("context", "prompt"):
                line = replace(line, align="ctr", color=colors["text"] if style == "context" else colors["muted"],
                               space_before=10)
            elif style == "caption":
                line = replace(line, align="ctr", color=colors["muted"], space_before=12)
            elif style == "attribution":
                line = replace(line, align="r", color=colors["muted"], space_before=12)
            elif style in ("heading", "badge"):
                line = replace(line, color=colors["accent"], bold=style == "heading", space_before=0)
            elif style == "reference":
                line = replace(line, margin=REFERENCE_HANG, indent=-REFERENCE_HANG, space_before=6)
            elif style == "agenda":
                line = replace(line, margin=tab, indent=-tab, tab=tab, space_before=8)
            elif style == "quote":
                line = replace(line, runs=(Run("“"),) + p.runs + (Run("”"),), italic=True)
            elif style == "step" and p.level == 0:
                line = replace(line, bullet="number", margin=int(0.5 * EMU_PER_INCH), indent=-int(0.45 * EMU_PER_INCH))
            out.append(line)
        return tuple(out)

    def _agenda_tab(self, paragraphs: tuple[Paragraph, ...], ph: Placeholder, scale: float) -> int:
        """The agenda's tab stop: past its widest time ("09:50–11:00"), never nearer than AGENDA_TAB."""
        font = self.ctx.fonts.get(ph.level(0).font)
        widest = 0.0
        for p in paragraphs:
            if p.style == "agenda" and len(p.runs) > 1:
                size = max(self._style_size(p, ph, None) * scale, HARD_FLOOR_PT)
                widest = max(widest, widest_line(font, words_of([(p.runs[0].text, True)]), size))
        return max(AGENDA_TAB, emu(widest) + int(0.25 * EMU_PER_INCH))

    def _style_size(self, p: Paragraph, ph: Placeholder, subtitle_size: float | None) -> float:
        s = self.sizes
        body = s.declared_or("body", ph.level(0).size)
        level2 = s.declared_or("level2", ph.level(1).size)
        fixed = {"big": s.get("statement"), "caption": level2, "quote": s.get("quote"), "attribution": level2,
                 "reference": s.get("references"), "agenda": level2, "badge": body, "heading": body,
                 "context": s.get("context"), "prompt": s.get("context"), "question": s.get("question"),
                 "plain": body}
        # Never below what a room can read, whatever size the template sets (a 13 pt body on a 10 in slide).
        if p.style in fixed:
            return max(HARD_FLOOR_PT, fixed[p.style])
        if p.style == "subtitle":
            return max(HARD_FLOOR_PT, subtitle_size if subtitle_size is not None else s.get("subtitle"))
        return max(HARD_FLOOR_PT, body if p.level == 0 else s.declared_or("level2", ph.level(p.level).size))

    # -- fitting a text region -----------------------------------------------------------------------------
    def fit_region(self, slide: Slide, ph: Placeholder, box: Box, paragraphs: tuple[Paragraph, ...],
                    name: str, role: str, anchor: str | None = None,
                    subtitle_size: float | None = None) -> tuple[TextShape, bool]:
        """The region's text at full size, or shrunk in 4 % steps until its body text reaches the minimum
        size (larger styles shrink in proportion); returns (shape, fits)."""
        base = self._style_size(Paragraph((), style="subtitle" if subtitle_size is not None else "body"), ph,
                                subtitle_size)
        min_scale = min(1.0, self.sizes.get("min_body") / base) if base > 0 else 1.0
        # Past the theme's minimum the text goes on shrinking, to the hard floor, rather than overflow: the
        # deck always builds, and a warning names the slide (`--strict` makes it an error).
        # Each line stops at the floor on its own (`_lines`), so the scale may go on until the largest line
        # (an 80 pt statement) reaches it too.
        biggest = max([base, *(self._style_size(p, ph, subtitle_size) for p in paragraphs)])
        floor_scale = min(min_scale, HARD_FLOOR_PT / biggest) if biggest > 0 else min_scale
        scale = 1.0
        while True:
            lines = self.lines(paragraphs, ph, scale, subtitle_size)
            shape = self.placeholder_shape(name, role, ph, box, lines, anchor)
            inside = shape.measured_height <= self.capacity(shape)
            if inside and not self.breaks_a_word(shape, ph):
                # Set smaller than the theme's minimum only if a line ended below min(minimum, its own size).
                smallest_ok = all(line.size >= min(self.sizes.get("min_body"),
                                                   self._style_size(p, ph, subtitle_size)) - 0.05
                                  for line, p in zip(lines, paragraphs))
                return self._balance(shape, ph, paragraphs), scale >= min_scale - 1e-9 or smallest_ok
            if inside and scale - SHRINK_STEP < min_scale - 1e-9:
                return shape, True  # a word too long for the box even at the smallest size: broken, but inside
            if scale - SHRINK_STEP < floor_scale - 1e-9:
                return shape, False
            scale -= SHRINK_STEP

    def _balance(self, shape: TextShape, ph: Placeholder | None, paragraphs: tuple[Paragraph, ...]) -> TextShape:
        """Display lines that wrap are broken where their lines come out about equally long."""
        width = shape.insets.inner(shape.box).width_pt * WRAP_SAFETY
        lines = list(shape.lines)
        changed = False
        for index, (line, para) in enumerate(zip(lines, paragraphs)):
            if para.style not in BALANCED or any(r.link for r in line.runs):
                continue
            level = ph.level(line.level) if ph is not None else None
            font = self.ctx.fonts.get(level.font if level is not None else self.ctx.fonts.body)
            bold = line.bold or (level.bold if level is not None else False)
            balanced = _balanced_runs(line.runs, font, line.size, bold, width)
            if balanced is not None:
                lines[index] = replace(line, runs=balanced)
                changed = True
        if not changed:
            return shape
        inner = shape.insets.inner(shape.box)
        height = self._height(tuple(lines), ph, inner.width_pt, shape.font_family or None)
        return replace(shape, lines=tuple(lines), measured_height=round(height, 2))


def _balanced_runs(runs: tuple[Run, ...], font: FontMetrics, size: float, bold: bool,
                   width: float) -> tuple[Run, ...] | None:
    """The text with line breaks where its lines come out about equally long (None: nothing to do)."""
    if len({(r.bold, r.italic, r.link, r.cited) for r in runs}) > 1 or "\n" in runs_text(runs):
        return None
    words = [w for w, _ in words_of([(runs_text(runs), bold)])]
    if len(words) < 2:
        return None
    space = font.width(" ", size)
    widths = [font.width(w, size, bold) for w in words]
    from lecturegen.compile.measure import count_lines

    count = count_lines(font, [(w, bold) for w in words], size, width)
    if count < 2:
        return None
    if count > 4 or len(words) > 40:
        return None
    from itertools import combinations

    def line_width(a: int, b: int) -> float:
        return sum(widths[a:b]) + space * (b - a - 1)

    best: tuple[int, ...] | None = None
    best_score = float("inf")
    # Every way to break the words into `count` lines: the one whose widest line is narrowest wins, and a
    # line that ends at a comma, colon or dash reads better, so such breaks win within 15 %.
    for breaks in combinations(range(1, len(words)), count - 1):
        starts = [0, *breaks, len(words)]
        widest = max(line_width(a, b) for a, b in zip(starts, starts[1:]))
        if widest > width:
            continue
        score = widest * (0.85 if all(words[i - 1][-1:] in ",;:—–" for i in breaks) else 1.0)
        if score < best_score - 0.5:
            best, best_score = breaks, score
    if not best:
        return None
    pieces = []
    starts = [0, *best, len(words)]
    for a, b in zip(starts, starts[1:]):
        pieces.append(" ".join(words[a:b]))
    return (replace(runs[0], text="\n".join(pieces)),)






def _prompt_look(line: TextLine, level: LevelStyle) -> TextLine:
    """A level read from a template's prompt text: its font, weight and colour go onto the runs (see
    `sources/template.py::_sample_levels`); list-style levels are inherited and need nothing written."""
    if not level.from_sample:
        return line
    return replace(line, bold=line.bold or level.bold, italic=line.italic or level.italic,
                   color=line.color or level.color, typeface=level.font)


def _text(runs: tuple[Run, ...]) -> str:
    return runs_text(runs)
