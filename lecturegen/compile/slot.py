"""Compile layer: fit a talk to its slot — drop optional material, lowest priority first, until it fits."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from lecturegen.compile.kinds.activity import ActivitySpec
from lecturegen.compile.draft import Draft, title_text
from lecturegen.compile.text import TextResolver
from lecturegen.diagnostics import Diagnostics
from lecturegen.sources.specs import SectionSpec, SlideSpec, TalkSpec
from lecturegen.model.text import runs_text


# Notes may run this far past their section's budget (or an authored slide's minutes) before the plan
# says so: about 20 seconds at 130 wpm, well inside the slot's own tolerance for a whole talk.
NOTES_OVER_WORDS = 40


# A discussion needs time for a few voices on each prompt it puts to the room: a whole group hears several
# answers to each, smaller groupings talk in parallel.
DISCUSSION_MINUTES_PER_PROMPT = {"whole group": 2.0}
DISCUSSION_MINUTES_PER_PROMPT_DEFAULT = 1.5


def check_discussion(spec: SlideSpec, diags: Diagnostics) -> None:
    """`timing.discussion-short`: a discussion given fewer minutes than the prompts it carries need."""
    activity = spec.content
    if not isinstance(activity, ActivitySpec) or activity.exercise or spec.minutes is None:
        return
    prompts = len(activity.instructions)
    per = DISCUSSION_MINUTES_PER_PROMPT.get(activity.grouping or "", DISCUSSION_MINUTES_PER_PROMPT_DEFAULT)
    if prompts and spec.minutes < prompts * per - 0.01:
        grouping = f" for the {activity.grouping}" if activity.grouping else ""
        name = spec.id or (spec.title.text if spec.title else "discussion")
        diags.warning(f"discussion '{name}' has {spec.minutes:g} min for {prompts} prompts{grouping}, "
                      f"which need about {prompts * per:g} ({per:g} min a prompt)",
                      "timing.discussion-short", spec.location,
                      hint="give it more minutes, or fewer prompts")


def budget_scale(talk_slot: float, slot: float, budgeted: float) -> float:
    """How an audience's slot scales the talk's section budgets (`budgeted` minutes in all): the budgets
    absorb the difference between the two slots, so reserved blocks (questions, say) and slides outside any
    budget (the title slide) keep their minutes and the plan lands where the talk's own plan did."""
    if slot == talk_slot or budgeted <= 0:
        return 1.0
    return max(budgeted + slot - talk_slot, 0.0) / budgeted


def section_budgets(sections: list[SectionSpec], text: TextResolver, scale: float = 1.0) -> dict[str, float]:
    """Each section name with a `minutes:` budget, scaled for the audience's slot."""
    budgets: dict[str, float] = {}
    for section in sections:
        if section.minutes is not None:
            budgets.setdefault(runs_text(text.runs(section.title)), section.minutes * scale)
    return budgets


def _scaled(budget: float, authored: float) -> str:
    return f"{budget:g} min" if abs(budget - authored) < 0.005 else f"{budget:.1f} min (scaled from {authored:g})"


def apply_budgets(drafts: list[Draft], sections: list[SectionSpec], text: TextResolver, rate: float,
                  diags: Diagnostics, scale: float = 1.0) -> list[Draft]:
    """Sections with `minutes:` take exactly that long: slides without minutes of their own share what the
    fixed ones leave, in proportion to their estimates, so a workshop's sessions start on the clock.

    `scale` (budget_scale) fits the budgets to an audience's slot."""
    out = list(drafts)
    for section in sections:
        if section.minutes is None:
            continue
        budget = section.minutes * scale
        shown = _scaled(budget, section.minutes)
        name = runs_text(text.runs(section.title))
        members = [i for i, d in enumerate(out) if d.section == name]
        if not members:
            continue
        fixed = sum(out[i].minutes(rate) for i in members if out[i].explicit_minutes is not None)
        free = [i for i in members if out[i].explicit_minutes is None]
        estimated = sum(out[i].minutes(rate) for i in free)
        left = budget - fixed
        if left < -0.01 or (free and left <= 0):
            diags.error(f"section '{name}' has a budget of {shown}, but its slides' own minutes "
                        f"add up to {fixed:g}", "timing.budget", section.minutes_location or section.location,
                        hint="raise the section's minutes or lower its slides'")
            continue
        if not free:
            if abs(left) > 0.01:
                diags.warning(f"section '{name}' has a budget of {shown}, but its slides' minutes "
                              f"add up to {fixed:g}", "timing.budget", section.minutes_location or section.location)
            continue
        for i in free:
            share = left * (out[i].minutes(rate) / estimated) if estimated > 0 else left / len(free)
            out[i] = replace(out[i], explicit_minutes=round(share, 4), budget_share=True)
    return out


