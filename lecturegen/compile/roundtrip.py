"""Compile layer (pure): where each slide of a compiled deck came from, as the build record keeps it for `pull`.

For every deck slide: its origin (an outline slide, the generated title slide, a section header, or a slide
made entirely by lecturegen such as the agenda), the place of its source, which part of a split slide it is,
and every piece of source text it was made from with that text's place. `pull` finds an edited word in these
texts; what it cannot find there (a formatted citation, an expanded term) is reported, never dropped.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from lecturegen.diagnostics import Location
from lecturegen.model.deck import Deck
from lecturegen.sources.specs import BulletSpec, ColumnSpec, SectionSpec, SlideSpec, TalkSpec, TextSpec

_SKIPPED_FIELDS = ("worksheet", "chart", "tags", "audiences", "except_audiences")


def _where(at: Location | None) -> dict[str, Any]:
    return {"path": at.path, "line": at.line, "col": at.col} if at is not None else {"path": "", "line": 0, "col": 0}


def _text(field: str, spec: TextSpec, level: int = 0) -> dict[str, Any]:
    return {"field": field, "text": spec.text, "level": level, **_where(spec.location)}


def spec_texts(spec: Any, field: str = "", level: int = 0) -> list[dict[str, Any]]:
    """Every TextSpec a spec holds, in order, with the field it sits in and its outline level."""
    out: list[dict[str, Any]] = []
    if isinstance(spec, TextSpec):
        out.append(_text(field, spec, level))
    elif isinstance(spec, BulletSpec):
        out.append(_text(field, spec.text, level))
        for child in spec.children:
            out.extend(spec_texts(child, field, level + 1))
    elif isinstance(spec, ColumnSpec):
        if spec.heading is not None:
            out.extend(spec_texts(spec.heading, f"{field}.heading"))
        for bullet in spec.bullets:
            out.extend(spec_texts(bullet, f"{field}.bullets"))
    elif isinstance(spec, tuple):
        for item in spec:
            out.extend(spec_texts(item, field, level))
    elif isinstance(spec, SlideSpec) or (field == "content" and dataclasses.is_dataclass(spec)):
        # A kind's own spec (`content`) names its texts by its outline keys, as the older fields did.
        for f in dataclasses.fields(spec):
            if f.name in _SKIPPED_FIELDS or f.name == "location":
                continue
            out.extend(spec_texts(getattr(spec, f.name), f.name))
    return out


def deck_sources(deck: Deck, talk: TalkSpec, uids: list[str]) -> list[dict[str, Any]]:
    """One entry per deck slide, in deck order (see the module docstring)."""
    specs: dict[Location, tuple[SlideSpec, SectionSpec]] = {}
    sections: dict[Location, SectionSpec] = {}
    for section in talk.sections:
        sections[section.location] = section
        for spec in section.slides:
            specs[spec.location] = (spec, section)
    parts: dict[str, int] = {}
    out: list[dict[str, Any]] = []
    for slide, uid in zip(deck.slides, uids):
        at = slide.location
        entry: dict[str, Any] = {"uid": uid, "kind": slide.kind, "section": slide.section, "part": 0,
                                 "minutes": round(slide.minutes, 3), **_where(at)}
        found = specs.get(at) if at is not None and not (slide.id or "").startswith("section-") else None
        if found is not None and slide.kind == found[0].kind:
            spec, section = found
            key = f"{at}"
            entry["part"] = parts.get(key, 0)
            parts[key] = entry["part"] + 1
            entry.update(origin="slide", texts=spec_texts(spec), minutes_set=spec.minutes is not None,
                         section_at=_where(section.location))
        elif slide.kind == "title" and slide.id == "title" and at == talk.location:
            texts = spec_texts(talk.title, "title") + (spec_texts(talk.subtitle, "subtitle") if talk.subtitle else [])
            entry.update(origin="title", texts=texts)
        elif slide.kind == "section" and at in sections:
            section = sections[at]
            texts = spec_texts(section.title, "title") + (spec_texts(section.summary, "summary")
                                                         if section.summary else [])
            entry.update(origin="section", texts=texts)
        else:
            entry.update(origin="generated", texts=[])
        out.append(entry)
    return out


__all__ = ["deck_sources", "spec_texts"]
