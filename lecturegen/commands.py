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
                  prepared: Prepared | None = None, talk: str = "", audience: str | None = None,
                  discard_edits: bool = False, sources: list[dict[str, Any]] | None = None) -> str | None:
    """The one way an output reaches the disk: guarded against replacing an input and against replacing an
    output edited since lecturegen wrote it, then written atomically and recorded (store/outputs.py).

    Returns the path the edited output was kept at (with `discard_edits`), or None."""
    from lecturegen.store.outputs import (deck_record, file_digest, file_record, guard_edits, load_record, record_path,
                                          save_record)

    display = workspace.display(target)
    records = record_path(workspace.build_dir, target)
    recorded = load_record(records) if suffix in _RECORDED else None
    guard_output(target, suffix, input_files(workspace, prepared), display, recorded=recorded is not None)
    kept = guard_edits(target, recorded, display, talk or (prepared.talk.name if prepared else ""), discard_edits,
                       records)
    if suffix not in _RECORDED:
        write_atomic(target, data, display)
        return kept
    new = deck_record(data, display, talk, audience, sources) if suffix == ".pptx" \
        else file_record(data, display, suffix[1:], talk, audience)
    # The record first, naming the file it replaces as well: a build killed between the two writes leaves
    # either file, and neither is taken for an edited one.
    save_record(records, {**new, "previous": file_digest(target)}, data if suffix == ".pptx" else None)
    write_atomic(target, data, display)
    save_record(records, new)
    return kept


_RECORDED = (".pptx", ".pdf", ".docx")  # the outputs a presenter or organiser may edit: never replaced blindly


def _kept_note(workspace: Workspace, kept: str | None) -> str:
    return f" (the edited one kept as {workspace.display(Path(kept))})" if kept else ""


def _deck_sources(prepared: Prepared) -> list[dict[str, Any]]:
    """Where each slide came from, for the deck's record (`pull` maps edits back with it)."""
    from lecturegen.compile.roundtrip import deck_sources
    from lecturegen.model.roundtrip import slide_uids

    deck = prepared.result.deck
    return deck_sources(deck, prepared.talk, slide_uids(deck))


def _refuse_early(workspace: Workspace, target: Path, suffix: str, prepared: Prepared | None,
                  discard_edits: bool = False, talk: str = "") -> None:
    """The output guard before the slow work, so a refused path costs a fraction of a second.

    It runs again at the write: the guard there is the one that counts.
    """
    from lecturegen.store.outputs import guard_edits, load_record, record_path

    try:
        display = workspace.display(target)
        records = record_path(workspace.build_dir, target)
        recorded = load_record(records) if suffix in _RECORDED else None
        guard_output(target, suffix, input_files(workspace, prepared), display, recorded=recorded is not None)
        if not discard_edits:
            guard_edits(target, recorded, display, talk or (prepared.talk.name if prepared else ""), False, records)
    except WriteError as exc:
        raise _write_error(exc) from None


def _refuse_edited(workspace: Workspace, target: Path, talk: str) -> None:
    """Only the edit guard (a stat when the deck has no record): the full guard runs at the write."""
    from lecturegen.store.outputs import guard_edits, load_record, record_path

    records = record_path(workspace.build_dir, target)
    recorded = load_record(records)
    if recorded is None:
        return
    try:
        guard_edits(target, recorded, workspace.display(target), talk, False, records)
    except WriteError as exc:
        raise _write_error(exc) from None


def _write_error(exc: WriteError, at: str | None = None) -> LecturegenError:
    from lecturegen.diagnostics import Location
    from lecturegen.store.outputs import EditedOutputError

    if isinstance(exc, EditedOutputError):
        return LecturegenError([Diagnostic("error", str(exc), "output.edited", Location(exc.display))])
    return LecturegenError([Diagnostic("error", str(exc), "output.write", Location(at) if at else None)])


