"""Model layer: template geometry (layout names and placeholder boxes) as plain data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    """A rectangle in EMU."""

    x: int
    y: int
    cx: int
    cy: int

    @property
    def width_pt(self) -> float:
        return self.cx / 12700

    @property
    def height_pt(self) -> float:
        return self.cy / 12700


@dataclass(frozen=True)
class LayoutInfo:
    name: str
    # role → box; roles: title, body (first content/body), body2, heading1, heading2, subtitle
    boxes: dict[str, Box]


@dataclass(frozen=True)
class TemplateInfo:
    """The template as bytes plus its geometry, which the compile layer uses to fit text."""

    blob: bytes
    name: str
    slide_width: int
    slide_height: int
    layouts: dict[str, LayoutInfo]
    # Template problems worth a warning (a placeholder that leaves the slide, …).
    problems: tuple[str, ...] = ()

    def box(self, layout: str, role: str) -> Box | None:
        info = self.layouts.get(layout)
        return info.boxes.get(role) if info else None


EMU_PER_INCH = 914400
# Free content area of "Title Only" slides and the caption line above the footer (16:9 generated theme;
# user templates share these positions, measured from the slide's left edge and top).
CONTENT_X = int(0.6 * EMU_PER_INCH)
CONTENT_TOP = int(1.7 * EMU_PER_INCH)
CONTENT_WIDTH = int(12.13 * EMU_PER_INCH)
CAPTION_BOTTOM = int(6.88 * EMU_PER_INCH)
CAPTION_GAP = int(0.05 * EMU_PER_INCH)
