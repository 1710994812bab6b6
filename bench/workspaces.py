"""Benchmark: throwaway workspaces (copies, 300- and 1,000-slide talks), one-word edits, chart pictures."""

from __future__ import annotations

import re
import shutil
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import yaml

from lecturegen.compile.kinds import OUTLINE_KINDS
from lecturegen.diagnostics import Diagnostics
from lecturegen.sources.outline import load_talk
from lecturegen.sources.specs import SlideSpec, TalkSpec
from lecturegen.workspace import Workspace

from twin import chart_key, kept_sections

# What a workspace is made of (DESIGN.md, "The workspace"); build/ is deliberately not copied.
WORKSPACE_PARTS = ("content", "themes", "bibliography.bib")
_NS = {
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


class BenchError(Exception):
    """The benchmark cannot go on (a build failed, a talk does not load)."""


def copy_workspace(source: Path, dest: Path) -> Workspace:
    """A copy of the workspace at `source` (never its build/), so runs cannot touch the repository."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in WORKSPACE_PARTS:
        path = source / part
        if path.is_dir():
            shutil.copytree(path, dest / part)
        elif path.is_file():
            shutil.copy2(path, dest / part)
    if not (dest / "content" / "talks").is_dir():
        raise BenchError(f"{source} is not a workspace (no content/talks/)")
    return Workspace(dest)


def load(workspace: Workspace, name: str) -> TalkSpec:
    diags = Diagnostics()
    talk = load_talk(workspace, name, diags, kinds=OUTLINE_KINDS)
    if talk is None or diags.has_errors:
        problems = "\n".join(d.render() for d in diags.sorted())
        raise BenchError(f"talk '{name}' does not load in {workspace.root}:\n{problems}")
    return talk


def deck_slides(talk: TalkSpec) -> int:
    """Slides the talk's outline asks for (title, agenda, section headers, slides), before references."""
    sections = kept_sections(talk)
    return 1 + int(talk.agenda) + sum(len(s.slides) + int(s.header and bool(s.slides)) for s in sections)


_ROOM = 20  # slides left for references and continuations under the asked-for size


def scaled_talk(workspace: Workspace, talk: TalkSpec, slides: int) -> str:
    """A copy of `talk` with its sections repeated under new names until it has about `slides` slides.

    Copies are `NAME-rK.yaml` with every slide id suffixed `-rK` (ids must stay unique); the talk file
    keeps everything else, with its slot scaled so that the timing plan stays plausible.
    """
    talk_file = workspace.talks_dir / f"{talk.name}.yaml"
    data = yaml.safe_load(talk_file.read_text(encoding="utf-8"))
    entries = list(data["sections"])
    base = deck_slides(talk)
    per_entry = _slides_per_entry(talk)
    if len(per_entry) != len(entries) or not any(per_entry):
        raise BenchError(f"talk '{talk.name}' has sections the benchmark cannot repeat")
    chosen: list[object] = []
    total = base
    repeat = 1
    # Room for what the outline does not count: reference slides and "(cont.)" continuations. Past 1,000
    # slides a deck is refused (`outline.too-large`), so the 1,000-slide talk must stay just under it.
    limit = slides - _ROOM
    while total < limit:
        repeat += 1
        added = False
        for entry, count in zip(entries, per_entry):
            if total + count > limit:
                continue
            chosen.append(_renamed_entry(workspace, entry, repeat))
            total += count
            added = True
        if not added:
            break
    name = f"{talk.name}-{slides}"
    data["sections"] = entries + chosen
    data["slot"] = round(float(data.get("slot", talk.slot)) * total / base)
    (workspace.talks_dir / f"{name}.yaml").write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")
    return name


def _slides_per_entry(talk: TalkSpec) -> list[int]:
    out = []
    for section in talk.sections:
        kept = 0 if section.audiences else sum(1 for s in section.slides if not s.audiences)
        out.append(kept + int(section.header and kept > 0))
    return out


def _renamed_entry(workspace: Workspace, entry: object, repeat: int) -> object:
    """The talk's section entry for copy number `repeat`, writing the renamed section file it uses."""
    if isinstance(entry, str):
        return _copy_section(workspace, entry, repeat)
    if isinstance(entry, dict) and "use" in entry:
        return {**entry, "use": _copy_section(workspace, str(entry["use"]), repeat)}
    if isinstance(entry, dict):
        return _renamed_ids(entry, repeat)
    raise BenchError(f"unexpected section entry {entry!r}")


def _copy_section(workspace: Workspace, name: str, repeat: int) -> str:
    new = f"{name}-r{repeat}"
    data = yaml.safe_load((workspace.sections_dir / f"{name}.yaml").read_text(encoding="utf-8"))
    (workspace.sections_dir / f"{new}.yaml").write_text(
        yaml.safe_dump(_renamed_ids(data, repeat), sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")
    return new


def _renamed_ids(section: dict[str, object], repeat: int) -> dict[str, object]:
    out = dict(section)
    if "id" in out:
        out["id"] = f"{out['id']}-r{repeat}"
    slides = out.get("slides")
    if isinstance(slides, list):
        out["slides"] = [{**s, "id": f"{s['id']}-r{repeat}"} if isinstance(s, dict) and "id" in s else s
                         for s in slides]
    return out


# -- one-word edits ---------------------------------------------------------------------------------------

# Replacement words: a different one for every run, so that no build can be answered from the cache of
# an earlier run (the whole-build cache keeps more than one entry).
_WORDS = ("notable", "careful", "gradual", "marked", "steady", "lasting", "genuine", "subtle", "vivid", "patient",
          "candid", "modest", "gentle", "honest", "mutual", "serious", "simple", "bright", "open", "quiet",
          "ready", "sound", "warm", "plain", "clear", "broad", "close", "deep", "fresh", "whole")


@dataclass
class OneWordEdit:
    """Changes one word of one bullet, in its section file and in the twin, to a new word each time."""

    section_file: Path
    line_index: int  # 0-based line of the bullet in the section file
    column: int  # 0-based column where the bullet's text starts on that line
    twin_file: Path
    twin_line: str  # the bullet's line in the twin as generated
    word: str

    def __post_init__(self) -> None:
        self._source_count = 0
        self._twin_count = 0
        self._section_text = self.section_file.read_text(encoding="utf-8")
        self._twin_text = self.twin_file.read_text(encoding="utf-8")

    def edit_source(self) -> str:
        """Write the next word into the section file; returns it."""
        self._source_count += 1
        new = _word(self._source_count)
        lines = self._section_text.split("\n")
        line = lines[self.line_index]
        lines[self.line_index] = line[:self.column] + _replace_word(line[self.column:], self.word, new)
        self.section_file.write_text("\n".join(lines), encoding="utf-8")
        return new

    def edit_twin(self) -> str:
        """Write the next word into the twin (its own count: pandoc may run first in a pair)."""
        self._twin_count += 1
        new = _word(self._twin_count)
        edited = self._twin_text.replace(self.twin_line, _replace_word(self.twin_line, self.word, new), 1)
        self.twin_file.write_text(edited, encoding="utf-8")
        return new

    def edit_both(self) -> str:
        self.edit_twin()
        return self.edit_source()

    def restore(self) -> None:
        """Put the original word back (the next scenario starts from the talk as written)."""
        self.section_file.write_text(self._section_text, encoding="utf-8")
        self.twin_file.write_text(self._twin_text, encoding="utf-8")


def _word(count: int) -> str:
    return _WORDS[(count - 1) % len(_WORDS)] + "ly" * ((count - 1) // len(_WORDS))


def _replace_word(text: str, old: str, new: str) -> str:
    return re.sub(rf"\b{re.escape(old)}\b", new, text, count=1)


def one_word_edit(workspace: Workspace, talk: TalkSpec, twin_file: Path,
                  render_line: Callable[[str], str]) -> OneWordEdit:
    """Picks a word to edit: in a bullet of the middle section, a word that occurs once in the bullet, the
    file line and the twin, outside any citation."""
    sections = [s for s in kept_sections(talk) if any(sl.kind == "bullets" for sl in s.slides)]
    if not sections:
        raise BenchError(f"talk '{talk.name}' has no bullet slide to edit")
    ordered = sections[len(sections) // 2:] + sections[:len(sections) // 2]
    twin = twin_file.read_text(encoding="utf-8")
    for section in ordered:
        for slide in (s for s in section.slides if s.kind == "bullets"):
            for bullet in getattr(slide.content, "bullets", ()):
                found = _edit_for(workspace, bullet.text.text, bullet.text.location.path,
                                  bullet.text.location.line, bullet.text.location.col, twin, twin_file, render_line)
                if found is not None:
                    return found
    raise BenchError(f"found no word to edit in talk '{talk.name}'")


def _edit_for(workspace: Workspace, text: str, path: str, line: int, col: int, twin: str, twin_file: Path,
              render_line: Callable[[str], str]) -> OneWordEdit | None:
    if not line or not col:
        return None
    file = workspace.root / path
    lines = file.read_text(encoding="utf-8").split("\n")
    source = lines[line - 1][col - 1:]
    twin_line = render_line(text)
    if twin.count(twin_line) != 1:
        return None
    plain = re.sub(r"\[[^\]]*\]|@\S+", " ", text)
    for word in re.findall(r"\b[A-Za-z]{5,}\b", plain):
        pattern = rf"\b{re.escape(word)}\b"
        if all(len(re.findall(pattern, t)) == 1 for t in (text, source, twin_line)) and word not in _WORDS:
            return OneWordEdit(file, line - 1, col - 1, twin_file, twin_line, word)
    return None


# -- chart pictures ---------------------------------------------------------------------------------------

def pictures_for_twin(deck: Path, talk: TalkSpec, out_dir: Path) -> dict[str, Path]:
    """The chart PNGs of a deck lecturegen built, saved under `out_dir`, keyed by `twin.chart_key`.

    Chart slides of the talk (in order) are matched to deck slides with a picture by title; a chart the
    deck has no picture for gets a plain placeholder of the same pixel size as the others.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    deck_pictures = _deck_pictures(deck)
    charts = [s for sec in kept_sections(talk) for s in sec.slides if s.kind == "chart"]
    found: dict[str, Path] = {}
    cursor = 0
    with zipfile.ZipFile(deck) as package:
        for index, slide in enumerate(charts):
            key = chart_key(slide)
            if key in found:
                continue
            title = slide.title.text if slide.title else ""
            match = next((i for i in range(cursor, len(deck_pictures)) if deck_pictures[i][0] == title), None)
            if match is None:
                continue
            cursor = match + 1
            target = out_dir / f"chart-{index + 1}.png"
            target.write_bytes(package.read(deck_pictures[match][1]))
            found[key] = target
    size = _png_size(next(iter(found.values()))) if found else (2000, 1125)
    for index, slide in enumerate(charts):
        key = chart_key(slide)
        if key not in found:
            target = out_dir / f"chart-{index + 1}.png"
            target.write_bytes(_placeholder_png(*size))
            found[key] = target
    return found


def _deck_pictures(deck: Path) -> list[tuple[str, str]]:
    """(title, largest PNG part) of every slide with a picture, in presentation order."""
    out: list[tuple[str, str]] = []
    with zipfile.ZipFile(deck) as package:
        presentation = ElementTree.fromstring(package.read("ppt/presentation.xml"))
        targets = _relationships(package, "ppt/_rels/presentation.xml.rels", "ppt")
        for slide_id in presentation.iterfind("p:sldIdLst/p:sldId", _NS):
            part = targets[slide_id.get(f"{{{_NS['r']}}}id", "")]
            xml = ElementTree.fromstring(package.read(part))
            folder, name = part.rsplit("/", 1)
            rels = _relationships(package, f"{folder}/_rels/{name}.rels", folder)
            title = ""
            for shape in xml.iter(f"{{{_NS['p']}}}sp"):
                ph = shape.find("p:nvSpPr/p:nvPr/p:ph", _NS)
                if ph is not None and ph.get("type") in ("title", "ctrTitle"):
                    title = "".join(t.text or "" for t in shape.iter(f"{{{_NS['a']}}}t"))
                    break
            pngs = [rels[blip.get(f"{{{_NS['r']}}}embed", "")] for blip in xml.iter(f"{{{_NS['a']}}}blip")]
            pngs = [p for p in pngs if p.endswith(".png")]
            if pngs:
                out.append((title, max(pngs, key=lambda p: package.getinfo(p).file_size)))
    return out


def _relationships(package: zipfile.ZipFile, rels_part: str, folder: str) -> dict[str, str]:
    if rels_part not in package.namelist():
        return {}
    out = {}
    for rel in ElementTree.fromstring(package.read(rels_part)).iterfind("rel:Relationship", _NS):
        target = rel.get("Target", "")
        parts = (target.lstrip("/") if target.startswith("/") else f"{folder}/{target}").split("/")
        resolved: list[str] = []
        for piece in parts:
            if piece == "..":
                resolved.pop()
            elif piece not in (".", ""):
                resolved.append(piece)
        out[rel.get("Id", "")] = "/".join(resolved)
    return out


def _png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


def _placeholder_png(width: int, height: int) -> bytes:
    """A light grey PNG (no drawing library needed) for a chart the deck drew natively."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + b"\xee" * width
    pixels = zlib.compress(row * height, 6)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def without_native_charts(workspace: Workspace) -> None:
    """Asks for every chart as a picture (`native: false`), for the copy that draws the twin's PNGs."""
    for file in workspace.sections_dir.glob("*.yaml"):
        text = file.read_text(encoding="utf-8")
        changed = re.sub(r"\bnative:\s*true\b", "native: false", text)
        if changed != text:
            file.write_text(changed, encoding="utf-8")


def chart_sources(workspace: Workspace) -> Callable[[SlideSpec], list[str]]:
    """The citation keys a chart's dataset names as its source (its provenance file's `source:`)."""
    cache: dict[str, list[str]] = {}

    def sources(slide: SlideSpec) -> list[str]:
        chart = getattr(slide.content, "chart", None)
        name = chart.data if chart is not None else None
        if not name:
            return []
        if name not in cache:
            file = workspace.data_dir / f"{name}.yaml"
            data = yaml.safe_load(file.read_text(encoding="utf-8")) if file.is_file() else None
            source = data.get("source") if isinstance(data, dict) else None
            cache[name] = [str(k) for k in source] if isinstance(source, list) else [str(source)] if source else []
        return cache[name]

    return sources
