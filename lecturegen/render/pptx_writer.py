"""Render layer: a laid-out Deck → .pptx bytes; each slide written from its shapes, reusable slide by slide.

A slide's XML depends only on that model slide, the template and this renderer, so it can be kept and
reused while the slide is unchanged (`SlideCache`); the package is assembled around them in one pass.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Callable, Protocol

from lecturegen.model.chart import Chart, chart_frames
from lecturegen.model.deck import Deck, Slide
from lecturegen.model.shapes import ChartShape, QRShape
from lecturegen.model.template import Template
from lecturegen.render.chart_style import ChartStyle, chart_style
from lecturegen.render.package import ChartPart, PackageParts, write_package
from lecturegen.render.qr import qr_png
from lecturegen.model.roundtrip import slide_uids
from lecturegen.render.slide_xml import UID_TOKEN, SlideXml, notes_xml, slide_xml

ChartPng = Callable[[Chart, ChartStyle, float, float, int], bytes]
NativeChart = Callable[[Chart, ChartStyle, int], tuple[bytes, bytes]]
QrPng = Callable[[str, int], bytes]  # (text, least width in pixels) → PNG


class SlideCache(Protocol):
    """Rendered slides by key (the store keeps them between builds)."""

    def get(self, key: str) -> SlideXml | None: ...

    def put(self, key: str, value: SlideXml) -> None: ...


_SOURCE_DIGEST: str | None = None


def renderer_digest() -> str:
    """The slide writer's own code: a changed renderer never serves a slide written by an older one."""
    global _SOURCE_DIGEST
    if _SOURCE_DIGEST is None:
        folder = Path(__file__).parent
        digest = hashlib.sha256()
        for name in ("slide_xml.py", "pptx_writer.py", "qr.py", "charts_native.py", "native_xml.py", "chart_style.py",
                     "../model/chart_text.py", "../model/chart.py"):
            digest.update((folder / name).read_bytes())
        _SOURCE_DIGEST = digest.hexdigest()
    return _SOURCE_DIGEST


def slide_key(slide: Slide, template: Template, language: str, chart_digest: str) -> str:
    text = repr(slide)
    return hashlib.sha256(f"{renderer_digest()}\0{template.digest}\0{language}\0{chart_digest}\0{text}"
                          .encode("utf-8", "surrogatepass")).hexdigest()


def render_pptx(deck: Deck, template: Template, chart_png: ChartPng, native_chart: NativeChart,
                cache: SlideCache | None = None, qr_image: QrPng = qr_png) -> bytes:
    """The deck as .pptx bytes: the same deck and template give the same bytes."""
    assert deck.style is not None, "a compiled deck carries its style"
    style = chart_style(deck.style)
    extra = PackageParts()
    rendered: list[SlideXml] = []
    uids = slide_uids(deck)
    for slide, uid in zip(deck.slides, uids):
        for shape in slide.shapes:
            pic = getattr(shape, "media", None)
            if pic is not None:
                extra.media[pic.digest] = (pic.extension, pic.data)
        chart_media = chart_key = None
        frames: tuple[str, ...] = ()
        chart_shape = next((s for s in slide.shapes if isinstance(s, ChartShape)), None)
        if chart_shape is not None and slide.chart is not None:
            if chart_shape.native:
                xml, book = native_chart(slide.chart, style, deck.timestamp)
                chart_key = hashlib.sha256(xml + book).hexdigest()
                extra.charts[chart_key] = ChartPart(xml, book)
            else:
                digests = []
                for frame in chart_frames(slide.chart):  # the chart, or each step of a revealed one
                    png = chart_png(frame, style, round(chart_shape.box.cx / 914400, 2),
                                    round(chart_shape.box.cy / 914400, 2), chart_shape.dpi)
                    digests.append(hashlib.sha256(png).hexdigest())
                    extra.media[digests[-1]] = ("png", png)
                chart_media, frames = digests[0], tuple(digests[1:])
        qr_media: dict[str, str] = {}
        for shape in slide.shapes:
            if isinstance(shape, QRShape):
                png = qr_image(shape.data, int(shape.box.cx / 914400 * 200))
                qr_media[shape.data] = hashlib.sha256(png).hexdigest()
                extra.media[qr_media[shape.data]] = ("png", png)
        # The slide's own XML is kept by what it shows; notes, start time (the cue) and the line it was
        # written on are not part of it.
        own = replace(slide, notes=(), start_minute=0.0, location=None)
        key = slide_key(own, template, deck.language, " ".join((chart_media or chart_key or "",) + frames))
        cached = cache.get(key) if cache is not None else None
        if cached is None:
            cached = slide_xml(own, deck.language, chart_media, chart_key, qr_media, frames)
            if cache is not None:
                cache.put(key, cached)
        rendered.append(replace(cached, xml=cached.xml.replace(UID_TOKEN.encode(), uid.encode()),
                                notes=notes_xml(slide, deck.language)))
    return write_package(deck, template, rendered, extra)
