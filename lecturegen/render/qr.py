"""Render layer: QR codes as PNG pictures (segno), the same bytes for the same text."""

from __future__ import annotations

import functools
import io

from lecturegen.model.links import link_target


@functools.lru_cache(maxsize=64)
def qr_png(data: str, min_pixels: int = 600) -> bytes:
    """A QR code for `data` at error correction M with the standard quiet zone, at least `min_pixels` wide
    (whole pixels per module, so it stays sharp at 200 dpi on the slide)."""
    import segno

    # The host in ASCII: a phone shows what it will open, and the payload stays within the loader's limit.
    code = segno.make(link_target(data), error="m", micro=False)
    modules = code.symbol_size(border=4)[0]
    scale = max(4, -(-min_pixels // modules))
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
