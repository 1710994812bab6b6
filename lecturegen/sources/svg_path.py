"""Load layer: SVG path data and basic shapes → absolute moves, lines, cubic Béziers and closes.

Every command of SVG 1.1 path data is read (M L H V C S Q T A Z, absolute and relative, with implicit repeats
and arc flags written without separators, as icon sets minify them). Quadratic curves are raised to cubics
exactly; an elliptical arc is converted to its centre form (SVG 1.1 implementation notes F.6.5–F.6.6) and
drawn as one cubic per quarter turn at most, whose error is under 0.03 % of the radius.
"""

from __future__ import annotations

import math
import re

from lecturegen.model.icons import PathStep, Point

_TOKEN = re.compile(r"\s*,?\s*([MmLlHhVvCcSsQqTtAaZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")
_FLAG = re.compile(r"\s*,?\s*([01])")
_ARITY = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "A": 7, "Z": 0}
KAPPA = 4 * (math.sqrt(2) - 1) / 3  # a quarter circle's control-point distance, in radii


class PathError(ValueError):
    """Path data that does not follow the grammar."""


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.at = 0

    def done(self) -> bool:
        return not self.text[self.at:].strip(" \t\r\n,")

    def command(self) -> str | None:
        match = _TOKEN.match(self.text, self.at)
        if match and match.group(1).isalpha():
            self.at = match.end()
            return match.group(1)
        return None

    def command_ahead(self) -> bool:
        match = _TOKEN.match(self.text, self.at)
        return bool(match and match.group(1).isalpha())

    def number(self) -> float:
        match = _TOKEN.match(self.text, self.at)
        if not match or match.group(1).isalpha():
            raise PathError(f"a number expected at {self.at} in path {self.text[:40]!r}")
        self.at = match.end()
        return float(match.group(1))

    def flag(self) -> float:
        match = _FLAG.match(self.text, self.at)
        if not match:
            raise PathError(f"an arc flag (0 or 1) expected at {self.at} in path {self.text[:40]!r}")
        self.at = match.end()
        return float(match.group(1))


def parse_path(d: str) -> tuple[PathStep, ...]:
    """SVG path data → absolute M, L, C and Z steps."""
    scan = _Scanner(d)
    out: list[PathStep] = []
    pen: Point = (0.0, 0.0)
    start: Point = (0.0, 0.0)
    last_cubic: Point | None = None  # the second control point of the previous C/S, for S
    last_quad: Point | None = None  # the control point of the previous Q/T, for T
    command = scan.command()
    if command is None and not scan.done():
        raise PathError(f"path data must start with a command: {d[:40]!r}")
    while command is not None:
        op, relative = command.upper(), command.islower()
        while True:
            values = [scan.flag() if op == "A" and i in (3, 4) else scan.number() for i in range(_ARITY[op])]
            pen, start, last_cubic, last_quad = _step(op, relative, values, pen, start, last_cubic, last_quad, out)
            if op == "M":
                op = "L"  # a move's further pairs are lines
            if op == "Z" or scan.done() or scan.command_ahead():
                break
        command = scan.command()
        if command is None and not scan.done():
            raise PathError(f"unexpected text at {scan.at} in path {d[:40]!r}")
    return tuple(out)


def _step(op: str, relative: bool, v: list[float], pen: Point, start: Point, last_cubic: Point | None,
          last_quad: Point | None, out: list[PathStep]) -> tuple[Point, Point, Point | None, Point | None]:
    """One command applied: the steps it adds, and the pen, subpath start and reflection points after it."""
    ox, oy = pen if relative else (0.0, 0.0)

    def at(i: int) -> Point:
        return (v[i] + ox, v[i + 1] + oy)

    if op == "M":
        pen = at(0)
        out.append(PathStep("M", (pen,)))
        return pen, pen, None, None
    if op in ("L", "H", "V"):
        end = at(0) if op == "L" else ((v[0] + ox, pen[1]) if op == "H" else (pen[0], v[0] + oy))
        out.append(PathStep("L", (end,)))
        return end, start, None, None
    if op in ("C", "S"):
        first = at(0) if op == "C" else _reflect(last_cubic, pen)
        second, end = (at(2), at(4)) if op == "C" else (at(0), at(2))
        out.append(PathStep("C", (first, second, end)))
        return end, start, second, None
    if op in ("Q", "T"):
        control = at(0) if op == "Q" else _reflect(last_quad, pen)
        end = at(2) if op == "Q" else at(0)
        out.append(PathStep("C", (_lerp(pen, control, 2 / 3), _lerp(end, control, 2 / 3), end)))
        return end, start, None, control
    if op == "A":
        end = at(5)
        out.extend(arc_steps(pen, v[0], v[1], v[2], bool(v[3]), bool(v[4]), end))
        return end, start, None, None
    out.append(PathStep("Z"))
    return start, start, None, None


def _reflect(point: Point | None, about: Point) -> Point:
    return about if point is None else (2 * about[0] - point[0], 2 * about[1] - point[1])


def _lerp(a: Point, b: Point, share: float) -> Point:
    return (a[0] + (b[0] - a[0]) * share, a[1] + (b[1] - a[1]) * share)


