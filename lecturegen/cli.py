"""CLI layer: Click commands; heavy modules are imported inside commands so `--help` stays fast."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from lecturegen import __version__
from lecturegen.cli_options import (DISCARD_EDITS_OPTION, INTERRUPTED, ROOT_OPTION, InterruptibleGroup,
                                    audience_options, chosen_audiences, open_workspace, print_diagnostics,
                                    report_build, run_command)

@click.group(cls=InterruptibleGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lecturegen")
def main() -> None:
    """Research talks from YAML outlines, BibTeX and data: slot-sized PowerPoint decks and handouts.

    \b
    Typical use:
      lecturegen build keynote-1h            build/keynote-1h.pptx
      lecturegen build keynote-1h -a mdt     tailored for a multidisciplinary team
      lecturegen timing keynote-1h --start 14:00
      lecturegen handout keynote-1h          build/keynote-1h-handout.pdf
    """


@main.command()
@click.argument("talk")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Output .pptx path.")
@click.option("--theme", help="Theme folder name in themes/ (overrides the talk's theme).")
@audience_options
@click.option("--fit", is_flag=True, help="Drop optional material, lowest priority first, until the talk fits.")
@click.option("--start", metavar="HH:MM", help="Wall-clock start for timing cues and the agenda.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--jobs", "-j", type=click.IntRange(1, 16), default=None, help="Parallel builds (default: cores).")
@click.option("--force", is_flag=True, help="Rebuild even when no input has changed since the last build.")
@click.option("--pdf", "pdf", is_flag=True, help="Also write the deck as PDF (through LibreOffice) beside it.")
@DISCARD_EDITS_OPTION
@ROOT_OPTION
def build(talk: str, output: Path | None, theme: str | None, audience: tuple[str, ...], all_audiences: bool,
          fit: bool, start: str | None, strict: bool, jobs: int | None, force: bool, pdf: bool,
          discard_edits: bool, root: Path | None) -> None:
    """Build TALK (a file in content/talks/) into a PowerPoint deck."""
    workspace = open_workspace(root)
    names = chosen_audiences(workspace, audience, all_audiences, talk, output, start)

    def action() -> int:
        from lecturegen.commands import build_many, build_one

        if len(names) == 1:
            report = build_one(workspace, talk, names[0], output, theme, fit, start, strict, use_cache=not force,
                               discard_edits=discard_edits)
            report_build(report, strict)
            if pdf and report.exit_code == 0 and report.output is not None:
                from lecturegen.commands import export_pdf

                click.echo(export_pdf(workspace, talk, names[0], theme, report.output.with_suffix(".pdf"),
                                      deck=report.output, discard_edits=discard_edits))
            return report.exit_code
        reports = build_many(workspace, talk, names, theme, fit, start, strict, jobs,
                             progress=lambda r: report_build(r, strict), use_cache=not force,
                             discard_edits=discard_edits)
        if pdf:
            from lecturegen.commands import export_pdf

            for r in reports:
                if r.exit_code == 0 and r.output is not None:
                    click.echo(export_pdf(workspace, talk, r.audience, theme, r.output.with_suffix(".pdf"),
                                          deck=r.output, discard_edits=discard_edits))
        click.echo("")
        click.echo(f"{'audience':<16} {'slides':>6} {'planned':>8} {'slot':>5} {'warnings':>8}  output")
        for r in reports:
            click.echo(f"{r.audience or '-':<16} {r.slides:>6} {r.planned_text:>8} {r.slot:>5g} "
                       f"{r.warnings:>8}  "
                       f"{r.output_display}")
        return max(r.exit_code for r in reports)

    run_command(action)


@main.command()
@click.argument("talk")
@click.option("--theme", help="Theme to check against.")
@audience_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--fit", is_flag=True, help="Check the deck as --fit would build it.")
@click.option("--spelling/--no-spelling", default=True, show_default=True,
              help="Check spelling (Hunspell, the talk's language) and the workspace's terminology.")
@click.option("--render", is_flag=True,
              help="Also draw the deck with LibreOffice and compare every rendered word with its box.")
@click.option("--design-report", type=click.Path(path_type=Path), default=None,
              metavar="FILE.png", help="Write a one-page summary of where the talk is dense (words, bullets …).")
@ROOT_OPTION
def check(talk: str, theme: str | None, audience: tuple[str, ...], all_audiences: bool, fmt: str, strict: bool,
          fit: bool, spelling: bool, render: bool, design_report: Path | None, root: Path | None) -> None:
    """Check TALK without writing anything: fit, readability, accessibility, citations, data, timing."""
    workspace = open_workspace(root)
    names = chosen_audiences(workspace, audience, all_audiences, talk)

    def action() -> int:
        from lecturegen.commands import check_talk

        # Spelling belongs to the talk's text, not to an audience: checked with the first one only.
        results = [check_talk(workspace, talk, name, theme, fit, spelling=spelling and index == 0, render=render)
                   for index, name in enumerate(names)]
        if design_report is not None:
            from lecturegen.commands import design_report as write_report

            click.echo(write_report(workspace, talk, names[0], theme, design_report), err=True)
        failed = False
        if fmt == "json":
            payload = []
            for name, (items, info) in zip(names, results):
                payload.append({"talk": talk, "audience": name, **info,
                                "findings": [d.to_json() for d in items]})
                failed |= any(d.severity == "error" or (strict and d.severity == "warning") for d in items)
            import json

            click.echo(json.dumps(payload if len(payload) > 1 else payload[0], indent=2, ensure_ascii=False))
        else:
            for name, (items, info) in zip(names, results):
                print_diagnostics(items, strict, show_info=True)
                errors = sum(1 for d in items if d.severity == "error")
                warnings = sum(1 for d in items if d.severity == "warning")
                failed |= errors > 0 or (strict and warnings > 0)
                label = f"{talk}" + (f" for '{name}'" if name else "")
                click.echo(f"{label}: {errors} error(s), {warnings} warning(s); {info.get('slides', 0)} slides; "
                           f"text measured with {info.get('measured_font', '?')}")
        return 1 if failed else 0

    run_command(action)


@main.command()
@click.argument("talk")
@audience_options
@click.option("--start", metavar="HH:MM", help="Wall-clock start (default: the talk's day_start, else elapsed).")
@click.option("--fit", is_flag=True, help="Plan as --fit would build it.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@ROOT_OPTION
def timing(talk: str, audience: tuple[str, ...], all_audiences: bool, start: str | None, fit: bool, fmt: str,
           root: Path | None) -> None:
    """Print TALK's run sheet: every slide with planned minutes, cumulative and clock time."""
    workspace = open_workspace(root)
    names = chosen_audiences(workspace, audience, all_audiences, talk, start=start)

    def action() -> int:
        from lecturegen.commands import timing_report

        outputs = [timing_report(workspace, talk, name, start, fit, fmt) for name in names]
        if fmt == "json" and len(outputs) > 1:
            import json

            click.echo(json.dumps([json.loads(o) for o in outputs], indent=2, ensure_ascii=False))
        else:
            click.echo("\n\n".join(outputs))
        return 0

    run_command(action)


