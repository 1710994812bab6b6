"""Compile layer: fit a talk to its slot — drop optional material, lowest priority first, until it fits."""

from __future__ import annotations

from typing import Callable

from lecturegen.compile.draft import Draft, title_text
from lecturegen.diagnostics import Diagnostics
from lecturegen.sources.specs import TalkSpec


def fit_to_slot(drafts: list[Draft], talk: TalkSpec, slot: float, rate: float, diags: Diagnostics,
                finish: Callable[[list[Draft]], list[Draft]]) -> tuple[list[Draft], list[str]]:
    """`finish` adds the generated slides (references, agenda pages) whose number depends on what remains."""
    reserved = sum(b.minutes for b in talk.reserved)

    def total(items: list[Draft]) -> float:
        return sum(d.minutes(rate) for d in finish(items)) + reserved

    dropped: list[str] = []
    current = list(drafts)
    if total(current) <= slot:
        return current, dropped
    # Candidates: whole optional sections and optional slides, by priority (lower dropped first),
    # later material before earlier at equal priority.
    candidates: list[tuple[int, int, str, str]] = []
    seen_sections: set[str] = set()
    for index, d in enumerate(current):
        if d.section_optional and d.section not in seen_sections:
            seen_sections.add(d.section)
            candidates.append((d.section_priority, -index, "section", d.section))
        elif d.optional and not d.section_optional:
            candidates.append((d.priority, -index, "slide", str(id(d))))
    candidates.sort()
    for _, _, what, name in candidates:
        if total(current) <= slot:
            break
        if what == "section":
            removed = [d for d in current if d.section == name and d.section_optional]
            current = [d for d in current if not (d.section == name and d.section_optional)]
            dropped.append(f"section '{name}' ({len(removed)} slides, "
                           f"{sum(d.minutes(rate) for d in removed):.1f} min)")
        else:
            removed = [d for d in current if str(id(d)) == name]
            current = [d for d in current if str(id(d)) != name]
            for d in removed:
                loc = f" ({d.slide.location})" if d.slide.location else ""
                dropped.append(f"slide '{title_text(d)}'{loc}, {d.minutes(rate):.1f} min")
    if total(current) > slot:
        required = sorted(((d.minutes(rate), d) for d in current), key=lambda x: -x[0])[:5]
        listing = "; ".join(f"'{title_text(d)}' {m:.1f} min" for m, d in required)
        diags.error(f"required material alone takes {total(current):.1f} min, more than the {slot:g}-minute slot "
                    f"(longest: {listing})", "timing.required-over", talk.location)
    return current, dropped
