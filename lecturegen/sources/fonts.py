"""Load layer: find the font files that stand for a family here and load them into memory for measuring.

The compiler measures text with these objects and never opens a file itself. A family is measured with
its own file when installed, else with a metric-compatible twin (Carlito for Calibri …), else with the font
fontconfig puts in its place (what LibreOffice shows here), else with estimated widths; `check` says which.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
from pathlib import Path
from typing import Any, NamedTuple

from lecturegen.model.style import FontFace, PrintFaces

# PowerPoint's fonts → free fonts with the same advance widths, as LibreOffice substitutes them.
METRIC_COMPATIBLE = {
    "calibri": "Carlito",
    "cambria": "Caladea",
    "arial": "Liberation Sans",
    "helvetica": "Liberation Sans",
    "arial narrow": "Liberation Sans Narrow",
    "times new roman": "Liberation Serif",
    "times": "Liberation Serif",
    "courier new": "Liberation Mono",
    "consolas": "Liberation Mono",
}


def _faces(stem: str) -> tuple[str, str, str, str]:
    return (f"{stem}-Regular.ttf", f"{stem}-Bold.ttf", f"{stem}-Italic.ttf", f"{stem}-BoldItalic.ttf")


# Theme font → a family a PDF may embed (free licence, the same widths), for printed handouts.
PRINT_SUBSTITUTES: dict[str, tuple[str, str, str, str]] = {
    "calibri": _faces("Carlito"),
    "carlito": _faces("Carlito"),
    "arial": _faces("LiberationSans"),
    "helvetica": _faces("LiberationSans"),
    "liberation sans": _faces("LiberationSans"),
    "times new roman": _faces("LiberationSerif"),
    "liberation serif": _faces("LiberationSerif"),
    "cambria": _faces("Caladea"),
}
_PRINT_FALLBACK = PRINT_SUBSTITUTES["arial"]
FALLBACK_EM = 0.52  # average advance of a proportional sans font, in ems, when no font file exists
MIN_LINE_HEIGHT = 1.2  # PowerPoint and LibreOffice single spacing for the common fonts
_PITCH_PX = 4096  # the size the line pitch is read at (see `_line_pitch`)
_REFERENCE_PX = 200  # measured at a large size and scaled: hinting would distort small sizes
_PIECE = 10_000  # Pillow refuses strings over a million characters; absurd words are measured in pieces


def font_folders() -> tuple[Path, ...]:
    """Where fonts are installed here: the one list every part of lecturegen uses."""
    home = os.environ.get("HOME")  # never Path.home(): it raises when HOME is unset
    dirs = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]
    if home:
        dirs += [Path(home) / ".fonts", Path(home) / ".local" / "share" / "fonts"]
    return tuple(dirs)


def font_folders_fingerprint() -> list[str]:
    """Installing or removing fonts changes a folder's time: the font folders and their subfolders' times."""
    out = []
    for root in font_folders():
        try:
            out.append(f"{root}:{root.stat().st_mtime_ns}")
            out.extend(f"{p}:{p.stat().st_mtime_ns}" for p in sorted(root.iterdir()) if p.is_dir())
        except OSError:
            continue  # a folder that is not there (or not readable) has no fonts to measure with
    return out


def _fc_match(family: str, bold: bool) -> tuple[str, str] | None:
    """(family found, file) for a pattern, through fontconfig."""
    if not shutil.which("fc-match"):
        return None
    pattern = f"{family}:bold" if bold else family
    import subprocess  # only when a face is looked up, not when the store knows it

    try:
        out = subprocess.run(["fc-match", "-f", "%{family}|%{file}", pattern], capture_output=True, text=True,
                             timeout=5, check=False, env={**os.environ, "LC_ALL": "C.UTF-8"}).stdout
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return None
    if "|" not in out:
        return None
    found, file = out.split("|", 1)
    return (found.split(",")[0].strip(), file.strip()) if Path(file.strip()).is_file() else None


def _installed(family: str, bold: bool) -> str | None:
    hit = _fc_match(family, bold)
    if hit is not None and hit[0].lower() == family.lower():
        return hit[1]
    stem = family.replace(" ", "") + ("-Bold" if bold else "-Regular")
    for folder in font_folders():
        if folder.is_dir():
            for path in folder.rglob(f"{stem}.ttf"):
                return str(path)
    return None


@functools.lru_cache(maxsize=32)
def find_face(family: str) -> FontFace:
    """Which file measures a family here, and how faithfully."""
    regular = _installed(family, False)
    if regular is not None:
        return FontFace(family, family, "exact", regular, _installed(family, True) or regular)
    twin = METRIC_COMPATIBLE.get(family.lower())
    if twin is not None:
        regular = _installed(twin, False)
        if regular is not None:
            return FontFace(family, twin, "metric-compatible", regular, _installed(twin, True) or regular)
    hit = _fc_match(family, False)
    if hit is not None:
        bold = _fc_match(family, True)
        return FontFace(family, hit[0], "substitute", hit[1], bold[1] if bold else hit[1])
    return FontFace(family, family, "estimated")


class FontMeasures(NamedTuple):
    """What a face measured in earlier builds (the store keeps it): its line pitch and the widths it gave."""

    line_height: float
    widths: dict[tuple[str, bool], float]  # (text, bold) → advance width in ems


class LoadedFont:
    """A face with its files read into memory: widths in points and the line pitch, for the compiler.

    With `known` (what this face measured before), a width measured before is not measured again and Pillow
    loads the face only for a text it has not measured: a rebuild that meets no new word neither imports
    Pillow nor parses a font (10 ms of a 200 ms rebuild). The files are read here, never later."""

    def __init__(self, face: FontFace, known: FontMeasures | None = None):
        self.face = face
        # Into memory now, held here: the compiler measures without touching a file.
        self._files = {path: _readable(path) for path in (face.regular, face.bold) if path}
        self._pil: tuple[Any, Any] | None = None
        self._cache: dict[tuple[str, bool], float] = dict(known.widths) if known is not None else {}
        self.measured_now = 0  # widths Pillow gave in this process, which `known` did not hold
        if known is not None:
            self.line_height = known.line_height
        else:
            self.line_height = max(MIN_LINE_HEIGHT, _line_pitch(face.regular)) if face.regular else MIN_LINE_HEIGHT

    @property
    def exact_metrics(self) -> bool:
        return self.face.quality in ("exact", "metric-compatible")

    def measures(self) -> FontMeasures:
        """Everything measured so far, for the next build."""
        return FontMeasures(self.line_height, dict(self._cache))

    def _fonts(self) -> tuple[Any, Any]:
        """Pillow's regular and bold faces, loaded at the first width not known."""
        if self._pil is None:
            regular = _pil_font(self._files.get(self.face.regular or ""))
            bold = _pil_font(self._files.get(self.face.bold)) if self.face.bold else regular
            self._pil = (regular, bold)
        return self._pil

    def em_width(self, text: str, bold: bool = False) -> float:
        """Advance width of the text in ems (multiply by the size in points for points)."""
        key = (text, bold)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        regular, heavy = self._fonts()
        font = heavy if bold else regular
        if font is None:
            value = len(text) * FALLBACK_EM * (1.07 if bold else 1.0)
        else:
            try:
                total = sum(font.getlength(text[i:i + _PIECE]) for i in range(0, len(text), _PIECE)) if text else 0.0
                value = total / _REFERENCE_PX
            except (RuntimeError, ValueError, OSError):
                # The shaping engine refuses some strings (lone control characters): estimate those.
                value = len(text) * FALLBACK_EM * (1.07 if bold else 1.0)
        if len(self._cache) < 200_000:
            self._cache[key] = value
            self.measured_now += 1
        return value

    def width(self, text: str, size_pt: float, bold: bool = False) -> float:
        return self.em_width(text, bold) * size_pt


