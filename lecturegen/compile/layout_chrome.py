"""Compile layer: what every slide carries besides its content — title, footer, slide number, logo, the caption
line and the accent rule — fitted to its layout (the chrome half of the layouter, `compile/layout.py`)."""

from __future__ import annotations

from dataclasses import replace

from lecturegen.compile.kinds.base import Frame
from lecturegen.compile.placing import BOX_INSETS, GAP, MIN_DPI, TITLE_STEP, WRAP_SAFETY
from lecturegen.compile.measure import FontMetrics, widest_line, words_of
from lecturegen.compile.style import CONTENT_LAYOUTS
from lecturegen.compile.titles import balance_title, words_per_line
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Run, Slide
from lecturegen.model.geometry import EMU_PER_INCH, EMU_PER_PT, Box, emu, pt
from lecturegen.model.shapes import PictureShape, RectShape, Shape, TextLine, TextShape
from lecturegen.model.template import Layout, Placeholder
from lecturegen.compile.layout_text import HARD_FLOOR_PT, LayoutContext, TextSetter, _prompt_look, _text

# The accent rule under content titles on a generated template: at most this long, this thick (EMU).
ACCENT_RULE = (int(1.1 * EMU_PER_INCH), int(0.06 * EMU_PER_INCH))


class Chrome(TextSetter):
    """Places the chrome; keeps what a deck shares (the footer as fitted per layout, the logo, warnings given once)."""

    def __init__(self, ctx: LayoutContext, diags: Diagnostics):
        super().__init__(ctx, diags)
        self._footers: dict[str, str] = {}
        self._warned: set[str] = set()
        self._logo = self._place_logo()

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
