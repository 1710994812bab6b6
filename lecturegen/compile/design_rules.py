"""Compile layer: a talk's design rules — the limits the design lint holds each slide and the talk to, read from
its `design:` mapping over keynote defaults (pure)."""

from __future__ import annotations

import math
from dataclasses import fields
from typing import Mapping, Sequence

from lecturegen.diagnostics import Diagnostics, Location, did_you_mean, quote_choices
from lecturegen.records import record


@record
class DesignRules:
    """The limits a talk is held to; None turns a rule off. Defaults are for a keynote."""

    max_words: int | None = 30  # visible words, outside `words_exempt` kinds
    max_bullets: int | None = 4
    max_citations: int | None = 2  # citation markers in the visible text
    max_duplicate_sources: int | None = 0  # works named in the text and again in the source line
    min_body_pt: float | None = 18.0  # on a 13.33 in slide; scaled by width for other sizes
    min_caption_pt: float | None = 14.0
    max_slides_per_minute: float | None = 1.0
    max_title_chars: int | None = 60
    max_title_lines: int | None = 2
    min_title_last_line_words: int | None = 2  # a wrapped title never leaves one word alone on its last line
    min_image_dpi: float | None = 150.0
    max_reference_slides: int | None = 1
    max_bullet_run: int | None = 2  # bullet slides in a row: the third in a run is a warning
    # How far the content's centre may stand from the middle of its area, as a share of the area's height: 1/6
    # keeps it in the middle third (a top-heavy slide has its few lines high up and the lower half empty).
    max_content_offset: float | None = 0.17
    words_exempt: tuple[str, ...] = ("references", "quote", "agenda")

    @classmethod
    def from_mapping(cls, values: Mapping[str, object], diags: Diagnostics, at: Location | None = None,
                     locations: Mapping[str, Location] | None = None,
                     kinds: Sequence[str] = ()) -> DesignRules:
        """A talk's `design:` mapping over the defaults; `false` or `null` turns a rule off.

        Bad keys and values are reported (located at the key where `locations` has it, else at `at`) and
        keep their default. `kinds`, when given, are the slide kinds `words_exempt` may name."""
        defaults = cls()
        known = {f.name: f for f in fields(cls)}
        chosen: dict[str, object] = {}
        for key, value in values.items():
            where = (locations or {}).get(key, at)
            if key not in known:
                diags.error(f"unknown design rule '{key}'", "design.rule", where,
                            hint=did_you_mean(key, known) or "the rules are: " + quote_choices(known))
                continue
            default = getattr(defaults, key)
            parsed = _parse_rule_value(key, value, default, kinds, diags, where)
            if parsed is not _INVALID:
                chosen[key] = parsed
        return cls(**chosen)  # type: ignore[arg-type]  # each value was checked against its field's type


_INVALID = object()


def _parse_rule_value(key: str, value: object, default: object, kinds: Sequence[str], diags: Diagnostics,
                      where: Location | None) -> object:
    if key == "words_exempt":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            diags.error(f"design rule '{key}' must be a list of slide kinds, got '{value}'", "design.value", where)
            return _INVALID
        unknown = [v for v in items if kinds and v not in kinds]
        for name in unknown:
            diags.error(f"design rule '{key}' names an unknown slide kind '{name}'", "design.value", where,
                        hint=did_you_mean(name, kinds) or "the kinds are: " + quote_choices(kinds))
        return _INVALID if unknown else tuple(items)
    if value is None or value is False:
        return None
    whole = isinstance(default, int)
    number = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else -1.0
    if not math.isfinite(number) or number < 0 or (whole and not number.is_integer()):
        kind = "a whole number" if whole else "a number"
        diags.error(f"design rule '{key}' must be {kind} of 0 or more, or false to turn it off, got '{value}'",
                    "design.value", where)
        return _INVALID
    return int(number) if whole else number
