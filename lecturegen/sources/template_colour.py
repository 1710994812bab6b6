"""Load layer: DrawingML colours as a viewer shows them — scheme slots, the colour map and the modifiers.

`<a:schemeClr val="tx1"><a:lumMod val="65000"/><a:lumOff val="35000"/></a:schemeClr>` is grey, not black:
templates set most of their text and artwork colours this way, so contrast cannot be judged without it.
"""

from __future__ import annotations

import colorsys

from lxml import etree


_PRESET = {"black": "000000", "white": "FFFFFF", "red": "FF0000", "green": "008000", "blue": "0000FF",
           "yellow": "FFFF00", "gray": "808080", "grey": "808080", "darkGray": "A9A9A9", "lightGray": "D3D3D3",
           "silver": "C0C0C0", "navy": "000080", "orange": "FFA500", "purple": "800080", "teal": "008080"}
_COLOUR_TAGS = frozenset({"srgbClr", "schemeClr", "sysClr", "prstClr", "hslClr", "scrgbClr"})


class ColourScope:
    """What a colour reference resolves through: the theme's scheme, the master's colour map, a style's phClr."""

    def __init__(self, scheme: dict[str, str], color_map: dict[str, str], placeholder: str | None = None):
        self.scheme = scheme
        self.color_map = color_map
        self.placeholder = placeholder

    def with_placeholder(self, colour: str | None) -> ColourScope:
        return ColourScope(self.scheme, self.color_map, colour)

    def resolve(self, el: etree._Element | None) -> tuple[str, float] | None:
        """(hex, opacity) of the first colour element in or under `el`; None when there is none."""
        if el is None:
            return None
        node = el if _local(el) in _COLOUR_TAGS else next(
            (c for c in el.iter() if isinstance(c.tag, str) and _local(c) in _COLOUR_TAGS), None)
        if node is None:
            return None
        base = self._base(node)
        if base is None or not is_hex(base):  # a scheme slot may hold anything a broken template wrote
            return None
        return _modified(base, node)

    def hex(self, el: etree._Element | None) -> str | None:
        found = self.resolve(el)
        return found[0] if found else None

    def _base(self, node: etree._Element) -> str | None:
        local = _local(node)
        if local == "srgbClr":
            value = (node.get("val") or "").upper()
            return value if is_hex(value) else None
        if local == "schemeClr":
            slot = node.get("val", "")
            if slot == "phClr":
                return self.placeholder
            slot = self.color_map.get(slot, slot)
            return self.scheme.get(slot)
        if local == "sysClr":
            value = (node.get("lastClr") or ("FFFFFF" if node.get("val") == "window" else "000000")).upper()
            return value if is_hex(value) else None
        if local == "prstClr":
            return _PRESET.get(node.get("val", ""))
        if local == "hslClr":
            hue = _number(node.get("hue"), 0) / 21_600_000
            sat, lum = _number(node.get("sat"), 0) / 100_000, _number(node.get("lum"), 0) / 100_000
            return _from_rgb(colorsys.hls_to_rgb(hue % 1.0, _clamp(lum), _clamp(sat)))
        if local == "scrgbClr":
            return _from_rgb(tuple(_linear_to_srgb(_number(node.get(k), 0) / 100_000) for k in "rgb"))
        return None


def _modified(base: str, node: etree._Element) -> tuple[str, float]:
    r, g, b = (int(base[i:i + 2], 16) / 255 for i in (0, 2, 4))
    alpha = 1.0
    for mod in node:
        if not isinstance(mod.tag, str):
            continue
        local, value = _local(mod), _number(mod.get("val"), 100_000) / 100_000
        if local in ("lumMod", "lumOff"):
            h, l, s = colorsys.rgb_to_hls(r, g, b)
            l = _clamp(l * value) if local == "lumMod" else _clamp(l + value)
            r, g, b = colorsys.hls_to_rgb(h, l, s)
        elif local == "tint":  # towards white
            r, g, b = (_linear_to_srgb(1 - (1 - _srgb_to_linear(c)) * value) for c in (r, g, b))
        elif local == "shade":  # towards black
            r, g, b = (_linear_to_srgb(_srgb_to_linear(c) * value) for c in (r, g, b))
        elif local == "alpha":
            alpha = _clamp(value)
        elif local == "alphaMod":
            alpha = _clamp(alpha * value)
        elif local == "satMod":
            h, l, s = colorsys.rgb_to_hls(r, g, b)
            r, g, b = colorsys.hls_to_rgb(h, l, _clamp(s * value))
        elif local == "inv":
            r, g, b = 1 - r, 1 - g, 1 - b
        elif local == "gray":
            grey = 0.299 * r + 0.587 * g + 0.114 * b
            r = g = b = grey
    return _from_rgb((r, g, b)), alpha


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _number(text: str | None, default: float) -> float:
    try:
        value = float(text) if text is not None else default
    except ValueError:
        return default
    return value if abs(value) < 1e9 else default


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def _srgb_to_linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _linear_to_srgb(c: float) -> float:
    c = _clamp(c)
    return c * 12.92 if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def _from_rgb(rgb: tuple[float, ...]) -> str:
    return "".join(f"{round(_clamp(c) * 255):02X}" for c in rgb)


def is_hex(value: str) -> bool:
    return len(value) == 6 and all(c in "0123456789ABCDEF" for c in value)
