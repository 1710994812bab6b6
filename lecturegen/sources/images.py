"""Load layer: image files → Media, each decoded once within a pixel and memory budget and normalised.

What leaves here is an RGB or RGBA PNG or JPEG, turned upright (EXIF orientation), no larger than the slide
needs: PowerPoint, LibreOffice, reportlab and python-docx all accept it, so no renderer meets a broken,
sideways or gigantic picture. A file that does not decode to the last pixel is a located `image.invalid`
naming the decoder's reason; one past a budget is `image.too-large` naming the limit, refused before the
pixels are decoded.
"""

from __future__ import annotations

import errno
import hashlib
import io
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.model.shapes import Media
from lecturegen.sources.specs import ImageMeta
from lecturegen.workspace import InputTooLargeError, read_input

if TYPE_CHECKING:
    from PIL.Image import Image

MAX_IMAGE_BYTES = 50 * 1024 * 1024
MAX_PIXELS = 100_000_000  # a decompression bomb is refused from its header, before it is decoded
# The pixels decoded at once, as Pillow holds them (RGB takes 4 bytes a pixel): a 50-megapixel PNG, or a
# JPEG of up to 100 megapixels decoded at a reduced scale. Peak memory of a build stays under 500 MB.
MAX_DECODED_BYTES = 200 * 1024 * 1024
# Pictures are kept at most this sharp at the largest size a slide can show them (the whole slide).
MAX_DPI = 300
_FORMATS = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif"}
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2}
_ORIENTATION_TAG = 0x0112


class _ImageProblem(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def load_image(path: Path, display: str, diags: Diagnostics, at: Location | None,
               needed: tuple[int, int] | None = None) -> Media | None:
    """The picture at `path` (a path the workspace resolver returned), or None after a located diagnostic.

    `needed` is the slide's size in pixels at `MAX_DPI`: a larger picture is scaled down to cover it."""
    try:
        data = read_input(path, MAX_IMAGE_BYTES)
    except InputTooLargeError as exc:
        diags.error(f"image '{display}' is {exc.size / 2**20:.0f} MB; the limit is {MAX_IMAGE_BYTES // 2**20} MB",
                    "image.too-large", at)
        return None
    except OSError as exc:
        diags.error(f"image '{display}' cannot be read ({_read_reason(exc)})", "image.unreadable", at)
        return None
    return media_from_bytes(data, display, diags, at, needed)


def _read_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "it was replaced by a symbolic link while the build ran"
    return (exc.strerror or str(exc)).lower() if exc.errno else str(exc)


def media_from_bytes(data: bytes, display: str, diags: Diagnostics, at: Location | None,
                     needed: tuple[int, int] | None = None) -> Media | None:
    """Decoded, checked and normalised picture bytes (see the module's docstring), or None after an error."""
    try:
        return _normalised(data, display, needed)
    except _ImageProblem as problem:
        diags.error(problem.message, problem.code, at)
        return None


def _normalised(data: bytes, display: str, needed: tuple[int, int] | None) -> Media:
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        # Pillow warns of, then refuses, pictures past its own pixel limit; ours is checked first and named.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=tuple(_FORMATS))
        except Image.DecompressionBombError as exc:
            raise _too_many_pixels(display, None, str(exc)) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise _ImageProblem(f"'{Path(display).name}' is not an image PowerPoint can show (PNG, JPEG, GIF)",
                                "image.invalid") from None
        with image:
            return _decoded(image, data, display, needed)


def _decoded(image: Image, data: bytes, display: str, needed: tuple[int, int] | None) -> Media:
    from PIL import Image as PILImage

    kind = _FORMATS[image.format or ""]
    width, height = image.size
    if width < 1 or height < 1:
        raise _ImageProblem(f"image '{display}' has no pixels ({width}×{height})", "image.invalid")
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(display, image.size)
    plain = (kind == "png" and image.mode in ("RGB", "RGBA")) or (
        kind == "jpeg" and image.mode == "RGB" and ("jfif" in image.info or "exif" in image.info))
    target = _target_size(image.size, needed)
    if kind == "jpeg" and target != image.size:
        image.draft("RGB", target)  # the JPEG decoder scales by 1/2, 1/4 or 1/8 as it decodes
    pixels = image.size[0] * image.size[1]
    decoded_bytes = pixels * (_BYTES_PER_PIXEL.get(image.mode, 4) + (4 if image.mode in ("P", "1") else 0))
    if decoded_bytes > MAX_DECODED_BYTES:
        raise _ImageProblem(
            f"image '{display}' ({width}×{height} pixels) needs {decoded_bytes / 2**20:.0f} MB to decode; "
            f"the limit is {MAX_DECODED_BYTES // 2**20} MB (save it smaller, or as JPEG)", "image.too-large")
    try:
        image.load()
        orientation = _orientation(image)  # after load: reading a PNG's EXIF decodes it, and hid its errors
        picture = image if image.mode not in ("P", "1") else _plain_mode(image)
        picture = _upright(_scaled(picture, target), orientation)
        if plain and picture is image:
            # Already what every renderer accepts, upright and no larger than needed: the file as it is.
            return Media(hashlib.sha256(data).hexdigest(), kind, width, height, data)
        return _encoded(_plain_mode(picture), kind)
    except PILImage.DecompressionBombError:
        raise _too_many_pixels(display, image.size) from None
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as exc:
        raise _ImageProblem(f"'{Path(display).name}' is a damaged {kind.upper()}: {_decoder_reason(exc)}",
                            "image.invalid") from None


def _too_many_pixels(display: str, size: tuple[int, int] | None, pillow_says: str = "") -> _ImageProblem:
    counted = re.search(r"\d+", pillow_says)  # "Image size (900000000 pixels) exceeds limit of …"
    shown = f" has {size[0]}×{size[1]} pixels;" if size else \
        f" has {int(counted.group()):,} pixels;" if counted else " has too many pixels;"
    return _ImageProblem(f"image '{display}'{shown} the limit is {MAX_PIXELS // 1_000_000} megapixels",
                         "image.too-large")


def _decoder_reason(exc: BaseException) -> str:
    if isinstance(exc, MemoryError):
        return "out of memory while decoding"
    text = str(exc).strip() or type(exc).__name__
    return text[:200]


def _orientation(image: Image) -> int:
    try:
        value = image.getexif().get(_ORIENTATION_TAG, 1)
    except Exception:  # noqa: BLE001 - a damaged EXIF block leaves the picture as it is stored
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _target_size(size: tuple[int, int], needed: tuple[int, int] | None) -> tuple[int, int]:
    """The size that still covers `needed` (the whole slide at MAX_DPI) in both directions; never larger."""
    width, height = size
    if needed is None:
        return size
    scale = max(needed[0] / width, needed[1] / height)
    if scale >= 1:
        return size
    return max(1, round(width * scale)), max(1, round(height * scale))


def _plain_mode(image: Image) -> Image:
    """RGB, or RGBA when the picture has transparency."""
    if image.mode in ("RGB", "RGBA"):
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda value: value / 256).convert("L")
    transparent = image.mode in ("LA", "PA", "La", "RGBa") or "transparency" in image.info
    return image.convert("RGBA" if transparent else "RGB")


