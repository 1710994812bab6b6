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
from lecturegen.compile.kinds.base import Frame, Kind, TextRules
from lecturegen.compile.kinds.registry import KINDS
from lecturegen.compile.legibility import make_readable
from lecturegen.compile.placing import (BOX_INSETS, TITLE_STEP, WRAP_SAFETY, GAP, MIN_DPI, OPTICAL_CENTRE, union)
from lecturegen.compile.measure import FontMetrics, TextBlock, block_height, widest_line, words_of
from lecturegen.compile.style import CONTENT_LAYOUTS, Sizes
from lecturegen.compile.titles import balance_title, words_per_line
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.model.deck import Paragraph, Run, Slide
from lecturegen.model.geometry import EMU_PER_INCH, EMU_PER_PT, Box, emu, pt
from lecturegen.model.shapes import (
    ChartShape,
    GroupShape,
    Media,
    PictureShape,
    PlaceholderRef,
    QRShape,
    RectShape,
    Shape,
    reveal_groups,
    TextLine,
    TextShape,
)
from lecturegen.records import record
from lecturegen.model.style import DeckStyle
from lecturegen.model.template import Layout, LevelStyle, Placeholder, Template

SHRINK_STEP = 0.04
CHART_DPI = 200
# The caption line and text boxes lecturegen adds: PowerPoint's own text-box insets.
NO_BULLET = frozenset({"big", "caption", "quote", "attribution", "reference", "agenda", "subtitle", "badge",
                       "heading", "context", "prompt", "question", "plain"})
