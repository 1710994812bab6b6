"""Compile layer: the picture slide kinds — `image` (a picture in the free area, its caption and credit under it),
`photo` (full bleed, the title on a scrim over it) and `image-text` (a picture beside at most three short lines).

They share how the picture is read (a workspace image, its alt text required and checked, its credit from the
outline or the image's sidecar) and built; each has its own placement.
"""

from __future__ import annotations

from dataclasses import replace

from yaml.nodes import Node, ScalarNode

from lecturegen.compile.kinds.base import Kind, KindContext, Parse, SlideLayouter
from lecturegen.compile.kinds.bullets import walk
from lecturegen.compile.placing import (BOX_INSETS, MIN_DPI, TITLE_STEP, fill_crop, fit_aspect, two_sides)
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.model.deck import Picture, Run, Slide
from lecturegen.model.geometry import EMU_PER_INCH, Box, emu
from lecturegen.model.shapes import PictureShape, RectShape, Shape, TextLine, dpi_text
from lecturegen.records import record
from lecturegen.sources.outline import field_text, parse_bullets, parse_choice
from lecturegen.sources.specs import BulletSpec, ImageRef, KindSpec, TextSpec
from lecturegen.sources.yamlload import Fields

SCRIM = ("000000", 0.6)  # black at 60 %: white text on it passes WCAG AA over any photo
MAX_IMAGE_TEXT_LINES = 3


@record
class PictureSpec:
    """What a picture slide read; its fields in the order the build record lists them (compile/roundtrip.py)."""

    location: Location
    kind: str  # image | photo | image-text
    bullets: tuple[BulletSpec, ...] = ()  # image-text: its `text` lines
    caption: TextSpec | None = None  # image
    image: ImageRef | None = None
    alt: TextSpec | None = None
    credit: TextSpec | None = None  # photo, image-text: overrides the sidecar's credit line
    position: str = "bottom"  # photo: where the title band sits
    side: str = "left"  # image-text: the picture's side

    @property
    def credit_required(self) -> bool:
        return self.kind in ("photo", "image-text")

    def texts(self) -> tuple[TextSpec, ...]:
        # A credit is names and a licence: never spell-checked.
        return tuple(t for t in (self.caption, self.alt) if t is not None) + tuple(walk(self.bullets))


def _parser(kind: str) -> Parse:
    def parse(fields: Fields, node: Node) -> KindSpec | None:
        ctx = fields.ctx
        spec = PictureSpec(fields.loc(), kind, caption=field_text(fields, "caption") if kind == "image" else None)
        image_node = fields.require("image")
        alt = field_text(fields, "alt", required=True)
        if alt is not None and not alt.text.strip():
            ctx.error(fields.get_node("alt") or node, "alt text may not be empty", "outline.alt")
        spec = replace(spec, alt=alt, image=_image(image_node, fields))
        if kind == "image":
            return spec
        spec = replace(spec, credit=field_text(fields, "credit"))
        if kind == "photo":
            return replace(spec, position=parse_choice(fields, "position", ("bottom", "top"), "bottom",
                                                       "outline.position") or "bottom")
        side = parse_choice(fields, "side", ("left", "right"), "left", "outline.side") or "left"
        text_node = fields.require("text")
        lines = parse_bullets(text_node, ctx, "text")
        if len(lines) > MAX_IMAGE_TEXT_LINES and text_node is not None:
            ctx.error(text_node, f"an image-text slide takes at most {MAX_IMAGE_TEXT_LINES} short lines, "
                      f"got {len(lines)}", "outline.too-many-lines",
                      hint="keep the picture's words few; use a bullets slide for more")
        return replace(spec, side=side, bullets=lines)

    return parse


def _image(node: Node | None, fields: Fields) -> ImageRef | None:
    """The picture's file in the workspace (content/images/ by default), resolved and checked."""
    ctx = fields.ctx
    if not isinstance(node, ScalarNode) or ctx.workspace is None:
        return None
    at = ctx.loc(node)
    workspace = ctx.workspace
    resolved = workspace.resolve_input(str(node.value), workspace.root / "content" / "images", ctx.diags, at, "image")
    return ImageRef(str(resolved) if resolved else None, str(node.value), at)


