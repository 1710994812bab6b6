"""Compile layer: a slide before it is timed — the model slide plus what fitting to the slot needs."""

from __future__ import annotations


from lecturegen.compile.timing import estimate_minutes
from lecturegen.model.deck import Slide
from lecturegen.records import record


@record(frozen=False)
class Draft:
    slide: Slide
    section: str
    notes_words_text: str = ""
    explicit_minutes: float | None = None
    optional: bool = False
    priority: int = 1
    section_optional: bool = False
    section_priority: int = 1

    def minutes(self, rate: float) -> float:
        return estimate_minutes(self.slide.kind, self.notes_words_text, rate, self.explicit_minutes)


def title_text(draft: Draft) -> str:
    return "".join(r.text for r in draft.slide.title)
