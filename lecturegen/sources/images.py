"""Load layer: image files → Media (bytes, hash, pixel size), checked to be pictures PowerPoint can show."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.model.shapes import Media
from lecturegen.sources.specs import ImageMeta

MAX_IMAGE_BYTES = 50 * 1024 * 1024
MAX_PIXELS = 100_000_000  # a decompression bomb is refused before it is decoded
_FORMATS = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif"}


def load_image(path: Path, display: str, diags: Diagnostics, at: Location | None) -> Media | None:
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            diags.error(f"image '{display}' is {size / 2**20:.0f} MB; the limit is {MAX_IMAGE_BYTES // 2**20} MB",
                        "image.too-large", at)
            return None
        data = path.read_bytes()
    except OSError as exc:
        diags.error(f"image '{display}' cannot be read ({exc.strerror or exc})", "image.unreadable", at)
        return None
    return media_from_bytes(data, display, diags, at)


def media_from_bytes(data: bytes, display: str, diags: Diagnostics, at: Location | None) -> Media | None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            kind = _FORMATS.get(image.format or "")
            if width * height > MAX_PIXELS:
                diags.error(f"image '{display}' has {width}×{height} pixels; the limit is "
                            f"{MAX_PIXELS // 1_000_000} megapixels", "image.too-large", at)
                return None
            image.verify()
    except Exception:  # noqa: BLE001 - any decoder failure means "not an image"
        kind = None
        width = height = 0
    if kind is None:
        diags.error(f"'{Path(display).name}' is not an image PowerPoint can show (PNG, JPEG, GIF)",
                    "image.invalid", at)
        return None
    return Media(hashlib.sha256(data).hexdigest(), kind, width, height, data)


SIDECAR_KEYS = {"title", "credit", "licence", "license", "source", "alt", "notes"}


def load_image_meta(path: Path, display: str, diags: Diagnostics) -> ImageMeta | None:
    """The image's sidecar (same name, .yaml): credit, licence, source — like a dataset's provenance."""
    from lecturegen.sources.yamlload import Ctx, Fields, load_yaml

    sidecar = path.with_suffix(".yaml")
    if not sidecar.is_file():
        return None
    shown = display.rsplit(".", 1)[0] + ".yaml"
    node = load_yaml(sidecar, shown, diags)
    if node is None:
        return None
    fields = Fields(node, Ctx(shown, diags), SIDECAR_KEYS, "image sidecar")
    if not fields.ok:
        return None
    licence = fields.str("licence") or fields.str("license") or ""
    return ImageMeta(fields.str("credit", "") or "", licence, fields.str("source", "") or "")


def credit_line(meta: ImageMeta | None) -> str:
    if meta is None or not (meta.credit or meta.licence):
        return ""
    return " · ".join(p for p in (meta.credit, meta.licence) if p)
