"""Load layer: an icon of the bundled Lucide set (ISC licence) by name → `model.icons.Icon` geometry.

The SVGs come from the `lucide` package's zip. Each element a Lucide icon uses (path, circle, rect with rounded
corners, line, polyline, polygon, ellipse) becomes paths of moves, lines and cubic Béziers; SVG arcs and
quadratic curves become cubics here (`sources/svg_path.py`), so the renderer writes DrawingML paths directly.
The converter is our own, about a hundred lines after the SVG specification's implementation notes (F.6),
rather than `svgelements`: one more dependency of 300 kB for a few dozen lines of well-known maths that the
tests check point by point. Icons are parsed once per process (lru_cache); a build also keeps them in its store
(`store/icons.py`, through `Ctx.icons`), since opening the archive's 1,745 entries alone took 7 ms.
"""

from __future__ import annotations

import functools
import io
import os
from importlib.util import find_spec
from typing import TYPE_CHECKING, Callable

from yaml.nodes import Node, ScalarNode

from lecturegen.diagnostics import did_you_mean
from lecturegen.model.icons import Icon, IconPath, PathStep
from lecturegen.sources.svg_path import ellipse_steps, parse_path, rect_steps
from lecturegen.sources.yamlload import Ctx, Fields, type_name

if TYPE_CHECKING:
    import zipfile

_SVG = "{http://www.w3.org/2000/svg}"


class UnknownIcon(LookupError):
    """No icon of that name in the set; `hint` suggests the nearest name, if any is close."""

    def __init__(self, name: str, hint: str | None):
        super().__init__(f"unknown icon '{name}'")
        self.name = name
        self.hint = hint


def _archive_path() -> str:
    spec = find_spec("lucide")
    folders = spec.submodule_search_locations if spec is not None else None
    if not folders:
        raise ModuleNotFoundError("the icon set's package 'lucide' is not installed (pip install lucide)")
    return os.path.join(list(folders)[0], "lucide.zip")


@functools.lru_cache(maxsize=1)
def icon_set_identity() -> str:
    """What identifies the installed set: its archive's path, size and time (a new release of it changes them)."""
    path = _archive_path()
    info = os.stat(path)
    return f"{path}\0{info.st_size}\0{info.st_mtime_ns}"


@functools.lru_cache(maxsize=1)
def _archive() -> zipfile.ZipFile:
    """The set's zip, read into memory once (about 0.65 MB)."""
    import zipfile

    with open(_archive_path(), "rb") as file:
        return zipfile.ZipFile(io.BytesIO(file.read()))


@functools.lru_cache(maxsize=1)
def icon_names() -> frozenset[str]:
    """Every icon name in the set (about 1,700)."""
    return frozenset(n.removesuffix(".svg") for n in _archive().namelist() if n.endswith(".svg"))


@functools.lru_cache(maxsize=512)
def load_icon(name: str) -> Icon:
    """The icon called `name`, parsed; `UnknownIcon` when the set has none of that name."""
    if name not in icon_names():
        raise UnknownIcon(name, did_you_mean(name, icon_names()))
    return parse_svg(name, _archive().read(f"{name}.svg"))


def parse_svg(name: str, svg: bytes) -> Icon:
    """A Lucide-style SVG (a viewBox square, stroke drawings) → Icon."""
    from xml.etree import ElementTree

    root = ElementTree.fromstring(svg)
    view = [float(v) for v in root.get("viewBox", "0 0 24 24").replace(",", " ").split()]
    size = view[2] if len(view) == 4 else 24.0
    stroke = float(root.get("stroke-width", "2"))
    paths = []
    for element in root.iter():
        steps = _element_steps(element.tag.removeprefix(_SVG), element.attrib)
        if steps:
            paths.append(IconPath(steps, filled=element.get("fill", "none") not in ("none", "")))
    return Icon(name, tuple(paths), size, stroke)


def _element_steps(tag: str, attrs: dict[str, str]) -> tuple[PathStep, ...]:
    def number(key: str, default: float = 0.0) -> float:
        value = attrs.get(key)
        return float(value) if value not in (None, "") else default

    if tag == "path":
        return parse_path(attrs.get("d", ""))
    if tag == "circle":
        r = number("r")
        return ellipse_steps(number("cx"), number("cy"), r, r)
    if tag == "ellipse":
        return ellipse_steps(number("cx"), number("cy"), number("rx"), number("ry"))
    if tag == "rect":
        rx = number("rx", number("ry"))
        ry = number("ry", rx)
        return rect_steps(number("x"), number("y"), number("width"), number("height"), rx, ry)
    if tag == "line":
        return (PathStep("M", ((number("x1"), number("y1")),)), PathStep("L", ((number("x2"), number("y2")),)))
    if tag in ("polyline", "polygon"):
        values = [float(v) for v in attrs.get("points", "").replace(",", " ").split()]
        points = list(zip(values[0::2], values[1::2]))
        if not points:
            return ()
        steps = [PathStep("M", (points[0],))] + [PathStep("L", (p,)) for p in points[1:]]
        return tuple(steps + ([PathStep("Z")] if tag == "polygon" else []))
    return ()


def field_icon(fields: Fields, key: str = "icon") -> Icon | None:
    """An outline's `icon: <name>`, looked up; an unknown or mistyped name is a located error."""
    node = fields.get_node(key)
    return read_icon(fields.ctx, node) if node is not None else None


def icon_for(ctx: Ctx, name: str) -> Icon:
    """The icon called `name` through the reader's lookup (`Ctx.icons`), else from the set; UnknownIcon if none."""
    lookup: Callable[[str], Icon] = ctx.icons or load_icon
    return lookup(name)


def read_icon(ctx: Ctx, node: Node) -> Icon | None:
    """The icon a YAML node names, or None after a located error ('unknown icon …', did you mean …)."""
    if not isinstance(node, ScalarNode) or node.tag == "tag:yaml.org,2002:null":
        ctx.error(node, f"'icon' must be an icon's name, got {type_name(node)}", "icon.type",
                  hint="write e.g. 'icon: heart' (names at https://lucide.dev/icons)")
        return None
    name = str(node.value).strip()
    try:
        return icon_for(ctx, name)
    except UnknownIcon as unknown:
        ctx.error(node, str(unknown), "icon.unknown",
                  hint=unknown.hint or "icon names are Lucide's, in lower case with hyphens: see https://lucide.dev/icons")
        return None