@main.command()
@click.argument("talk", required=False)
@click.option("--bibliography", type=click.Path(exists=True, path_type=Path),
              help="A BibTeX (.bib), CSL-JSON (.json), CSL-YAML (.yaml) or RIS (.ris) file "
                   "(default: the talk's bibliography, or the workspace's bibliography.bib).")
@click.option("--style", help="CSL style name (apa, harvard-cite-them-right, vancouver, …) or a .csl file.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html"]), default="text")
@audience_options
@ROOT_OPTION
def refs(talk: str | None, bibliography: Path | None, style: str | None, fmt: str, audience: tuple[str, ...],
         all_audiences: bool, root: Path | None) -> None:
    """Print the formatted reference list: every entry, or the works TALK cites."""
    workspace = open_workspace(root) if (talk or bibliography is None) else None

    def action() -> int:
        from lecturegen.commands import reference_list

        name = audience[0] if audience else None
        click.echo(reference_list(workspace, talk, bibliography, style, fmt, name), nl=False)
        return 0

    run_command(action)


@main.command(name="list")
@ROOT_OPTION
@click.option("--theme", "theme", default=None, metavar="NAME",
              help="Show the theme's template: every layout of every master and the role lecturegen gives it.")
def list_(root: Path | None, theme: str | None) -> None:
    """List talks (slot, slides, planned minutes), themes and audiences; or one theme's layout roles."""
    workspace = open_workspace(root)

    def action() -> int:
        from lecturegen.commands import describe_theme, list_workspace

        click.echo(describe_theme(workspace, theme) if theme is not None else list_workspace(workspace))
        return 0

    run_command(action)


@main.command()
@click.argument("talk")
@audience_options
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx"]), default="pdf", help="Handout format.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Output path.")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", help="Paper size (PDF).")
@click.option("--thumbnails", is_flag=True, help="Slide miniatures beside note lines (needs LibreOffice).")
@click.option("--notes", "with_notes", is_flag=True, help="Include the speaker notes.")
@click.option("--start", metavar="HH:MM", help="Wall-clock start for the programme.")
@DISCARD_EDITS_OPTION
@ROOT_OPTION
def handout(talk: str, audience: tuple[str, ...], all_audiences: bool, fmt: str, output: Path | None, paper: str,
            thumbnails: bool, with_notes: bool, start: str | None, discard_edits: bool, root: Path | None) -> None:
    """Write a printable handout (PDF or DOCX) with programme, key points, charts and references."""
    workspace = open_workspace(root)
    names = chosen_audiences(workspace, audience, all_audiences, talk, output, start)

    def action() -> int:
        from lecturegen.commands import write_handout

        for name in names:
            warnings: list[Any] = []
            done = write_handout(workspace, talk, name, fmt, output, paper, thumbnails, with_notes, start,
                                 discard_edits, warnings)
            print_diagnostics(warnings)
            click.echo(done)
        return 0

    run_command(action)


