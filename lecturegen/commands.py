"""Command layer: what each CLI verb does, as functions returning data (the CLI only prints)."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from lecturegen.build import (Loaded, Prepared, compile_loaded, default_output, pictures_to_draw, load, prepare,
                             render_deck, store_for)
from lecturegen.records import record
from lecturegen.diagnostics import Diagnostic, Diagnostics, LecturegenError, Location
from lecturegen.store.disk import Store, WriteError, guard_output, write_atomic
from lecturegen.workspace import Workspace, not_a_file

if TYPE_CHECKING:
    from lecturegen.compile.citations import CitationEngine
    from lecturegen.compile.design import DesignRules
    from lecturegen.sources.bibliography import Bibliography
    from lecturegen.store.charts import ChartDrawer


@record(frozen=False)
class BuildReport:
    talk: str
    audience: str | None
    output: Path | None
    output_display: str
    slides: int
    planned: float
    slot: float
    warnings: int
    diagnostics: list[Diagnostic] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    exit_code: int = 0
    summary: str = ""

    @property
    def planned_text(self) -> str:
        """The planned minutes as every command prints them ("60", "59.5")."""
        from lecturegen.compile.timing import format_minutes

        return format_minutes(self.planned)


def offered_audiences(workspace: Workspace, talk: str) -> list[str]:
    """The profiles a talk is offered to (its `audiences:` list), or every profile."""
    from lecturegen.sources.outline import talk_audiences

    offered = talk_audiences(workspace, talk, Diagnostics())
    return [n for n in workspace.audience_names() if not offered or n in offered]


def is_clock_time(value: str) -> bool:
    from lecturegen.compile.timing import parse_clock

    return parse_clock(value) is not None


def input_files(workspace: Workspace, prepared: Prepared | None = None) -> set[Path]:
    """Files a build reads: the outlines, data, images, themes and templates, the bibliography, any style.

    Everything under content/ and themes/ and the workspace's own top-level files, and — once a talk is
    prepared — what it names elsewhere in the workspace: its template, logo, images and .csl style.
    """
    root = workspace.root.resolve()
    out: set[Path] = set()
    for folder in ("content", "themes"):
        base = root / folder
        if base.is_dir():
            out.update(p.resolve() for p in base.rglob("*") if p.is_file())
    for path in root.iterdir() if root.is_dir() else ():
        if path.is_file() and path.suffix.lower() in (".bib", ".bibtex", ".biblatex", ".ris", ".csl", ".yaml", ".yml",
                                                      ".json", ".txt", ".md"):
            out.add(path.resolve())
    if prepared is not None:
        theme = prepared.theme
        named = [theme.template, theme.logo, *(Path(p) for p in prepared.loaded.inputs.images),
                 *(root / relative for relative, _at in prepared.talk.bibliography)]
        out.update(p.resolve() for p in named if p is not None)
        style = _style_file(prepared)
        if style is not None:
            out.add(style)
    return out


def _style_file(prepared: Prepared) -> Path | None:
    """The .csl file the talk's citations are formatted with, when it is a file of the workspace."""
    from lecturegen.sources.citation_style import StyleError, resolve_style

    citations = prepared.citations
    try:
        path = Path(resolve_style(citations.style, citations.base_dir))
    except StyleError:
        return None
    return path.resolve() if path.is_relative_to(prepared.workspace.root.resolve()) else None


def _write_output(workspace: Workspace, target: Path, data: bytes, suffix: str,
                  prepared: Prepared | None = None) -> None:
    """The one way an output reaches the disk: guarded against replacing an input, then written atomically."""
    display = workspace.display(target)
    guard_output(target, suffix, input_files(workspace, prepared), display)
    write_atomic(target, data, display)


def _refuse_early(workspace: Workspace, target: Path, suffix: str, prepared: Prepared | None) -> None:
    """The output guard before the slow work, so a refused path costs a fraction of a second.

    It runs again at the write: the guard there is the one that counts.
    """
    try:
        guard_output(target, suffix, input_files(workspace, prepared), workspace.display(target))
    except WriteError as exc:
        raise _write_error(exc) from None


