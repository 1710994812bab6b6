"""CLI layer: what every command shares — the workspace and audience options and their checks, diagnostics
printed, content errors as exit 1 and Ctrl-C as one line and exit 130."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import click

if TYPE_CHECKING:  # imported where a command runs: `--help` loads click and nothing else of ours
    from lecturegen.diagnostics import Diagnostic
    from lecturegen.workspace import Workspace

DISCARD_EDITS_OPTION = click.option(
    "--discard-edits", is_flag=True,
    help="Replace an output edited since lecturegen wrote it, keeping the edited one as NAME.edited-<time>.EXT "
         "(without it, such an output is never overwritten; see 'lecturegen pull').")

ROOT_OPTION = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Workspace folder (default: the nearest folder above the current one with content/talks/).",
)


def open_workspace(root: Path | None) -> Workspace:
    from lecturegen.workspace import Workspace, find_workspace

    if root is not None:
        if not (root / "content" / "talks").is_dir():
            raise click.UsageError(f"'{root}' is not a lecturegen workspace (no content/talks/ folder)")
        return Workspace(root.resolve())
    found = find_workspace(Path.cwd())
    if found is None:
        raise click.UsageError("no lecturegen workspace here (no content/talks/ in this folder or above); "
                               "use --root DIR or create one with 'lecturegen new DIR'")
    return found


def print_diagnostics(items: list[Diagnostic], strict: bool = False, show_info: bool = False) -> None:
    for d in items:
        if d.severity == "info" and not show_info:
            continue
        line = d.render()
        if strict and d.severity == "warning":
            line = line.replace(": warning: ", ": error: ", 1)
        click.echo(line, err=True)


INTERRUPTED = "interrupted (Ctrl-C); no output was left half-written"


class Interrupted(BaseException):
    """Ctrl-C, raised by our SIGINT handler: not a KeyboardInterrupt, which Click turns into "Aborted!" and
    exit 1, and not an Exception, which a command's clean-up could swallow; `finally` blocks still run."""


def _on_sigint(signum: int, frame: object) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C during the clean-up is not a traceback
    raise Interrupted


class InterruptibleGroup(click.Group):
    """The command group: Ctrl-C at any moment of any command is one line and exit 130, as shells expect
    (outputs are written atomically, so stopping leaves nothing half-written)."""

    _whole_process = False  # called as the program (`lecturegen …`, `python -m lecturegen`), not by a test runner

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self._whole_process = True
        return super().__call__(*args, **kwargs)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        import signal
        import threading

        ours = threading.current_thread() is threading.main_thread() \
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler  # not where SIGINT is ignored
        previous = signal.signal(signal.SIGINT, _on_sigint) if ours else None
        exiting = False
        try:
            return super().main(*args, **kwargs)
        except (Interrupted, KeyboardInterrupt):
            exiting = True
            click.echo(INTERRUPTED, err=True)
            sys.exit(130)
        except SystemExit:
            exiting = True
            raise
        finally:
            if ours:
                # A program that is exiting ignores a Ctrl-C that comes after its command ended: restoring
                # Python's handler there let one land during shutdown and kill the process by the signal.
                signal.signal(signal.SIGINT, signal.SIG_IGN if exiting and self._whole_process else previous)


def run_command(action: Callable[[], int]) -> None:
    """Turn content problems into exit 1 with located diagnostics; never a traceback for bad input."""
    from lecturegen.diagnostics import LecturegenError

    try:
        code = action()
    except KeyboardInterrupt:
        raise Interrupted from None
    except LecturegenError as exc:
        print_diagnostics(exc.diagnostics)
        errors = sum(1 for d in exc.diagnostics if d.severity == "error")
        click.echo(f"{errors} error{'s' if errors != 1 else ''}; nothing written", err=True)
        sys.exit(1)
    sys.exit(code)


def chosen_audiences(workspace: Workspace, audience: tuple[str, ...], all_audiences: bool,
               talk: str | None = None, output: Path | None = None, start: str | None = None) -> list[str | None]:
    """The audiences asked for (None: the talk as written); `-o` and `--start` checked against them first."""
    if start is not None:
        check_start(start)
    names = _audience_names(workspace, audience, all_audiences, talk)
    if output is not None and len(names) > 1:
        raise click.UsageError("-o/--output names one file; it cannot be used with several audiences")
    return names


def _audience_names(workspace: Workspace, audience: tuple[str, ...], all_audiences: bool,
                    talk: str | None) -> list[str | None]:
    if all_audiences:
        names = _offered(workspace, talk) if talk else workspace.audience_names()
        if not names:
            raise click.UsageError("--all-audiences: there are no profiles in content/audiences/")
        return list(names)
    return list(audience) or [None]


AUDIENCE_OPTIONS = [
    click.option("--audience", "-a", multiple=True, metavar="NAME",
                 help="Tailor for an audience profile in content/audiences/ (repeatable)."),
    click.option("--all-audiences", is_flag=True, help="One output per audience profile."),
]


def audience_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(AUDIENCE_OPTIONS):
        func = option(func)
    return func


def _offered(workspace: Workspace, talk: str) -> list[str]:
    """The profiles a talk is offered to (its `audiences:` list), or every profile."""
    from lecturegen.commands import offered_audiences

    return offered_audiences(workspace, talk)


def check_start(start: str) -> None:
    from lecturegen.commands import is_clock_time

    if not is_clock_time(start):
        raise click.BadParameter(f"'{start}' is not a time like 14:00", param_hint="--start")


def report_build(report: Any, strict: bool) -> None:
    print_diagnostics(report.diagnostics, strict, show_info=True)
    if report.dropped:
        click.echo(f"--fit dropped {len(report.dropped)} item(s) to fit the slot:", err=True)
        for item in report.dropped:
            click.echo(f"  - {item}", err=True)
    click.echo(report.summary)