def arc_steps(p0: Point, rx: float, ry: float, rotation: float, large: bool, sweep: bool,
              p1: Point) -> list[PathStep]:
    """An SVG elliptical arc from p0 to p1 as cubic Béziers (a line when a radius is zero, nothing when the
    ends coincide), after SVG 1.1 F.6.5 (centre parameterisation) and F.6.6 (radii too small are scaled up)."""
    if p0 == p1:
        return []
    rx, ry = abs(rx), abs(ry)
    if rx == 0 or ry == 0:
        return [PathStep("L", (p1,))]
    phi = math.radians(rotation % 360)
    cos, sin = math.cos(phi), math.sin(phi)
    dx, dy = (p0[0] - p1[0]) / 2, (p0[1] - p1[1]) / 2
    x1, y1 = cos * dx + sin * dy, -sin * dx + cos * dy
    grow = (x1 / rx) ** 2 + (y1 / ry) ** 2
    if grow > 1:
        rx, ry = rx * math.sqrt(grow), ry * math.sqrt(grow)
    numerator = rx * rx * ry * ry - rx * rx * y1 * y1 - ry * ry * x1 * x1
    denominator = rx * rx * y1 * y1 + ry * ry * x1 * x1
    if denominator == 0:  # the ends are so close that the squares underflow: nothing worth an arc
        return [PathStep("L", (p1,))]
    factor = math.sqrt(max(0.0, numerator / denominator))
    if large == sweep:
        factor = -factor
    cx1, cy1 = factor * rx * y1 / ry, -factor * ry * x1 / rx
    cx = cos * cx1 - sin * cy1 + (p0[0] + p1[0]) / 2
    cy = sin * cx1 + cos * cy1 + (p0[1] + p1[1]) / 2
    theta = math.atan2((y1 - cy1) / ry, (x1 - cx1) / rx)
    delta = math.atan2((-y1 - cy1) / ry, (-x1 - cx1) / rx) - theta
    if sweep and delta < 0:
        delta += 2 * math.pi
    elif not sweep and delta > 0:
        delta -= 2 * math.pi
    pieces = max(1, math.ceil(abs(delta) / (math.pi / 2) - 1e-9))
    return _arc_cubics((cx, cy), rx, ry, cos, sin, theta, delta / pieces, pieces, p1)


def _arc_cubics(centre: Point, rx: float, ry: float, cos: float, sin: float, theta: float, step: float,
                pieces: int, end: Point) -> list[PathStep]:
    """`pieces` cubics of `step` radians each along the ellipse, the last ending exactly at `end`."""
    k = 4 / 3 * math.tan(step / 4)

    def point(angle: float, dx: float = 0.0, dy: float = 0.0) -> Point:
        # The point at `angle` plus an offset (dx, dy) in the ellipse's unrotated frame, then rotated.
        ex, ey = rx * math.cos(angle) + dx, ry * math.sin(angle) + dy
        return (centre[0] + cos * ex - sin * ey, centre[1] + sin * ex + cos * ey)

    steps = []
    for i in range(pieces):
        a, b = theta + i * step, theta + (i + 1) * step
        c1 = point(a, -k * rx * math.sin(a), k * ry * math.cos(a))
        c2 = point(b, k * rx * math.sin(b), -k * ry * math.cos(b))
        steps.append(PathStep("C", (c1, c2, end if i == pieces - 1 else point(b))))
    return steps


def ellipse_steps(cx: float, cy: float, rx: float, ry: float) -> tuple[PathStep, ...]:
    """A closed ellipse (a circle when rx = ry) as four quarter cubics, clockwise from its rightmost point."""
    if rx <= 0 or ry <= 0:
        return ()
    kx, ky = KAPPA * rx, KAPPA * ry
    e, s, w, n = (cx + rx, cy), (cx, cy + ry), (cx - rx, cy), (cx, cy - ry)
    return (PathStep("M", (e,)),
            PathStep("C", ((e[0], e[1] + ky), (s[0] + kx, s[1]), s)),
            PathStep("C", ((s[0] - kx, s[1]), (w[0], w[1] + ky), w)),
            PathStep("C", ((w[0], w[1] - ky), (n[0] - kx, n[1]), n)),
            PathStep("C", ((n[0] + kx, n[1]), (e[0], e[1] - ky), e)),
            PathStep("Z"))


def rect_steps(x: float, y: float, width: float, height: float, rx: float = 0.0,
               ry: float | None = None) -> tuple[PathStep, ...]:
    """A closed rectangle, its corners rounded by rx, ry (ry is rx unless given; each clamped to half the side,
    as SVG does)."""
    if width <= 0 or height <= 0:
        return ()
    ry = rx if ry is None else ry
    rx, ry = min(max(rx, 0.0), width / 2), min(max(ry, 0.0), height / 2)
    right, bottom = x + width, y + height
    if rx == 0 or ry == 0:
        corners = ((x, y), (right, y), (right, bottom), (x, bottom))
        return (PathStep("M", (corners[0],)), *(PathStep("L", (c,)) for c in corners[1:]), PathStep("Z"))
    kx, ky = KAPPA * rx, KAPPA * ry
    return (PathStep("M", ((x + rx, y),)),
            PathStep("L", ((right - rx, y),)),
            PathStep("C", ((right - rx + kx, y), (right, y + ry - ky), (right, y + ry))),
            PathStep("L", ((right, bottom - ry),)),
            PathStep("C", ((right, bottom - ry + ky), (right - rx + kx, bottom), (right - rx, bottom))),
            PathStep("L", ((x + rx, bottom),)),
            PathStep("C", ((x + rx - kx, bottom), (x, bottom - ry + ky), (x, bottom - ry))),
            PathStep("L", ((x, y + ry),)),
            PathStep("C", ((x, y + ry - ky), (x + rx - kx, y), (x + rx, y))),
            PathStep("Z"))