def _write_error(exc: WriteError, at: str | None = None) -> LecturegenError:
    from lecturegen.diagnostics import Location

    return LecturegenError([Diagnostic("error", str(exc), "output.write", Location(at) if at else None)])


def build_one(workspace: Workspace, talk: str, audience: str | None, output: Path | None, theme: str | None,
              fit: bool, start: str | None, strict: bool, parallel_charts: bool = True,
              use_cache: bool = True) -> BuildReport:
    """Build one deck; when nothing it reads has changed since the last build, reuse that deck."""
    from lecturegen.store.builds import BuildCache, hash_build_inputs
    from lecturegen.workspace import logging_reads

    target = output or default_output(workspace, talk, audience)
    store = store_for(workspace)
    cache = BuildCache(store)
    options = {"talk": talk, "audience": audience, "theme": theme, "fit": fit, "start": start, "strict": strict}
    hashed = hash_build_inputs(workspace.root, options) if use_cache else None
    key = hashed.key if hashed is not None else None
    if key is not None:
        hit = cache.load(key)
        if hit is not None:
            data, stored = hit
            try:
                _write_output(workspace, target, data, ".pptx")
            except WriteError as exc:
                raise _write_error(exc) from None
            return _report_from_cache(stored, target, workspace.display(target))
    with logging_reads() as reads:
        report, built = _build_uncached(workspace, talk, audience, target, theme, fit, start, strict,
                                        parallel_charts, store)
    # Stored only when the build read what its key hashed: a save during the build would poison the entry.
    if hashed is not None and report.exit_code == 0 and built is not None \
            and hashed.match(workspace.root, options, reads):
        cache.store_build(hashed.key, built, _report_to_cache(report))
    return report


def _report_to_cache(report: BuildReport) -> dict[str, object]:
    return {"talk": report.talk, "audience": report.audience, "slides": report.slides, "planned": report.planned,
            "slot": report.slot, "warnings": report.warnings, "dropped": report.dropped,
            "diagnostics": [d.to_json() for d in report.diagnostics], "summary": report.summary,
            "display": report.output_display}


def _report_from_cache(stored: dict, target: Path, display: str) -> BuildReport:
    from lecturegen.diagnostics import Location

    diagnostics = [
        Diagnostic(d["severity"], d["message"], d["code"],
                   Location(d["path"], d["line"] or 0, d["col"] or 0) if d["path"] else None, d["hint"])
        for d in stored["diagnostics"]
    ]
    summary = str(stored["summary"]).replace(f"built {stored['display']}:", f"built {display}:", 1)
    return BuildReport(stored["talk"], stored["audience"], target, display, stored["slides"], stored["planned"],
                       stored["slot"], stored["warnings"], diagnostics, list(stored["dropped"]), 0, summary)


def _build_uncached(workspace: Workspace, talk: str, audience: str | None, target: Path, theme: str | None,
                    fit: bool, start: str | None, strict: bool, parallel_charts: bool,
                    store: Store) -> tuple[BuildReport, bytes | None]:
    from lecturegen.store.charts import ChartDrawer

    diags = Diagnostics()
    drawer = ChartDrawer(store, parallel=parallel_charts)
    # Only when no chart was ever drawn here: matplotlib loads in a worker while the talk loads and compiles
    # (its import is the longest step of a cold build); once the talk is loaded, the count of its pictures
    # stops the worker or adds one.
    drawer.warm_up(None)
    try:
        loaded = load(workspace, talk, diags, store, theme, audience)
        drawer.warm_up(pictures_to_draw(loaded))
        return _compile_and_render(workspace, talk, audience, loaded, diags, target, fit, start, strict, store,
                                   drawer)
    finally:
        drawer.close()


