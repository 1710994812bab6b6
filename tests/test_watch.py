"""`lecturegen watch`: rebuilds on each change, survives a broken edit, keeps the last good deck, stops cleanly."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from lecturegen.watch import watch, watched
from lecturegen.workspace import Workspace


def test_rebuilds_after_each_change_and_survives_a_broken_edit(mini: Path) -> None:
    section = mini / "content" / "sections" / "intro.yaml"
    deck = mini / "build" / "small.pptx"
    lines: list[tuple[str, bool]] = []
    good = section.read_text(encoding="utf-8")
    decks: list[bytes] = []

    def edits() -> Iterator[set[tuple[object, str]]]:
        decks.append(deck.read_bytes())
        section.write_text(good.replace("First findings", "First results"), encoding="utf-8")
        yield {(2, str(section))}
        decks.append(deck.read_bytes())
        section.write_text(good.replace("kind: statement", "kind: statment"), encoding="utf-8")  # broken
        yield {(2, str(section))}
        decks.append(deck.read_bytes())
        yield {(2, str(mini / "build" / "small.pptx"))}  # its own output: ignored
        section.write_text(good, encoding="utf-8")
        yield {(2, str(section))}
        decks.append(deck.read_bytes())

    code = watch(Workspace(mini), "small", [None], None, False, None, False,
                 lambda line, err: lines.append((line, err)), changes=edits())
    assert code == 0
    out = [line for line, err in lines if not err]
    errors = [line for line, err in lines if err]
    assert len(out) == 3 and all(line.startswith("built build/small.pptx: ") for line in out)
    assert any("unknown slide kind 'statment'" in line for line in errors)
    assert any("the previous deck is unchanged" in line for line in errors)
    assert decks[1] != decks[0]  # the edit was built
    assert decks[2] == decks[1]  # the broken edit left the last good deck
    assert decks[3] == decks[0]  # and the fix builds the original again, byte for byte
    assert errors[-1] == "stopped"


def test_only_workspace_inputs_trigger_a_build(tmp_path: Path) -> None:
    assert watched(str(tmp_path / "content" / "talks" / "a.yaml"), tmp_path)
    assert watched(str(tmp_path / "bibliography.bib"), tmp_path)
    assert not watched(str(tmp_path / "build" / "a.pptx"), tmp_path)
    assert not watched(str(tmp_path / "content" / ".a.yaml.swp"), tmp_path)
    assert not watched(str(tmp_path / "content" / "a.yaml~"), tmp_path)
    assert not watched("/elsewhere/a.yaml", tmp_path)
    # Hidden folders are inputs like any other (a talk may name `.styles/house.csl`), as the build key has it;
    # tool folders, editor locks and lecturegen's own temporary files are not.
    assert watched(str(tmp_path / ".styles" / "house.csl"), tmp_path)
    assert not watched(str(tmp_path / ".git" / "index"), tmp_path)
    assert not watched(str(tmp_path / "content" / "__pycache__" / "x.pyc"), tmp_path)
    assert not watched(str(tmp_path / "content" / ".#a.yaml"), tmp_path)
    assert not watched(str(tmp_path / "content" / ".lecturegen-x1.tmp"), tmp_path)
