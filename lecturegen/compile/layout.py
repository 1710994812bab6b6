"""Compile layer: place every shape of a slide inside the boxes of the template layout it uses.

The layout decides, for any slide size: which placeholder each text goes into and at what size (shrunk
within limits or continued on a "(cont.)" slide when it does not fit), where charts, tables, pictures,
captions, source lines, the footer and the logo stand, and how large. The result is recorded on the slide
as shapes with final boxes and sizes; the renderer only writes them down.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from lecturegen.compile.charts import check_chart_fits
from lecturegen.compile.kinds.base import Kind
from lecturegen.compile.kinds.registry import KINDS
from lecturegen.model.colour import blend, contrast_ratio
from lecturegen.compile.legibility import make_readable
from lecturegen.compile.measure import FontMetrics, TextBlock, block_height, widest_line, words_of
from lecturegen.compile.style import CONTENT_LAYOUTS, Sizes
from lecturegen.compile.titles import balance_title, words_per_line
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.model.deck import Paragraph, Run, Slide
from lecturegen.model.geometry import EMU_PER_INCH, EMU_PER_PT, Box, Insets, emu, pt
from lecturegen.model.chart import reveal_steps
from lecturegen.model.shapes import (
    ChartShape,
    GroupShape,
    Media,
    PictureShape,
    dpi_text,
    PlaceholderRef,
    QRShape,
    RectShape,
    Shape,
    reveal_groups,
    TableCell,
    TableShape,
    TextLine,
    TextShape,
)
from lecturegen.records import record
from lecturegen.model.style import DeckStyle
from lecturegen.model.template import Layout, LevelStyle, Placeholder, Template

GAP = int(0.08 * EMU_PER_INCH)  # between a content shape and the caption line under it
SHRINK_STEP = 0.04
TITLE_STEP = 2.0
CHART_DPI = 200
MIN_DPI = 150
# The caption line and text boxes lecturegen adds: PowerPoint's own text-box insets.
BOX_INSETS = Insets(91440, 45720, 91440, 45720)
NO_BULLET = frozenset({"big", "caption", "quote", "attribution", "reference", "agenda", "subtitle", "badge",
                       "heading", "context", "prompt", "question", "plain"})
# Display text set in the middle of the slide: its lines are balanced ("A gradient, / not a threshold").
BALANCED = frozenset({"big", "context", "question", "prompt"})
SCRIM = ("000000", 0.6)  # black at 60 %: white text on it passes WCAG AA over any photo
AGENDA_TAB = int(1.2 * EMU_PER_INCH)
CELL_INSETS = Insets(91440, 45720, 91440, 45720)
REFERENCE_HANG = int(0.5 * EMU_PER_INCH)
# Text is wrapped in a slightly narrower frame than it gets: PowerPoint, LibreOffice and checkers disagree by
# a point or two on where a line that just fits breaks, and a line that just fits must fit in all of them.
WRAP_SAFETY = 0.985
# The accent rule under content titles on a generated template: at most this long, this thick (EMU).
ACCENT_RULE = (int(1.1 * EMU_PER_INCH), int(0.06 * EMU_PER_INCH))
# A bullet list of at most this many words and four points is set larger and optically centred.
FEW_WORDS = 45
FEW_WORDS_MAX_PT = 36.0
OPTICAL_CENTRE = 0.4  # the share of the spare room above short text: a little above the middle
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


@record(frozen=False)
class _Frame:
    """What every slide on a layout shares: title area, chrome (footer, number, logo), free content area."""

    key: str  # the role or layout name slides ask for
    layout: Layout
    obstacles: list[Box]
    content: Box  # where charts, tables and pictures may go (before the caption line is taken off)
    floor: int  # the caption line stands on this (EMU from the top)


class _Lent:
    """The layouter as a registered kind's placer sees it (`compile/kinds/base.py::Placement`)."""

    def __init__(self, layouter: Layouter):
        self._layouter = layouter

    @property
    def style(self) -> DeckStyle:
        return self._layouter.style

    @property
    def diags(self) -> Diagnostics:
        return self._layouter.diags

    def font(self, heading: bool = False) -> FontMetrics:
        return self._layouter.ctx.fonts.get(self.family(heading))

    def family(self, heading: bool = False) -> str:
        fonts = self._layouter.ctx.fonts
        return fonts.heading if heading else fonts.body

    def size(self, key: str) -> float:
        return self._layouter.sizes.get(key)

    def centred_body(self, slide: Slide, paragraphs: tuple[Paragraph, ...], what: str) -> list[Shape]:
        return self._layouter.centred_shapes(slide, paragraphs, what)