def build_one(workspace: Workspace, talk: str, audience: str | None, output: Path | None, theme: str | None,
              fit: bool, start: str | None, strict: bool, parallel_charts: bool = True,
              use_cache: bool = True, discard_edits: bool = False) -> BuildReport:
    """Build one deck; when nothing it reads has changed since the last build, reuse that deck.

    A deck edited since lecturegen wrote it is not replaced (LecturegenError `output.edited`) unless
    `discard_edits`, which keeps it as NAME.edited-<time>.pptx first."""
    from lecturegen.store.builds import BuildCache, hash_build_inputs
    from lecturegen.workspace import logging_reads

    target = output or default_output(workspace, talk, audience)
    if not discard_edits:
        _refuse_edited(workspace, target, talk)  # an edited deck is named before the build, not after it
    store = store_for(workspace)
    cache = BuildCache(store)
    options = {"talk": talk, "audience": audience, "theme": theme, "fit": fit, "start": start, "strict": strict}
    hashed = hash_build_inputs(workspace.root, options) if use_cache else None
    key = hashed.key if hashed is not None else None
    if key is not None:
        hit = cache.load(key)
        if hit is not None:
            data, stored = hit
            sources = _cached_sources(store, data)
            try:
                kept = _write_output(workspace, target, data, ".pptx", None, talk, audience, discard_edits, sources)
            except WriteError as exc:
                raise _write_error(exc) from None
            report = _report_from_cache(stored, target, workspace.display(target))
            report.summary += _kept_note(workspace, kept)
            return report
    with logging_reads() as reads:
        report, built = _build_uncached(workspace, talk, audience, target, theme, fit, start, strict,
                                        parallel_charts, store, discard_edits)
    # Stored only when the build read what its key hashed: a save during the build would poison the entry.
    if hashed is not None and report.exit_code == 0 and built is not None \
            and hashed.match(workspace.root, options, reads):
        cache.store_build(hashed.key, built, _report_to_cache(report))
    return report


def _cached_sources(store: Store, data: bytes) -> list[dict[str, Any]] | None:
    """The slides' sources of a deck served from the build cache, kept by the deck's digest when it was built."""
    import hashlib

    kept = store.get("sources", hashlib.sha256(data).hexdigest())
    if kept is None:
        return None
    try:
        value = json.loads(kept)
    except ValueError:
        return None
    return value if isinstance(value, list) else None


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
                    store: Store, discard_edits: bool = False) -> tuple[BuildReport, bytes | None]:
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
                                   drawer, discard_edits)
    finally:
        drawer.close()


def _compile_and_render(workspace: Workspace, talk: str, audience: str | None, loaded: Loaded, diags: Diagnostics,
                        target: Path, fit: bool, start: str | None, strict: bool, store: Store,
                        drawer: ChartDrawer, discard_edits: bool = False) -> tuple[BuildReport, bytes | None]:
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
    sources = _deck_sources(prepared)
    try:
        kept = _write_output(workspace, target, data, ".pptx", prepared, talk, audience, discard_edits, sources)
    except WriteError as exc:
        raise _write_error(exc) from None
    import hashlib

    store.put("sources", hashlib.sha256(data).hexdigest(), json.dumps(sources).encode("ascii"))
    store.prune("sources", 128)  # as many as the build cache keeps decks
    report = BuildReport(talk, audience, target, display, len(deck.slides), plan.total, plan.slot, len(warnings),
                         diags.sorted(), prepared.result.dropped, 0)
    infos = sum(1 for d in diags.items if d.severity == "info")
    report.summary = (f"built {display}: {len(deck.slides)} slides, {plan.planned} of {plan.slot:g} min planned, "
                      f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
                      + (f", {infos} note{'s' if infos != 1 else ''}" if infos else "")
                      + _kept_note(workspace, kept))
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


