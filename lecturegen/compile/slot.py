"""Compile layer: fit a talk to its slot — drop optional material, lowest priority first, until it fits."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from lecturegen.compile.draft import Draft, title_text
from lecturegen.compile.text import TextResolver
from lecturegen.diagnostics import Diagnostics
from lecturegen.sources.specs import SectionSpec, TalkSpec


def apply_budgets(drafts: list[Draft], sections: list[SectionSpec], text: TextResolver, rate: float,
                  diags: Diagnostics) -> list[Draft]:
    """Sections with `minutes:` take exactly that long: slides without minutes of their own share what the
    fixed ones leave, in proportion to their estimates, so a workshop's sessions start on the clock."""
    out = list(drafts)
    for section in sections:
        if section.minutes is None:
            continue
        name = "".join(r.text for r in text.runs(section.title))
        members = [i for i, d in enumerate(out) if d.section == name]
        if not members:
            continue
        fixed = sum(out[i].minutes(rate) for i in members if out[i].explicit_minutes is not None)
        free = [i for i in members if out[i].explicit_minutes is None]
        estimated = sum(out[i].minutes(rate) for i in free)
        left = section.minutes - fixed
        if left < -0.01 or (free and left <= 0):
            diags.error(f"section '{name}' has a budget of {section.minutes:g} min, but its slides' own minutes "
                        f"add up to {fixed:g}", "timing.budget", section.minutes_location or section.location,
                        hint="raise the section's minutes or lower its slides'")
            continue
        if not free:
            if abs(left) > 0.01:
                diags.warning(f"section '{name}' has a budget of {section.minutes:g} min, but its slides' minutes "
                              f"add up to {fixed:g}", "timing.budget", section.minutes_location or section.location)
            continue
        for i in free:
            share = left * (out[i].minutes(rate) / estimated) if estimated > 0 else left / len(free)
            out[i] = replace(out[i], explicit_minutes=round(share, 4))
    return out


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
