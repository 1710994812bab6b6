"""Benchmark: the pandoc markdown twin of a talk, written from the load layer's specs (not from a built deck).

The twin carries what the deck carries: the title slide, the agenda, a header slide per section, every
slide's title and body text (bullets, columns, quotes, statements, tables, exercises), the speaker notes
(`::: notes`), the same citations as pandoc `[@key]` (lecturegen's inline syntax is pandoc's), chart
pictures as images, and the reference list where lecturegen puts it. It reads only `lecturegen.sources`,
so it does not depend on the compile and render layers that are being rewritten.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from lecturegen.compile.kinds.statement import StatementSpec
from lecturegen.sources.specs import BulletSpec, ColumnSpec, SectionSpec, SlideSpec, TalkSpec, TextSpec

# Tokens lecturegen and pandoc read the same way: they are copied verbatim. Everything else is escaped,
# so that pandoc does not find markdown (lists, headings, maths, superscripts) in plain text.
_KEY = r"[A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*?"
_SHARED_TOKEN = re.compile(
    r"(?P<escape>\\[\\*@\[\]_])"
    r"|(?P<link>\[[^\]\[]+\]\([^)\s]+\))"
    r"|(?P<cite>\[[^\]\[]*-?@[^\]\[]*\])"
    r"|(?P<bold>\*\*.+?\*\*)"
    r"|(?P<italic>(?<![\w*])\*[^*\s](?:[^*]*[^*\s])?\*(?![\w*]))"
    rf"|(?P<narrative>(?<![\w@.\\])@{_KEY}(?=[\s,;:!?)\]'’\"]|\.(?:\s|$)|$))",
    re.DOTALL,
)
_CITED_KEY = re.compile(rf"(?<![\w@.\\])-?@({_KEY})(?=[\s,;:!?)\]'’\"]|\.(?:\s|$)|$)")
_ESCAPED = re.compile(r"([\\`$~^<>|#_&{}=])")
_LINE_START = re.compile(r"^(?:[-+*:](?=\s|$)|\d+(?=[.)]))")
_JINJA = re.compile(r"{{|{%")


@dataclass(frozen=True)
class Twin:
    """The twin's markdown and what the benchmark needs to edit it like the workspace."""

    markdown: str
    slides: int  # slides the twin asks pandoc for (the references may spill over in the deck)
    images: tuple[str, ...]  # chart image keys, in slide order


class _Fields:
    """A slide spec read as one record: the common fields from `SlideSpec`, the rest from its kind's own spec
    (`SlideSpec.content`, compile/kinds/), so that the twin reads every kind by the outline's key names."""

    def __init__(self, spec: SlideSpec):
        self._spec = spec

    def __getattr__(self, name: str) -> Any:
        spec = object.__getattribute__(self, "_spec")
        if name in ("kind", "title", "notes", "location", "audiences", "content"):
            return getattr(spec, name)
        value = getattr(spec.content, name, None)
        if name == "image" and value is not None:  # an ImageRef: the path as written
            return value.display or value.path
        return value


def chart_key(slide: SlideSpec) -> str:
    """Names a chart picture by what it shows, so repeated copies of a section share one picture."""
    chart = getattr(slide.content, "chart", None)
    title = slide.title.text if slide.title else ""
    if chart is None:
        return title
    return "|".join((title, chart.type, chart.data or "", chart.x or "", ",".join(chart.y)))


def kept_sections(talk: TalkSpec) -> list[SectionSpec]:
    """The sections and slides a build without `--audience` keeps (audience-only material is left out)."""
    out: list[SectionSpec] = []
    for section in talk.sections:
        if section.audiences:
            continue
        out.append(replace(section, slides=tuple(s for s in section.slides if not s.audiences)))
    return out


def inline(text: str, expand: Callable[[str], str] = lambda s: s) -> str:
    """One line of user text as pandoc inline markdown: shared markup kept, the rest escaped."""
    text = " ".join(expand(text).split())
    out: list[str] = []
    pos = 0
    for match in _SHARED_TOKEN.finditer(text):
        out.append(_ESCAPED.sub(r"\\\1", text[pos:match.start()]))
        out.append(match.group())
        pos = match.end()
    out.append(_ESCAPED.sub(r"\\\1", text[pos:]))
    line = "".join(out)
    start = _LINE_START.match(line)
    if start:
        # "1. First" or "- item" written as text must stay text, not become a list.
        end = start.end()
        line = line[:end] + "\\" + line[end:] if line[end:end + 1] in ".)" else "\\" + line
    return line


def cited_keys(texts: Iterable[str]) -> list[str]:
    """Citation keys in first-use order, for the deck's 'Sources:' lines."""
    keys: dict[str, None] = {}
    for text in texts:
        for key in _CITED_KEY.findall(text):
            keys.setdefault(key, None)
    return list(keys)


