"""Compile layer: a slide before it is timed — the model slide plus what fitting to the slot needs."""

from __future__ import annotations


from lecturegen.compile.timing import estimate_minutes, words_in
from lecturegen.model.deck import Slide
from lecturegen.records import record
from lecturegen.model.text import runs_text


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
    # True when explicit_minutes is this slide's share of its section's budget, not minutes the author gave it.
    budget_share: bool = False

    def minutes(self, rate: float) -> float:
        """The planned minutes: what the slide is given on the clock."""
        return estimate_minutes(self.slide.kind, self.notes_words_text, rate, self.explicit_minutes)

    def notes_words(self) -> int:
        return words_in(self.notes_words_text)

    def speaking_minutes(self, rate: float) -> float:
        """How long the notes take to say at the speaking rate, whatever the slide is given."""
        return self.notes_words() / rate if rate > 0 else 0.0


def title_text(draft: Draft) -> str:
    return runs_text(draft.slide.title)
