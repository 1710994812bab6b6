"""Command layer: handouts, the deck as PDF, and a new workspace."""

from __future__ import annotations

import shutil
from pathlib import Path

from lecturegen.build import Prepared, default_output, prepare, render_deck, store_for
from lecturegen.commands.outputs import _kept_note, _refuse_early, _write_error, _write_output
from lecturegen.diagnostics import Diagnostic, Diagnostics
from lecturegen.store.disk import Store, WriteError
from lecturegen.workspace import Workspace


def write_handout(workspace: Workspace, talk: str, audience: str | None, fmt: str, output: Path | None,
                  paper: str, thumbnails: bool, with_notes: bool, start: str | None,
                  discard_edits: bool = False, warnings: list[Diagnostic] | None = None) -> str:
    """The handout written; what it had to simplify (crowded charts) is added to `warnings`."""
    from lecturegen.compile.handout import HandoutOptions, crowded_chart_warnings, deck_to_handout
    from lecturegen.render.handout import chart_requests, render_handout
    from lecturegen.sources.fonts import print_faces
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
        faces = [f for f in {print_faces(handout.style.body.family), print_faces(handout.style.heading.family)} if f]
        data = render_handout(handout, fmt, drawer.png, sorted(faces, key=lambda f: f.theme_font))
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
