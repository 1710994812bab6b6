"""Command layer: `lecturegen watch` — rebuild on every saved change, in one warm process.

The process keeps what a rebuild needs warm (modules, fonts, parsed files, the store's slides and charts),
so a one-slide edit costs a fraction of a cold build. A broken edit prints its diagnostics and leaves the
last good deck in place; the next save that fixes it builds again. Ctrl-C ends it cleanly.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable, Iterable

from lecturegen.diagnostics import Diagnostic, LecturegenError
from lecturegen.store.builds import SKIPPED_AT_TOP, SKIPPED_FOLDERS
from lecturegen.store.disk import WriteError
from lecturegen.workspace import Workspace

Echo = Callable[[str, bool], None]  # (line, to stderr)


def watched(path: str, root: Path) -> bool:
    """Changes that can change a deck: what the build cache hashes (hidden folders too), not editor litter."""
    try:
        parts = Path(path).resolve().relative_to(root.resolve()).parts
    except ValueError:
        return False
    # The same folders the build key skips: a talk may name `.styles/house.csl`, so hidden ones count.
    if not parts or parts[0] in SKIPPED_AT_TOP or any(p in SKIPPED_FOLDERS for p in parts[:-1]):
        return False
    name = parts[-1]
    return not (name.endswith(("~", ".swp", ".swx", ".tmp")) or name.startswith(("#", ".#"))
                or name == ".DS_Store")


def watch(workspace: Workspace, talk: str, audiences: list[str | None], theme: str | None, fit: bool,
          start: str | None, handout: bool, echo: Echo, changes: Iterable[set[tuple[Any, str]]] | None = None,
          ) -> int:
    """Build now, then after every change; returns 0 when stopped (Ctrl-C or the change feed ends)."""
    from lecturegen.commands import build_one, write_handout

    def rebuild() -> None:
        for audience in audiences:
            began = time.perf_counter()
            try:
                report = build_one(workspace, talk, audience, None, theme, fit, start, strict=False,
                                   parallel_charts=True, use_cache=False)
            except LecturegenError as exc:
                _print(exc.diagnostics, echo)
                if any(d.code == "output.edited" for d in exc.diagnostics):
                    # Saving the sources again cannot help: the deck holds edits only `pull` can bring back.
                    echo("the edited deck is left as it is; run 'lecturegen pull' (or build with --discard-edits), "
                         "then save again", True)
                    continue
                errors = sum(1 for d in exc.diagnostics if d.severity == "error")
                echo(f"{errors} error{'s' if errors != 1 else ''}: the previous deck is unchanged; "
                     "save again to retry", True)
                continue
            except WriteError as exc:
                echo(f"error: {exc}", True)
                echo("if the deck is open in PowerPoint, close it: the next save writes it", True)
                continue
            _print([d for d in report.diagnostics if d.severity != "info"], echo)
            echo(f"{report.summary} ({(time.perf_counter() - began) * 1000:.0f} ms)", False)
            if handout:
                try:
                    echo(write_handout(workspace, talk, audience, "pdf", None, "a4", False, False, start), False)
                except (LecturegenError, WriteError) as exc:
                    echo(f"handout not written: {exc}", True)

    rebuild()
    echo(f"watching {workspace.root} for changes (Ctrl-C to stop)", True)
    if changes is None:
        import logging

        from watchfiles import watch as file_changes

        logging.getLogger("watchfiles").setLevel(logging.ERROR)  # its own "stopping" line: we say "stopped"
        feed: Iterable[set[tuple[Any, str]]] = file_changes(workspace.root, watch_filter=lambda _change, path: watched(path, workspace.root),
                               debounce=60, step=20, raise_interrupt=False, rust_timeout=0)
    else:
        feed = changes
    try:
        for batch in feed:
            if not any(watched(path, workspace.root) for _, path in batch):
                continue
            rebuild()
    except KeyboardInterrupt:
        pass
    echo("stopped", True)
    return 0


def _print(items: list[Diagnostic], echo: Echo) -> None:
    for d in items:
        echo(d.render(), True)


__all__ = ["watch", "watched"]
