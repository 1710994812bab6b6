"""Compile layer: where an icon stands — above a statement, beside a bullet list, in a diagram's node — and
the handout's credit line for the icons a deck uses.

An icon is drawn in a theme colour (the accent, or the text colour where the accent does not stand out from
the background), as one native shape whose stroke scales with its size, as Lucide draws it at 24 units.
"""

from __future__ import annotations

from dataclasses import replace

from lecturegen.model.colour import contrast_ratio
from lecturegen.model.deck import Deck
from lecturegen.model.geometry import EMU_PER_INCH, EMU_PER_PT, Box, Insets, emu
from lecturegen.model.icons import ICON_LICENCE, ICON_SET, Icon
from lecturegen.model.shapes import GroupShape, IconShape, Shape, TextShape
from lecturegen.model.style import DeckStyle

INCH = EMU_PER_INCH
# Non-text graphics need 3:1 against what they stand on (WCAG 1.4.11).
GRAPHIC_CONTRAST = 3.0
STATEMENT_ICON = int(1.1 * INCH)  # above a statement: large enough to read as the claim's picture
SMALLEST_ICON = int(0.35 * INCH)  # below this an icon is a speck from the back of a room
BESIDE_BULLETS = int(2.6 * INCH)  # beside a bullet list: the visual half of a text-and-visual split
NODE_ICON = int(0.75 * INCH)  # the largest icon in a diagram's node: the label stays the node's main thing
NODE_GAP = int(0.08 * INCH)  # between a node's icon and its text


def icon_colour(style: DeckStyle, ground: str | None = None, preferred: str = "accent") -> str:
    """A theme colour that stands out from `ground` (the slide's background unless given)."""
    colours = style.colors
    ground = ground or colours["background"]
    for key in (preferred, "accent", "text"):
        if contrast_ratio(colours[key], ground) >= GRAPHIC_CONTRAST:
            return colours[key]
    return max(("000000", "FFFFFF"), key=lambda c: contrast_ratio(c, ground))


def icon_shape(icon: Icon, box: Box, colour: str, name: str = "") -> IconShape:
    """The icon in a square of `box`'s smaller side, centred in it; its stroke scaled from 24 units."""
    side = min(box.cx, box.cy)
    square = Box(box.x + (box.cx - side) // 2, box.y + (box.cy - side) // 2, side, side)
    line_pt = round(icon.stroke / icon.size * side / EMU_PER_PT, 2)
    return IconShape(name or f"Icon: {icon.name}", square, icon, colour, line_pt)


def icon_above(shapes: list[Shape], area: Box, icon: Icon, colour: str) -> tuple[list[Shape], bool]:
    """A statement's icon centred above its text, the two optically centred together in `area`; the text is
    moved down to make room. False (and the shapes unchanged) when the text leaves no room for it."""
    text = next((s for s in shapes if isinstance(s, TextShape)), None)
    if text is None:
        return shapes, False
    gap = int(0.2 * INCH)
    side = min(STATEMENT_ICON, area.cy - text.box.cy - gap)
    if side < SMALLEST_ICON:
        return shapes, False
    block = side + gap + text.box.cy
    top = area.y + max(0, int((area.cy - block) * 0.42))
    moved = replace(text, box=Box(text.box.x, top + side + gap, text.box.cx, text.box.cy), inherit_box=False)
    middle = text.box.x + text.box.cx // 2
    placed = icon_shape(icon, Box(middle - side // 2, top, side, side), colour)
    return [moved if s is text else s for s in shapes] + [placed], True


def icon_beside(box: Box, icon: Icon, colour: str, gap: int) -> tuple[Box, IconShape]:
    """A bullet list's icon at the right of its box (as large as a third of it allows), and the box the text
    keeps: the list reads on the left, the picture that sums it up on the right."""
    side = min(BESIDE_BULLETS, box.cx // 3, box.cy)
    square = Box(box.right - side, box.y + (box.cy - side) * 2 // 5, side, side)
    return box.with_right(square.x - gap), icon_shape(icon, square, colour)


def node_room(inner: Box, where: str) -> int:
    """The side of an icon in a node whose text area is `inner`: above the text ("top", a third of the height
    at most) or before it ("left", in a heading bar); 0 when there is no room worth drawing one in."""
    side = min(NODE_ICON, inner.cy // 3, inner.cx * 2 // 5) if where == "top" else \
        min(NODE_ICON, inner.cy * 3 // 4, inner.cx // 4)
    return side if side >= SMALLEST_ICON * 3 // 4 else 0


def insets_for_icon(insets: Insets, side: int, where: str) -> Insets:
    """The node's text insets with the icon's room taken off the top or the left."""
    if where == "top":
        return replace(insets, top=insets.top + side + NODE_GAP)
    return replace(insets, left=insets.left + side + NODE_GAP)


def icon_in_node(icon: IconShape, text_area: Box, insets: Insets, side: int, where: str, anchor: str,
                 text_height: int) -> tuple[IconShape, Insets, str]:
    """The icon placed in its node once the text is set: before the text in a heading bar ("left"), or above
    it ("top"), the icon and text centred as one block (or kept at the top of a top-anchored node); the text's
    insets and anchor to match."""
    inner = insets.inner(text_area)  # the node's text area with its own insets, before the icon's room
    if where == "left":
        box = Box(inner.x, inner.y + (inner.cy - side) // 2, side, side)
        return replace(icon, box=box), insets_for_icon(insets, side, where), anchor
    block = side + NODE_GAP + min(text_height, inner.cy - side - NODE_GAP)
    top = inner.y if anchor == "t" else inner.y + max(0, (inner.cy - block) // 2)
    box = Box(inner.x + (inner.cx - side) // 2, top, side, side)
    return replace(icon, box=box), replace(insets, top=top + side + NODE_GAP - text_area.y), "t"


def text_height(measured_pt: float) -> int:
    """A node's measured text height in EMU, with the fifth to spare the layout gives every measure."""
    return emu(measured_pt * 1.2)


def icons_used(deck: Deck) -> tuple[str, ...]:
    """The names of the icons the deck draws, sorted."""
    names: set[str] = set()
    for slide in deck.slides:
        for shape in slide.shapes:
            children = shape.children if isinstance(shape, GroupShape) else (shape,)
            names.update(c.icon.name for c in children if isinstance(c, IconShape))
    return tuple(sorted(names))


def icon_credits(deck: Deck) -> tuple[str, ...]:
    """The handout's credit line for the icons: the set, its licence and the icons used."""
    names = icons_used(deck)
    if not names:
        return ()
    return (f"Icons: {ICON_SET} (lucide.dev), {ICON_LICENCE}. Used: {', '.join(names)}.",)