class _Writer:
    def __init__(self, talk: TalkSpec, image_path: Callable[[SlideSpec], str],
                 chart_sources: Callable[[SlideSpec], Sequence[str]]) -> None:
        self.talk = talk
        self.image_path = image_path
        self.chart_sources = chart_sources
        self.lines: list[str] = []
        self.slides = 0
        self.images: list[str] = []
        self._variables = {
            "talk": {"title": talk.title.text, "subtitle": talk.subtitle.text if talk.subtitle else "",
                     "presenter": talk.presenter, "affiliation": talk.affiliation, "date": talk.date,
                     "slot": talk.slot},
            "event": {"name": "", "organiser": "", "venue": "", "date": "", **talk.event},
            "audience": {"name": "", "title": ""},
        }

    # -- text ---------------------------------------------------------------------------------------------
    def expand(self, text: str) -> str:
        """`{{ talk.title }}` and friends, as the deck expands them (jinja's sandbox; text kept on error)."""
        if not _JINJA.search(text):
            return text
        from jinja2.sandbox import SandboxedEnvironment

        try:
            return SandboxedEnvironment().from_string(text).render(**self._variables)
        except Exception:  # a template error is the deck's to report; the twin keeps the text
            return text

    def md(self, spec: TextSpec | None) -> str:
        return inline(spec.text, self.expand) if spec else ""

    def paragraphs(self, spec: TextSpec | None) -> list[str]:
        if spec is None:
            return []
        chunks = re.split(r"\n\s*\n", spec.text.strip())
        return [inline(chunk, self.expand) for chunk in chunks if chunk.strip()]

    # -- blocks -------------------------------------------------------------------------------------------
    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def block(self, *lines: str) -> None:
        self.blank()
        self.lines.extend(lines)

    def heading(self, title: str, level: int = 2) -> None:
        self.slides += 1
        self.block(f"{'#' * level} {title or ' '}")

    def bullets(self, items: Sequence[BulletSpec], ordered: bool = False, depth: int = 0) -> None:
        if depth == 0:
            self.blank()
        for index, item in enumerate(items):
            marker = f"{index + 1}." if ordered and depth == 0 else "-"
            self.lines.append(f"{'    ' * depth}{marker} {self.md(item.text)}")
            self.bullets(item.children, depth=depth + 1)

    def column(self, column: ColumnSpec | None, last_line: str = "") -> None:
        self.block("::: column")
        if column is not None:
            if column.heading:
                self.block(f"**{self.md(column.heading)}**")
            self.bullets(column.bullets)
        if last_line:
            self.block(last_line)
        self.block(":::")

    def notes(self, paragraphs: Sequence[str]) -> None:
        if paragraphs:
            self.block("::: notes")
            for paragraph in paragraphs:
                self.block(paragraph)
            self.block(":::")

    def sources(self, keys: Sequence[str]) -> str:
        """The deck's source line, 'Sources: Cooper (2005); Knox and Cooper (2010)', as narrative citations."""
        if not keys:
            return ""
        return f"{'Sources' if len(keys) > 1 else 'Source'}: " + "; ".join(f"@{k}" for k in keys)

    # -- slides -------------------------------------------------------------------------------------------
    def title_slide(self, bibliography: bool) -> None:
        talk = self.talk
        who = ", ".join(p for p in (talk.presenter, talk.affiliation) if p)
        meta = ["---", f"title: {_yaml_string(self.md(talk.title))}"]
        if talk.subtitle:
            meta.append(f"subtitle: {_yaml_string(self.md(talk.subtitle))}")
        if who:
            meta.append(f"author: {_yaml_string(inline(who))}")
        date = talk.event.get("date") or talk.date
        if date:
            meta.append(f"date: {_yaml_string(inline(date))}")
        if talk.locale:
            meta.append(f"lang: {talk.locale}")
        if not bibliography:
            meta.append("suppress-bibliography: true")
        meta.append("---")
        self.lines.extend(meta)
        self.slides += 1

    def agenda(self, sections: Sequence[SectionSpec]) -> None:
        self.heading("Agenda")
        self.blank()
        for section in sections:
            if section.header and section.slides:
                self.lines.append(f"- {self.md(section.title)}")

    def references(self) -> None:
        self.heading("References")
        self.block("::: {#refs}", ":::")

    def section_header(self, section: SectionSpec) -> None:
        title = self.md(section.title)
        # pandoc's section-header slides hold a title only: a summary makes it a title-and-content slide,
        # which keeps the slide count and the text the same as the deck's.
        self.heading(title, level=2 if section.summary else 1)
        if section.summary:
            self.block(self.md(section.summary))
        self.notes([inline(f"Section: {self.expand(section.title.text)}.")])

    def slide(self, written: SlideSpec, section: SectionSpec, sections: Sequence[SectionSpec]) -> None:
        spec: Any = _Fields(written)
        kind = written.kind
        if kind == "references":
            self.references()
            return
        if kind == "agenda":
            self.agenda(sections)
            return
        title = self.md(spec.title) if spec.title else self.md(section.title)
        self.heading(title)
        visible: list[str] = [spec.title.text] if spec.title else []
        # Text after columns or a table would start a new slide in pandoc: there the source line goes inside.
        source_inside = kind in ("two-column", "comparison", "table")

        def text(value: TextSpec | None, wrap: str = "") -> None:
            if value is not None:
                visible.append(value.text)
                self.block(f"{wrap}{self.md(value)}{wrap}")

        if kind in ("title", "section", "break"):
            text(spec.subtitle)
        elif kind == "bullets":
            self.bullets(spec.bullets)
            visible.extend(_all_text(spec.bullets))
            text(spec.caption)
        elif kind == "quote":
            if spec.quote is not None:
                visible.append(spec.quote.text)
                self.block(f"> {self.md(spec.quote)}")
            if spec.attribution is not None:
                visible.append(spec.attribution.text)
                self.lines.extend([">", f"> — {self.md(spec.attribution)}"])
        elif kind == "statement" and isinstance(written.content, StatementSpec):
            # A registered kind (compile/kinds/statement.py): its words are in its own spec.
            text(spec.content.statement, wrap="**")
            text(spec.content.caption)
        elif kind in ("two-column", "comparison"):
            for column in (spec.left, spec.right):
                if column is not None:
                    visible.extend(([column.heading.text] if column.heading else []) + _all_text(column.bullets))
            line = self.sources(cited_keys(visible)) if self.talk.source_lines else ""
            self.block(":::::: columns")
            self.column(spec.left)
            self.column(spec.right, line)
            self.block("::::::")
        elif kind == "image":
            caption = spec.caption or spec.alt
            if caption is not None:
                visible.append(caption.text)
            if spec.image:
                self.block(f"![{self.md(caption)}]({spec.image})")
        elif kind == "table":
            visible.extend(c.text for c in spec.columns)
            visible.extend(c.text for row in spec.rows for c in row)
            if spec.caption is not None:
                visible.append(spec.caption.text)
            self.table(spec, self.sources(cited_keys(visible)) if self.talk.source_lines else "")
        elif kind in ("exercise", "discussion"):
            # The grouping as the outline names it ("pairs"): the deck's label for it ("In pairs") is compile's.
            grouping = spec.grouping or ""
            minutes = f"{spec.minutes:g} min" if spec.minutes is not None else ""
            badge = " · ".join(b for b in (grouping, minutes) if b)
            if badge:
                self.block(f"**{inline(badge)}**")
            self.bullets(spec.instructions, ordered=kind == "exercise")
            visible.extend(_all_text(spec.instructions))
        elif kind == "closing":
            for paragraph in self.paragraphs(spec.message):
                self.block(paragraph)
            text(spec.contact)
        elif kind == "chart":
            key = chart_key(written)
            self.images.append(key)
            caption = self.md(spec.caption)
            source = self.sources(self.chart_sources(written))
            self.block(f"![{' '.join(p for p in (caption, source) if p)}]({self.image_path(written)})")
        if self.talk.source_lines and kind != "chart" and not source_inside:
            line = self.sources(cited_keys(visible))
            if line:
                self.block(line)
        self.notes(self.paragraphs(spec.notes))

    def table(self, spec: Any, source_line: str) -> None:
        width = max([len(spec.columns)] + [len(row) for row in spec.rows]) or 1
        header = [self.md(c) for c in spec.columns] + [""] * (width - len(spec.columns))
        self.block("| " + " | ".join(header) + " |", "|" + "---|" * width)
        for row in spec.rows:
            cells = [self.md(c) for c in row] + [""] * (width - len(row))
            self.lines.append("| " + " | ".join(cells) + " |")
        caption = " ".join(p for p in (self.md(spec.caption), source_line) if p)
        if caption:
            self.block(f"Table: {caption}")


