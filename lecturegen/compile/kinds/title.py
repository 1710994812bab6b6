"""Compile layer: the title slide kind — the talk's title and a subtitle, on the template's title layout."""

from __future__ import annotations

from lecturegen.compile.kinds import _subtitle
from lecturegen.compile.kinds.base import Kind

KIND = Kind(name="title", keys=frozenset({"subtitle"}), parse=_subtitle.parse, build=_subtitle.build, role="title",
            place=None, minimum_minutes=0.5, lay=_subtitle.lay)
