"""Workspace layer: find the workspace root and resolve paths that may not escape it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lecturegen.diagnostics import Diagnostics, Location


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def talks_dir(self) -> Path:
        return self.root / "content" / "talks"

    @property
    def sections_dir(self) -> Path:
        return self.root / "content" / "sections"

    @property
    def audiences_dir(self) -> Path:
        return self.root / "content" / "audiences"

    @property
    def data_dir(self) -> Path:
        return self.root / "content" / "data"

    @property
    def themes_dir(self) -> Path:
        return self.root / "themes"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def bibliography(self) -> Path:
        return self.root / "bibliography.bib"

    def display(self, path: Path) -> str:
        """A path as diagnostics show it: relative to the workspace when inside it."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def talk_names(self) -> list[str]:
        if not self.talks_dir.is_dir():
            return []
        return sorted(p.stem for p in self.talks_dir.glob("*.yaml"))

    def audience_names(self) -> list[str]:
        if not self.audiences_dir.is_dir():
            return []
        return sorted(p.stem for p in self.audiences_dir.glob("*.yaml"))

    def theme_names(self) -> list[str]:
        if not self.themes_dir.is_dir():
            return []
        return sorted(p.parent.name for p in self.themes_dir.glob("*/theme.yaml"))

    def resolve_inside(
        self, relative: str, base: Path, diags: Diagnostics, at: Location, what: str = "file"
    ) -> Path | None:
        """Resolve a path written in content; refuse anything outside the workspace."""
        if not relative or "\x00" in relative:
            diags.error(f"empty or invalid {what} path", "path.invalid", at)
            return None
        candidate = Path(relative)
        full = (candidate if candidate.is_absolute() else base / candidate).resolve()
        root = self.root.resolve()
        if full != root and root not in full.parents:
            diags.error(f"{what} path '{relative}' points outside the workspace", "path.escape", at)
            return None
        if not full.is_file():
            diags.error(f"{what} '{relative}' does not exist", "path.missing", at)
            return None
        return full


def find_workspace(start: Path) -> Workspace | None:
    """Walk up from `start` to the first folder that has content/talks/."""
    current = start.resolve()
    for folder in (current, *current.parents):
        if (folder / "content" / "talks").is_dir():
            return Workspace(folder)
    return None
