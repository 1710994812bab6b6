"""Compile tests: the kind registry — one entry gives a kind its outline keys, record, role, placement and time."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from yaml.nodes import Node

from lecturegen.build import prepare
from lecturegen.compile.kinds import KINDS, OUTLINE_KINDS, build_slide, kind_role
from lecturegen.compile.kinds.base import Kind, KindContext, Placement
from lecturegen.compile.kinds.registry import registry
from lecturegen.compile.timing import estimate_minutes
from lecturegen.diagnostics import Diagnostics, LecturegenError, Location
from lecturegen.model.deck import Run, Slide
from lecturegen.model.geometry import Box
from lecturegen.model.shapes import RectShape, Shape
from lecturegen.records import record
from lecturegen.sources.specs import KindSpec
from lecturegen.sources.yamlload import Fields
from lecturegen.workspace import Workspace


@record
class BannerSpec:
    location: Location
    colour: str


@record
class Banner:
    colour: str

    def texts(self) -> tuple[tuple[Run, ...], ...]:
        return ()


def _parse(fields: Fields, node: Node) -> KindSpec | None:
    colour = fields.str("colour", required=True)
    return BannerSpec(fields.loc(), colour) if colour else None


def _build(spec: KindSpec, slide: Slide, ctx: KindContext) -> Slide:
    assert isinstance(spec, BannerSpec)
    return replace(slide, content=Banner(spec.colour))


def _place(slide: Slide, area: Box, lent: Placement) -> list[Shape]:
    assert isinstance(slide.content, Banner)
    return [RectShape("Banner", Box(area.x, area.y, area.cx, area.cy // 4), slide.content.colour)]


BANNER = Kind("banner", frozenset({"colour"}), _parse, _build, "title-only", _place, 0.2)


@pytest.fixture
def banner(monkeypatch: pytest.MonkeyPatch) -> Kind:
    monkeypatch.setitem(KINDS, "banner", BANNER)
    return BANNER


def test_a_name_registered_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        registry(BANNER, BANNER)


def test_role_time_and_builder_come_from_the_entry(banner: Kind) -> None:
    assert kind_role("banner") == "title-only"
    assert kind_role("chart") == "title-only"  # the older table still answers for the one unregistered kind
    assert estimate_minutes("banner", "", 130, None) == 0.2
    slide = Slide(kind="banner", layout="title-only", title=(Run("Hi"),))
    spec = replace_spec("336699")
    built = build_slide(spec, slide, None)  # type: ignore[arg-type]  # the builder reads no context
    assert built.content == Banner("336699")
    assert OUTLINE_KINDS["banner"] is banner


def replace_spec(colour: str):  # type: ignore[no-untyped-def]
    from lecturegen.sources.specs import SlideSpec

    at = Location("x.yaml", 1, 1)
    return SlideSpec(kind="banner", location=at, content=BannerSpec(at, colour))


def test_the_outline_reader_checks_a_registered_kinds_keys(banner: Kind, mini: Path) -> None:
    section = mini / "content" / "sections" / "intro.yaml"
    section.write_text(section.read_text() + "  - kind: banner\n    title: A banner\n    colour: 336699\n"
                       "  - kind: banner\n    title: Wrong\n    color: 336699\n", encoding="utf-8")
    diags = Diagnostics()
    with pytest.raises(LecturegenError):
        prepare(Workspace(mini), "small", diags)
    lines = [d.render() for d in diags.items]
    assert any("unknown key 'color'" in line and "colour" in line for line in lines), lines


def test_a_registered_kind_is_placed_by_its_own_placer(banner: Kind, mini: Path) -> None:
    section = mini / "content" / "sections" / "intro.yaml"
    section.write_text(section.read_text() + "  - kind: banner\n    title: A banner\n    colour: '336699'\n",
                       encoding="utf-8")
    deck = prepare(Workspace(mini), "small", Diagnostics()).result.deck
    slide = next(s for s in deck.slides if s.kind == "banner")
    assert slide.layout == "title-only"
    rects = [s for s in slide.shapes if isinstance(s, RectShape) and s.name == "Banner"]
    assert rects and rects[0].fill == "336699"
    assert slide.minutes >= 0.2


def test_the_registry_finds_every_kind_module_and_each_has_its_test() -> None:
    import pkgutil

    from lecturegen.compile import kinds as package
    from lecturegen.compile.kinds.registry import MACHINERY

    modules = [m.name for m in pkgutil.iter_modules(package.__path__)
               if m.name not in MACHINERY and not m.name.startswith("_")]
    here = Path(__file__).parent
    for name in modules:
        assert (here / f"test_{name}.py").is_file(), f"compile/kinds/{name}.py has no test module"
    assert set(KINDS) >= {"bullets", "quote", "table", "image", "photo", "image-text", "exercise", "discussion",
                          "break", "closing", "section", "title", "agenda", "references", "finding", "question",
                          "big-number", "two-column", "comparison", "statement", "diagram", "chart"}