# Display text set in the middle of the slide: its lines are balanced ("A gradient, / not a threshold").
BALANCED = frozenset({"big", "context", "question", "prompt"})
AGENDA_TAB = int(1.2 * EMU_PER_INCH)
REFERENCE_HANG = int(0.5 * EMU_PER_INCH)
# The accent rule under content titles on a generated template: at most this long, this thick (EMU).
ACCENT_RULE = (int(1.1 * EMU_PER_INCH), int(0.06 * EMU_PER_INCH))
# A bullet list of at most this many words and four points is set larger and optically centred.
FEW_WORDS = 45
FEW_WORDS_MAX_PT = 36.0
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
        self._frames: dict[str, Frame] = {}
        self._footers: dict[str, str] = {}
        self._warned: set[str] = set()
        self._logo = self._place_logo()

    # -- public ----------------------------------------------------------------------------------------
    def place(self, slide: Slide, can_split: bool = True) -> list[Slide]:
        """The slide with its shapes, or several slides when a list continues on "(cont.)" slides."""
        if self.template.layout(slide.layout) is None:
            slide = replace(slide, layout="content")
        registered = KINDS.get(slide.kind)
        if registered is not None and registered.lay is not None:
            return registered.lay(slide, can_split, self)
        if registered is not None:
            return [self.kind_slide(slide, registered)]
        placer = PLACERS.get(slide.kind)
        if placer is None:
            raise NotImplementedError(f"no layout for slide kind {slide.kind!r}")
        return placer(self, slide, can_split)

    def kind_slide(self, slide: Slide, kind: Kind) -> Slide:
        """A registered kind: its placer fills the layout's free content area (above the caption line); the
        title, caption line and chrome are placed here as on every slide."""
        frame = self.frame(slide.layout)
        line = self.caption_line(slide, frame)
        area = self.free_area(frame, line)
        shapes = kind.place(slide, area, _Lent(self)) if slide.content is not None and kind.place else []
        return self.finish(slide, frame, shapes, line)

    def body_font(self) -> FontMetrics:
        return self.ctx.fonts.get(self.ctx.fonts.body)

    def body_box(self, layout_name: str, role: str = "body") -> Box | None:
        ph = self.template.placeholder(layout_name, role)
        return ph.box if ph else None

    def split_references(self, slide: Slide) -> list[Slide]:
        """Reference slides split by measured height, never by a fixed count."""
        frame = self.frame(slide.layout)
        ph = frame.layout.get("body")
        if ph is None:
            return [slide]
        box = self.region(frame, ph, slide)
        pages: list[list[Paragraph]] = [[]]
        for entry in slide.body:
            candidate = pages[-1] + [entry]
            if pages[-1] and not self.fits(self.lines(tuple(candidate), ph), ph, box):
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
    def frame(self, layout_name: str) -> Frame:
        frame = self._frames.get(layout_name)
        if frame is not None:
            return frame
        layout = self.template.layout(layout_name) or self.template.roles["content"]
        obstacles = list(layout.obstacles)
        if self._logo is not None:
            obstacles.append(self._logo.box)
        frame = Frame(layout_name, layout, obstacles, *self._content_area(layout, obstacles))
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
        area = union(content)
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

    def region(self, frame: Frame, ph: Placeholder, slide: Slide, line: TextShape | None = None) -> Box:
        """A placeholder's box, kept clear of logos and of the slide's caption line."""
        box = ph.box
        for obstacle in frame.obstacles:
            box = box.avoiding(obstacle)
        if line is not None and line.box.y < box.bottom:
            box = box.with_bottom(line.box.y - GAP // 2)
        return box.intersection(self.template.slide_box) or box

    # -- chrome: title, footer, number, logo, caption line -------------------------------------------------
    def _chrome(self, slide: Slide, frame: Frame) -> list[Shape]:
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

    def _title(self, slide: Slide, frame: Frame) -> TextShape | None:
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
            shape = self.placeholder_shape("Title", "title", ph, where, (line,))
            # A title shrinks until it fits and no word of it is broken across lines.
            return shape, shape.measured_height <= self.capacity(shape) and not self.breaks_a_word(shape, ph)

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
            if height <= self.capacity(shape):
                shape = replace(shape, lines=lines, measured_height=round(height, 2))
        return replace(shape, words_per_line=words_per_line(shape.lines[0].runs, font, line.size, width, bold))

    def _accent_rule(self, title: TextShape, frame: Frame) -> RectShape | None:
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

    def room_below(self, box: Box, frame: Frame) -> Box:
        """A text box stretched down towards the footers (or the slide's foot), where the layout draws nothing."""
        bottom = self.template.height - int(0.3 * EMU_PER_INCH)
        chrome = [p.box for p in frame.layout.placeholders if p.role in ("footer", "number", "date")]
        for other in [*chrome, *frame.obstacles]:
            if other.y >= box.bottom and other.x < box.right and other.right > box.x:
                bottom = min(bottom, other.y - GAP // 2)
        if bottom <= box.bottom:
            return box
        return Box(box.x, box.y, box.cx, bottom - box.y)

    def _room_above(self, box: Box, frame: Frame) -> Box:
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
        return self.placeholder_shape("Footer", "footer", ph, box, (line,))

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
            return replace(self.placeholder_shape("Slide Number", "number", ph, box, (line,)), field="slidenum")

        # A template's number box can be too short for a number at our minimum size: it grows upwards (it stands
        # at the slide's foot), never smaller type.
        shape = at(ph.box)
        short = shape.measured_height - self.capacity(shape)
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

    def caption_line(self, slide: Slide, frame: Frame) -> TextShape | None:
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
        shape = self.box_shape("Caption", "caption", Box(area.x, area.y, area.cx, area.cy), (line,))
        height = emu(shape.measured_height) + BOX_INSETS.top + BOX_INSETS.bottom + emu(2)
        box = Box(area.x, frame.floor - height, area.cx, height)
        if height > area.cy // 2:
            self.diags.warning(f"caption and sources of slide '{_text(slide.title)[:60]}' take "
                             f"{height / EMU_PER_INCH:.1f} in of a {area.cy / EMU_PER_INCH:.1f} in slide area",
                             "fit.caption", slide.location, hint="shorten the caption or cite fewer works on it")
        return replace(shape, box=box)

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

    def overflow(self, slide: Slide, what: str, hint: str, shapes: tuple[Shape, ...] = (),
                  fatal: bool = True) -> None:
        """Text set below the theme's minimum is a warning; text the author wrote that overflows its box even at
        the hard floor is an error the author must act on (generated text — subtitles, questions — degrades)."""
        overflowing = any(isinstance(s, TextShape) and s.measured_height > self.capacity(s) for s in shapes)
        if fatal and overflowing:
            self.diags.error(f"{what} on slide '{_text(slide.title)[:60]}' does not fit its box even at "
                             f"{HARD_FLOOR_PT:g} pt (measured with {self.style.body.describe()})",
                             "fit.overflow", slide.location, hint=hint)
            return
        self.diags.warning(f"{what} on slide '{_text(slide.title)[:60]}' does not fit its box at "
                           f"{self.sizes.get('min_body'):g} pt (measured with {self.style.body.describe()}); "
                           f"set smaller", "fit.overflow", slide.location, hint=hint)

    def finish(self, slide: Slide, frame: Frame, body: list[Shape], line: TextShape | None,
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
        return replace(slide, shapes=tuple(shapes), clicks=clicks)

    # -- kinds ----------------------------------------------------------------------------------------------
    def text_slide(self, slide: Slide, can_split: bool, rules: TextRules) -> list[Slide]:
        """Bullets, agenda, references, exercises: the body placeholder, continued or shrunk as needed."""
        frame = self.frame(slide.layout)
        ph = frame.layout.get("body")
        line = self.caption_line(slide, frame)
        if ph is None or not slide.body:
            return [self.finish(slide, frame, [], line)]
        box = self.region(frame, ph, slide, line)
        extra: list[Shape] = []
        if slide.qr:
            # The QR code stands at the right of the text, as large as the box allows (at most 3 in).
            side = min(box.cy, box.cx * 2 // 5, 3 * EMU_PER_INCH)
            qr_box = Box(box.right - side, box.y + (box.cy - side) // 2, side, side)
            extra.append(QRShape("QR code", qr_box, slide.qr, f"QR code linking to {slide.qr}"))
            box = box.with_right(qr_box.x - GAP)
        lines = self.lines(slide.body, ph)
        if self.fits(lines, ph, box):
            shape = self.placeholder_shape("Content", "body", ph, box, lines)
            if rules.balanced and not extra:
                shape = self._balanced_body(slide, ph, box, shape, grow=rules.continues)
            return [self.finish(slide, frame, [shape, *extra], line)]
        if can_split and rules.continues and sum(1 for p in slide.body if p.level == 0) > 1:
            return self._continued(slide, frame, ph, box, line)
        shape, fits = self.fit_region(slide, ph, box, slide.body, "Content", "body")
        if not fits:
            self.overflow(slide, "text", "allow continuation (remove 'split: false') or shorten it"
                           if rules.continues else "split it over two slides or shorten it", (shape,),
                           fatal=rules.authored)  # generated text degrades
        return [self.finish(slide, frame, [shape, *extra], line)]

    def _balanced_body(self, slide: Slide, ph: Placeholder, box: Box, shape: TextShape, grow: bool) -> TextShape:
        """A list that leaves its area largely empty stands optically centred in it — a little above the
        middle — instead of in its top third; a short bullet list is set larger first (up to FEW_WORDS_MAX_PT,
        within 1.4 times the body size)."""
        words = sum(len(words_of([(r.text, False) for r in p.runs])) for p in slide.body)
        short = grow and words <= FEW_WORDS and sum(1 for p in slide.body if p.level == 0) <= 4
        base = self._style_size(Paragraph((), style="body"), ph, None)
        cap = min(FEW_WORDS_MAX_PT, base * 1.4)
        inner = ph.insets.inner(box)

        def set_at(scale: float) -> tuple[TextLine, ...]:
            return tuple(replace(ln, space_before=round(ln.space_before * scale * 1.25, 1))
                         for ln in self.lines(slide.body, ph, scale))

        def roomy(lines: tuple[TextLine, ...]) -> bool:
            probe = self.placeholder_shape("Content", "body", ph, box, lines)
            return (self._height(lines, ph, inner.width_pt) <= inner.height_pt * 0.7
                    and not self.breaks_a_word(probe, ph))

        scale = 1.0
        while short and base * (scale + SHRINK_STEP) <= cap + 1e-9 and roomy(set_at(scale + SHRINK_STEP)):
            scale += SHRINK_STEP
        lines = set_at(scale) if scale > 1.0 else shape.lines
        height = self._height(lines, ph, inner.width_pt)
        needed = min(box.cy, emu(height * 1.15) + ph.insets.top + ph.insets.bottom)
        spare = box.cy - needed
        if spare < box.cy // 8:  # text that nearly fills its area keeps the whole box
            return shape if scale == 1.0 else self.placeholder_shape("Content", "body", ph, box, lines)
        placed = Box(box.x, box.y + int(spare * OPTICAL_CENTRE), box.cx, needed)
        return replace(self.placeholder_shape("Content", "body", ph, placed, lines), anchor="t")

    def _continued(self, slide: Slide, frame: Frame, ph: Placeholder, box: Box,
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
            if pages[-1] and not self.fits(self.lines(tuple(candidate), ph), ph, box):
                pages.append(list(group))
            else:
                pages[-1] = candidate
        out = []
        for index, page in enumerate(pages):
            title = slide.title if index == 0 else slide.title + (Run(" (cont.)"),)
            notes = slide.notes if index == 0 else (Paragraph((Run("Continued from the previous slide."),)),)
            part = replace(slide, body=tuple(page), title=title, notes=notes,
                           id=slide.id if index == 0 or slide.id is None else f"{slide.id}-cont{index}")
            part_line = self.caption_line(part, frame)
            part_box = self.region(frame, ph, part, part_line)
            shape, fits = self.fit_region(part, ph, part_box, part.body, "Content", "body")
            if not fits:
                self.overflow(part, "text", "shorten the bullet", (shape,))
            out.append(self.finish(part, frame, [shape], part_line))
        return out

    def finding_slide(self, slide: Slide, can_split: bool) -> list[Slide]:
        """The assertion is the title; the evidence is a chart or a number in the middle of the slide."""
        if slide.chart is not None:
            return self.chart_slide(slide, can_split)
        return self.centred_slide(slide, "text")

    def centred_slide(self, slide: Slide, what: str) -> list[Slide]:
        """A quote or a big statement stands in the middle of the body area, shrunk (not split) to fit."""
        frame = self.frame(slide.layout)
        line = self.caption_line(slide, frame)
        shapes = self.centred_shapes(slide, slide.body, what)
        return [self.finish(slide, frame, shapes, line)]

    def centred_shapes(self, slide: Slide, paragraphs: tuple[Paragraph, ...], what: str) -> list[Shape]:
        """The paragraphs in the middle of the body placeholder (clear of the caption line), shrunk to fit."""
        frame = self.frame(slide.layout)
        ph = frame.layout.get("body")
        if ph is None:
            return []
        box = self.region(frame, ph, slide, self.caption_line(slide, frame))
        shape, fits = self.fit_region(slide, ph, box, paragraphs, "Content", "body", anchor="ctr")
        if not fits:
            self.overflow(slide, what, "split it over two slides or shorten it", (shape,))
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

    def chart_slide(self, slide: Slide, can_split: bool) -> list[Slide]:
        frame = self.frame(slide.layout)
        line = self.caption_line(slide, frame)
        shapes: list[Shape] = []
        if slide.chart is not None:
            area = self.free_area(frame, line)
            # Picture charts are drawn at exactly this size: whole hundredths of an inch.
            step = EMU_PER_INCH // 100
            box = Box(area.x, area.y, area.cx - area.cx % step, area.cy - area.cy % step)
            check_chart_fits(slide.chart, box.cx / EMU_PER_INCH, box.cy / EMU_PER_INCH,
                             self.ctx.fonts.get(self.ctx.fonts.body), self.diags, slide.location)
            shapes.append(ChartShape("Chart", box, native=slide.chart.native, dpi=CHART_DPI))
        return [self.finish(slide, frame, shapes, line)]

    def free_area(self, frame: Frame, line: TextShape | None) -> Box:
        area = frame.content
        if line is not None:
            area = area.with_bottom(line.box.y - GAP)
        return area


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






def _prompt_look(line: TextLine, level: LevelStyle) -> TextLine:
    """A level read from a template's prompt text: its font, weight and colour go onto the runs (see
    `sources/template.py::_sample_levels`); list-style levels are inherited and need nothing written."""
    if not level.from_sample:
        return line
    return replace(line, bold=line.bold or level.bold, italic=line.italic or level.italic,
                   color=line.color or level.color, typeface=level.font)



def _text(runs: tuple[Run, ...]) -> str:
    return "".join(r.text for r in runs)


PLACERS: dict[str, Callable[[Layouter, Slide, bool], list[Slide]]] = {
    "chart": Layouter.chart_slide,
    "finding": Layouter.finding_slide,
}