def _compile_and_render(workspace: Workspace, talk: str, audience: str | None, loaded: Loaded, diags: Diagnostics,
                        target: Path, fit: bool, start: str | None, strict: bool, store: Store,
                        drawer: ChartDrawer) -> tuple[BuildReport, bytes | None]:
    prepared = compile_loaded(loaded, diags, store, fit, start)
    _uncited_entries(workspace, prepared, diags)
    _geometry(prepared, diags)
    warnings = [d for d in diags.sorted() if d.severity == "warning"]
    display = workspace.display(target)
    deck = prepared.result.deck
    plan = prepared.result.plan
    if diags.has_errors:
        raise LecturegenError(diags.sorted())
    if strict and warnings:
        # --strict: warnings fail the build and nothing is written.
        report = BuildReport(talk, audience, None, display, len(deck.slides), plan.total, plan.slot, len(warnings),
                             diags.sorted(), prepared.result.dropped, 1)
        report.summary = f"{len(warnings)} warning(s) treated as errors (--strict); nothing written"
        return report, None
    data = render_deck(prepared, store, drawer=drawer)
    try:
        _write_output(workspace, target, data, ".pptx", prepared)
    except WriteError as exc:
        raise _write_error(exc) from None
    report = BuildReport(talk, audience, target, display, len(deck.slides), plan.total, plan.slot, len(warnings),
                         diags.sorted(), prepared.result.dropped, 0)
    infos = sum(1 for d in diags.items if d.severity == "info")
    report.summary = (f"built {display}: {len(deck.slides)} slides, {plan.planned} of {plan.slot:g} min planned, "
                      f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
                      + (f", {infos} note{'s' if infos != 1 else ''}" if infos else ""))
    return report, data


def _geometry(prepared: Prepared, diags: Diagnostics) -> None:
    """What the shared checker and LibreOffice would find on the slides, found in the model before writing."""
    from lecturegen.compile.geometry import geometry_findings
    from lecturegen.compile.legibility import contrast_findings

    deck = prepared.result.deck
    geometry_findings(deck, diags)
    if deck.style is not None:
        contrast_findings(deck.slides, prepared.loaded.template, deck.style, diags)


def _uncited_entries(workspace: Workspace, prepared: Prepared, diags: Diagnostics) -> None:
    """Bibliography entries that no file in content/ cites: information, never an error."""
    import re

    keys = prepared.citations.bib.keys()
    if not keys:
        return
    content = workspace.root / "content"
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(content.rglob("*.y*ml"))
                     if p.stat().st_size < 2_000_000)
    import unicodedata

    # A key counts as cited wherever it stands as a word (Unicode letters included): `[@flückiger2018]` in
    # outlines, `source: [key]` in dataset sidecars.
    text = unicodedata.normalize("NFC", text)
    words: set[str] | None = None
    for key in keys:
        cited = _stands_as_word(text, key)
        if cited is None:  # a key that occurs thousands of times inside other words: split the text once
            if words is None:
                words = set(re.findall(_WORD_TOKEN, text))
            cited = key in words
        if not cited:
            entry = prepared.citations.bib.get(key)
            diags.info(f"bibliography entry '{key}' is cited by no talk", "bib.uncited",
                       entry.location if entry else None)


_WORD_TOKEN = r"\w[\w:./+-]*\w|\w"  # a word as citation keys are written: inner ':./+-' allowed


def _stands_as_word(text: str, key: str, tries: int = 1000) -> bool | None:
    """Whether `key` is one of the text's words (`_WORD_TOKEN`s), found without splitting the whole text;
    None after `tries` places where it occurs inside another word.

    Each place the key occurs is a word when the word around it begins and ends there: no word character
    next to it, nor one beyond a run of ':./+-' (which joins words)."""
    import re

    if not re.fullmatch(_WORD_TOKEN, key):
        return False
    word = re.compile(r"\w").match
    joiners = ":./+-"
    start = text.find(key)
    while start != -1:
        end = start + len(key)
        before = start - 1
        while before >= 0 and text[before] in joiners:
            before -= 1
        after = end
        while after < len(text) and text[after] in joiners:
            after += 1
        if not (before >= 0 and word(text, before)) and not (after < len(text) and word(text, after)):
            return True
        tries -= 1
        if tries <= 0:
            return None
        start = text.find(key, start + 1)
    return False


