"""Model layer: colour arithmetic for legibility — WCAG relative luminance, contrast ratios, blends."""

from __future__ import annotations

WCAG_AA = 4.5


def relative_luminance(hex_color: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_color[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def blend(a: str, b: str, share_of_b: float) -> str:
    """a mixed with b: 0 gives a, 1 gives b."""
    out = []
    for i in (0, 2, 4):
        x, y = int(a[i:i + 2], 16), int(b[i:i + 2], 16)
        out.append(round(x + (y - x) * share_of_b))
    return "".join(f"{v:02X}" for v in out)