@functools.lru_cache(maxsize=16)
def _font_bytes(path: str) -> bytes:
    return Path(path).read_bytes()


def _readable(path: str) -> bytes | None:
    try:
        return _font_bytes(path)
    except OSError:
        return None  # unreadable: measured with estimated widths


def _pil_font(data: bytes | None):  # type: ignore[no-untyped-def]
    """Pillow's face from a font file's bytes (None for none, or for bytes that are not a font)."""
    if data is None:
        return None
    from PIL import ImageFont

    try:
        return ImageFont.truetype(io.BytesIO(data), _REFERENCE_PX)
    except OSError:
        return None


@functools.lru_cache(maxsize=16)
def _line_pitch(path: str) -> float:
    """Ascender + descender + line gap over units per em (FreeType's line height, read through Pillow).

    Asked at 4,096 px, where a 1,000- or 2,048-unit em is a whole number of pixels, so the rounding to pixels
    that Pillow reports costs nothing."""
    from PIL import ImageFont

    try:
        font = ImageFont.truetype(io.BytesIO(_font_bytes(path)), _PITCH_PX)
    except OSError:
        return MIN_LINE_HEIGHT
    return font.font.height / _PITCH_PX


@functools.lru_cache(maxsize=32)
def print_faces(theme_font: str) -> PrintFaces | None:
    """The files a PDF handout embeds for this theme font (its free twin, else Liberation Sans); None when
    neither is installed (the handout then uses a standard PDF font)."""
    for names in (PRINT_SUBSTITUTES.get(theme_font.strip().lower()), _PRINT_FALLBACK):
        if names is None:
            continue
        found = [_font_file(name) for name in names]
        regular = found[0]
        if regular is not None:
            files = tuple(str(path or regular) for path in found)
            return PrintFaces(theme_font, (files[0], files[1], files[2], files[3]))
    return None


def _font_file(name: str) -> Path | None:
    for folder in font_folders():
        if folder.is_dir():
            for path in sorted(folder.rglob(name)):
                return path
    return None


@functools.lru_cache(maxsize=32)
def load_font(family: str, face: FontFace | None = None) -> LoadedFont:
    """The family loaded for measuring; `face` when the caller already knows which files stand for it."""
    return LoadedFont(face or find_face(family))