# workspace, talk, audience, theme, fit, start, strict, use_cache: the arguments of build_one per task.
_BuildTask = tuple[Workspace, str, str | None, str | None, bool, str | None, bool, bool]


def _build_worker(args: _BuildTask) -> BuildReport:
    workspace, talk, audience, theme, fit, start, strict, use_cache = args
    try:
        # Already one process per deck: no nested chart pool.
        return build_one(workspace, talk, audience, None, theme, fit, start, strict, parallel_charts=False,
                         use_cache=use_cache)
    except LecturegenError as exc:
        report = BuildReport(talk, audience, None, "-", 0, 0.0, 0.0, 0, exc.diagnostics, [], 1)
        errors = sum(1 for d in exc.diagnostics if d.severity == "error")
        report.summary = f"{talk} for '{audience}': {errors} error(s); nothing written"
        return report


def _quiet_on_interrupt() -> None:
    """In a build worker, Ctrl-C (sent to the whole process group) ends the worker at once and silently:
    the main process says it once; an atomic write never leaves half a deck."""
    import os
    import signal

    signal.signal(signal.SIGINT, lambda signum, frame: os._exit(130))


def build_many(workspace: Workspace, talk: str, audiences: list[str | None], theme: str | None, fit: bool,
               start: str | None, strict: bool, jobs: int | None,
               progress: Callable[[BuildReport], None] | None = None, use_cache: bool = True) -> list[BuildReport]:
    """Several decks at once, one process per core: each build is CPU-bound Python."""
    import os
    from concurrent.futures import ProcessPoolExecutor, as_completed

    tasks: list[_BuildTask] = [(workspace, talk, a, theme, fit, start, strict, use_cache) for a in audiences]
    workers = min(len(tasks), jobs or os.cpu_count() or 1)
    if workers <= 1:
        reports = []
        for task in tasks:
            reports.append(_build_worker(task))
            if progress:
                progress(reports[-1])
        return reports
    results: dict[int, BuildReport] = {}
    with ProcessPoolExecutor(max_workers=workers, initializer=_quiet_on_interrupt) as pool:
        futures = {pool.submit(_build_worker, task): i for i, task in enumerate(tasks)}
        for done, future in enumerate(as_completed(futures), start=1):
            report = future.result()
            results[futures[future]] = report
            if progress:
                progress(report)
    return [results[i] for i in range(len(tasks))]


def check_talk(workspace: Workspace, talk: str, audience: str | None, theme: str | None,
               fit: bool, spelling: bool = True, render: bool = False) -> tuple[list[Diagnostic], dict[str, object]]:
    """Everything `build` checks, plus accessibility and spelling (once per talk); writes nothing."""
    diags = Diagnostics()
    try:
        # check writes nothing anywhere: its store only reads what earlier builds kept.
        prepared = prepare(workspace, talk, diags, theme, audience, fit=fit, store=store_for(workspace, False))
    except LecturegenError as exc:
        return exc.diagnostics, {"slides": 0, "measured_font": "-"}
    from lecturegen.compile.quality import deck_findings

    deck_findings(prepared.result.deck, diags)
    _geometry(prepared, diags)
    rules = design_rules(prepared, diags)
    from lecturegen.compile.design import design_findings, design_report_data

    design_findings(prepared.result.deck, rules, diags)
    if spelling:
        _spelling(workspace, prepared, diags)
    if render:
        _render_check(prepared, diags)
    info: dict[str, object] = {
        "slides": len(prepared.result.deck.slides),
        "planned_minutes": prepared.result.plan.total,
        "slot": prepared.result.plan.slot,
        "measured_font": prepared.result.measured_font,
        "design": design_report_data(prepared.result.deck, rules),
    }
    return diags.sorted(), info


