"""Compile layer: apply an audience profile to a talk — which sections and slides it keeps, what it inserts."""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from lecturegen.compile.text_fields import Terms
from lecturegen.diagnostics import Diagnostics, did_you_mean
from lecturegen.sources.audiences import AudienceSpec
from lecturegen.sources.specs import SectionSpec, TalkSpec

TemplateValue = str | float | dict[str, str]


def template_variables(talk: TalkSpec, audience: AudienceSpec | None) -> dict[str, Mapping[str, object]]:
    """What `{{ … }}` in content may name: talk, event and audience fields, and the audience's terms."""
    event: dict[str, str | float] = {"name": "", "organiser": "", "venue": "", "date": "", **talk.event,
                                     **(audience.event if audience else {})}
    return {
        "talk": {"title": talk.title.text, "subtitle": talk.subtitle.text if talk.subtitle else "",
                 "presenter": talk.presenter, "affiliation": talk.affiliation, "date": talk.date,
                 "slot": talk.slot},
        "event": event,
        "audience": {"name": audience.name if audience else "", "title": audience.title if audience else ""},
        "term": Terms(audience.vocabulary if audience else ()),
    }


def keeps(audiences: tuple[str, ...], excepted: tuple[str, ...], tags: tuple[str, ...],
          audience: AudienceSpec | None) -> bool:
    name = audience.name if audience else None
    if audiences and name not in audiences:
        return False
    if name is not None and name in excepted:
        return False
    if audience is not None:
        if any(t in audience.exclude_tags and t not in audience.include_tags for t in tags):
            return False
    return True


def apply_audience(talk: TalkSpec, audience: AudienceSpec | None, diags: Diagnostics) -> list[SectionSpec]:
    """The talk's sections as this audience sees them: filtered, with its slides inserted or replaced."""
    sections: list[SectionSpec] = []
    for section in talk.sections:
        if not keeps(section.audiences, section.except_audiences, section.tags, audience):
            continue
        kept = tuple(
            s for s in section.slides
            if keeps(s.audiences, s.except_audiences, s.tags + section.tags, audience)
        )
        sections.append(replace(section, slides=kept))
    if audience is None or not audience.insertions:
        return sections
    all_ids = {s.id for sec in talk.sections for s in sec.slides if s.id}
    for insertion in audience.insertions:
        placed = False
        for index, section in enumerate(sections):
            slides = list(section.slides)
            for position, slide in enumerate(slides):
                if slide.id != insertion.anchor:
                    continue
                if insertion.position == "after":
                    slides[position + 1:position + 1] = insertion.slides
                elif insertion.position == "before":
                    slides[position:position] = insertion.slides
                else:
                    slides[position:position + 1] = insertion.slides
                sections[index] = replace(section, slides=tuple(slides))
                placed = True
                break
            if placed:
                break
        if not placed:
            if insertion.anchor in all_ids:
                diags.warning(f"slide '{insertion.anchor}' is not in this audience's deck; nothing inserted",
                              "audience.anchor-filtered", insertion.location)
            else:
                diags.error(f"no slide with id '{insertion.anchor}' in talk '{talk.name}'", "audience.anchor",
                            insertion.location, hint=did_you_mean(insertion.anchor, sorted(all_ids)))
    return sections