def _slide_name(number: int, draft: Draft) -> str:
    return f"slide {number} '{title_text(draft)}'"


def check_notes_time(drafts: list[Draft], budgets: dict[str, float], rate: float, diags: Diagnostics) -> None:
    """`timing.notes-over`: notes that need more speaking time than the plan gives them.

    A budgeted section spreads its minutes over its slides whatever their notes say, so the plan alone
    cannot show long notes: compare what the notes need at the speaking rate with what the section (or an
    authored slide) is given, and name the slides that run over. `drafts` are the final slides, numbered
    as the deck numbers them."""
    if rate <= 0:
        return
    over_by_section: dict[str, list[tuple[float, int, Draft]]] = {}
    for number, draft in enumerate(drafts, start=1):
        if draft.explicit_minutes is None:
            continue  # timed by its own notes: never short of time for them
        over = draft.speaking_minutes(rate) - draft.explicit_minutes
        if draft.section in budgets and (draft.budget_share or over > 0):
            over_by_section.setdefault(draft.section, []).append((over, number, draft))
        elif over * rate > NOTES_OVER_WORDS:
            diags.warning(f"{_slide_name(number, draft)}: its notes ({draft.notes_words():,} words) need "
                          f"{draft.speaking_minutes(rate):.1f} min at {rate:g} wpm, more than its "
                          f"{draft.explicit_minutes:g} min ({over * rate:.0f} words over)", "timing.notes-over",
                          draft.slide.location, hint="shorten the notes, or give the slide more minutes")
    for name, rows in over_by_section.items():
        over = sum(o for o, _, _ in rows)
        if over * rate <= NOTES_OVER_WORDS:
            continue
        budget = budgets[name]
        worst = sorted((r for r in rows if r[0] > 0), key=lambda r: -r[0])
        named = "; ".join(f"{_slide_name(n, d)} {o * rate:+.0f} words" for o, n, d in worst[:3])
        need = budget + over
        diags.warning(f"the notes of section '{name}' need {need:.1f} min at {rate:g} wpm, more than its "
                      f"{round(budget, 1):g}-minute budget ({over * rate:.0f} words over; over their share: {named})",
                      "timing.notes-over", worst[0][2].slide.location if worst else None,
                      hint="shorten these notes, or raise the section's minutes")


def fit_to_slot(drafts: list[Draft], talk: TalkSpec, slot: float, rate: float, diags: Diagnostics,
                finish: Callable[[list[Draft]], list[Draft]],
                budgets: dict[str, float] | None = None) -> tuple[list[Draft], list[str]]:
    """`finish` adds the generated slides (references, agenda pages) whose number depends on what remains;
    `budgets` (section_budgets) are named when they are what keeps the required material over the slot."""
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
        # Budgeted sections keep their minutes whatever is dropped from them: name those that remain.
        kept = {d.section for d in current}
        budgeted = sorted(((m, n) for n, m in (budgets or {}).items() if n in kept), key=lambda x: -x[0])
        causes = ""
        if budgeted:
            causes = ("; section budgets, which required slides keep whatever is dropped: "
                      + ", ".join(f"'{n}' {m:.1f} min" for m, n in budgeted[:6])
                      + f" (together {sum(m for m, _ in budgeted):.1f} min)")
        diags.error(f"required material alone takes {total(current):.1f} min, more than the {slot:g}-minute slot "
                    f"(longest: {listing}{causes})", "timing.required-over", talk.location,
                    hint="lower these sections' minutes, mark more material optional, or give the audience a "
                         "longer slot" if budgeted else None)
    return current, dropped