# workspace, talk, audience, theme, fit, start, strict, use_cache, discard_edits: build_one's arguments per task.
_BuildTask = tuple[Workspace, str, str | None, str | None, bool, str | None, bool, bool, bool]


def _build_worker(args: _BuildTask) -> BuildReport:
    workspace, talk, audience, theme, fit, start, strict, use_cache, discard_edits = args
    try:
        # Already one process per deck: no nested chart pool.
        return build_one(workspace, talk, audience, None, theme, fit, start, strict, parallel_charts=False,
                         use_cache=use_cache, discard_edits=discard_edits)
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
               progress: Callable[[BuildReport], None] | None = None, use_cache: bool = True,
               discard_edits: bool = False) -> list[BuildReport]:
    """Several decks at once, one process per core: each build is CPU-bound Python."""
    import os
    from concurrent.futures import ProcessPoolExecutor, as_completed

    tasks: list[_BuildTask] = [(workspace, talk, a, theme, fit, start, strict, use_cache, discard_edits)
                               for a in audiences]
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
    from lecturegen.compile.kinds import KIND_NAMES

    talk = prepared.talk
    return DesignRules.from_mapping(talk.design, diags, talk.design_location or talk.location,
                                    talk.design_locations, kinds=KIND_NAMES)


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
            "clock_end": when(item.start + item.minutes + shift), "speaking": item.speaking,
        })
    sections = [{"title": s.title, "day": s.day, "start": round(s.start, 2), "minutes": round(s.minutes, 2),
                 "slides": s.slides, "clock_start": when(s.start + (s.clock_shift if origin is not None else 0.0)),
                 "speaking": s.speaking}
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
    # Two figures a slide: the minutes the plan gives it, and what its notes take to say ("notes").
    lines.append(f"{'#':>3}  {'time':<13} {'min':>5} {'notes':>5} {'cum':>6}  title")
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
        notes = "" if row["kind"] == "reserved" else f"{row['speaking']:.1f}"
        flag = " !" if row["kind"] != "reserved" and row["speaking"] - row["minutes"] > 0.05 else ""
        lines.append(f"{number:>3}  {row['clock_start'] + '–' + row['clock_end']:<13} {row['minutes']:>5.1f} "
                     f"{notes:>5} {row['cumulative']:>6.1f}  {title}{flag}")
    lines.append("")
    lines.append("sections (planned min · notes min at the speaking rate):")
    for s in sections:
        notes = f"{s['speaking']:>5.1f}" if s["slides"] else " " * 5
        lines.append(f"  {s['clock_start']:>6}  {s['minutes']:>5.1f} min  {notes}  {s['title']}")
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
    from lecturegen.compile.citations import MAX_CITED_KEYS

    if len(bib.keys()) > MAX_CITED_KEYS:  # each entry costs citeproc-py ~8 ms: 10,000 would take over a minute
        shown = workspace.display(path) if workspace is not None else str(path)
        diags.error(f"the bibliography has {len(bib.keys()):,} entries; a reference list formats at most "
                    f"{MAX_CITED_KEYS:,}", "cite.too-many", Location(shown),
                    hint="name a talk to list the works it cites")
        raise LecturegenError(diags.sorted())
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
                  paper: str, thumbnails: bool, with_notes: bool, start: str | None,
                  discard_edits: bool = False, warnings: list[Diagnostic] | None = None) -> str:
    """The handout written; what it had to simplify (crowded charts) is added to `warnings`."""
    from lecturegen.compile.handout import HandoutOptions, crowded_chart_warnings, deck_to_handout
    from lecturegen.render.handout import chart_requests, render_handout
    from lecturegen.store.charts import ChartDrawer

    diags = Diagnostics()
    store = store_for(workspace)
    prepared = prepare(workspace, talk, diags, None, audience, start=start, store=store)
    target = output or default_output(workspace, talk, audience, f"-handout.{fmt}")
    _refuse_early(workspace, target, f".{fmt}", prepared, discard_edits)  # before the thumbnails and charts
    thumbs = _thumbnails(prepared, store) if thumbnails else None
    theme = prepared.theme
    options = HandoutOptions(paper=paper, start=start, day_start=prepared.talk.day_start, with_notes=with_notes,
                             logo=prepared.loaded.logo, logo_alt=theme.logo_alt, contact=prepared.talk.contact,
                             slides_url=prepared.talk.slides_url,
                             thumbnails=tuple(thumbs) if thumbs is not None else None)
    handout = deck_to_handout(prepared.result.deck, prepared.result.plan, options)
    if warnings is not None:
        warnings.extend(crowded_chart_warnings(prepared.result.deck))
    drawer = ChartDrawer(store)
    try:
        drawer.prefetch(chart_requests(handout))
        data = render_handout(handout, fmt, drawer.png)
    finally:
        drawer.close()
    try:
        kept = _write_output(workspace, target, data, f".{fmt}", prepared, talk, audience, discard_edits)
    except WriteError as exc:
        raise _write_error(exc) from None
    return f"wrote {workspace.display(target)}{_kept_note(workspace, kept)}"


