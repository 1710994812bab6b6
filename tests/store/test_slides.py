"""Per-slide reuse: an edit to one slide re-renders that slide only, and the deck is the same bytes as a full build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lecturegen.build import prepare, render_deck, store_for
from lecturegen.diagnostics import Diagnostics
from lecturegen.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]


def _slide_entries(root: Path) -> set[str]:
    folder = root / "build" / ".cache" / "slides"
    return {p.name for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else set()


def _deck(root: Path, talk: str) -> bytes:
    workspace = Workspace(root)
    store = store_for(workspace)
    return render_deck(prepare(workspace, talk, Diagnostics(), store=store), store, parallel_charts=False)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reuse") / "ws"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "themes", root / "themes")
    shutil.copy(REPO / "bibliography.bib", root / "bibliography.bib")
    return root


@pytest.mark.parametrize("talk", ["keynote-1h", "keynote-2h", "workshop-1day", "workshop-2day"])
def test_an_edited_deck_equals_a_full_build(workspace: Path, talk: str) -> None:
    _deck(workspace, talk)  # every slide rendered once and kept
    before = _slide_entries(workspace)
    # One word of one slide's title, and one of its notes (which moves every later slide's timing cue).
    talk_file = workspace / "content" / "talks" / f"{talk}.yaml"
    text = talk_file.read_text(encoding="utf-8")
    section = next(line.split("use:")[1].strip().split()[0] for line in text.splitlines() if "use:" in line)
    path = workspace / "content" / "sections" / f"{section}.yaml"
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    at = [i for i, line in enumerate(lines) if line.startswith("    title: ")][0]
    lines[at] = lines[at].rstrip("\n").rstrip('"') + (f" {talk}" if not lines[at].rstrip().endswith('"') else
                                                      f" {talk}\"") + "\n"
    edited = "".join(lines).replace("notes: >\n", "notes: >\n      Indeed,\n", 1)
    assert edited != original
    path.write_text(edited, encoding="utf-8")
    try:
        incremental = _deck(workspace, talk)
        added = _slide_entries(workspace) - before
        # Written again: the slide whose title changed, the one whose notes changed (its rehearsal time), and
        # the slides that show clock times (agenda pages, break slides). Later slides' timing cues live in
        # their notes, which are kept apart, so nothing else is re-rendered.
        deck = prepare(Workspace(workspace), talk, Diagnostics()).result.deck
        showing_times = sum(1 for s in deck.slides if s.kind in ("agenda", "break"))
        assert 1 <= len(added) <= 2 + showing_times, (len(added), showing_times)
        assert len(added) < len(deck.slides) // 4
        shutil.rmtree(workspace / "build" / ".cache" / "slides")
        full = _deck(workspace, talk)
        assert incremental == full
    finally:
        path.write_text(original, encoding="utf-8")
