"""CLI end to end: the example talk with one slide of every diagram type builds, and its groups hold the text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from lecturegen.cli import main
from lecturegen.compile.kinds.diagram import TYPES

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "tests" / "fixtures" / "diagrams"


@pytest.fixture
def diagrams(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(EXAMPLE, root)
    shutil.copytree(REPO / "themes" / "calm", root / "themes" / "calm")
    return root


def test_every_diagram_type_builds_into_groups_that_hold_their_text(diagrams: Path) -> None:
    result = CliRunner().invoke(main, ["build", "diagrams", "--root", str(diagrams)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    prs = Presentation(str(diagrams / "build" / "diagrams.pptx"))
    groups = {}
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
                groups[shape.name.removeprefix("Diagram: ")] = (slide, shape)
    assert set(groups) == set(TYPES)
    for name, (slide, group) in groups.items():
        text = " ".join(s.text_frame.text for s in group.shapes if s.has_text_frame)
        assert text.strip(), name
        assert group._element.nvGrpSpPr.cNvPr.get("descr"), name  # alt text on the group
        assert slide.shapes.title is not None and slide.shapes.title.text_frame.text  # a real title placeholder
    process = " ".join(s.text_frame.text for s in groups["process"][1].shapes if s.has_text_frame)
    assert "Readiness" in process and "both people willing" in process
    cards = " ".join(s.text_frame.text for s in groups["cards"][1].shapes if s.has_text_frame)
    assert "Remembered for years" in cards


def test_a_broken_diagram_is_a_located_error_and_nothing_is_written(diagrams: Path) -> None:
    section = diagrams / "content" / "sections" / "diagrams.yaml"
    section.write_text(section.read_text().replace("type: funnel", "type: funnell"), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "diagrams", "--root", str(diagrams)], catch_exceptions=False)
    assert result.exit_code == 1
    assert ("content/sections/diagrams.yaml:31:11: error: unknown diagram type 'funnell' (did you mean 'funnel'?) "
            "[diagram.type]") in result.output
    assert not (diagrams / "build" / "diagrams.pptx").exists()
