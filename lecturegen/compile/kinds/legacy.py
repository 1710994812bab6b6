"""Compile layer: the builders of the slide kinds that predate the registry (`kinds/registry.py`).

These kinds still keep their keys in `sources/outline.py::KIND_KEYS`, their layout role here, their placer in
`compile/layout.py::PLACERS` and their timing in `compile/timing.py`. A new kind does not go here: it is one
module in this package, registered in `registry.py`. Moving these over is welcome, one kind at a time.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

from lecturegen.compile.charts import bind_chart
from lecturegen.compile.kinds.base import KindContext
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.model.deck import Picture, Run, Slide
from lecturegen.sources.specs import SlideSpec

# Which layout role (model/template.py::LAYOUT_ROLES) each slide kind is placed on: one table, as pandoc does.
KIND_LAYOUT: dict[str, str] = {
    "image": "title-only",
    "chart": "title-only",
    "photo": "title-only",
    "image-text": "two-content",
    "finding": "title-only",
}
# The kinds above whose lists the talk's `reveal:` default applies to.
LEGACY_REVEALS = frozenset({"image-text"})
# Keeps a number and its unit on one line: "168 therapists", "5 of 7", "72.7 %".
_OF = re.compile(r"(\d)\s+of\s+(\d)")
_PERCENT = re.compile(r"(\d)\s+%")
_NUMBER_UNIT = re.compile(r"(?<![\w.])([−-]?\d[\d,.]*%?)\s+(?=(?:of\s+\d|[^\W\d_]))")


Builder = Callable[[SlideSpec, Slide, KindContext], Slide]


def keep_units(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    """Big text never breaks between a number and its unit: the space becomes a no-break space."""
    def glue(text: str) -> str:
        text = _OF.sub("\\1\u00a0of\u00a0\\2", text)
        text = _PERCENT.sub("\\1\u00a0%", text)
        return _NUMBER_UNIT.sub("\\1\u00a0", text)

    return tuple(replace(r, text=glue(r.text)) if not r.cited else r for r in runs)


def _image(spec: SlideSpec, slide: Slide, ctx: KindContext) -> Slide:
    picture = _picture(spec, ctx)
    caption = ctx.text.runs(spec.caption)
    if picture is not None and picture.credit:
        caption = caption + ((Run("  "),) if caption else ()) + (Run(picture.credit),)
    return replace(slide, picture=picture, caption=caption)


def _chart(spec: SlideSpec, slide: Slide, ctx: KindContext) -> Slide:
    if spec.chart is None:
        return slide
    text = ctx.text

    def cite_source(keys: list[str], at: Location | None) -> tuple[Run, ...]:
        return text.source_line(keys, at or spec.location, label="Sources")

    chart = bind_chart(spec.chart, ctx.datasets, ctx.diags, cite_source, text.bibliography_years)
    caption = text.runs(spec.caption) if spec.caption else ()
    return replace(slide, chart=chart, caption=caption, sources=chart.source if chart is not None else ())


def _picture(spec: SlideSpec, ctx: KindContext) -> Picture | None:
    if not spec.image:
        return None
    alt = ctx.text.expand(spec.alt) if spec.alt else ""
    credit = ctx.text.expand(spec.credit) if spec.credit else ctx.credits.get(spec.image, "")
    picture = Picture(spec.image_display or spec.image, alt, ctx.images.get(spec.image), credit)
    if ctx.final:
        _check_alt(picture, spec, ctx.diags)
    return picture


def _photo(spec: SlideSpec, slide: Slide, ctx: KindContext) -> Slide:
    """A full-bleed picture, the title on a scrim over it, its credit in the corner."""
    return replace(slide, picture=_picture(spec, ctx), badge=spec.position)


def _image_text(spec: SlideSpec, slide: Slide, ctx: KindContext) -> Slide:
    picture = _picture(spec, ctx)
    body = tuple(replace(p, style="body") for p in ctx.text.bullets(spec.bullets))
    credit = (Run(picture.credit),) if picture is not None and picture.credit else ()
    return replace(slide, picture=picture, body=body, badge=spec.side, caption=credit)


def _finding(spec: SlideSpec, slide: Slide, ctx: KindContext) -> Slide:
    """An assertion as the title and one piece of evidence: a chart, or a number with its context."""
    if spec.chart is not None:
        return _chart(spec, slide, ctx)
    from lecturegen.compile.kinds.big_number import number_body  # a registered kind that imports this module

    return replace(slide, layout="content", body=number_body(spec.number, spec.unit, spec.context, spec.caption, ctx))


BUILDERS: dict[str, Builder] = {
    "image": _image,
    "chart": _chart,
    "photo": _photo,
    "image-text": _image_text,
    "finding": _finding,
}


def build_legacy(spec: SlideSpec, base: Slide, ctx: KindContext) -> Slide:
    builder = BUILDERS.get(spec.kind)
    if builder is None:
        raise NotImplementedError(f"no builder for slide kind {spec.kind!r}")
    return builder(spec, base, ctx)


def _check_alt(picture: Picture, spec: SlideSpec, diags: Diagnostics) -> None:
    name = (spec.image_display or spec.image or "").rsplit("/", 1)[-1]
    alt = picture.alt.strip()
    if alt.lower() == name.lower() or alt.lower() in ("image", "picture", "photo"):
        diags.error(f"alt text '{alt}' does not describe the image", "image.alt", spec.location,
                    hint="say what the picture shows, as you would to someone who cannot see it")
