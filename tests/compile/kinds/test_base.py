"""What every kind module is made of: the `Kind` entry, and the layouter's side of `Placement` and `SlideLayouter`."""

from __future__ import annotations

import inspect
from dataclasses import FrozenInstanceError, replace
from pathlib import Path

import pytest

from lecturegen.build import prepare
from lecturegen.compile.kinds import KINDS
from lecturegen.compile.kinds.base import Frame, Kind, Placement, SlideLayouter, TextRules
from lecturegen.compile.layout import Layouter
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Paragraph, Run, Slide
from lecturegen.model.geometry import Box
from lecturegen.model.shapes import Shape, TextShape
from lecturegen.model.template import LAYOUT_ROLES, Layout
from lecturegen.workspace import Workspace

STATEMENT_SLIDE = "  - kind: statement\n    title: Lent\n    statement: Present\n"


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_registered_kind_is_a_whole_entry(name: str) -> None:
    kind = KINDS[name]
    assert isinstance(kind, Kind) and kind.name == name
    assert kind.role in LAYOUT_ROLES
    assert (kind.place is None) != (kind.lay is None), "a kind is placed by exactly one of place and lay"
    assert isinstance(kind.keys, frozenset) and all(isinstance(k, str) and k for k in kind.keys)
    assert kind.minimum_minutes >= 0
    assert callable(kind.parse) and callable(kind.build)


def test_a_kind_entry_cannot_be_changed_but_a_frame_can() -> None:
    kind = KINDS["bullets"]
    with pytest.raises(FrozenInstanceError):
        kind.role = "title"  # type: ignore[misc]
    frame = Frame("content", _blank_layout(), [], Box(0, 0, 10, 10), 10)
    frame.obstacles.append(Box(0, 0, 1, 1))  # the layouter adds a logo's box to a frame it has made
    assert frame.obstacles == [Box(0, 0, 1, 1)]


def _blank_layout() -> Layout:
    return Layout(name="Blank", part="ppt/slideLayouts/slideLayout7.xml", placeholders=())


def test_text_rules_default_to_authored_balanced_text_that_does_not_continue() -> None:
    assert TextRules() == TextRules(balanced=True, continues=False, authored=True)


def _members(protocol: type) -> dict[str, inspect.Signature | None]:
    out: dict[str, inspect.Signature | None] = {}
    for name, value in vars(protocol).items():
        if name.startswith("_"):
            continue
        out[name] = inspect.signature(value) if inspect.isfunction(value) else None
    for name in getattr(protocol, "__annotations__", {}):
        out.setdefault(name, None)
    return out


def test_the_layouter_lends_every_member_of_slide_layouter_with_its_parameters() -> None:
    """A kind's `lay` calls these by name and keyword: a renamed method or parameter breaks it at build time."""
    for name, signature in _members(SlideLayouter).items():
        assert hasattr(Layouter, name) or name in ("template", "style", "sizes", "diags"), name
        if signature is not None:
            mine = inspect.signature(getattr(Layouter, name))
            assert [p for p in mine.parameters if p != "self"] == [p for p in signature.parameters if p != "self"], \
                name


@pytest.fixture
def lent(monkeypatch: pytest.MonkeyPatch, mini: Path) -> tuple[Placement, Box]:
    """What the statement kind's placer is given when the mini talk is compiled, caught on its way in."""
    caught: list[tuple[Placement, Box]] = []
    statement = KINDS["statement"]
    assert statement.place is not None
    place = statement.place

    def catching(slide: Slide, area: Box, placement: Placement) -> list[Shape]:
        caught.append((placement, area))
        return place(slide, area, placement)

    monkeypatch.setitem(KINDS, "statement", replace(statement, place=catching))
    prepare(Workspace(mini), "small", Diagnostics())
    assert caught
    return caught[0]


def test_a_placer_is_lent_the_decks_colours_fonts_and_sizes(lent: tuple[Placement, Box]) -> None:
    placement, _area = lent
    assert placement.style.colors["accent"] == "0F766E"  # calm's theme.yaml
    assert placement.size("body") == 26 and placement.size("statement") == 80
    assert placement.family() and placement.family(heading=True)
    assert placement.font().width("Relational depth", 26) > placement.font().width("depth", 26) > 0
    assert isinstance(placement.diags, Diagnostics)


def test_a_placer_can_have_text_centred_in_the_body(lent: tuple[Placement, Box]) -> None:
    placement, area = lent
    slide = Slide(kind="statement", layout="content", title=(Run("Lent"),))
    shapes = placement.centred_body(slide, (Paragraph((Run("A short line"),), style="big"),), "statement")
    texts = [s for s in shapes if isinstance(s, TextShape)]
    assert texts and "A short line" in "".join(line.text for line in texts[0].lines)
    assert texts[0].measured_height <= texts[0].insets.inner(texts[0].box).height_pt + 0.5
