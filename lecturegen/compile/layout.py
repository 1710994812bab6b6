"""Compile layer: place every shape of a slide inside the boxes of the template layout it uses.

The layout decides, for any slide size: which placeholder each text goes into and at what size (shrunk
within limits or continued on a "(cont.)" slide when it does not fit), where charts, tables, pictures,
captions, source lines, the footer and the logo stand, and how large. The result is recorded on the slide
as shapes with final boxes and sizes; the renderer only writes them down.
"""

from __future__ import annotations

from dataclasses import replace

from lecturegen.compile.charts import check_chart_fits
from lecturegen.compile.icons import icon_beside, icon_colour
from lecturegen.compile.kinds.base import Frame, Kind, TextRules
from lecturegen.compile.kinds.registry import KINDS
from lecturegen.compile.layout_chrome import Chrome
from lecturegen.compile.layout_text import HARD_FLOOR_PT, SHRINK_STEP, Fonts, LayoutContext, Logo  # noqa: F401  (built by the pipeline)
from lecturegen.compile.legibility import make_readable
from lecturegen.compile.placing import GAP, OPTICAL_CENTRE, union
from lecturegen.compile.measure import FontMetrics, words_of
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.chart import reveal_steps
from lecturegen.model.deck import Paragraph, Run, Slide
from lecturegen.model.geometry import EMU_PER_INCH, Box, emu
from lecturegen.model.shapes import (
    ChartShape,
    GroupShape,
    PictureShape,
    QRShape,
    Shape,
    reveal_groups,
    TextLine,
    TextShape,
)
from lecturegen.model.style import DeckStyle
from lecturegen.model.template import Layout, Placeholder
from lecturegen.model.text import runs_text

CHART_DPI = 200
# A bullet list of at most this many words and four points is set larger and optically centred.
FEW_WORDS = 45
FEW_WORDS_MAX_PT = 36.0


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


class Layouter(Chrome):
    """Lays out slides; keeps per-deck state (the footer as fitted, warnings given once)."""

    def __init__(self, ctx: LayoutContext, diags: Diagnostics):
        super().__init__(ctx, diags)
        self._frames: dict[str, Frame] = {}

    # -- public ----------------------------------------------------------------------------------------
    def place(self, slide: Slide, can_split: bool = True) -> list[Slide]:
        """The slide with its shapes, or several slides when a list continues on "(cont.)" slides."""
        if self.template.layout(slide.layout) is None:
            slide = replace(slide, layout="content")
        registered = KINDS[slide.kind]
        if registered.lay is not None:
            return registered.lay(slide, can_split, self)
        return [self.kind_slide(slide, registered)]

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

    def overflow(self, slide: Slide, what: str, hint: str, shapes: tuple[Shape, ...] = (),
                  fatal: bool = True) -> None:
        """Text set below the theme's minimum is a warning; text the author wrote that overflows its box even at
        the hard floor is an error the author must act on (generated text — subtitles, questions — degrades)."""
        overflowing = any(isinstance(s, TextShape) and s.measured_height > self.capacity(s) for s in shapes)
        if fatal and overflowing:
            self.diags.error(f"{what} on slide '{runs_text(slide.title)[:60]}' does not fit its box even at "
                             f"{HARD_FLOOR_PT:g} pt (measured with {self.style.body.describe()})",
                             "fit.overflow", slide.location, hint=hint)
            return
        self.diags.warning(f"{what} on slide '{runs_text(slide.title)[:60]}' does not fit its box at "
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
        if slide.chart is not None and any(isinstance(shape, ChartShape) for shape in shapes):
            # A native chart builds every step on a click; a picture shows its first step from the start.
            steps = reveal_steps(slide.chart)
            clicks += steps if slide.chart.native else max(0, steps - 1)
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
        if slide.icon is not None:
            # A bullet list's icon at the right of its region: a text-and-visual split, as long as the list
            # fits beside it; otherwise the words keep the whole width (they are the slide's content).
            beside, icon = icon_beside(box, slide.icon, icon_colour(self.style), GAP)
            if self.fits(lines, ph, beside):
                box = beside
                extra.append(icon)
            else:
                self.diags.warning(f"the list on slide '{runs_text(slide.title)[:60]}' does not fit beside its icon; "
                                   "the icon is left out", "icon.room", slide.location,
                                   hint="shorten the list, or leave the icon out")
        if self.fits(lines, ph, box):
            shape = self.placeholder_shape("Content", "body", ph, box, lines)
            if rules.balanced and not slide.qr:
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