def design_rules(prepared: Prepared, diags: Diagnostics) -> DesignRules:
    """The design lint's limits: keynote defaults, with the talk's `design:` overrides."""
    from lecturegen.compile.design import DesignRules
    from lecturegen.compile.kinds import KINDS
    from lecturegen.sources.outline import SLIDE_KINDS

    talk = prepared.talk
    return DesignRules.from_mapping(talk.design, diags, talk.design_location or talk.location,
                                    talk.design_locations, kinds=(*SLIDE_KINDS, *KINDS))


def design_report(workspace: Workspace, talk: str, audience: str | None, theme: str | None, output: Path) -> str:
    """`check --design-report FILE.png`: a one-page summary of where a talk is dense."""
    from lecturegen.compile.design import design_summary
    from lecturegen.render.design_report import render_design_report

    diags = Diagnostics()
    prepared = prepare(workspace, talk, diags, theme, audience, store=store_for(workspace, False))
    deck = prepared.result.deck
    data = render_design_report(design_summary(deck, design_rules(prepared, diags)), deck.title)
    try:
        _write_output(workspace, output, data, ".png", prepared)
    except WriteError as exc:
        raise _write_error(exc) from None
    return f"wrote {workspace.display(output)}"


def _render_check(prepared: Prepared, diags: Diagnostics) -> None:
    """Proof from the real renderer: LibreOffice draws the deck, and every word must lie in its model box."""
    from lecturegen.compile.geometry import RenderedPage, rendered_findings
    from lecturegen.model.geometry import Box
    from lecturegen.render.office import deck_to_pdf, pdf_words

    data = render_deck(prepared, store_for(prepared.workspace, writable=False), parallel_charts=False)
    pdf = deck_to_pdf(data, "check the rendering (--render)", "render.libreoffice")
    pages = []
    for words in pdf_words(pdf):
        boxes = tuple((text, Box(int(x0 * 12700), int(y0 * 12700), int((x1 - x0) * 12700), int((y1 - y0) * 12700)))
                      for text, x0, y0, x1, y1 in words)
        pages.append(RenderedPage(boxes))
    rendered_findings(prepared.result.deck, pages, diags)
    _render_contrast(data, pdf_words(pdf), prepared, diags)


def _render_contrast(data: bytes, words: list[list[tuple[str, float, float, float, float]]], prepared: Prepared,
                     diags: Diagnostics) -> None:
    """Every word's contrast as LibreOffice draws it: the deck as it is, text blanked, text in one vivid colour."""
    import io

    from PIL import Image

    from lecturegen.compile.render_contrast import RenderedContrast, rendered_contrast_findings
    from lecturegen.render.contrast_probe import blank_text, vivid_text
    from lecturegen.render.office import render_slide_pngs

    dpi = 96
    renders = [render_slide_pngs(variant, dpi) for variant in (data, blank_text(data), vivid_text(data))]
    pages = []
    for index, (a, b, c) in enumerate(zip(*renders)):
        images = [Image.open(io.BytesIO(png)).convert("RGB") for png in (a, b, c)]
        if len({im.size for im in images}) != 1:
            continue
        width, height = images[0].size
        pages.append(RenderedContrast(width, height, images[0].tobytes(), images[1].tobytes(), images[2].tobytes(),
                                      tuple(words[index]) if index < len(words) else (), dpi / 72))
    rendered_contrast_findings(prepared.result.deck, pages, diags)


def _spelling(workspace: Workspace, prepared: Prepared, diags: Diagnostics) -> None:
    """British English by default (the talk's `language:` chooses another), plus the workspace's terms."""
    from lecturegen.compile.spelling import check_text, talk_texts
    from lecturegen.sources.dictionary import load_dictionary, load_terminology

    talk = prepared.talk
    dictionary = load_dictionary(talk.language, workspace.root, diags, at=talk.location)
    terms = load_terminology(workspace.root, diags)
    check_text(talk_texts(talk), dictionary, terms, diags)