def _picture(spec: PictureSpec, ctx: KindContext) -> Picture | None:
    image = spec.image
    if image is None or not image.path:
        return None
    alt = ctx.text.expand(spec.alt) if spec.alt else ""
    credit = ctx.text.expand(spec.credit) if spec.credit else ctx.credits.get(image.path, "")
    picture = Picture(image.display or image.path, alt, ctx.images.get(image.path), credit)
    if ctx.final:
        _check_alt(picture, image, spec.location, ctx.diags)
    return picture


def _check_alt(picture: Picture, image: ImageRef, at: Location, diags: Diagnostics) -> None:
    name = (image.display or image.path or "").rsplit("/", 1)[-1]
    alt = picture.alt.strip()
    if alt.lower() == name.lower() or alt.lower() in ("image", "picture", "photo"):
        diags.error(f"alt text '{alt}' does not describe the image", "image.alt", at,
                    hint="say what the picture shows, as you would to someone who cannot see it")


def build(spec: KindSpec, slide: Slide, ctx: KindContext) -> Slide:
    assert isinstance(spec, PictureSpec)
    picture = _picture(spec, ctx)
    if spec.kind == "photo":  # the credit goes in the corner, the band where the title is
        return replace(slide, picture=picture, badge=spec.position)
    credit = (Run(picture.credit),) if picture is not None and picture.credit else ()
    if spec.kind == "image-text":
        body = tuple(replace(p, style="body") for p in ctx.text.bullets(spec.bullets))
        return replace(slide, picture=picture, body=body, badge=spec.side, caption=credit)
    caption = ctx.text.runs(spec.caption)
    if credit:
        caption = caption + ((Run("  "),) if caption else ()) + credit
    return replace(slide, picture=picture, caption=caption)


