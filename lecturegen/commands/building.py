"""Command layer: `build` — one deck (served from the build cache when nothing changed), or one per audience."""

from __future__ import annotations

import json
import os
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from lecturegen.build import (
    Loaded,
    Prepared,
    compile_loaded,
    default_output,
    load,
    pictures_to_draw,
    render_deck,
    store_for,
)
from lecturegen.diagnostics import Diagnostic, Diagnostics, LecturegenError, Location
from lecturegen.records import record
from lecturegen.store.disk import Store, WriteError
from lecturegen.workspace import Workspace

from lecturegen.commands.findings import _geometry, _uncited_entries
from lecturegen.commands.outputs import _kept_note, _refuse_edited, _write_error, _write_output

if TYPE_CHECKING:
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


def _deck_sources(prepared: Prepared) -> list[dict[str, Any]]:
    """Where each slide came from, for the deck's record (`pull` maps edits back with it)."""
    from lecturegen.compile.roundtrip import deck_sources
    from lecturegen.model.roundtrip import slide_uids

    deck = prepared.result.deck
    return deck_sources(deck, prepared.talk, slide_uids(deck))


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
    # Only when no chart was ever drawn here (and a core is idle): matplotlib loads in a worker while the talk
    # loads and compiles; once the talk is loaded, the count of its pictures stops the worker when none is needed.
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


def _lost_build(talk: str, audience: str | None) -> BuildReport:
    """The report of a deck whose worker process ended before it finished (killed, out of memory)."""
    message = (f"the process building '{talk}' for '{audience}' ended unexpectedly; nothing written "
               f"(build it alone: lecturegen build {talk} -a {audience})")
    report = BuildReport(talk, audience, None, "-", 0, 0.0, 0.0, 0,
                         [Diagnostic("error", message, "build.worker-lost", None)], [], 1)
    report.summary = f"{talk} for '{audience}': 1 error(s); nothing written"
    return report


def build_many(workspace: Workspace, talk: str, audiences: list[str | None], theme: str | None, fit: bool,
               start: str | None, strict: bool, jobs: int | None,
               progress: Callable[[BuildReport], None] | None = None, use_cache: bool = True,
               discard_edits: bool = False) -> list[BuildReport]:
    """Several decks at once, one process per core (`store/processes.py`): each build is CPU-bound Python.

    A lost worker (killed, out of memory) breaks the pool: each deck not finished by then is a one-line error,
    never a traceback; Ctrl-C stops them all."""
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    from lecturegen.store.processes import start_pool, stop, submit

    tasks: list[_BuildTask] = [(workspace, talk, a, theme, fit, start, strict, use_cache, discard_edits)
                               for a in audiences]
    workers = min(len(tasks), jobs or os.cpu_count() or 1)
    reports: dict[int, BuildReport] = {}
    if workers <= 1:
        for index, task in enumerate(tasks):
            reports[index] = _build_worker(task)
            if progress:
                progress(reports[index])
        return [reports[i] for i in range(len(tasks))]
    pool = start_pool(workers)
    finished = False
    try:
        futures = {submit(pool, _build_worker, task): i for i, task in enumerate(tasks)}
        for future in as_completed(futures):
            index = futures[future]
            try:
                reports[index] = future.result()
            except BrokenProcessPool:
                reports[index] = _lost_build(talk, tasks[index][2])
            if progress:
                progress(reports[index])
        finished = True
    finally:
        stop(pool, wait=finished)  # Ctrl-C or an error: the other builds are stopped, not waited for
    return [reports[i] for i in range(len(tasks))]
