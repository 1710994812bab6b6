"""Compile layer: the section slide kind — a change of part, its title and a subtitle, on the section layout."""

from __future__ import annotations

from lecturegen.compile.kinds import _subtitle
from lecturegen.compile.kinds.base import Kind

KIND = Kind(name="section", keys=frozenset({"subtitle"}), parse=_subtitle.parse, build=_subtitle.build,
            role="section", place=None, minimum_minutes=0.25, lay=_subtitle.lay)
