"""Compile layer: numbers in big text (statement, big-number, finding) keep their unit on their line."""

from __future__ import annotations

import re
from dataclasses import replace

from lecturegen.model.deck import Run

# Keeps a number and its unit on one line: "168 therapists", "5 of 7", "72.7 %".
_OF = re.compile(r"(\d)\s+of\s+(\d)")
_PERCENT = re.compile(r"(\d)\s+%")
_NUMBER_UNIT = re.compile(r"(?<![\w.])([−-]?\d[\d,.]*%?)\s+(?=(?:of\s+\d|[^\W\d_]))")


def keep_units(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    """Big text never breaks between a number and its unit: the space becomes a no-break space."""
    def glue(text: str) -> str:
        text = _OF.sub("\\1\u00a0of\u00a0\\2", text)
        text = _PERCENT.sub("\\1\u00a0%", text)
        return _NUMBER_UNIT.sub("\\1\u00a0", text)

    return tuple(replace(r, text=glue(r.text)) if not r.cited else r for r in runs)
