"""Model layer: reading a layout's backdrop — the colours under a box, and how well a text colour reads on them."""

from __future__ import annotations

import functools
import zlib

from lecturegen.model.colour import relative_luminance
from lecturegen.model.geometry import Box
from lecturegen.model.template import Backdrop

# A text colour "reads" on a box when nearly all of the backdrop under it gives this contrast: a stray cell
# where a logo's edge or a photo's highlight touches the box is tolerated, a band across it is not.
TOLERATED_SHARE = 0.03


@functools.lru_cache(maxsize=256)
def _cells(luminance: bytes) -> bytes:
    return zlib.decompress(luminance)


def colours_under(backdrop: Backdrop, box: Box, width: int, height: int) -> list[tuple[int, int, int]]:
    """The backdrop's cells a box covers (at least one), as RGB."""
    data = _cells(backdrop.luminance)
    cols, rows = backdrop.columns, backdrop.rows
    x0 = max(0, min(cols - 1, int(box.x / width * cols)))
    x1 = max(x0 + 1, min(cols, -(-box.right * cols // max(1, width))))
    y0 = max(0, min(rows - 1, int(box.y / height * rows)))
    y1 = max(y0 + 1, min(rows, -(-box.bottom * rows // max(1, height))))
    out = []
    for row in range(y0, y1):
        for col in range(x0, x1):
            i = (row * cols + col) * 3
            out.append((data[i], data[i + 1], data[i + 2]))
    return out


def _luminance(rgb: tuple[int, int, int]) -> float:
    return relative_luminance("".join(f"{c:02X}" for c in rgb))


@functools.lru_cache(maxsize=4096)
def _cell_luminance(rgb: tuple[int, int, int]) -> float:
    return _luminance(rgb)


def contrast_share(colour: str, backdrop: Backdrop, box: Box, width: int, height: int, minimum: float) -> float:
    """The share of the box's backdrop on which `colour` has less than `minimum` contrast (0: reads everywhere)."""
    cells = colours_under(backdrop, box, width, height)
    text = relative_luminance(colour)
    failing = 0
    for rgb in cells:
        behind = _cell_luminance(rgb)
        high, low = (text, behind) if text > behind else (behind, text)
        if (high + 0.05) / (low + 0.05) < minimum:
            failing += 1
    return failing / len(cells)


@functools.lru_cache(maxsize=4096)
def worst_contrast(colour: str, backdrop: Backdrop, box: Box, width: int, height: int) -> float:
    """The contrast of `colour` with the backdrop under the box, ignoring the tolerated share of cells.

    Memoised: every slide of a layout asks it again for the same boxes (a thousand cells each, sorted twice),
    a fifth of the time of a deck of hundreds of slides."""
    cells = sorted(_cell_luminance(rgb) for rgb in colours_under(backdrop, box, width, height))
    text = relative_luminance(colour)
    ratios = sorted(((max(text, b) + 0.05) / (min(text, b) + 0.05)) for b in cells)
    return ratios[min(len(ratios) - 1, int(len(ratios) * TOLERATED_SHARE))]


def mean_under(backdrop: Backdrop, box: Box, width: int, height: int) -> str:
    cells = colours_under(backdrop, box, width, height)
    return "".join(f"{round(sum(c[i] for c in cells) / len(cells)):02X}" for i in range(3))


def readable_colour(candidates: tuple[str, ...], backdrop: Backdrop, box: Box, width: int, height: int,
                    minimum: float) -> tuple[str, bool]:
    """The first candidate that reads on the box at `minimum` contrast, else the one that reads best;
    (colour, reads)."""
    best, best_ratio = candidates[0], -1.0
    for colour in candidates:
        ratio = worst_contrast(colour, backdrop, box, width, height)
        if ratio >= minimum:
            return colour, True
        if ratio > best_ratio + 0.05:
            best, best_ratio = colour, ratio
    return best, False
