"""Compile layer: the contrast of every word as LibreOffice drew it (from three renderings of the deck).

Given each page drawn as it is (A), with the text blanked (B) and with all text in one vivid colour (C): a
word's glyph pixels are where C shows the vivid colour in full; its colour is A there and what lies behind it
is B there. Pure: the pictures and the word boxes come from the render layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Deck
from lecturegen.model.geometry import EMU_PER_PT, Box
from lecturegen.model.shapes import TextShape
from lecturegen.records import record
from lecturegen.model.text import runs_text

if TYPE_CHECKING:
    import numpy as np

MINIMUM = 3.0
_CORE = 70  # how close to the vivid colour a pixel must be to be inside a glyph (not an anti-aliased edge)


@record
class RenderedContrast:
    """One page's three renderings (RGB rows of pixels) and the words drawn on it, in points."""

    width: int
    height: int
    as_is: bytes = b""
    blank: bytes = b""
    vivid: bytes = b""
    words: tuple[tuple[str, float, float, float, float], ...] = ()
    scale: float = 1.0  # pixels per point


def word_contrasts(page: RenderedContrast) -> list[tuple[str, tuple[float, float, float, float], float]]:
    """(word, its box in points, its contrast) for every word whose glyphs could be found."""
    import numpy as np

    shape = (page.height, page.width, 3)
    as_is = _luminance(np.frombuffer(page.as_is, dtype=np.uint8).reshape(shape))
    blank = _luminance(np.frombuffer(page.blank, dtype=np.uint8).reshape(shape))
    vivid = np.frombuffer(page.vivid, dtype=np.uint8).reshape(shape).astype(np.int16)
    core = (np.abs(vivid[..., 0] - 255) + vivid[..., 1] + np.abs(vivid[..., 2] - 255)) <= _CORE
    ratio = (np.maximum(as_is, blank) + 0.05) / (np.minimum(as_is, blank) + 0.05)
    out = []
    for text, x0, y0, x1, y1 in page.words:
        if _is_list_mark(text):
            continue  # LibreOffice draws bullets and numbers even where the text is blanked: not measurable
        left, top = max(0, int(x0 * page.scale)), max(0, int(y0 * page.scale))
        right, bottom = min(page.width, int(x1 * page.scale) + 1), min(page.height, int(y1 * page.scale) + 1)
        inside = ratio[top:bottom, left:right][core[top:bottom, left:right]]
        if inside.size:
            out.append((text, (x0, y0, x1, y1), float(np.median(inside))))
    return out


def _is_list_mark(text: str) -> bool:
    """A bullet or list number as LibreOffice's text layer reports it ('•', '●', '–', '1.', 'a)')."""
    word = text.strip()
    if not word:
        return True
    if all(not c.isalnum() for c in word) and len(word) <= 2:
        return True
    return len(word) <= 4 and word[-1] in ".)" and (word[:-1].isdigit() or (len(word) == 2 and word[0].isalpha()))


def rendered_contrast_findings(deck: Deck, pages: Sequence[RenderedContrast], diags: Diagnostics) -> int:
    """Every word under 3:1 as LibreOffice drew it, with its slide and shape; returns how many words were measured."""
    visible = [s for s in deck.slides if not s.hidden]
    measured = 0
    for number, (slide, page) in enumerate(zip(visible, pages), start=1):
        low: dict[str, list[str]] = {}
        worst: dict[str, float] = {}
        for text, (x0, y0, x1, y1), ratio in word_contrasts(page):
            measured += 1
            if ratio >= MINIMUM:
                continue
            centre = Box(int((x0 + x1) / 2 * EMU_PER_PT), int((y0 + y1) / 2 * EMU_PER_PT), 1, 1)
            shape = next((s.name for s in slide.shapes if isinstance(s, TextShape) and s.box.overlaps(centre)),
                         "a shape of the template")
            low.setdefault(shape, []).append(text)
            worst[shape] = min(worst.get(shape, ratio), ratio)
        title = runs_text(slide.title)[:50]
        for shape, words in low.items():
            shown = " ".join(words[:8]) + (" …" if len(words) > 8 else "")
            diags.warning(f"slide {number} ('{title}'): {len(words)} word(s) in '{shape}' drawn with contrast "
                          f"down to {worst[shape]:.1f}:1 against what is behind them ('{shown}')",
                          "render.contrast", slide.location,
                          hint="choose another layout for this role in theme.yaml 'layouts:', or set colours")
    return measured


def _luminance(pixels: np.ndarray) -> np.ndarray:
    import numpy as np

    c = pixels.astype(np.float64) / 255
    linear = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * linear[..., 0] + 0.7152 * linear[..., 1] + 0.0722 * linear[..., 2]