class Layouter:
    """Lays out slides; keeps per-deck state (the footer as fitted, warnings given once)."""

    def __init__(self, ctx: LayoutContext, diags: Diagnostics):
        self.ctx = ctx
        self.template = ctx.template
        self.sizes = ctx.sizes
        self.style = ctx.style
        self.diags = diags
        self._frames: dict[str, _Frame] = {}
        self._footers: dict[str, str] = {}
        self._warned: set[str] = set()
        self._logo = self._place_logo()

    # -- public ----------------------------------------------------------------------------------------
    def place(self, slide: Slide, can_split: bool = True) -> list[Slide]:
        """The slide with its shapes, or several slides when a list continues on "(cont.)" slides."""
        if self.template.layout(slide.layout) is None:
            slide = replace(slide, layout="content")
        registered = KINDS.get(slide.kind)
        if registered is not None:
            return [self.kind_slide(slide, registered)]
        placer = PLACERS.get(slide.kind)
        if placer is None:
            raise NotImplementedError(f"no layout for slide kind {slide.kind!r}")
        return placer(self, slide, can_split)

    def kind_slide(self, slide: Slide, kind: Kind) -> Slide:
        """A registered kind: its placer fills the layout's free content area (above the caption line); the
        title, caption line and chrome are placed here as on every slide."""
        frame = self._frame(slide.layout)
        line = self._caption_line(slide, frame)
        area = self._free_area(frame, line)
        shapes = kind.place(slide, area, _Lent(self)) if slide.content is not None else []
        return self._finish(slide, frame, shapes, line)

    def body_box(self, layout_name: str, role: str = "body") -> Box | None:
        ph = self.template.placeholder(layout_name, role)
        return ph.box if ph else None

    def split_references(self, slide: Slide) -> list[Slide]:
        """Reference slides split by measured height, never by a fixed count."""
        frame = self._frame(slide.layout)
        ph = frame.layout.get("body")
        if ph is None:
            return [slide]
        box = self._region(frame, ph, slide)
        pages: list[list[Paragraph]] = [[]]
        for entry in slide.body:
            candidate = pages[-1] + [entry]
            if pages[-1] and not self._fits(self._lines(tuple(candidate), ph), ph, box):
                pages.append([entry])
            else:
                pages[-1] = candidate
        if len(pages) == 1:
            return [replace(slide, body=tuple(pages[0]))]
        total = len(pages)
        return [replace(slide, body=tuple(page), title=slide.title + (Run(f" ({i}/{total})"),),
                        id=f"{slide.id or 'references'}-{i}") for i, page in enumerate(pages, start=1)]

    @property
    def measured_font(self) -> str:
        body, heading = self.style.body.describe(), self.style.heading.describe()
        return body if body == heading else f"{body} (body), {heading} (headings)"

    # -- frames ------------------------------------------------------------------------------------------
    def _frame(self, layout_name: str) -> _Frame:
        frame = self._frames.get(layout_name)
        if frame is not None:
            return frame
        layout = self.template.layout(layout_name) or self.template.roles["content"]
        obstacles = list(layout.obstacles)
        if self._logo is not None:
            obstacles.append(self._logo.box)
        frame = _Frame(layout_name, layout, obstacles, *self._content_area(layout, obstacles))
        self._frames[layout_name] = frame
        return frame

    def _content_area(self, layout: Layout, obstacles: list[Box]) -> tuple[Box, int]:
        """The free area of a layout: its content placeholder (or the template's), down to the footer line."""
        standard = self.template.roles["content"]
        content = [p.box for p in layout.placeholders if p.role in ("body", "body2", "heading1", "heading2")]
        if not content:
            body = standard.get("body")
            assert body is not None  # the template reader insists on it
            content = [body.box]
        # All the layout's content placeholders together: a caption under two columns spans both.
        area = _union(content)
        footers = [p.box for p in layout.placeholders if p.role in ("footer", "number", "date")] \
            or [p.box for p in standard.placeholders if p.role in ("footer", "number", "date")]
        below = [f for f in footers if f.y >= area.y + area.cy // 2 and f.x < area.right and f.right > area.x]
        floor = min(f.y for f in below) - GAP // 2 if below else area.bottom
        floor = max(min(floor, self.template.height - GAP), area.bottom)
        area = area.with_bottom(floor)
        title = layout.get("title")
        if title is not None and title.box.overlaps(area):
            area = area.avoiding(title.box)
        for obstacle in obstacles:
            area = area.avoiding(obstacle)
        slide = self.template.slide_box
        clipped = area.intersection(slide) or area
        return clipped, min(floor, clipped.bottom)

    def _region(self, frame: _Frame, ph: Placeholder, slide: Slide, line: TextShape | None = None) -> Box:
        """A placeholder's box, kept clear of logos and of the slide's caption line."""
        box = ph.box
        for obstacle in frame.obstacles:
            box = box.avoiding(obstacle)
        if line is not None and line.box.y < box.bottom:
            box = box.with_bottom(line.box.y - GAP // 2)
        return box.intersection(self.template.slide_box) or box

    # -- chrome: title, footer, number, logo, caption line -------------------------------------------------
    def _chrome(self, slide: Slide, frame: _Frame) -> list[Shape]:
        out: list[Shape] = []
        layout = frame.layout
        footer = layout.get("footer")
        if footer is not None and self.ctx.footer:
            out.append(self._footer_shape(layout, footer))
        number = layout.get("number")
        if number is not None:
            out.append(self._number_shape(number))
        if self._logo is not None:
            out.append(self._logo)
        return out

    def _title(self, slide: Slide, frame: _Frame) -> TextShape | None:
        ph = frame.layout.get("title")
        if ph is None or not slide.title:
            return None
        box = ph.box
        for obstacle in frame.obstacles:
            box = box.avoiding(obstacle)
        level = ph.level(0)
        declared = self.sizes.declared.get("title")
        size = declared if declared is not None and frame.key in CONTENT_LAYOUTS else level.size
        minimum = min(size, self.sizes.get("min_title"))

        def attempt(points: float, where: Box) -> tuple[TextShape, bool]:
            line = _prompt_look(TextLine(slide.title, round(points, 1),
                                         bullet="none" if level.bullet else "inherit", margin=level.margin,
                                         indent=level.indent, line_spacing=level.line_spacing), level)
            shape = self._placeholder_shape("Title", "title", ph, where, (line,))
            # A title shrinks until it fits and no word of it is broken across lines.
            return shape, shape.measured_height <= self._capacity(shape) and not self._breaks_a_word(shape, ph)

        current = size
        while True:
            shape, fits = attempt(current, box)
            if fits or current - TITLE_STEP < minimum - 1e-9:
                break
            current -= TITLE_STEP
        if fits:
            return self._break_title(shape, ph)
        # Too long at the smallest title size: wrap to more lines in room the title box can take above it
        # (nothing drawn there), then shrink further; a warning either way, never a failed build.
        grown = self._room_above(box, frame)
        if grown != box:
            shape, fits = attempt(minimum, grown)
        floor = max(HARD_FLOOR_PT, minimum * 0.6)
        while not fits and current - TITLE_STEP >= floor - 1e-9:
            current -= TITLE_STEP
            shape, fits = attempt(current, grown)
        self.diags.warning(f"title of slide '{_text(slide.title)[:60]}' is too long for the template's title box at "
                           f"{minimum:g} pt (measured with {self.style.heading.describe()}); set "
                           + ("on more lines" if current >= minimum else f"at {current:g} pt"), "fit.title",
                           slide.location, hint="shorten the title; put detail on the slide")
        return shape

    def _break_title(self, shape: TextShape, ph: Placeholder) -> TextShape:
        """A title that wraps, broken into balanced lines at phrase boundaries, never leaving one word alone
        (compile/titles.py); the words on each line recorded for the design lint."""
        line = shape.lines[0]
        level = ph.level(0)
        font = self.ctx.fonts.get(level.font)
        bold = line.bold or level.bold
        width = shape.insets.inner(shape.box).width_pt * WRAP_SAFETY - pt(max(line.margin, line.margin + line.indent))
        balanced = balance_title(line.runs, font, line.size, width, bold)
        if balanced is not None:
            lines = (replace(line, runs=balanced),)
            inner = shape.insets.inner(shape.box)
            height = self._height(lines, ph, inner.width_pt)
            if height <= self._capacity(shape):
                shape = replace(shape, lines=lines, measured_height=round(height, 2))
        return replace(shape, words_per_line=words_per_line(shape.lines[0].runs, font, line.size, width, bold))

    def _accent_rule(self, title: TextShape, frame: _Frame) -> RectShape | None:
        """The theme's short accent rule under a content slide's title, starting where the title's text starts
        and never longer than the title's last line (a generated template's signature; templates of one's own
        draw their own)."""
        if not self.ctx.accent_rule or frame.key not in CONTENT_LAYOUTS or not title.lines:
            return None
        line = title.lines[0]
        inner = title.insets.inner(title.box)
        left = inner.x + max(line.margin, line.margin + line.indent)
        font = self.ctx.fonts.get(title.font_family)
        last = line.text.split("\n")[-1] if "\n" in line.text else line.text
        text_width = emu(widest_line(font, words_of([(last, line.bold)]), line.size))
        width = min(ACCENT_RULE[0], max(text_width, ACCENT_RULE[0] // 3))
        top = title.box.bottom + int(0.02 * EMU_PER_INCH)
        return RectShape("Accent Rule", Box(left, top, width, ACCENT_RULE[1]), self.style.color("accent"))

    def _room_below(self, box: Box, frame: _Frame) -> Box:
        """A text box stretched down towards the footers (or the slide's foot), where the layout draws nothing."""
        bottom = self.template.height - int(0.3 * EMU_PER_INCH)
        chrome = [p.box for p in frame.layout.placeholders if p.role in ("footer", "number", "date")]
        for other in [*chrome, *frame.obstacles]:
            if other.y >= box.bottom and other.x < box.right and other.right > box.x:
                bottom = min(bottom, other.y - GAP // 2)
        if bottom <= box.bottom:
            return box
        return Box(box.x, box.y, box.cx, bottom - box.y)

    def _room_above(self, box: Box, frame: _Frame) -> Box:
        """The title box stretched up towards the slide's top margin, where no picture of the layout stands."""
        margin = int(0.15 * EMU_PER_INCH)
        top = margin
        for obstacle in frame.obstacles:
            if obstacle.bottom <= box.y and obstacle.x < box.right and obstacle.right > box.x:
                top = max(top, obstacle.bottom)
        if top >= box.y:
            return box
        return Box(box.x, top, box.cx, box.bottom - top)

    def _footer_shape(self, layout: Layout, ph: Placeholder) -> TextShape:
        text = self._footers.get(layout.name)
        level = ph.level(0)
        size = self._footer_size(level.size)
        font = self.ctx.fonts.get(level.font)
        box = ph.box
        # Some templates overlap the footer with the slide number or date beside it: the footer gives way.
        for other in layout.placeholders:
            o = other.box
            if other.role in ("number", "date") and o.y < box.bottom and o.bottom > box.y and box.x < o.x < box.right:
                box = Box(box.x, box.y, o.x - box.x, box.cy)
        width = pt(ph.insets.inner(box).cx) * WRAP_SAFETY
        if text is None:
            text = self._fit_footer(font, size, width, level.bold)
            self._footers[layout.name] = text
        line = _prompt_look(TextLine((Run(text),), size, bullet="none" if level.bullet else "inherit",
                                     margin=level.margin, indent=level.indent), level)
        return self._placeholder_shape("Footer", "footer", ph, box, (line,))

    def _fit_footer(self, font: FontMetrics, size: float, width: float, bold: bool) -> str:
        """One line, always: drop the event name first, then cut at a word and end with an ellipsis."""
        full = self.ctx.footer + self.ctx.footer_extra

        def fits(text: str) -> bool:
            return widest_line(font, words_of([(text, bold)]), size) <= width

        if fits(full):
            return full
        text = self.ctx.footer
        if not fits(text):
            words = text.split()
            while words and not fits(" ".join(words) + "…"):
                words.pop()
            text = (" ".join(words) + "…") if words else ""
        if "footer" not in self._warned:
            self._warned.add("footer")
            self.diags.warning(f"footer '{full[:80]}' is too long for the template's footer box "
                               f"({width / 72:.1f} in at {size:g} pt); shortened to '{text}'", "fit.footer",
                               self.ctx.footer_at,
                               hint="set a shorter 'footer:' in the talk")
        return text

    def _number_shape(self, ph: Placeholder) -> TextShape:
        level = ph.level(0)

        def at(box: Box) -> TextShape:
            line = TextLine((Run("#"),), self._footer_size(level.size), bullet="none" if level.bullet else "inherit",
                            margin=level.margin, indent=level.indent)
            return replace(self._placeholder_shape("Slide Number", "number", ph, box, (line,)), field="slidenum")

        # A template's number box can be too short for a number at our minimum size: it grows upwards (it stands
        # at the slide's foot), never smaller type.
        shape = at(ph.box)
        short = shape.measured_height - self._capacity(shape)
        if short > 0:
            grow = int(short * EMU_PER_PT) + 1
            shape = at(Box(ph.box.x, max(0, ph.box.y - grow), ph.box.cx, ph.box.cy + min(grow, ph.box.y)))
        return shape

    def _footer_size(self, template_size: float) -> float:
        """The template's footer size, but never below what reads from the back of a room."""
        return max(self.sizes.declared_or("footer", template_size), self.sizes.get("min_caption"))

    def _place_logo(self) -> PictureShape | None:
        logo = self.ctx.logo
        if logo is None:
            return None
        media = logo.media
        slide = self.template.slide_box
        margin = int(0.25 * EMU_PER_INCH)
        height = int(logo.height_in * EMU_PER_INCH)
        width = int(height * media.width_px / max(1, media.height_px))
        if width > slide.cx // 4:
            width = slide.cx // 4
            height = int(width * media.height_px / max(1, media.width_px))
        # Never upscaled past print resolution: a small logo stays small rather than blurred.
        max_width = int(media.width_px / MIN_DPI * EMU_PER_INCH)
        if width > max_width:
            self.diags.warning(f"logo is only {media.width_px}×{media.height_px} px: shown "
                               f"{max_width / EMU_PER_INCH:.2f} in wide (150 dpi) instead of "
                               f"{width / EMU_PER_INCH:.2f} in", "image.low-dpi", logo.at,
                               hint="use a logo of at least "
                                    f"{max(1, int(width / EMU_PER_INCH * MIN_DPI))} px wide")
            height = int(height * max_width / width)
            width = max_width
        x = margin if logo.place.endswith("left") else slide.cx - margin - width
        y = margin if logo.place.startswith("top") else slide.cy - margin - height
        return PictureShape("Logo", Box(x, y, width, height), media, logo.alt)

    def _caption_line(self, slide: Slide, frame: _Frame) -> TextShape | None:
        size = self.sizes.get("source")
        area = frame.content
        if slide.source_variants:
            # The source line stays one line: name fewer works ("… and 2 more in the notes") if it must.
            font = self.ctx.fonts.get(self.ctx.fonts.body)
            width = BOX_INSETS.inner(area).width_pt * WRAP_SAFETY
            for candidate in (slide.sources, *slide.source_variants):
                if widest_line(font, words_of([(r.text, r.bold) for r in candidate]), size) <= width:
                    slide = replace(slide, sources=candidate)
                    break
            else:
                slide = replace(slide, sources=slide.source_variants[-1])
        runs = slide.bottom_line()
        if not runs:
            return None
        line = TextLine(runs, size, bullet="none", color=self.style.color("muted"))
        shape = self._box_shape("Caption", "caption", Box(area.x, area.y, area.cx, area.cy), (line,))
        height = emu(shape.measured_height) + BOX_INSETS.top + BOX_INSETS.bottom + emu(2)
        box = Box(area.x, frame.floor - height, area.cx, height)
        if height > area.cy // 2:
            self.diags.warning(f"caption and sources of slide '{_text(slide.title)[:60]}' take "
                             f"{height / EMU_PER_INCH:.1f} in of a {area.cy / EMU_PER_INCH:.1f} in slide area",
                             "fit.caption", slide.location, hint="shorten the caption or cite fewer works on it")
        return replace(shape, box=box)

    # -- text shapes ------------------------------------------------------------------------------------
    def _placeholder_shape(self, name: str, role: str, ph: Placeholder, box: Box, lines: tuple[TextLine, ...],
                           anchor: str | None = None) -> TextShape:
        inner = ph.insets.inner(box)
        height = self._height(lines, ph, inner.width_pt)
        family = ph.level(0).font
        return TextShape(name=name, role=role, box=box, lines=lines,
                         placeholder=PlaceholderRef(ph.type, ph.idx, ph.orient),
                         inherit_box=box == ph.box and ph.unique,
                         insets=ph.insets, anchor=anchor or (None if ph.unique else ph.anchor),
                         measured_height=round(height, 2), font_family=family)

    def _box_shape(self, name: str, role: str, box: Box, lines: tuple[TextLine, ...], anchor: str = "t",
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

    def _breaks_a_word(self, shape: TextShape, ph: Placeholder | None) -> bool:
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
    def _capacity(shape: TextShape) -> float:
        return shape.insets.inner(shape.box).height_pt + 0.5

    def _fits(self, lines: tuple[TextLine, ...], ph: Placeholder, box: Box) -> bool:
        inner = ph.insets.inner(box)
        return self._height(lines, ph, inner.width_pt) <= inner.height_pt + 0.5

    # -- paragraphs → lines ------------------------------------------------------------------------------
    def _lines(self, paragraphs: tuple[Paragraph, ...], ph: Placeholder, scale: float = 1.0,
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
    def _fit_region(self, slide: Slide, ph: Placeholder, box: Box, paragraphs: tuple[Paragraph, ...],
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
            lines = self._lines(paragraphs, ph, scale, subtitle_size)
            shape = self._placeholder_shape(name, role, ph, box, lines, anchor)
            inside = shape.measured_height <= self._capacity(shape)
            if inside and not self._breaks_a_word(shape, ph):
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

    def _overflow(self, slide: Slide, what: str, hint: str, shapes: tuple[Shape, ...] = (),
                  fatal: bool = True) -> None:
        """Text set below the theme's minimum is a warning; text the author wrote that overflows its box even at
        the hard floor is an error the author must act on (generated text — subtitles, questions — degrades)."""
        overflowing = any(isinstance(s, TextShape) and s.measured_height > self._capacity(s) for s in shapes)
        if fatal and overflowing:
            self.diags.error(f"{what} on slide '{_text(slide.title)[:60]}' does not fit its box even at "
                             f"{HARD_FLOOR_PT:g} pt (measured with {self.style.body.describe()})",
                             "fit.overflow", slide.location, hint=hint)
            return
        self.diags.warning(f"{what} on slide '{_text(slide.title)[:60]}' does not fit its box at "
                           f"{self.sizes.get('min_body'):g} pt (measured with {self.style.body.describe()}); "
                           f"set smaller", "fit.overflow", slide.location, hint=hint)

    def _finish(self, slide: Slide, frame: _Frame, body: list[Shape], line: TextShape | None,
                chrome: bool = True, title: TextShape | None = None) -> Slide:
        shapes: list[Shape] = []
        placed_title = title is None
        title = title or self._title(slide, frame)
        backdrop = any(isinstance(b, PictureShape) and b.backdrop for b in body)
        if title is not None and not backdrop:
            rule = self._accent_rule(title, frame) if placed_title else None
            if rule is not None:
                shapes.append(rule)
            shapes.append(title)
        shapes.extend(body)
        if title is not None and backdrop:
            shapes.append(title)  # on the photo's scrim, so drawn after it
        if line is not None:
            shapes.append(line)
        if chrome:
            shapes.extend(self._chrome(slide, frame))
        if not backdrop:
            shapes = make_readable(shapes, frame.layout, self.template, self.style)
        clicks = sum(len(reveal_groups(shape)) + (len(shape.reveal) if isinstance(shape, GroupShape) else 0)
                     for shape in body) if slide.reveal != "none" else 0
        if slide.chart is not None and any(isinstance(shape, ChartShape) for shape in shapes):
            # A native chart builds every step on a click; a picture shows its first step from the start.
            steps = reveal_steps(slide.chart)
            clicks += steps if slide.chart.native else max(0, steps - 1)
        return replace(slide, shapes=tuple(shapes), clicks=clicks)

    # -- kinds ----------------------------------------------------------------------------------------------
    def text_slide(self, slide: Slide, can_split: bool) -> list[Slide]:
        """Bullets, agenda, references, exercises: the body placeholder, continued or shrunk as needed."""
        frame = self._frame(slide.layout)
        if slide.columns:
            return self.columns_slide(slide, can_split)
        ph = frame.layout.get("body")
        line = self._caption_line(slide, frame)
        if ph is None or not slide.body:
            return [self._finish(slide, frame, [], line)]
        box = self._region(frame, ph, slide, line)
        extra: list[Shape] = []
        if slide.qr:
            # The QR code stands at the right of the text, as large as the box allows (at most 3 in).
            side = min(box.cy, box.cx * 2 // 5, 3 * EMU_PER_INCH)
            qr_box = Box(box.right - side, box.y + (box.cy - side) // 2, side, side)
            extra.append(QRShape("QR code", qr_box, slide.qr, f"QR code linking to {slide.qr}"))
            box = box.with_right(qr_box.x - GAP)
        lines = self._lines(slide.body, ph)
        if self._fits(lines, ph, box):
            shape = self._placeholder_shape("Content", "body", ph, box, lines)
            if slide.kind in ("bullets", "exercise", "discussion", "agenda") and not extra:
                shape = self._balanced_body(slide, ph, box, shape)
            return [self._finish(slide, frame, [shape, *extra], line)]
        if can_split and slide.kind == "bullets" and sum(1 for p in slide.body if p.level == 0) > 1:
            return self._continued(slide, frame, ph, box, line)
        shape, fits = self._fit_region(slide, ph, box, slide.body, "Content", "body")
        if not fits:
            self._overflow(slide, "text", "allow continuation (remove 'split: false') or shorten it"
                           if slide.kind == "bullets" else "split it over two slides or shorten it", (shape,),
                           fatal=slide.kind not in ("agenda", "references"))  # generated: they degrade
        return [self._finish(slide, frame, [shape, *extra], line)]

    def _balanced_body(self, slide: Slide, ph: Placeholder, box: Box, shape: TextShape) -> TextShape:
        """A list that leaves its area largely empty stands optically centred in it — a little above the
        middle — instead of in its top third; a short bullet list is set larger first (up to FEW_WORDS_MAX_PT,
        within 1.4 times the body size)."""
        words = sum(len(words_of([(r.text, False) for r in p.runs])) for p in slide.body)
        short = slide.kind == "bullets" and words <= FEW_WORDS and sum(1 for p in slide.body if p.level == 0) <= 4
        base = self._style_size(Paragraph((), style="body"), ph, None)
        cap = min(FEW_WORDS_MAX_PT, base * 1.4)
        inner = ph.insets.inner(box)

        def set_at(scale: float) -> tuple[TextLine, ...]:
            return tuple(replace(ln, space_before=round(ln.space_before * scale * 1.25, 1))
                         for ln in self._lines(slide.body, ph, scale))

        def roomy(lines: tuple[TextLine, ...]) -> bool:
            probe = self._placeholder_shape("Content", "body", ph, box, lines)
            return (self._height(lines, ph, inner.width_pt) <= inner.height_pt * 0.7
                    and not self._breaks_a_word(probe, ph))

        scale = 1.0
        while short and base * (scale + SHRINK_STEP) <= cap + 1e-9 and roomy(set_at(scale + SHRINK_STEP)):
            scale += SHRINK_STEP
        lines = set_at(scale) if scale > 1.0 else shape.lines
        height = self._height(lines, ph, inner.width_pt)
        needed = min(box.cy, emu(height * 1.15) + ph.insets.top + ph.insets.bottom)
        spare = box.cy - needed
        if spare < box.cy // 8:  # text that nearly fills its area keeps the whole box
            return shape if scale == 1.0 else self._placeholder_shape("Content", "body", ph, box, lines)
        placed = Box(box.x, box.y + int(spare * OPTICAL_CENTRE), box.cx, needed)
        return replace(self._placeholder_shape("Content", "body", ph, placed, lines), anchor="t")

    def _continued(self, slide: Slide, frame: _Frame, ph: Placeholder, box: Box,
                   line: TextShape | None) -> list[Slide]:
        groups: list[list[Paragraph]] = []
        for p in slide.body:
            if p.level == 0 or not groups:
                groups.append([p])
            else:
                groups[-1].append(p)
        pages: list[list[Paragraph]] = [[]]
        for group in groups:
            candidate = pages[-1] + group
            if pages[-1] and not self._fits(self._lines(tuple(candidate), ph), ph, box):
                pages.append(list(group))
            else:
                pages[-1] = candidate
        out = []
        for index, page in enumerate(pages):
            title = slide.title if index == 0 else slide.title + (Run(" (cont.)"),)
            notes = slide.notes if index == 0 else (Paragraph((Run("Continued from the previous slide."),)),)
            part = replace(slide, body=tuple(page), title=title, notes=notes,
                           id=slide.id if index == 0 or slide.id is None else f"{slide.id}-cont{index}")
            part_line = self._caption_line(part, frame)
            part_box = self._region(frame, ph, part, part_line)
            shape, fits = self._fit_region(part, ph, part_box, part.body, "Content", "body")
            if not fits:
                self._overflow(part, "text", "shorten the bullet", (shape,))
            out.append(self._finish(part, frame, [shape], part_line))
        return out

    def finding_slide(self, slide: Slide, can_split: bool) -> list[Slide]:
        """The assertion is the title; the evidence is a chart or a number in the middle of the slide."""
        if slide.chart is not None:
            return self.chart_slide(slide, can_split)
        return self.centred_slide(slide, can_split)

    def centred_slide(self, slide: Slide, can_split: bool) -> list[Slide]:
        """A quote or a big statement stands in the middle of the body area, shrunk (not split) to fit."""
        frame = self._frame(slide.layout)
        line = self._caption_line(slide, frame)
        shapes = self.centred_shapes(slide, slide.body, "quote" if slide.kind == "quote" else "text")
        return [self._finish(slide, frame, shapes, line)]

    def centred_shapes(self, slide: Slide, paragraphs: tuple[Paragraph, ...], what: str) -> list[Shape]:
        """The paragraphs in the middle of the body placeholder (clear of the caption line), shrunk to fit."""
        frame = self._frame(slide.layout)
        ph = frame.layout.get("body")
        if ph is None:
            return []
        box = self._region(frame, ph, slide, self._caption_line(slide, frame))
        shape, fits = self._fit_region(slide, ph, box, paragraphs, "Content", "body", anchor="ctr")
        if not fits:
            self._overflow(slide, what, "split it over two slides or shorten it", (shape,))
            return [shape]
        return [self._optically_centred(shape, ph, box)]

    def _optically_centred(self, shape: TextShape, ph: Placeholder, box: Box) -> TextShape:
        """Short text in a box just its height, set a little above the middle of its area (the eye finds the
        geometric middle low); text that fills its area keeps the whole box."""
        # A fifth more than measured: renderers and checkers measure a line a little apart, and the text is
        # centred in its box, so the room costs nothing where it is drawn.
        needed = min(box.cy, emu(shape.measured_height * 1.2) + ph.insets.top + ph.insets.bottom)
        spare = box.cy - needed
        if spare < box.cy // 5:
            return shape
        placed = Box(box.x, box.y + int(spare * OPTICAL_CENTRE), box.cx, needed)
        return replace(shape, box=placed, inherit_box=False)

    def subtitle_slide(self, slide: Slide, can_split: bool) -> list[Slide]:
        """Title, section, break and closing slides: the title and a subtitle or body placeholder."""
        frame = self._frame(slide.layout)
        ph = frame.layout.get("subtitle") or frame.layout.get("body")
        shapes: list[Shape] = []
        if ph is not None and slide.subtitle:
            box = _below_title(self._region(frame, ph, slide), frame.layout.get("title"))
            size = self.sizes.declared.get("subtitle", ph.level(0).size)
            shape, fits = self._fit_region(slide, ph, box, slide.subtitle, "Subtitle", ph.role, subtitle_size=size)
            if not fits or shape.measured_height > self._capacity(shape):
                # A small subtitle box: the lines may take the free room under it, down to the footers, then the
                # room above it, up to the title.
                grown = self._room_below(box, frame)
                title = frame.layout.get("title")
                if title is not None and title.box.bottom + GAP < grown.y:
                    grown = Box(grown.x, title.box.bottom + GAP, grown.cx, grown.bottom - title.box.bottom - GAP)
                if grown != box:
                    shape, fits = self._fit_region(slide, ph, grown, slide.subtitle, "Subtitle", ph.role,
                                                   subtitle_size=size)
                    shape = replace(shape, inherit_box=False)
                    box = grown
            kept = slide.subtitle
            while shape.measured_height > self._capacity(shape) and len(kept) > 1:
                # Still too many lines for the template's box: the last lines (date, then event or presenter)
                # give way, named in the warning; the subtitle itself stays.
                kept = kept[:-1]
                shape, fits = self._fit_region(slide, ph, box, kept, "Subtitle", ph.role, subtitle_size=size)
            if len(kept) < len(slide.subtitle):
                left_out = "; ".join(_text(p.runs) for p in slide.subtitle[len(kept):])
                self.diags.warning(f"the subtitle box of slide '{_text(slide.title)[:60]}' holds {len(kept)} of its "
                                   f"{len(slide.subtitle)} lines; left out: {left_out[:80]}", "fit.subtitle",
                                   slide.location, hint="shorten the subtitle, or choose a layout with a larger "
                                                        "subtitle box in theme.yaml 'layouts:'")
            elif not fits:
                self._overflow(slide, "subtitle", "shorten the subtitle, presenter or event lines", fatal=False)
            shapes.append(shape)
        return [self._finish(slide, frame, shapes, None)]

    def columns_slide(self, slide: Slide, can_split: bool) -> list[Slide]:
        frame = self._frame(slide.layout)
        layout = frame.layout
        line = self._caption_line(slide, frame)
        shapes: list[Shape] = []
        sides = _two_sides(layout)
        if sides is None:
            return [self._finish(slide, frame, [], line)]
        left, right = sides
        headings = (layout.get("heading1"), layout.get("heading2")) if slide.kind == "comparison" else (None, None)
        ok = True
        for index, (column, ph, heading_ph) in enumerate(zip(slide.columns[:2], (left, right), headings)):
            paragraphs = column.body
            if column.heading and heading_ph is None:
                paragraphs = (Paragraph(column.heading, style="heading"),) + paragraphs
            boxes = [self._region(frame, ph, slide)]
            if heading_ph is not None and column.heading:
                boxes.append(self._region(frame, heading_ph, slide))
            if line is not None:
                boxes = _stack_above(boxes, line.box.y - GAP // 2)
            if heading_ph is not None and column.heading:
                hshape, hfits = self._fit_region(slide, heading_ph, boxes[1],
                                                 (Paragraph(column.heading, style="heading"),),
                                                 f"Heading {index + 1}", heading_ph.role)
                ok &= hfits
                shapes.append(hshape)
            shape, fits = self._fit_region(slide, ph, boxes[0], paragraphs, f"Content {index + 1}", ph.role)
            ok &= fits
            shapes.append(shape)
        if not ok:
            self._overflow(slide, "text", "shorten the columns or split them over two slides", tuple(shapes))
        elif slide.kind in ("two-column", "comparison") and all(h is None for h in headings):
            shapes = self._columns_centred(shapes, (left, right))
        return [self._finish(slide, frame, shapes, line)]

    def _columns_centred(self, shapes: list[Shape], sides: tuple[Placeholder, Placeholder]) -> list[Shape]:
        """Two short columns (their headings in the text) start together a little above the middle of their
        area, instead of at its top with the lower half empty."""
        texts = [s for s in shapes if isinstance(s, TextShape)]
        if len(texts) != 2 or texts[0].box.y != texts[1].box.y or texts[0].box.cy != texts[1].box.cy:
            return shapes
        area = texts[0].box
        ph = sides[0]
        tallest = max(t.measured_height for t in texts)
        needed = min(area.cy, emu(tallest * 1.15) + ph.insets.top + ph.insets.bottom)
        spare = area.cy - needed
        if spare < area.cy // 4:
            return shapes
        top = area.y + int(spare * OPTICAL_CENTRE)
        return [replace(t, box=Box(t.box.x, top, t.box.cx, needed), inherit_box=False, anchor="t") for t in texts]

    def photo_slide(self, slide: Slide, can_split: bool) -> list[Slide]:
        """A full-bleed picture; the title on a dark scrim across it, the credit under the title."""
        frame = self._frame(slide.layout)
        page = self.template.slide_box
        shapes: list[Shape] = []
        picture = slide.picture
        if picture is not None and picture.media is not None:
            crop = _fill_crop(page, picture.media.width_px, picture.media.height_px)
            photo = PictureShape("Photo", page, picture.media, picture.alt, crop=crop, backdrop=True)
            if photo.dpi < MIN_DPI:
                self.diags.warning(f"photo '{picture.path}' is {dpi_text(photo.dpi)} filling the slide; it will look "
                                   "blurred when projected", "image.low-dpi", slide.location,
                                   hint=f"use a picture of at least {max(1, int(page.cx / EMU_PER_INCH * MIN_DPI))} px wide")
            shapes.append(photo)
        ph = frame.layout.get("title")
        margin = ph.box.x if ph is not None and 0 < ph.box.x < page.cx // 4 else page.cx // 20
        pad = int(0.18 * EMU_PER_INCH)
        width = page.cx - 2 * margin
        title_shape = None
        if ph is not None and slide.title:
            size = self.sizes.declared.get("title", ph.level(0).size)
            minimum = min(size, self.sizes.get("min_title"))
            white = "FFFFFF"
            while True:
                line = TextLine(slide.title, round(size, 1), bullet="none", color=white, bold=True)
                probe = self._placeholder_shape("Title", "title", ph, Box(margin, 0, width, page.cy // 3), (line,),
                                                anchor="t")
                if (probe.measured_height <= self._capacity(probe) and not self._breaks_a_word(probe, ph)) \
                        or size - TITLE_STEP < minimum:
                    break
                size -= TITLE_STEP
            height = emu(probe.measured_height) + ph.insets.top + ph.insets.bottom + emu(2)
            title_shape = replace(probe, box=Box(margin, 0, width, height), inherit_box=False)
        credit = None
        if picture is not None and picture.credit:
            credit_line = TextLine((Run(picture.credit),), self.sizes.get("min_caption"), bullet="none",
                                   color="E8E8E8")
            credit = self._box_shape("Credit", "caption", Box(margin, 0, width, page.cy // 4), (credit_line,))
            credit = replace(credit, box=Box(margin, 0, width, emu(credit.measured_height) + BOX_INSETS.top
                                             + BOX_INSETS.bottom + emu(2)))
        band_height = pad * 2 + (title_shape.box.cy if title_shape else 0) + (credit.box.cy if credit else 0)
        top = page.cy - band_height if slide.badge != "top" else 0
        shapes.append(RectShape("Scrim", Box(0, top, page.cx, band_height), SCRIM[0], SCRIM[1]))
        y = top + pad
        if title_shape is not None:
            title_shape = replace(title_shape, box=Box(margin, y, width, title_shape.box.cy))
            y += title_shape.box.cy
        if credit is not None:
            shapes.append(replace(credit, box=Box(margin, y, width, credit.box.cy)))
        return [self._finish(slide, frame, shapes, None, chrome=False, title=title_shape)]

    def image_text_slide(self, slide: Slide, can_split: bool) -> list[Slide]:
        """A picture on one side, at most three short lines on the other."""
        frame = self._frame(slide.layout)
        layout = frame.layout
        line = self._caption_line(slide, frame)
        sides = _two_sides(layout)
        if sides is None:
            return [self._finish(slide, frame, [], line)]
        left, right = sides
        image_ph, text_ph = (left, right) if slide.badge != "right" else (right, left)
        shapes: list[Shape] = []
        picture = slide.picture
        if picture is not None and picture.media is not None:
            area = self._region(frame, image_ph, slide, line)
            box = _fit_aspect(area, picture.media.width_px, picture.media.height_px)
            self._small_picture(slide, picture.path, area, box)
            shapes.append(PictureShape("Picture", box, picture.media, picture.alt))
        if slide.body:
            region = self._region(frame, text_ph, slide, line)
            text, fits = self._fit_region(slide, text_ph, region, slide.body, "Content", text_ph.role, anchor="ctr")
            if not fits:
                self._overflow(slide, "text", "keep it to three short lines", (text,))
            shapes.append(text)
        return [self._finish(slide, frame, shapes, line)]

    def question_slide(self, slide: Slide, can_split: bool) -> list[Slide]:
        """One large question in the middle of the slide (it is the slide's title), a prompt under it."""
        frame = self._frame(slide.layout)
        ph = frame.layout.get("title")
        area = frame.content
        background = self.style.color("background")
        # The title's colour is designed for what lies behind the title box. When it does not read on the
        # slide's own background (white titles on a band or a side column the master draws), the question
        # keeps to the content area, in the text colour; otherwise it may use the title's room too.
        title_reads = contrast_ratio(self.style.color("title"), background) >= 3.0
        colour = None
        if ph is not None and title_reads:
            area = _union([area, ph.box]).intersection(self.template.slide_box) or area
        elif ph is not None:
            colour = self.style.color("text")
        for obstacle in frame.obstacles:
            area = area.avoiding(obstacle)
        prompt_h = area.cy // 4 if slide.body else 0
        shapes: list[Shape] = []
        title_shape = None
        if ph is not None:
            question = (Paragraph(slide.title, style="question"),)
            qbox = Box(area.x, area.y, area.cx, area.cy - prompt_h)
            shape, fits = self._fit_region(slide, ph, qbox, question, "Title", "title", anchor="ctr")
            if not fits:
                self._overflow(slide, "question", "ask a shorter question; put the detail in the notes", fatal=False)
            title_shape = replace(shape, inherit_box=False,
                                  lines=tuple(replace(ln, align="ctr", color=colour or ln.color) for ln in shape.lines))
        if slide.body:
            body_ph = replace(ph, role="body", type="body", idx=None) if ph is not None else None
            pbox = Box(area.x, area.bottom - prompt_h, area.cx, prompt_h)
            lines = tuple(replace(ln, align="ctr") for ln in (self._lines(slide.body, body_ph) if body_ph else ()))
            prompt = self._box_shape("Prompt", "label", pbox, lines, anchor="t")
            shapes.append(prompt)
        return [self._finish(slide, frame, shapes, None, title=title_shape)]

    def image_slide(self, slide: Slide, can_split: bool) -> list[Slide]:
        frame = self._frame(slide.layout)
        line = self._caption_line(slide, frame)
        shapes: list[Shape] = []
        picture = slide.picture
        if picture is not None and picture.media is not None:
            area = self._free_area(frame, line)
            box = _fit_aspect(area, picture.media.width_px, picture.media.height_px)
            self._small_picture(slide, picture.path, area, box)
            shapes.append(PictureShape("Picture", box, picture.media, picture.alt))
        return [self._finish(slide, frame, shapes, line)]

    def _small_picture(self, slide: Slide, path: str, area: Box, box: Box) -> None:
        """A picture kept at 150 dpi that fills less than half its room: say how many pixels would fill it."""
        if box.cx >= area.cx * 0.7 or box.cy >= area.cy * 0.7:
            return
        fill = min(area.cx / max(1, box.cx), area.cy / max(1, box.cy))
        self.diags.warning(f"image '{path}' has too few pixels to fill its area sharply: shown "
                           f"{box.cx / EMU_PER_INCH:.1f} in wide (150 dpi) instead of "
                           f"{box.cx * fill / EMU_PER_INCH:.1f} in", "image.low-dpi", slide.location,
                           hint=f"use an image of at least {max(1, int(box.cx * fill / EMU_PER_INCH * MIN_DPI))} px wide")

    def chart_slide(self, slide: Slide, can_split: bool) -> list[Slide]:
        frame = self._frame(slide.layout)
        line = self._caption_line(slide, frame)
        shapes: list[Shape] = []
        if slide.chart is not None:
            area = self._free_area(frame, line)
            # Picture charts are drawn at exactly this size: whole hundredths of an inch.
            step = EMU_PER_INCH // 100
            box = Box(area.x, area.y, area.cx - area.cx % step, area.cy - area.cy % step)
            check_chart_fits(slide.chart, box.cx / EMU_PER_INCH, box.cy / EMU_PER_INCH,
                             self.ctx.fonts.get(self.ctx.fonts.body), self.diags, slide.location)
            shapes.append(ChartShape("Chart", box, native=slide.chart.native, dpi=CHART_DPI))
        return [self._finish(slide, frame, shapes, line)]

    def table_slide(self, slide: Slide, can_split: bool) -> list[Slide]:
        frame = self._frame(slide.layout)
        line = self._caption_line(slide, frame)
        shapes: list[Shape] = []
        if slide.table is not None:
            area = self._free_area(frame, line)
            table = self._table(slide, area, report=not can_split)
            if table is not None and sum(table.row_heights) > area.cy and can_split and len(slide.table.rows) > 1:
                return self._continued_table(slide, frame, line, area)
            if table is not None:
                # A short table stands optically centred in its area rather than in its top third; most of
                # the spare room stays below it, where a row a renderer sets taller can grow.
                spare = area.cy - table.box.cy
                if spare >= area.cy // 4:
                    table = replace(table, box=Box(table.box.x, area.y + int(spare * OPTICAL_CENTRE), table.box.cx,
                                                   table.box.cy))
                shapes.append(table)
        return [self._finish(slide, frame, shapes, line)]

    def _continued_table(self, slide: Slide, frame: _Frame, line: TextShape | None, area: Box) -> list[Slide]:
        """A table too tall for one slide at the smallest size: its rows continue on "(cont.)" slides, each
        with the header row."""
        table = slide.table
        assert table is not None
        pages: list[list[tuple[tuple[Run, ...], ...]]] = [[]]
        for row in table.rows:
            candidate = replace(slide, table=replace(table, rows=tuple(pages[-1] + [row])))
            probe = self._table(candidate, area, report=False)
            if pages[-1] and probe is not None and sum(probe.row_heights) > area.cy:
                pages.append([row])
            else:
                pages[-1].append(row)
        self.diags.warning(f"table on slide '{_text(slide.title)[:60]}' does not fit one slide; it continues on "
                           f"{len(pages) - 1} more", "fit.table", slide.location,
                           hint="shorten cells or split the table yourself")
        out = []
        for index, rows in enumerate(pages):
            part = replace(slide, table=replace(table, rows=tuple(rows)),
                           title=slide.title if index == 0 else slide.title + (Run(" (cont.)"),),
                           notes=slide.notes if index == 0 else (Paragraph((Run("The table continues."),)),),
                           id=slide.id if index == 0 or slide.id is None else f"{slide.id}-cont{index}")
            out.extend(self.table_slide(part, can_split=False))
        return out

    def _free_area(self, frame: _Frame, line: TextShape | None) -> Box:
        area = frame.content
        if line is not None:
            area = area.with_bottom(line.box.y - GAP)
        return area

    def _table(self, slide: Slide, area: Box, report: bool = True) -> TableShape | None:
        table = slide.table
        assert table is not None
        rows = ([table.header] if table.header else []) + list(table.rows)
        if not rows:
            return None
        columns = max(len(r) for r in rows)
        insets = CELL_INSETS
        font = self.ctx.fonts.get(self.ctx.fonts.body)
        size = self.sizes.get("table")
        floor = self.sizes.get("min_body")
        while True:
            widths = _column_widths(rows, columns, area.cx, size, font, insets)
            heights = []
            for i, row in enumerate(rows):
                tallest = 0.0
                for j in range(columns):
                    runs = row[j] if j < len(row) else ()
                    bold = i == 0 and bool(table.header)
                    words = words_of([(r.text, r.bold or bold) for r in runs])
                    inner = pt(widths[j] - insets.left - insets.right)
                    tallest = max(tallest, block_height([TextBlock(words, size, font)], inner * WRAP_SAFETY))
                heights.append(emu(tallest) + insets.top + insets.bottom + emu(2))
            if (sum(heights) <= area.cy and _words_fit(rows, widths, size, font, insets)) or size - 1 < floor - 1e-9:
                break
            size -= 1
        if sum(heights) > area.cy and report:
            self.diags.warning(f"table on slide '{_text(slide.title)[:60]}' does not fit even at {floor:g} pt "
                               f"({sum(heights) / EMU_PER_INCH:.1f} in tall, {area.cy / EMU_PER_INCH:.1f} in free)",
                               "fit.table", slide.location, hint="split the table over two slides or shorten cells")
        colors = self.style.colors
        fill, on_fill = _header_colours(colors)
        cells = []
        for i, row in enumerate(rows):
            header = i == 0 and bool(table.header)
            cells.append(tuple(
                TableCell((TextLine(tuple(replace(r, bold=r.bold or header) for r in (row[j] if j < len(row) else ())),
                                    size, bullet="none", color=on_fill if header else colors["text"]),))
                for j in range(columns)))
        box = Box(area.x, area.y, sum(widths), sum(heights))
        # Body rows are filled too (the slide's own colour, every other row a shade towards the text): a
        # table style's default bands are pale, and white text on a dark template vanished on them.
        body = colors["background"]
        return TableShape("Table", box, tuple(widths), tuple(heights), tuple(cells), header=bool(table.header),
                          header_fill=fill, header_text=on_fill, cell_insets=insets, body_fill=body,
                          band_fill=blend(body, colors["text"], 0.08))


def _balanced_runs(runs: tuple[Run, ...], font: FontMetrics, size: float, bold: bool,
                   width: float) -> tuple[Run, ...] | None:
    """The text with line breaks where its lines come out about equally long (None: nothing to do)."""
    if len({(r.bold, r.italic, r.link, r.cited) for r in runs}) > 1 or "\n" in "".join(r.text for r in runs):
        return None
    words = [w for w, _ in words_of([("".join(r.text for r in runs), bold)])]
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


def _fill_crop(box: Box, width_px: int, height_px: int) -> tuple[float, float, float, float]:
    """How much to cut from each side so the picture fills the box without distortion."""
    box_ratio = box.cx / max(1, box.cy)
    ratio = width_px / max(1, height_px)
    if ratio > box_ratio:  # wider than the box: cut the sides
        cut = (1 - box_ratio / ratio) / 2
        return (cut, 0.0, cut, 0.0)
    cut = (1 - ratio / box_ratio) / 2
    return (0.0, cut, 0.0, cut)


def _union(boxes: list[Box]) -> Box:
    left, top = min(b.x for b in boxes), min(b.y for b in boxes)
    right, bottom = max(b.right for b in boxes), max(b.bottom for b in boxes)
    return Box(left, top, right - left, bottom - top)


def _below_title(box: Box, title: Placeholder | None) -> Box:
    """A subtitle box that starts where the layout's title box ends. Some templates overlap the two (a title
    set on the bottom of its box, a subtitle on the top of its own): both texts would meet. Kept as it is when
    trimming would take more than half of it."""
    if title is None:
        return box
    t = title.box
    if not (t.x < box.right and t.right > box.x and t.y < box.y < t.bottom):
        return box
    top = t.bottom + GAP // 4
    if box.bottom - top < box.cy // 2:
        return box
    return Box(box.x, top, box.cx, box.bottom - top)


def _stack_above(boxes: list[Box], limit: int) -> list[Box]:
    """A column of boxes (a heading and its body, in either order) compressed to end above `limit`:
    the tallest gives up the room, the ones below it move up, so each keeps its place in the column."""
    if not boxes:
        return boxes
    order = sorted(range(len(boxes)), key=lambda i: boxes[i].y)
    overflow = max(b.bottom for b in boxes) - limit
    if overflow <= 0:
        return boxes
    tallest = max(order, key=lambda i: boxes[i].cy)
    out = list(boxes)
    below = False
    for i in order:
        box = boxes[i]
        if i == tallest:
            out[i] = Box(box.x, box.y, box.cx, max(0, box.cy - overflow))
            below = True
        elif below:
            out[i] = Box(box.x, box.y - overflow, box.cx, box.cy)
        elif box.bottom > limit:
            out[i] = box.with_bottom(limit)
    return out


def _header_colours(colors: dict[str, str]) -> tuple[str, str]:
    """A header row that stands out from the slide, and header text that reads on it (WCAG AA)."""
    background = colors["background"]
    fill = next((c for c in (colors["title"], colors["accent"], colors["text"])
                 if contrast_ratio(c, background) >= 3.0), "000000")
    text = max((background, "FFFFFF", "000000"), key=lambda c: contrast_ratio(c, fill))
    return fill, text


def _prompt_look(line: TextLine, level: LevelStyle) -> TextLine:
    """A level read from a template's prompt text: its font, weight and colour go onto the runs (see
    `sources/template.py::_sample_levels`); list-style levels are inherited and need nothing written."""
    if not level.from_sample:
        return line
    return replace(line, bold=line.bold or level.bold, italic=line.italic or level.italic,
                   color=line.color or level.color, typeface=level.font)


def _fit_aspect(area: Box, width_px: int, height_px: int) -> Box:
    """As large as the area allows, keeping the picture's shape, but never past 150 dpi: a small picture (a
    120-pixel logo) stays small and sharp rather than blown up across the slide."""
    ratio = min(area.cx / max(1, width_px), area.cy / max(1, height_px), EMU_PER_INCH / MIN_DPI)
    return area.centred(int(width_px * ratio), int(height_px * ratio))


def _column_widths(rows: list[tuple[tuple[Run, ...], ...]], columns: int, total: int, size: float,
                   font: FontMetrics, insets: Insets) -> list[int]:
    """Widths that give each column its longest word and share the rest by how much text it holds."""
    pad = insets.left + insets.right
    longest = [0.0] * columns
    amount = [0.0] * columns
    for i, row in enumerate(rows):
        for j in range(columns):
            runs = row[j] if j < len(row) else ()
            for word, bold in words_of([(r.text, r.bold or i == 0) for r in runs]):
                if word == "\n":
                    continue
                w = font.width(word, size, bold)
                longest[j] = max(longest[j], w)
                amount[j] += w
    minimum = [emu(w) + pad + emu(2) for w in longest]
    if sum(minimum) >= total:
        scale = total / max(1, sum(minimum))
        return [int(m * scale) for m in minimum[:-1]] + [total - sum(int(m * scale) for m in minimum[:-1])]
    spare = total - sum(minimum)
    weights = [max(a, 1.0) for a in amount]
    share = [int(spare * w / sum(weights)) for w in weights]
    widths = [m + s for m, s in zip(minimum, share)]
    widths[-1] += total - sum(widths)
    return widths


def _words_fit(rows: list[tuple[tuple[Run, ...], ...]], widths: list[int], size: float, font: FontMetrics,
               insets: Insets) -> bool:
    """Whether every word of every cell fits its column's width (no word broken between letters)."""
    for i, row in enumerate(rows):
        for j, runs in enumerate(row[:len(widths)]):
            room = pt(widths[j] - insets.left - insets.right) * WRAP_SAFETY
            if any(word != "\n" and font.width(word, size, bold) > room
                   for word, bold in words_of([(r.text, r.bold or i == 0) for r in runs])):
                return False
    return True


def _text(runs: tuple[Run, ...]) -> str:
    return "".join(r.text for r in runs)


PLACERS: dict[str, Callable[[Layouter, Slide, bool], list[Slide]]] = {
    "title": Layouter.subtitle_slide,
    "section": Layouter.subtitle_slide,
    "break": Layouter.subtitle_slide,
    "closing": Layouter.subtitle_slide,
    "bullets": Layouter.text_slide,
    "agenda": Layouter.text_slide,
    "references": Layouter.text_slide,
    "exercise": Layouter.text_slide,
    "discussion": Layouter.text_slide,
    "quote": Layouter.centred_slide,
    "two-column": Layouter.columns_slide,
    "comparison": Layouter.columns_slide,
    "image": Layouter.image_slide,
    "chart": Layouter.chart_slide,
    "table": Layouter.table_slide,
    "photo": Layouter.photo_slide,
    "image-text": Layouter.image_text_slide,
    "finding": Layouter.finding_slide,
    "question": Layouter.question_slide,
    "big-number": Layouter.centred_slide,
}


def _two_sides(layout: Layout) -> tuple[Placeholder, Placeholder] | None:
    """The layout's left and right content boxes; a layout with one content placeholder gives two halves
    of it, and one with none gives None."""
    left, right = layout.get("body"), layout.get("body2")
    if left is None:
        return None
    if right is None:
        half = left.box.cx // 2 - GAP // 2
        right = replace(left, role="body2", box=Box(left.box.right - half, left.box.y, half, left.box.cy))
        left = replace(left, box=Box(left.box.x, left.box.y, half, left.box.cy))
    return left, right
