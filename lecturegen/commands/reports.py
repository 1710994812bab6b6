"""Command layer: what is printed rather than written — timings, reference lists, themes, the workspace."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from lecturegen.build import prepare, store_for
from lecturegen.diagnostics import Diagnostics, LecturegenError, Location
from lecturegen.workspace import Workspace, not_a_file

if TYPE_CHECKING:
    from lecturegen.compile.citations import CitationEngine
    from lecturegen.compile.timing import TimingPlan
    from lecturegen.sources.bibliography import Bibliography


def offered_audiences(workspace: Workspace, talk: str) -> list[str]:
    """The profiles a talk is offered to (its `audiences:` list), or every profile."""
    from lecturegen.sources.outline import talk_audiences

    offered = talk_audiences(workspace, talk, Diagnostics())
    return [n for n in workspace.audience_names() if not offered or n in offered]


def is_clock_time(value: str) -> bool:
    from lecturegen.compile.timing import parse_clock

    return parse_clock(value) is not None


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

    rows, sections = _timing_rows(plan, when, origin is not None)
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


def _timing_rows(plan: TimingPlan, when: Callable[[float], str],
                 clocked: bool) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The plan's slides and sections as rows, with clock times when the talk has a start."""
    rows: list[dict[str, Any]] = []
    cumulative = 0.0
    for item in plan.items:
        cumulative = item.start + item.minutes
        shift = item.clock_shift if clocked else 0.0
        rows.append({
            "number": item.number, "title": item.title, "kind": item.kind, "section": item.section,
            "day": item.day, "minutes": round(item.minutes, 2), "start": round(item.start, 2),
            "cumulative": round(cumulative, 2), "clock_start": when(item.start + shift),
            "clock_end": when(item.start + item.minutes + shift), "speaking": item.speaking,
        })
    sections = [{"title": s.title, "day": s.day, "start": round(s.start, 2), "minutes": round(s.minutes, 2),
                 "slides": s.slides, "clock_start": when(s.start + (s.clock_shift if clocked else 0.0)),
                 "speaking": s.speaking}
                for s in plan.sections]
    return rows, sections


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
    from lecturegen.build import load_template
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