def _scaled(image: Image, target: tuple[int, int]) -> Image:
    from PIL import Image as PILImage

    if image.size == target:
        return image
    factor = min(image.size[0] // target[0], image.size[1] // target[1])
    if factor >= 2 and image.mode not in ("P", "1", "I;16", "I;16B", "I;16L"):
        image = image.reduce(factor)  # cheap integer shrink first: the filter then runs on a small picture
    return image.resize(target, PILImage.Resampling.LANCZOS) if image.size != target else image


def _upright(image: Image, orientation: int) -> Image:
    from PIL import Image as PILImage

    steps = {2: (PILImage.Transpose.FLIP_LEFT_RIGHT,), 3: (PILImage.Transpose.ROTATE_180,),
             4: (PILImage.Transpose.FLIP_TOP_BOTTOM,), 5: (PILImage.Transpose.TRANSPOSE,),
             6: (PILImage.Transpose.ROTATE_270,), 7: (PILImage.Transpose.TRANSVERSE,),
             8: (PILImage.Transpose.ROTATE_90,)}.get(orientation, ())
    for step in steps:
        image = image.transpose(step)
    return image


def _encoded(image: Image, kind: str) -> Media:
    """The picture as PNG or JPEG bytes, no metadata: the same picture gives the same bytes."""
    out = io.BytesIO()
    if kind == "jpeg" and image.mode == "RGB":
        image.save(out, format="JPEG", quality=90, optimize=False, progressive=False)
    else:
        kind = "png"
        image.save(out, format="PNG", compress_level=6)
    data = out.getvalue()
    return Media(hashlib.sha256(data).hexdigest(), kind, image.size[0], image.size[1], data)


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