def _all_text(items: Sequence[BulletSpec]) -> list[str]:
    out: list[str] = []
    for item in items:
        out.append(item.text.text)
        out.extend(_all_text(item.children))
    return out


def _yaml_string(value: str) -> str:
    """A YAML double-quoted scalar (pandoc reads the metadata's strings as markdown)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def markdown_twin(talk: TalkSpec, image_path: Callable[[SlideSpec], str],
                  chart_sources: Callable[[SlideSpec], Sequence[str]]) -> Twin:
    """The twin of `talk` built without an audience: slides in deck order, references before the closing."""
    writer = _Writer(talk, image_path, chart_sources)
    sections = kept_sections(talk)
    explicit_references = any(s.kind == "references" for sec in sections for s in sec.slides)
    writer.title_slide(bibliography=talk.references or explicit_references)
    if talk.agenda:
        writer.agenda(sections)
    closings = [(i, j) for i, sec in enumerate(sections) for j, s in enumerate(sec.slides) if s.kind == "closing"]
    # The deck puts the reference list before its last closing slide, so the talk ends on "thank you".
    references_before = closings[-1] if talk.references and not explicit_references and closings else None
    for i, section in enumerate(sections):
        if section.header and section.slides:
            writer.section_header(section)
        for j, spec in enumerate(section.slides):
            if (i, j) == references_before:
                writer.references()
            writer.slide(spec, section, sections)
    if talk.references and not explicit_references and references_before is None:
        writer.references()
    writer.blank()
    return Twin("\n".join(writer.lines) + "\n", writer.slides, tuple(writer.images))