def timing_report(workspace: Workspace, talk: str, audience: str | None, start: str | None, fit: bool,
                  fmt: str) -> str:
    from lecturegen.compile.timing import clock, minutes_seconds, parse_clock

    diags = Diagnostics()
    prepared = prepare(workspace, talk, diags, None, audience, fit=fit, start=start)
    plan = prepared.result.plan
    start_value = start or prepared.talk.day_start
    origin = parse_clock(start_value) if start_value else None

    def when(offset: float) -> str:
        return clock(origin, offset) if origin is not None else minutes_seconds(offset)

    rows: list[dict[str, Any]] = []
    cumulative = 0.0
    for item in plan.items:
        cumulative = item.start + item.minutes
        shift = item.clock_shift if origin is not None else 0.0
        rows.append({
            "number": item.number, "title": item.title, "kind": item.kind, "section": item.section,
            "day": item.day, "minutes": round(item.minutes, 2), "start": round(item.start, 2),
            "cumulative": round(cumulative, 2), "clock_start": when(item.start + shift),
            "clock_end": when(item.start + item.minutes + shift),
        })
    sections = [{"title": s.title, "day": s.day, "start": round(s.start, 2), "minutes": round(s.minutes, 2),
                 "slides": s.slides, "clock_start": when(s.start + (s.clock_shift if origin is not None else 0.0))}
                for s in plan.sections]
    if fmt == "json":
        return json.dumps({
            "talk": talk, "audience": audience, "slot": plan.slot, "total": plan.total,
            "reserved": plan.reserved, "fits": plan.fits, "planned": plan.planned, "start": start_value,
            "dropped": prepared.result.dropped, "slides": rows, "sections": sections,
            "warnings": [d.to_json() for d in diags.sorted() if d.severity != "info"],
        }, indent=2, ensure_ascii=False)
    lines = [f"{prepared.talk.title.text}" + (f" — for {audience}" if audience else ""),
             f"slot {plan.slot:g} min · planned {plan.planned} min"
             f" ({'fits' if plan.fits else f'{plan.total - plan.slot:.1f} min over'})"
             + (f" · reserved {plan.reserved:g} min" if plan.reserved else ""), ""]
    lines.append(f"{'#':>3}  {'time':<13} {'min':>5} {'cum':>6}  title")
    last_section = None
    last_day = 1
    for row in rows:
        if row["day"] != last_day:
            lines.append(f"     ══ day {row['day']}")
            last_day = row["day"]
        if row["section"] != last_section and row["section"]:
            lines.append(f"     ── {row['section']}")
            last_section = row["section"]
        number = "" if row["number"] is None else str(row["number"])
        title = row["title"] if row["kind"] != "reserved" else f"[{row['title']}]"
        lines.append(f"{number:>3}  {row['clock_start'] + '–' + row['clock_end']:<13} {row['minutes']:>5.1f} "
                     f"{row['cumulative']:>6.1f}  {title}")
    lines.append("")
    lines.append("sections:")
    for s in sections:
        lines.append(f"  {s['clock_start']:>6}  {s['minutes']:>5.1f} min  {s['title']}")
    for d in diags.sorted():
        if d.severity == "warning":
            lines.append(d.render())
    return "\n".join(lines)


def reference_list(workspace: Workspace | None, talk: str | None, bibliography: Path | None, style: str | None,
                   fmt: str, audience: str | None) -> str:
    """The formatted reference list: of the works a talk cites, or of every entry of a bibliography file."""
    diags = Diagnostics()
    if talk is not None and workspace is not None:
        prepared = prepare(workspace, talk, diags, None, audience)
        keys = prepared.result.cited_keys
        if not (style or bibliography):
            return prepared.citations.reference_text(keys, fmt)
        bib = prepared.citations.bib
        if bibliography is not None:
            bib = _read_bibliography(workspace, bibliography, diags)
        return _engine(bib, style or prepared.talk.style, workspace.root, diags).reference_text(keys, fmt)
    path = bibliography or (workspace.bibliography if workspace else None)
    if path is None or not (path.exists() or path.is_symlink()):
        diags.error("no bibliography.bib in the workspace", "bib.missing", None,
                    hint="pass --bibliography FILE (BibTeX, CSL-JSON, CSL-YAML or RIS)")
        raise LecturegenError(diags.sorted())
    bib = _read_bibliography(workspace, path, diags)
    return _engine(bib, style or "apa", workspace.root if workspace else Path.cwd(), diags).reference_text(None, fmt)