def export_pdf(workspace: Workspace, talk: str, audience: str | None, theme: str | None, output: Path | None,
               deck: Path | None = None, discard_edits: bool = False) -> str:
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
    _refuse_early(workspace, target, ".pdf", prepared, discard_edits)  # before LibreOffice spends seconds on it
    if prepared is not None:
        data = render_deck(prepared, store)
    pdf = deck_to_pdf(data, "export the deck as PDF", "pdf.libreoffice")
    try:
        kept = _write_output(workspace, target, pdf, ".pdf", prepared, talk, audience, discard_edits)
    except WriteError as exc:
        raise _write_error(exc) from None
    return f"wrote {workspace.display(target)}{_kept_note(workspace, kept)}"


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


@record(frozen=False)
class PullReport:
    """What `pull` found: the diff of the sources, and what it could not bring back on its own."""

    diff: str
    text: str  # everything to print: the diff, conflicts, leftovers, timings, and what was done
    edits: int
    open_items: int  # conflicts and edits without a place: they need the presenter
    exit_code: int = 0


def pull_deck(workspace: Workspace, talk: str, deck: Path | None, audience: str | None, apply: bool,
              timings_to_minutes: bool = False, drop_deleted: bool = False) -> PullReport:
    """Bring a presenter's edits to a built deck back into the outline sources (a diff; written with `apply`).

    The deck is compared with the copy lecturegen kept when it built it; each edit is mapped to the source text
    it was made from (compile/pull.py) and made in place with ruamel.yaml (sources/yaml_edit.py). When every
    edit found its place and `apply` wrote them, the deck's record is moved on to the edited deck, so the next
    build may replace it; otherwise the deck stays protected until the rest is resolved."""
    import difflib
    import hashlib

    from lecturegen.compile.pull import plan_pull
    from lecturegen.sources.deck import DeckError, read_deck
    from lecturegen.sources.yaml_edit import YamlEditError, YamlFile, apply_edits
    from lecturegen.store.outputs import load_record, record_path, save_record, written_snapshot

    target = deck or default_output(workspace, talk, audience)
    display = workspace.display(target)

    def fail(message: str, code: str, hint: str | None = None) -> LecturegenError:
        return LecturegenError([Diagnostic("error", message, code, Location(display), hint)])

    records = record_path(workspace.build_dir, target)
    record_data = load_record(records)
    if record_data is None and deck is not None:
        # A copy of the built deck, edited elsewhere (a laptop, a USB stick): compared with the built one.
        records = record_path(workspace.build_dir, default_output(workspace, talk, audience))
        record_data = load_record(records)
    if record_data is None or record_data.get("kind") != "pptx":
        raise fail(f"no record of lecturegen building '{display}'", "pull.no-record",
                   f"build it with 'lecturegen build {talk}' first, or bring any deck in with 'lecturegen import'")
    if record_data.get("talk") not in ("", talk):
        raise fail(f"'{display}' was built from talk '{record_data.get('talk')}', not '{talk}'", "pull.other-talk")
    try:
        data = target.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read the deck: {(exc.strerror or str(exc)).lower()}", "pull.unreadable") from None
    written = written_snapshot(records, record_data)
    if written is None:
        raise fail("the copy of the deck as lecturegen wrote it is gone (build/.records/)", "pull.no-record")
    try:
        edited = read_deck(data)
    except DeckError as exc:
        raise fail(f"cannot read the deck: {exc}", "pull.unreadable") from None
    if written.slides and not {s.uid for s in written.slides} & {s.uid for s in edited.slides}:
        raise fail(f"'{display}' holds none of the slides lecturegen built for '{talk}'", "pull.other-deck",
                   f"bring a deck from elsewhere in with 'lecturegen import {display}'")
    from lecturegen.sources.deck import read_media

    known = {s.uid for s in written.slides}
    media = read_media(data, [shape.picture for slide in edited.slides if slide.uid not in known
                              for shape in slide.shapes if shape.picture])
    images_dir = workspace.root / "content" / "images"
    taken = frozenset(p.stem for p in images_dir.iterdir()) if images_dir.is_dir() else frozenset()
    plan = plan_pull(written, edited, list(record_data.get("sources") or []), timings_to_minutes,
                     frozenset(media), taken, drop_deleted)
    by_file: dict[str, list[Any]] = {}
    for edit in plan.edits:
        by_file.setdefault(edit.at.path, []).append(edit)
    conflicts = list(plan.conflicts)
    diffs: list[str] = []
    results: dict[Path, str] = {}
    for path_text, edits in sorted(by_file.items()):
        path = workspace.root / path_text
        try:
            original = path.read_text(encoding="utf-8")
            source = YamlFile(path_text, original)
        except (OSError, UnicodeDecodeError, YamlEditError) as exc:
            raise LecturegenError([Diagnostic("error", f"cannot edit this source: {exc}", "pull.source",
                                              Location(path_text))]) from None
        conflicts.extend(apply_edits(source, edits))
        updated = source.result()
        if updated != original:
            results[path] = updated
            diffs.append("".join(difflib.unified_diff(original.splitlines(keepends=True),
                                                      updated.splitlines(keepends=True),
                                                      f"a/{path_text}", f"b/{path_text}")))
    new_images = {workspace.root / path: media[part] for part, path in plan.pictures if part in media}
    for path in new_images:
        diffs.append(f"new picture {workspace.display(path)} (from the deck)\n")
    lines: list[str] = []
    diff = "".join(d if d.endswith("\n") else d + "\n" for d in diffs)
    if diff:
        lines.append(diff.rstrip("\n"))
    for c in conflicts:
        where = f"{c.at}: " if c.at is not None else f"{display}: "
        lines.append(f"{where}warning: {c.what}: {c.why} [pull.conflict]")
        if c.source:
            lines.append(f"    source: {c.source.rstrip()!r}")
        lines.append(f"    built:  {c.written!r}")
        lines.append(f"    deck:   {c.edited!r}")
    for item in plan.unplaced:
        lines.append(f"{display}: warning: {item} [pull.unplaced]")
    if plan.timings:
        lines.append("rehearsed timings (PowerPoint's Rehearse Timings):")
        for t in plan.timings:
            planned = f"{t.planned_ms / 60000:.2f}" if t.planned_ms is not None else "-"
            lines.append(f"  slide {t.number:>3}  planned {planned:>6} min  rehearsed {t.rehearsed_ms / 60000:6.2f} min"
                         f"  {t.title[:50]}")
    open_items = len(conflicts) + len(plan.unplaced)
    changes = sum(len(e) for e in by_file.values())
    if apply:
        try:
            for image, blob in new_images.items():
                write_atomic(image, blob, workspace.display(image))
            for path, text in results.items():
                write_atomic(path, text.encode("utf-8"), workspace.display(path))
        except WriteError as exc:
            raise _write_error(exc) from None
        if open_items == 0 and records == record_path(workspace.build_dir, target):
            # The sources now say what the deck says: the deck may be replaced by the next build. (A copy edited
            # elsewhere leaves the built deck, and its record, as they are.)
            record_data = {**record_data, "digest": hashlib.sha256(data).hexdigest(), "pulled": True}
            save_record(records, record_data, data)
            lines.append(f"applied {changes} edit(s) to {len(results)} file(s); 'lecturegen build {talk}' may now "
                         "replace the deck")
        else:
            lines.append(f"applied {changes} edit(s) to {len(results)} file(s); {open_items} item(s) above need you: "
                         f"the deck stays protected until you build with --discard-edits")
    elif changes or open_items:
        lines.append(f"{changes} edit(s) to {len(results)} file(s)" + (f", {open_items} item(s) need you"
                                                                       if open_items else "")
                     + "; run again with --apply to write them")
    else:
        lines.append(f"'{display}' has no edits to bring back")
    return PullReport(diff, "\n".join(lines), changes, open_items, 1 if open_items else 0)


