"""Command layer: every output written — guarded against replacing an input or an edited output, atomic, recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lecturegen.build import Prepared
from lecturegen.diagnostics import Diagnostic, LecturegenError, Location
from lecturegen.store.disk import WriteError, guard_output, write_atomic
from lecturegen.workspace import Workspace


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
    from lecturegen.store.outputs import (
        deck_record,
        file_digest,
        file_record,
        guard_edits,
        load_record,
        record_path,
        save_record,
    )

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
    from lecturegen.store.outputs import EditedOutputError

    if isinstance(exc, EditedOutputError):
        return LecturegenError([Diagnostic("error", str(exc), "output.edited", Location(exc.display))])
    return LecturegenError([Diagnostic("error", str(exc), "output.write", Location(at) if at else None)])