def _read_bibliography(workspace: Workspace | None, path: Path, diags: Diagnostics) -> Bibliography:
    """A bibliography file named on the command line, in any format; a device, FIFO or folder is named as such."""

    from lecturegen.sources.bibliography import load_bibliography

    display = workspace.display(path) if workspace else str(path)
    try:
        os.stat(path)
    except OSError as exc:
        diags.error(f"cannot read file: {(exc.strerror or str(exc)).lower()}", "file.unreadable", Location(display))
        raise LecturegenError(diags.sorted()) from None
    kind = not_a_file(path)
    if kind is not None:
        diags.error(f"bibliography '{display}' is {kind}, not a file", "bib.not-a-file", None,
                    hint="pass --bibliography FILE (BibTeX, CSL-JSON, CSL-YAML or RIS)")
        raise LecturegenError(diags.sorted())
    bib = load_bibliography(path, display, diags)
    if diags.has_errors:
        raise LecturegenError(diags.sorted())
    return bib


def _engine(bib: Bibliography, style: str, base: Path, diags: Diagnostics) -> CitationEngine:
    from lecturegen.compile.citations import CitationEngine
    from lecturegen.sources.citation_style import StyleError, load_style

    for candidate in (Path(style), base / style):
        kind = not_a_file(candidate) if style.endswith(".csl") or "/" in style else None
        if kind is not None:  # reading a pipe or a device would block or never end
            diags.error(f"citation style '{style}' is {kind}, not a .csl file", "cite.style", None)
            raise LecturegenError(diags.sorted())
    try:
        return CitationEngine(bib, load_style(style, base_dir=base))
    except StyleError as exc:
        diags.error(exc.message, "cite.style", None, exc.hint)
        raise LecturegenError(diags.sorted()) from None


def describe_theme(workspace: Workspace, name: str) -> str:
    """A theme's template as lecturegen reads it: every master and layout, its structure and the roles it plays."""
    from lecturegen.build import load_template, store_for
    from lecturegen.sources.template_roles import describe_role_map
    from lecturegen.sources.themes import load_theme

    diags = Diagnostics()
    theme = load_theme(workspace, name, diags, None)
    if theme is None or diags.errors:
        raise LecturegenError(diags.sorted())
    template = load_template(workspace, theme, diags, store_for(workspace))
    if diags.errors:
        raise LecturegenError(diags.sorted())
    size = f"{template.width / 914400:.2f} × {template.height / 914400:.2f} in"
    lines = [f"theme {name}: template {template.name} ({size}, {len(template.masters)} master(s), "
             f"{len(template.layouts)} layout(s))"]
    lines += describe_role_map(list(template.layouts.values()), template.roles, template.masters)
    return "\n".join(lines)


def list_workspace(workspace: Workspace) -> str:
    lines = ["talks:"]
    for name in workspace.talk_names():
        diags = Diagnostics()
        try:
            prepared = prepare(workspace, name, diags)
            plan = prepared.result.plan
            lines.append(f"  {name:<18} slot {plan.slot:>4g} min · {len(prepared.result.deck.slides):>3} slides · "
                         f"planned {plan.planned} min · {prepared.talk.title.text}")
        except LecturegenError as exc:
            errors = sum(1 for d in exc.diagnostics if d.severity == "error")
            lines.append(f"  {name:<18} ({errors} error(s): run 'lecturegen check {name}')")
    lines.append("themes:")
    for name in workspace.theme_names():
        lines.append(f"  {name}")
    lines.append("audiences:")
    from lecturegen.compile.kinds import OUTLINE_KINDS
    from lecturegen.sources.audiences import load_audience

    for name in workspace.audience_names():
        audience = load_audience(workspace, name, Diagnostics(), kinds=OUTLINE_KINDS)
        lines.append(f"  {name:<18} {audience.title if audience else '(invalid)'}")
    return "\n".join(lines)


