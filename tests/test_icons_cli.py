"""CLI end to end: icons named in an outline become native shapes in the deck and a credit in the handout."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from lecturegen.cli import main
from tests.conftest import write_workspace

TALK = """\
title: Icons
presenter: Test Presenter
slot: 10
theme: calm
sections:
  - use: icons
"""

SECTION = """\
title: Icons
slides:
  - kind: statement
    title: Every one of them
    statement: 8 of 8
    icon: heart
  - kind: bullets
    title: How we are seen
    icon: scan-eye
    bullets:
      - We often misperceive each other
      - We can test what we assume
  - kind: diagram
    title: Readiness comes first
    type: process
    steps:
      - {label: Readiness, icon: hourglass}
      - {label: Depth, icon: heart-handshake}
      - Change
"""


def _workspace(tmp_path: Path, section: str = SECTION) -> Path:
    return write_workspace(tmp_path / "ws", {"content/talks/icons.yaml": TALK,
                                             "content/sections/icons.yaml": section})


def _icons(shapes: object) -> list[tuple[str, str]]:
    """(alt text, line colour) of every custom-geometry shape, groups included."""
    found = []
    for shape in shapes:  # type: ignore[attr-defined]
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            found += _icons(shape.shapes)
            continue
        element = shape._element
        if element.find(".//{*}custGeom") is not None:
            colour = element.find(".//{*}ln/{*}solidFill/{*}srgbClr").get("val")
            found.append((element.find(".//{*}cNvPr").get("descr"), colour))
    return found


def test_icons_on_a_statement_a_bullet_list_and_diagram_steps_are_native_shapes(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    result = CliRunner().invoke(main, ["build", "icons", "--root", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    prs = Presentation(str(root / "build" / "icons.pptx"))
    by_title = {s.shapes.title.text_frame.text: _icons(s.shapes) for s in prs.slides if s.shapes.title is not None}
    assert [alt for alt, _ in by_title["Every one of them"]] == ["Icon: heart"]
    assert [alt for alt, _ in by_title["How we are seen"]] == ["Icon: scan eye"]
    assert [alt for alt, _ in by_title["Readiness comes first"]] == ["Icon: hourglass", "Icon: heart handshake"]
    assert by_title["Every one of them"][0][1] == "0F766E"  # the calm theme's accent


def test_the_handout_credits_the_icon_set_and_names_the_icons(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    result = CliRunner().invoke(main, ["handout", "icons", "--root", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = " ".join(page.extract_text() for page in PdfReader(str(root / "build" / "icons-handout.pdf")).pages)
    assert "Icons: Lucide (lucide.dev), ISC licence." in text
    assert "heart, heart-handshake, hourglass, scan-eye" in " ".join(text.split())


def test_an_unknown_icon_is_a_located_error_and_nothing_is_written(tmp_path: Path) -> None:
    root = _workspace(tmp_path, SECTION.replace("icon: heart\n", "icon: hart\n"))
    result = CliRunner().invoke(main, ["build", "icons", "--root", str(root)], catch_exceptions=False)
    assert result.exit_code == 1
    assert ("content/sections/icons.yaml:6:11: error: unknown icon 'hart' (did you mean 'heart'?) [icon.unknown]"
            in result.output)
    assert "Traceback" not in result.output
    assert not (root / "build" / "icons.pptx").exists()
