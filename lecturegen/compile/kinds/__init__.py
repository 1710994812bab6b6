"""Compile layer: slide kinds — the registry (one module per kind, found by `registry.py`), behind one face.

Everything else asks here: which layout role a kind takes (`kind_role`), whether the talk's reveal default
applies to it (`reveals_lists`), how a spec becomes a slide (`build_slide`), every kind's name (`KIND_NAMES`),
and the outline part of the registered kinds (`OUTLINE_KINDS`, handed to the load layer by the pipeline).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from lecturegen.compile.kinds.base import Kind, KindContext, Placement
from lecturegen.compile.kinds._units import keep_units
from lecturegen.compile.kinds.registry import KINDS
from lecturegen.model.deck import Slide
from lecturegen.sources.specs import SlideSpec

__all__ = ["KIND_NAMES", "KINDS", "Kind", "KindContext", "OUTLINE_KINDS", "Placement",
           "build_slide", "keep_units", "kind_role", "reveals_lists"]

# Every slide kind's name.
KIND_NAMES: tuple[str, ...] = tuple(KINDS)
# The registered kinds as the outline reader sees them (keys and parse): `sources/yamlload.py::OutlineKind`.
OUTLINE_KINDS: Mapping[str, Kind] = KINDS


def kind_role(kind: str) -> str:
    """The layout role a slide of this kind is placed on."""
    return KINDS[kind].role


def reveals_lists(kind: str) -> bool:
    """Whether the talk's `reveal:` default applies to slides of this kind (their lists appear one per click)."""
    registered = KINDS.get(kind)
    return registered.reveal if registered is not None else False


def build_slide(spec: SlideSpec, base: Slide, ctx: KindContext) -> Slide:
    registered = KINDS[spec.kind]
    if spec.content is None:  # the outline reader reported why
        return replace(base, content=None)
    return registered.build(spec.content, base, ctx)