def write_handout(workspace: Workspace, talk: str, audience: str | None, fmt: str, output: Path | None,
                  paper: str, thumbnails: bool, with_notes: bool, start: str | None) -> str:
    from lecturegen.compile.handout import HandoutOptions, deck_to_handout
    from lecturegen.render.handout import chart_requests, render_handout
    from lecturegen.store.charts import ChartDrawer

    diags = Diagnostics()
    store = store_for(workspace)
    prepared = prepare(workspace, talk, diags, None, audience, start=start, store=store)
    target = output or default_output(workspace, talk, audience, f"-handout.{fmt}")
    _refuse_early(workspace, target, f".{fmt}", prepared)  # before the thumbnails and charts are drawn
    thumbs = _thumbnails(prepared, store) if thumbnails else None
    theme = prepared.theme
    options = HandoutOptions(paper=paper, start=start, day_start=prepared.talk.day_start, with_notes=with_notes,
                             logo=prepared.loaded.logo, logo_alt=theme.logo_alt, contact=prepared.talk.contact,
                             slides_url=prepared.talk.slides_url,
                             thumbnails=tuple(thumbs) if thumbs is not None else None)
    handout = deck_to_handout(prepared.result.deck, prepared.result.plan, options)
    drawer = ChartDrawer(store)
    try:
        drawer.prefetch(chart_requests(handout))
        data = render_handout(handout, fmt, drawer.png)
    finally:
        drawer.close()
    try:
        _write_output(workspace, target, data, f".{fmt}", prepared)
    except WriteError as exc:
        raise _write_error(exc) from None
    return f"wrote {workspace.display(target)}"


def export_pdf(workspace: Workspace, talk: str, audience: str | None, theme: str | None, output: Path | None,
               deck: Path | None = None) -> str:
    """The deck as PDF through LibreOffice, for the venue's backup laptop (the last built deck if given)."""
    from lecturegen.render.office import deck_to_pdf

    target = output or default_output(workspace, talk, audience, ".pdf")
    if deck is not None and deck.is_file():
        data = deck.read_bytes()
        prepared = None
    else:
        diags = Diagnostics()
        store = store_for(workspace)
        prepared = prepare(workspace, talk, diags, theme, audience, store=store)
    _refuse_early(workspace, target, ".pdf", prepared)  # before LibreOffice spends seconds on it
    if prepared is not None:
        data = render_deck(prepared, store)
    pdf = deck_to_pdf(data, "export the deck as PDF", "pdf.libreoffice")
    try:
        _write_output(workspace, target, pdf, ".pdf", prepared)
    except WriteError as exc:
        raise _write_error(exc) from None
    return f"wrote {workspace.display(target)}"


def _thumbnails(prepared: Prepared, store: Store) -> list[bytes]:
    """PNG miniatures of the real slides, rendered through LibreOffice."""
    from lecturegen.render.office import render_slide_pngs

    deck = render_deck(prepared, store)
    return render_slide_pngs(deck)


def scaffold(directory: Path) -> int:
    """Copy the example workspace shipped as package data."""
    from importlib.resources import as_file, files

    if directory.exists() and any(directory.iterdir()):
        raise FileExistsError(f"'{directory}' exists and is not empty; choose a new folder")
    source = files("lecturegen") / "data" / "scaffold"
    count = 0
    with as_file(source) as src:
        for file in sorted(Path(src).rglob("*")):
            if file.is_file() and "__pycache__" not in file.parts:
                target = directory / file.relative_to(src)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, target)
                count += 1
    return count
