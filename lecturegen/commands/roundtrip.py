"""Command layer: the round trip — `pull` (a presenter's edits back into the sources) and `import`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from lecturegen.build import default_output
from lecturegen.commands.outputs import _write_error
from lecturegen.diagnostics import Diagnostic, LecturegenError, Location
from lecturegen.records import record
from lecturegen.store.disk import WriteError, write_atomic
from lecturegen.workspace import Workspace

if TYPE_CHECKING:
    from lecturegen.model.pull import PullPlan
    from lecturegen.model.roundtrip import DeckSnapshot


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
    from lecturegen.compile.pull import plan_pull
    from lecturegen.sources.deck import read_media

    target = deck or default_output(workspace, talk, audience)
    found = _pulled_deck(workspace, talk, deck, audience, target)
    known = {s.uid for s in found.written.slides}
    media = read_media(found.data, [shape.picture for slide in found.edited.slides if slide.uid not in known
                                    for shape in slide.shapes if shape.picture])
    images_dir = workspace.root / "content" / "images"
    taken = frozenset(p.stem for p in images_dir.iterdir()) if images_dir.is_dir() else frozenset()
    plan = plan_pull(found.written, found.edited, list(found.record.get("sources") or []), timings_to_minutes,
                     frozenset(media), taken, drop_deleted)
    by_file: dict[str, list[Any]] = {}
    for edit in plan.edits:
        by_file.setdefault(edit.at.path, []).append(edit)
    conflicts = list(plan.conflicts)
    diffs, results = _edited_sources(workspace, by_file, conflicts)
    new_images = {workspace.root / path: media[part] for part, path in plan.pictures if part in media}
    diffs += [f"new picture {workspace.display(path)} (from the deck)\n" for path in new_images]
    diff = "".join(d if d.endswith("\n") else d + "\n" for d in diffs)
    lines = _pull_findings(diff, conflicts, plan, found.display)
    open_items = len(conflicts) + len(plan.unplaced)
    changes = sum(len(e) for e in by_file.values())
    if apply:
        _write_pulled(workspace, new_images, results)
        lines.append(_after_apply(workspace, talk, target, found, changes, len(results), open_items))
    elif changes or open_items:
        lines.append(f"{changes} edit(s) to {len(results)} file(s)" + (f", {open_items} item(s) need you"
                                                                       if open_items else "")
                     + "; run again with --apply to write them")
    else:
        lines.append(f"'{found.display}' has no edits to bring back")
    return PullReport(diff, "\n".join(lines), changes, open_items, 1 if open_items else 0)


@record(frozen=False)
class _PulledDeck:
    """The deck `pull` reads, its record and the two snapshots it compares."""

    display: str
    records: Path
    record: dict[str, Any]
    data: bytes
    written: DeckSnapshot
    edited: DeckSnapshot


def _pulled_deck(workspace: Workspace, talk: str, deck: Path | None, audience: str | None,
                 target: Path) -> _PulledDeck:
    """The edited deck and the copy lecturegen wrote, or a located error saying why they cannot be compared."""
    from lecturegen.sources.deck import DeckError, read_deck
    from lecturegen.store.outputs import load_record, record_path, written_snapshot

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
    return _PulledDeck(display, records, record_data, data, written, edited)


def _edited_sources(workspace: Workspace, by_file: dict[str, list[Any]],
                    conflicts: list[Any]) -> tuple[list[str], dict[Path, str]]:
    """Each source file with its edits made (in memory), as unified diffs and new texts; conflicts are added."""
    import difflib

    from lecturegen.sources.yaml_edit import YamlEditError, YamlFile, apply_edits

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
    return diffs, results


def _pull_findings(diff: str, conflicts: list[Any], plan: PullPlan, display: str) -> list[str]:
    """The lines `pull` prints before what it did: the diff, conflicts, what has no place, rehearsed timings."""
    lines: list[str] = []
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
    return lines


def _write_pulled(workspace: Workspace, new_images: dict[Path, bytes], results: dict[Path, str]) -> None:
    try:
        for image, blob in new_images.items():
            write_atomic(image, blob, workspace.display(image))
        for path, text in results.items():
            write_atomic(path, text.encode("utf-8"), workspace.display(path))
    except WriteError as exc:
        raise _write_error(exc) from None


def _after_apply(workspace: Workspace, talk: str, target: Path, found: _PulledDeck, changes: int, files: int,
                 open_items: int) -> str:
    """What `pull --apply` did; when every edit found its place, the deck's record moves on to the edited deck."""
    import hashlib

    from lecturegen.store.outputs import record_path, save_record

    if open_items == 0 and found.records == record_path(workspace.build_dir, target):
        # The sources now say what the deck says: the deck may be replaced by the next build. (A copy edited
        # elsewhere leaves the built deck, and its record, as they are.)
        record_data = {**found.record, "digest": hashlib.sha256(found.data).hexdigest(), "pulled": True}
        save_record(found.records, record_data, found.data)
        return f"applied {changes} edit(s) to {files} file(s); 'lecturegen build {talk}' may now replace the deck"
    return (f"applied {changes} edit(s) to {files} file(s); {open_items} item(s) above need you: "
            f"the deck stays protected until you build with --discard-edits")


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
