"""Compile layer: make text fit its placeholder by measuring it — continue, shrink within limits, or refuse."""

from __future__ import annotations

from dataclasses import replace

from lecturegen.compile.measure import TextBlock, TextMeasurer, block_height, caption_height_pt, words_of
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Paragraph, Run, Slide
from lecturegen.model.geometry import CAPTION_BOTTOM, CAPTION_GAP, CONTENT_WIDTH, Box, TemplateInfo
from lecturegen.sources.specs import SlideSpec
from lecturegen.sources.themes import ThemeSpec

INSET_X_PT = 7.2 * 2  # bodyPr default insets: 0.1 in left and right
INSET_Y_PT = 3.6 * 2  # 0.05 in top and bottom
SHRINK_STEP = 0.04
MAX_BULLETS = 6
MAX_WORDS = 50

# Per paragraph style: (size key or factor, space before in pt, left margin in pt).
_LEVEL_MARGIN = {0: 25.2, 1: 54.0}


class Fitter:
    """Measures slide text against the template's placeholder boxes."""

    def __init__(self, theme: ThemeSpec, template: TemplateInfo, diags: Diagnostics):
        self.theme = theme
        self.template = template
        self.diags = diags
        self.body = TextMeasurer(theme.body_font)
        self.heading = TextMeasurer(theme.heading_font)

    @property
    def measured_font(self) -> str:
        body = self.body.measured_family
        heading = self.heading.measured_family
        return body if body == heading else f"{body} (body), {heading} (headings)"

    # -- sizes -------------------------------------------------------------------------------------------
    def style_size(self, paragraph: Paragraph) -> float:
        return self.theme.paragraph_size(paragraph.style, paragraph.level)

    def _blocks(self, paragraphs: tuple[Paragraph, ...], scale: float) -> list[TextBlock]:
        blocks = []
        for p in paragraphs:
            size = self.style_size(p) * scale
            if p.style in ("body", "step"):
                margin = _LEVEL_MARGIN.get(p.level, 54.0)
                before = 10.0 if p.level == 0 else 4.0
            elif p.style == "reference":
                margin, before = 36.0, 6.0
            elif p.style in ("caption", "attribution"):
                margin, before = 0.0, 12.0
            elif p.style == "agenda":
                margin, before = 86.4, 8.0  # the hanging indent at the 1.2 in tab stop
            elif p.style == "badge":
                margin, before = 0.0, 0.0
            else:
                margin, before = 0.0, 4.0
            # The renderer sets big statements and column headings in bold: measure them so.
            forced_bold = p.style in ("big", "heading")
            runs = [(r.text, r.bold or forced_bold) for r in p.runs]
            if p.style == "agenda":
                # Measured as if the tab were four spaces on every line (as stricter checkers do), so the
                # agenda also fits where the hanging indent is not honoured.
                runs = [(text.replace("\t", "M "), bold) for text, bold in runs]
            words = words_of(runs)
            blocks.append(TextBlock(words, size, margin, before))
        return blocks

    def height(self, paragraphs: tuple[Paragraph, ...], box: Box, scale: float = 1.0) -> float:
        return block_height(self.body, self._blocks(paragraphs, scale), box.width_pt - INSET_X_PT)

    def fits(self, paragraphs: tuple[Paragraph, ...], box: Box, scale: float = 1.0) -> bool:
        return self.height(paragraphs, box, scale) <= box.height_pt - INSET_Y_PT + 0.5

    # -- slides ------------------------------------------------------------------------------------------
    def fit(self, slide: Slide, spec: SlideSpec | None) -> list[Slide]:
        slide = self._fit_title(slide)
        self._readability(slide)
        regions = self._regions(slide)
        if not regions:
            return [slide]
        if all(self.fits(paras, box) for paras, box in regions):
            return [slide]
        can_split = (slide.kind == "bullets" and (spec is None or spec.split)
                     and sum(1 for p in slide.body if p.level == 0) > 1)
        if can_split:
            return self._split_bullets(slide, regions[0][1])
        return [self._shrink(slide, regions)]

    def _regions(self, slide: Slide) -> list[tuple[tuple[Paragraph, ...], Box]]:
        regions = self._raw_regions(slide)
        below = slide.bottom_line()
        if not below:
            return regions
        # The caption and sources line stands on the footer: the text above must end before it.
        size = self.theme.size("source")
        height = caption_height_pt(self.body, [(r.text, r.bold) for r in below], size, CONTENT_WIDTH / 12700)
        limit = CAPTION_BOTTOM - int(height * 12700) - CAPTION_GAP
        return [(paras, Box(box.x, box.y, box.cx, min(box.cy, max(0, limit - box.y)))) for paras, box in regions]

    def _raw_regions(self, slide: Slide) -> list[tuple[tuple[Paragraph, ...], Box]]:
        layout = slide.layout
        body_box = self.template.box(layout, "body")
        if slide.columns:
            out = []
            for index, col in enumerate(slide.columns[:2]):
                box = self.template.box(layout, "body" if index == 0 else "body2")
                paras = col.body
                if slide.kind != "comparison" and col.heading:
                    paras = (Paragraph(col.heading, style="heading"),) + paras
                if box is not None:
                    out.append((paras, box))
            return out
        if slide.kind in ("title", "section", "break", "closing"):
            box = self.template.box(layout, "subtitle") or body_box
            return [(slide.subtitle, box)] if slide.subtitle and box else []
        if slide.body and body_box is not None:
            return [(slide.body, body_box)]
        return []

    def _fit_title(self, slide: Slide) -> Slide:
        box = self.template.box(slide.layout, "title")
        if box is None or not slide.title:
            return slide
        size = {"Title Slide": 44.0, "Section Header": 42.0}.get(slide.layout, self.theme.size("title"))
        words = words_of([(r.text, True) for r in slide.title])
        minimum = max(self.theme.size("min_body") + 6, 24.0)
        current = size
        while current >= minimum:
            need = block_height(self.heading, [TextBlock(words, current, 0, 0, 0.9)], box.width_pt - INSET_X_PT)
            if need <= box.height_pt - INSET_Y_PT + 0.5:
                return slide if current == size else replace(slide, title_size=round(current, 1))
            current -= 2
        self.diags.error(f"title of slide '{_text(slide.title)[:60]}' is too long to fit even at {minimum:g} pt",
                         "fit.title", slide.location, hint="shorten the title; put detail on the slide")
        return slide

    def _readability(self, slide: Slide) -> None:
        if slide.kind not in ("bullets", "two-column", "comparison", "exercise", "discussion"):
            return
        paragraphs = list(slide.body) + [p for c in slide.columns for p in c.body]
        bullets = sum(1 for p in paragraphs if p.level == 0)
        words = sum(len(p.text.split()) for p in paragraphs)
        if slide.kind in ("bullets", "two-column", "comparison") and bullets > MAX_BULLETS:
            self.diags.warning(f"slide '{_text(slide.title)[:50]}' has {bullets} bullets; more than "
                               f"{MAX_BULLETS} is hard to take in", "readability.bullets", slide.location)
        if slide.kind in ("bullets", "two-column", "comparison") and words > MAX_WORDS:
            self.diags.warning(f"slide '{_text(slide.title)[:50]}' has {words} words on it; aim for at most "
                               f"{MAX_WORDS}", "readability.words", slide.location)

    def _shrink(self, slide: Slide, regions: list[tuple[tuple[Paragraph, ...], Box]]) -> Slide:
        minimum = self.theme.size("min_body") / self.theme.size("body")
        scale = 1.0 - SHRINK_STEP
        while scale >= minimum - 1e-9:
            if all(self.fits(paras, box, scale) for paras, box in regions):
                return replace(slide, body_size=round(self.theme.size("body") * scale, 1))
            scale -= SHRINK_STEP
        what = {"quote": "quote", "statement": "statement"}.get(slide.kind, "text")
        self.diags.error(
            f"{what} on slide '{_text(slide.title)[:60]}' does not fit its box even at "
            f"{self.theme.size('min_body'):g} pt (measured with {self.measured_font})",
            "fit.overflow", slide.location,
            hint="split it over two slides or shorten it" if slide.kind != "bullets"
            else "allow continuation (remove 'split: false') or shorten it",
        )
        return slide

    def _split_bullets(self, slide: Slide, box: Box) -> list[Slide]:
        groups: list[list[Paragraph]] = []
        for p in slide.body:
            if p.level == 0 or not groups:
                groups.append([p])
            else:
                groups[-1].append(p)
        pages: list[list[Paragraph]] = [[]]
        for group in groups:
            candidate = pages[-1] + group
            if pages[-1] and not self.fits(tuple(candidate), box):
                pages.append(list(group))
            else:
                pages[-1] = candidate
        out = []
        for index, page in enumerate(pages):
            body = tuple(page)
            title = slide.title if index == 0 else slide.title + (Run(" (cont.)"),)
            notes = slide.notes if index == 0 else (Paragraph((Run("Continued from the previous slide."),)),)
            part = replace(slide, body=body, title=title, notes=notes,
                           id=slide.id if index == 0 or slide.id is None else f"{slide.id}-cont{index}")
            if not self.fits(body, box):
                part = self._shrink(part, [(body, box)])
            out.append(self._fit_title(part))
        return out

    def split_references(self, slide: Slide) -> list[Slide]:
        """Reference slides split by measured height, never by a fixed count."""
        box = self.template.box(slide.layout, "body")
        if box is None:
            return [slide]
        pages: list[list[Paragraph]] = [[]]
        for entry in slide.body:
            candidate = pages[-1] + [entry]
            if pages[-1] and not self.fits(tuple(candidate), box):
                pages.append([entry])
            else:
                pages[-1] = candidate
        if len(pages) == 1:
            return [replace(slide, body=tuple(pages[0]))]
        total = len(pages)
        out = []
        for index, page in enumerate(pages, start=1):
            title = slide.title + (Run(f" ({index}/{total})"),)
            out.append(replace(slide, body=tuple(page), title=title,
                               id=f"{slide.id or 'references'}-{index}"))
        return out


def _text(runs: tuple[Run, ...]) -> str:
    return "".join(r.text for r in runs)