def _lay_photo(slide: Slide, can_split: bool, layouter: SlideLayouter) -> list[Slide]:
    """A full-bleed picture; the title on a dark scrim across it, the credit under the title."""
    frame = layouter.frame(slide.layout)
    page = layouter.template.slide_box
    shapes: list[Shape] = []
    picture = slide.picture
    if picture is not None and picture.media is not None:
        crop = fill_crop(page, picture.media.width_px, picture.media.height_px)
        photo = PictureShape("Photo", page, picture.media, picture.alt, crop=crop, backdrop=True)
        if photo.dpi < MIN_DPI:
            layouter.diags.warning(f"photo '{picture.path}' is {dpi_text(photo.dpi)} filling the slide; it will "
                                   "look blurred when projected", "image.low-dpi", slide.location,
                                   hint=f"use a picture of at least {max(1, int(page.cx / EMU_PER_INCH * MIN_DPI))} "
                                        "px wide")
        shapes.append(photo)
    ph = frame.layout.get("title")
    margin = ph.box.x if ph is not None and 0 < ph.box.x < page.cx // 4 else page.cx // 20
    pad = int(0.18 * EMU_PER_INCH)
    width = page.cx - 2 * margin
    title_shape = None
    if ph is not None and slide.title:
        size = layouter.sizes.declared.get("title", ph.level(0).size)
        minimum = min(size, layouter.sizes.get("min_title"))
        white = "FFFFFF"
        while True:
            line = TextLine(slide.title, round(size, 1), bullet="none", color=white, bold=True)
            probe = layouter.placeholder_shape("Title", "title", ph, Box(margin, 0, width, page.cy // 3), (line,),
                                            anchor="t")
            if (probe.measured_height <= layouter.capacity(probe) and not layouter.breaks_a_word(probe, ph)) \
                    or size - TITLE_STEP < minimum:
                break
            size -= TITLE_STEP
        height = emu(probe.measured_height) + ph.insets.top + ph.insets.bottom + emu(2)
        title_shape = replace(probe, box=Box(margin, 0, width, height), inherit_box=False)
    credit = None
    if picture is not None and picture.credit:
        credit_line = TextLine((Run(picture.credit),), layouter.sizes.get("min_caption"), bullet="none",
                               color="E8E8E8")
        credit = layouter.box_shape("Credit", "caption", Box(margin, 0, width, page.cy // 4), (credit_line,))
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
    return [layouter.finish(slide, frame, shapes, None, chrome=False, title=title_shape)]

def _lay_image_text(slide: Slide, can_split: bool, layouter: SlideLayouter) -> list[Slide]:
    """A picture on one side, at most three short lines on the other."""
    frame = layouter.frame(slide.layout)
    layout = frame.layout
    line = layouter.caption_line(slide, frame)
    sides = two_sides(layout)
    if sides is None:
        return [layouter.finish(slide, frame, [], line)]
    left, right = sides
    image_ph, text_ph = (left, right) if slide.badge != "right" else (right, left)
    shapes: list[Shape] = []
    picture = slide.picture
    if picture is not None and picture.media is not None:
        area = layouter.region(frame, image_ph, slide, line)
        box = fit_aspect(area, picture.media.width_px, picture.media.height_px)
        _small_picture(slide, layouter.diags, picture.path, area, box)
        shapes.append(PictureShape("Picture", box, picture.media, picture.alt))
    if slide.body:
        region = layouter.region(frame, text_ph, slide, line)
        text, fits = layouter.fit_region(slide, text_ph, region, slide.body, "Content", text_ph.role, anchor="ctr")
        if not fits:
            layouter.overflow(slide, "text", "keep it to three short lines", (text,))
        shapes.append(text)
    return [layouter.finish(slide, frame, shapes, line)]

def _lay_image(slide: Slide, can_split: bool, layouter: SlideLayouter) -> list[Slide]:
    """The picture as large as the free area allows, keeping its shape (never past 150 dpi)."""
    frame = layouter.frame(slide.layout)
    line = layouter.caption_line(slide, frame)
    shapes: list[Shape] = []
    picture = slide.picture
    if picture is not None and picture.media is not None:
        area = layouter.free_area(frame, line)
        box = fit_aspect(area, picture.media.width_px, picture.media.height_px)
        _small_picture(slide, layouter.diags, picture.path, area, box)
        shapes.append(PictureShape("Picture", box, picture.media, picture.alt))
    return [layouter.finish(slide, frame, shapes, line)]

def _small_picture(slide: Slide, diags: Diagnostics, path: str, area: Box, box: Box) -> None:
    """A picture kept at 150 dpi that fills less than half its room: say how many pixels would fill it."""
    if box.cx >= area.cx * 0.7 or box.cy >= area.cy * 0.7:
        return
    fill = min(area.cx / max(1, box.cx), area.cy / max(1, box.cy))
    diags.warning(f"image '{path}' has too few pixels to fill its area sharply: shown "
                  f"{box.cx / EMU_PER_INCH:.1f} in wide (150 dpi) instead of "
                  f"{box.cx * fill / EMU_PER_INCH:.1f} in", "image.low-dpi", slide.location,
                  hint=f"use an image of at least {max(1, int(box.cx * fill / EMU_PER_INCH * MIN_DPI))} px wide")


KINDS = (
    Kind(name="image", keys=frozenset({"image", "alt", "caption"}), parse=_parser("image"), build=build,
         role="title-only", place=None, minimum_minutes=0.75, lay=_lay_image),
    Kind(name="photo", keys=frozenset({"image", "alt", "credit", "position"}), parse=_parser("photo"), build=build,
         role="title-only", place=None, minimum_minutes=0.5, lay=_lay_photo),
    Kind(name="image-text", keys=frozenset({"image", "alt", "credit", "side", "text"}), parse=_parser("image-text"),
         build=build, role="two-content", place=None, minimum_minutes=0.5, lay=_lay_image_text, reveal=True),
)
