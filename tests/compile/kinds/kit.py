"""Test helpers for the kind modules: read one slide's keys as the outline reader does, and build a small deck
whose one section holds the slides a test writes (the calm theme), to see what a kind built and placed."""

from __future__ import annotations

import textwrap
from pathlib import Path

from lecturegen.build import prepare
from lecturegen.compile.kinds import KINDS
from lecturegen.diagnostics import Diagnostics, LecturegenError
from lecturegen.model.deck import Deck, Slide
from lecturegen.model.geometry import Box
from lecturegen.model.shapes import Shape
from lecturegen.sources.outline import COMMON_KEYS
from lecturegen.sources.specs import KindSpec
from lecturegen.sources.yamlload import Ctx, Fields, compose_yaml
from lecturegen.workspace import Workspace
from tests.conftest import MINI_BIB, write_workspace

TALK = """\
title: Kinds
presenter: Test Presenter
slot: 60
theme: calm
sections:
  - use: kinds
"""


def parse(kind: str, text: str) -> tuple[KindSpec | None, list[str]]:
    """The kind's spec from one slide's YAML, and every problem reported, rendered."""
    diags = Diagnostics()
    node = compose_yaml(textwrap.dedent(text), "s.yaml", diags)
    assert node is not None
    entry = KINDS[kind]
    spec = entry.parse(Fields(node, Ctx("s.yaml", diags, dict(KINDS)), COMMON_KEYS | entry.keys, f"{kind} slide"),
                       node)
    return spec, [d.render() for d in diags.items]


def deck(root: Path, slides: str, files: dict[str, str] | None = None) -> tuple[Deck, list[str]]:
    """A built deck whose one section holds `slides` (YAML list items, indented as written), and its messages;
    a build that fails returns no deck but its messages."""
    section = "title: Kinds\nslides:\n" + textwrap.indent(textwrap.dedent(slides), "  ")
    workspace = write_workspace(root / "ws", {"bibliography.bib": MINI_BIB, "content/talks/kinds.yaml": TALK,
                                              "content/sections/kinds.yaml": section, **(files or {})})
    diags = Diagnostics()
    try:
        built = prepare(Workspace(workspace), "kinds", diags).result.deck
    except LecturegenError:
        raise AssertionError("\n".join(d.render() for d in diags.items)) from None
    return built, [d.render() for d in diags.items]


def slides_of(built: Deck, kind: str) -> list[Slide]:
    return [s for s in built.slides if s.kind == kind]


def inside(shape: Shape, built: Deck) -> bool:
    """Whether the shape stands on the slide."""
    box: Box = shape.box
    return box.x >= 0 and box.y >= 0 and box.right <= built.width and box.bottom <= built.height
