"""Pictures decoded once, within budgets, and normalised to what every renderer accepts."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from lecturegen.diagnostics import Diagnostics
from lecturegen.sources.images import MAX_DECODED_BYTES, load_image, media_from_bytes

SLIDE = (4000, 2250)  # a 13.33 × 7.5 in slide at 300 dpi


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares its size and holds no pixels: the check must come before decoding."""
    header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + png_chunk(b"IDAT", zlib.compress(b"")) + png_chunk(b"IEND", b"")


def gif_header(width: int, height: int) -> bytes:
    size = struct.pack("<HH", width, height)
    return b"GIF89a" + size + b"\x00\x00\x00" + b"," + b"\x00" * 4 + size + b"\x00\x02\x00;"


def loaded(data: bytes, name: str = "photo.png") -> tuple[object, list[str]]:
    diags = Diagnostics()
    media = media_from_bytes(data, f"content/images/{name}", diags, None, SLIDE)
    return media, [f"{d.message} [{d.code}]" for d in diags.items]


def test_png_with_valid_crcs_and_garbage_pixels_names_the_decoders_reason() -> None:
    data = png_header(100, 100).replace(png_chunk(b"IDAT", zlib.compress(b"")),
                                        png_chunk(b"IDAT", bytes(range(256)) * 20))
    assert loaded(data) == (None, ["'photo.png' is a damaged PNG: broken data stream when reading image file "
                                   "[image.invalid]"])


def test_truncated_jpeg_is_invalid_not_a_traceback() -> None:
    whole = encoded(Image.linear_gradient("L").resize((800, 600)).convert("RGB"), "JPEG")
    media, messages = loaded(whole[: len(whole) // 2], "photo.jpg")
    assert media is None
    assert messages[0].startswith("'photo.jpg' is a damaged JPEG: image file is truncated")


@pytest.mark.parametrize("name,data", [("bomb.png", png_header(30000, 30000)), ("bomb.gif", gif_header(30000, 30000)),
                                       ("big.png", png_header(10001, 10000))])
def test_a_bomb_names_the_pixel_limit(name: str, data: bytes) -> None:
    pixels = "900,000,000 pixels" if name.startswith("bomb") else "10001×10000 pixels"
    assert loaded(data, name) == (None, [
        f"image 'content/images/{name}' has {pixels}; the limit is 100 megapixels [image.too-large]"])


def test_a_png_past_the_memory_budget_is_refused_before_decoding() -> None:
    side = int((MAX_DECODED_BYTES / 4) ** 0.5) + 10  # RGB: four bytes a pixel as decoded
    media, messages = loaded(png_header(side, side))
    assert media is None and messages == [
        f"image 'content/images/photo.png' ({side}×{side} pixels) needs {side * side * 4 / 2**20:.0f} MB to decode; "
        f"the limit is {MAX_DECODED_BYTES // 2**20} MB (save it smaller, or as JPEG) [image.too-large]"]


def test_cmyk_jpeg_without_jfif_becomes_an_rgb_jpeg_with_jfif() -> None:
    data = encoded(Image.new("CMYK", (64, 48), (0, 255, 255, 0)), "JPEG")
    assert b"JFIF" not in data[:32]
    media, messages = loaded(data, "cmyk.jpg")
    assert messages == [] and media is not None
    with Image.open(io.BytesIO(media.data)) as out:  # type: ignore[attr-defined]
        assert (out.format, out.mode, out.size, "jfif" in out.info) == ("JPEG", "RGB", (64, 48), True)


def test_exif_orientation_is_applied() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown rotated 90° clockwise
    media, _ = loaded(encoded(Image.new("RGB", (400, 300), "red"), "JPEG", exif=exif.tobytes()), "phone.jpg")
    assert (media.width_px, media.height_px) == (300, 400)  # type: ignore[attr-defined]


def test_palette_and_grey_pictures_become_rgb_or_rgba_png() -> None:
    grey, _ = loaded(encoded(Image.new("L", (10, 10)), "PNG"))
    transparent = Image.new("P", (10, 10))
    transparent.info["transparency"] = 0
    gif, _ = loaded(encoded(transparent, "GIF", transparency=0), "logo.gif")
    modes = [Image.open(io.BytesIO(m.data)).mode for m in (grey, gif)]  # type: ignore[attr-defined]
    assert [m.extension for m in (grey, gif)] == ["png", "png"]  # type: ignore[attr-defined]
    assert modes == ["RGB", "RGBA"]


def test_a_picture_larger_than_the_slide_needs_is_scaled_to_cover_it() -> None:
    media = media_from_bytes(encoded(Image.new("RGB", (1200, 300)), "PNG"), "wide.png", Diagnostics(), None,
                             (400, 225))
    # It still covers the slide's height: a full-bleed crop keeps its sharpness.
    assert media is not None and (media.width_px, media.height_px) == (900, 225)


def test_a_plain_picture_is_kept_byte_for_byte() -> None:
    data = encoded(Image.new("RGB", (40, 30), "blue"), "PNG")
    media, _ = loaded(data)
    assert media.data == data  # type: ignore[attr-defined]


def test_a_picture_swapped_for_a_link_or_a_pipe_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(encoded(Image.new("RGB", (4, 4)), "PNG"))
    link, pipe = tmp_path / "link.png", tmp_path / "pipe.png"
    link.symlink_to(secret)
    os.mkfifo(pipe)
    messages = []
    for path in (link, pipe):
        diags = Diagnostics()
        assert load_image(path, path.name, diags, None) is None
        messages += [d.message for d in diags.items]
    assert messages == ["image 'link.png' cannot be read (it was replaced by a symbolic link while the build ran)",
                        "image 'pipe.png' cannot be read ('pipe.png' is a FIFO (named pipe), not a regular file)"]
