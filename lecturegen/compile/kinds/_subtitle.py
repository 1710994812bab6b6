"""Compile layer: what the title, section, break and closing kinds share — a subtitle read and built, and the
slide placed as its title and a subtitle (or body) placeholder."""

from __future__ import annotations

from dataclasses import replace

from yaml.nodes import Node

from lecturegen.compile.kinds.base import KindContext, SlideLayouter
from lecturegen.compile.placing import GAP, below_title
from lecturegen.diagnostics import Location
from lecturegen.model.deck import Paragraph, Run, Slide
from lecturegen.model.geometry import Box
from lecturegen.model.shapes import Shape
from lecturegen.records import record
from lecturegen.sources.outline import field_text
from lecturegen.sources.specs import KindSpec, TextSpec
from lecturegen.sources.yamlload import Fields
from lecturegen.model.text import runs_text


@record
class SubtitleSpec:
    """A title or section slide's own words: its subtitle."""

    location: Location
    subtitle: TextSpec | None = None

    def texts(self) -> tuple[TextSpec, ...]:
        return (self.subtitle,) if self.subtitle is not None else ()


def parse(fields: Fields, node: Node) -> KindSpec | None:
    return SubtitleSpec(fields.loc(), field_text(fields, "subtitle"))


def subtitle_of(spec: TextSpec | None, slide: Slide, ctx: KindContext) -> Slide:
    if not spec:
        return slide
    return replace(slide, subtitle=(Paragraph(ctx.text.runs(spec), style="subtitle"),))


def build(spec: KindSpec, slide: Slide, ctx: KindContext) -> Slide:
    assert isinstance(spec, SubtitleSpec)
    return subtitle_of(spec.subtitle, slide, ctx)


def lay(slide: Slide, can_split: bool, layouter: SlideLayouter) -> list[Slide]:
    """The title and the subtitle lines in the layout's subtitle (or body) placeholder; lines that do not fit
    take the free room under it, then give way from the last, named in a warning."""
    frame = layouter.frame(slide.layout)
    ph = frame.layout.get("subtitle") or frame.layout.get("body")
    shapes: list[Shape] = []
    if ph is not None and slide.subtitle:
        box = below_title(layouter.region(frame, ph, slide), frame.layout.get("title"))
        size = layouter.sizes.declared.get("subtitle", ph.level(0).size)
        shape, fits = layouter.fit_region(slide, ph, box, slide.subtitle, "Subtitle", ph.role, subtitle_size=size)
        if not fits or shape.measured_height > layouter.capacity(shape):
            # A small subtitle box: the lines may take the free room under it, down to the footers, then the
            # room above it, up to the title.
            grown = layouter.room_below(box, frame)
            title = frame.layout.get("title")
            if title is not None and title.box.bottom + GAP < grown.y:
                grown = Box(grown.x, title.box.bottom + GAP, grown.cx, grown.bottom - title.box.bottom - GAP)
            if grown != box:
                shape, fits = layouter.fit_region(slide, ph, grown, slide.subtitle, "Subtitle", ph.role,
                                                  subtitle_size=size)
                shape = replace(shape, inherit_box=False)
                box = grown
        kept = slide.subtitle
        while shape.measured_height > layouter.capacity(shape) and len(kept) > 1:
            # Still too many lines for the template's box: the last lines (date, then event or presenter)
            # give way, named in the warning; the subtitle itself stays.
            kept = kept[:-1]
            shape, fits = layouter.fit_region(slide, ph, box, kept, "Subtitle", ph.role, subtitle_size=size)
        if len(kept) < len(slide.subtitle):
            left_out = "; ".join(_text(p.runs) for p in slide.subtitle[len(kept):])
            layouter.diags.warning(f"the subtitle box of slide '{_text(slide.title)[:60]}' holds {len(kept)} of "
                                   f"its {len(slide.subtitle)} lines; left out: {left_out[:80]}", "fit.subtitle",
                                   slide.location, hint="shorten the subtitle, or choose a layout with a larger "
                                                        "subtitle box in theme.yaml 'layouts:'")
        elif not fits:
            layouter.overflow(slide, "subtitle", "shorten the subtitle, presenter or event lines", fatal=False)
        shapes.append(shape)
    return [layouter.finish(slide, frame, shapes, None)]


def _text(runs: tuple[Run, ...]) -> str:
    return runs_text(runs)