def import_deck(deck: Path, into: Path | None) -> tuple[str, int]:
    """`lecturegen import DECK.pptx`: a workspace that builds, made from any deck (compile/importer.py).

    Returns the text to print (what was made, then what could not be mapped, slide by slide) and the number
    of things not mapped."""
    from lecturegen.compile.importer import deck_to_workspace, slug
    from lecturegen.sources.deck import MAX_DECK_FILE, DeckError, read_deck, read_media
    from lecturegen.workspace import read_input

    shown = str(deck)

    def fail(message: str, code: str, at: str = shown) -> LecturegenError:
        return LecturegenError([Diagnostic("error", message, code, Location(at))])

    if deck.suffix.lower() not in (".pptx", ".pptm", ".potx"):
        raise fail("only PowerPoint files (.pptx) can be imported", "import.not-a-deck")
    try:
        data = read_input(deck, MAX_DECK_FILE)
    except OSError as exc:
        raise fail(f"cannot read the deck: {(exc.strerror or str(exc)).lower()}", "import.unreadable") from None
    try:
        snapshot = read_deck(data)
    except DeckError as exc:
        raise fail(f"cannot read the deck: {exc}", "import.unreadable") from None
    name = slug(deck.stem, set())
    target = into if into is not None else Path.cwd() / name
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise fail(f"'{target}' exists and is not an empty folder; choose another with --into", "import.exists",
                   str(target))
    template_file = f"{name}.pptx"
    media = read_media(data, [shape.picture for slide in snapshot.slides for shape in slide.shapes
                              if shape.picture])
    plan = deck_to_workspace(snapshot, name, template_file, frozenset(media))
    try:
        for path, text in plan.files.items():
            write_atomic(target / path, text.encode("utf-8"), str(target / path))
        for part, path in plan.pictures.items():
            if part in media:
                write_atomic(target / path, media[part], str(target / path))
        write_atomic(target / "themes" / name / template_file, data, template_file)
    except WriteError as exc:
        raise _write_error(exc) from None
    sections = sum(1 for p in plan.files if p.startswith("content/sections/"))
    lines = [f"{shown}: warning: {item} [import.unmapped]" for item in plan.report]
    lines.append(f"imported {shown}: {plan.slides} slide(s) into {target} ({sections} section file(s), "
                 f"{len(plan.pictures)} picture(s), the deck kept as themes/{name}/{template_file}); "
                 f"{len(plan.report)} thing(s) not mapped")
    lines.append(f"build it: lecturegen build {name} --root {target}")
    return "\n".join(lines), len(plan.report)