@main.command(name="export-pdf")
@click.argument("talk")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Output .pdf path.")
@click.option("--theme", help="Theme folder name in themes/ (overrides the talk's theme).")
@audience_options
@DISCARD_EDITS_OPTION
@ROOT_OPTION
def export_pdf_command(talk: str, output: Path | None, theme: str | None, audience: tuple[str, ...],
                       all_audiences: bool, discard_edits: bool, root: Path | None) -> None:
    """Write TALK as a PDF through LibreOffice (one page per slide), for a backup laptop."""
    workspace = open_workspace(root)
    names = chosen_audiences(workspace, audience, all_audiences, talk, output)

    def action() -> int:
        from lecturegen.commands import export_pdf

        for name in names:
            click.echo(export_pdf(workspace, talk, name, theme, output, discard_edits=discard_edits))
        return 0

    run_command(action)


@main.command()
@click.argument("talk")
@audience_options
@click.option("--theme", help="Theme folder name in themes/ (overrides the talk's theme).")
@click.option("--fit", is_flag=True, help="Drop optional material until the talk fits.")
@click.option("--start", metavar="HH:MM", help="Wall-clock start for timing cues and the agenda.")
@click.option("--handout", is_flag=True, help="Write the PDF handout after every build too.")
@ROOT_OPTION
def watch(talk: str, audience: tuple[str, ...], all_audiences: bool, theme: str | None, fit: bool,
          start: str | None, handout: bool, root: Path | None) -> None:
    """Rebuild TALK on every saved change; a broken edit keeps the last good deck. Ctrl-C stops."""
    workspace = open_workspace(root)
    names = chosen_audiences(workspace, audience, all_audiences, talk, start=start)

    def echo(line: str, err: bool) -> None:
        click.echo(line, err=err)

    def action() -> int:
        from lecturegen.watch import watch as run

        return run(workspace, talk, names, theme, fit, start, handout, echo)

    run_command(action)


@main.command()
@click.argument("talk")
@click.argument("deck", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--apply", "apply", is_flag=True, help="Write the edits into the sources (default: show the diff).")
@click.option("--timings", type=click.Choice(["report", "minutes"]), default="report", show_default=True,
              help="Rehearsed timings: report them against the plan, or write them as each slide's 'minutes:'.")
@click.option("--deleted", type=click.Choice(["skip", "drop"]), default="skip", show_default=True,
              help="Slides deleted in the deck: marked 'skip: true' in the sources, or taken out of them.")
@click.option("--audience", "-a", "audience", default=None, metavar="NAME", help="The audience the deck was built for.")
@ROOT_OPTION
def pull(talk: str, deck: Path | None, apply: bool, timings: str, deleted: str, audience: str | None,
         root: Path | None) -> None:
    """Bring edits made to TALK's deck in PowerPoint back into the YAML sources (DECK: default build/TALK.pptx).

    Prints a unified diff of the sources; --apply writes it, keeping comments, key order and styles. Edits
    that come from a template mark, a term or a citation are reported as conflicts, never dropped."""
    workspace = open_workspace(root)

    def action() -> int:
        from lecturegen.commands import pull_deck

        report = pull_deck(workspace, talk, deck, audience, apply, timings == "minutes", deleted == "drop")
        click.echo(report.text)
        return report.exit_code

    run_command(action)


@main.command(name="import")
@click.argument("deck", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The new workspace's folder (default: ./NAME, after the deck's file name).")
def import_command(deck: Path, into: Path | None) -> None:
    """Turn DECK.pptx (from any tool) into a workspace that builds: sections, slides, notes, pictures, and the
    deck's own masters and layouts as the theme's template. What has no outline form is reported."""

    def action() -> int:
        from lecturegen.commands import import_deck

        text, _unmapped = import_deck(deck, into)
        click.echo(text)
        return 0

    run_command(action)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def new(directory: Path) -> None:
    """Create a fresh workspace in DIRECTORY with an example talk, section, bibliography and theme."""
    from lecturegen.commands import scaffold

    try:
        created = scaffold(directory)
    except FileExistsError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:  # a file where a folder must go, no permission, a full disk …
        reason = exc.strerror or str(exc)
        raise click.ClickException(f"cannot create the workspace '{directory}' ({reason[:1].lower()}{reason[1:]})") \
            from None
    click.echo(f"created workspace {directory} ({created} files); try: cd {directory} && lecturegen build example")


if __name__ == "__main__":  # pragma: no cover
    main()


__all__ = ["INTERRUPTED", "main"]  # INTERRUPTED: the line __main__.py and the tests expect
