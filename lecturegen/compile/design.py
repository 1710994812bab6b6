"""Compile layer: a design lint over the laid-out deck — how dense, small and cluttered each slide is (pure).

pandoc, Quarto and Beamer leave design to the author; lecturegen measures it. `slide_metrics`
(compile/design_metrics.py) reads what the audience will see from the shapes layout placed (words, bullets,
citation markers, the smallest text, the title as laid out, pictures' resolution); `design_findings` holds
the metrics to a talk's `DesignRules` (compile/design_rules.py: keynote defaults) and reports located
warnings `design.<rule>`; `design_summary` and `design_report_data` give the same verdicts as data for
`check --format json` and the one-page design report. The rules, their
defaults and what each one counts are documented in docs/design.md.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Callable, Sequence

from lecturegen.compile.design_metrics import (
    REFERENCE_WIDTH_IN,
    UNCOUNTED_KINDS,
    SlideMetrics,
    TalkMetrics,
    bullet_runs,
    slide_metrics,
    talk_metrics,
)
from lecturegen.compile.design_rules import DesignRules
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.model.deck import Deck
from lecturegen.model.geometry import EMU_PER_INCH
from lecturegen.model.shapes import dpi_text
from lecturegen.records import record

# -- the rules as one table: findings, the summary and the JSON report all read it -------------------------

@record
class _SlideRule:
    name: str  # the finding's code is design.<name>
    label: str
    limit_of: Callable[[DesignRules], float | None]  # the limit on a 13.33 in slide; None: the rule is off
    lower_bound: bool  # True: the value must reach the limit (sizes, resolution)
    measure: Callable[[SlideMetrics, DesignRules], float | None]  # None: the rule does not apply here
    describe: Callable[[SlideMetrics, float, float, DesignRules], str]  # (metrics, value, limit) → what is wrong
    hint: str
    unit: str = ""
    scaled: bool = False  # the limit scales with the slide's width
    # A slide that is over the limit and yet passes (a long title that still fits in its lines).
    excused: Callable[[SlideMetrics, DesignRules], bool] = lambda m, r: False
    shown: Callable[[DesignRules], str] | None = None  # the limit as the report shows it, where it is not one number

    def limit(self, rules: DesignRules, width_in: float) -> float | None:
        value = self.limit_of(rules)
        if value is None:
            return None
        return value * width_in / REFERENCE_WIDTH_IN if self.scaled else float(value)

    def breaks(self, m: SlideMetrics, value: float, limit: float, rules: DesignRules) -> bool:
        # Sizes are set to a tenth of a point: a 17.95 pt limit is met by 18 pt text.
        over = value < limit - 0.05 if self.lower_bound else value > limit
        return over and not self.excused(m, rules)


def _words(m: SlideMetrics, rules: DesignRules) -> float | None:
    return None if m.kind in rules.words_exempt else m.words


def _plural(count: float, noun: str) -> str:
    return f"{count:g} {noun}{'' if count == 1 else 's'}"


def _scaled_note(m: SlideMetrics, base: float | None) -> str:
    if base is None or abs(m.width_in - REFERENCE_WIDTH_IN) < 0.01:
        return ""
    return f" ({base:g} pt on a {REFERENCE_WIDTH_IN:.2f} in slide, scaled to its {m.width_in:.2f} in width)"


# A title is too long when it has more than `max_title_chars` characters *and* takes more than
# `max_title_lines` lines as laid out: an assertion headline of 70 characters on two lines is fine.
# With one measure turned off, the other decides alone.
def _title_limit(r: DesignRules) -> float | None:
    return r.max_title_chars if r.max_title_chars is not None else r.max_title_lines


def _title_value(m: SlideMetrics, r: DesignRules) -> float | None:
    return m.title_chars if r.max_title_chars is not None else (m.title_lines or None)


def _title_excused(m: SlideMetrics, r: DesignRules) -> bool:
    return r.max_title_chars is not None and r.max_title_lines is not None and m.title_lines <= r.max_title_lines


def _title_problem(m: SlideMetrics, value: float, limit: float, r: DesignRules) -> str:
    if r.max_title_chars is None:
        return f"has a title on {value:g} lines as laid out, more than {limit:g}"
    if r.max_title_lines is None:
        return f"has a title of {value:g} characters, more than {limit:g}"
    return (f"has a title of {m.title_chars} characters on {m.title_lines} lines as laid out, more than "
            f"{r.max_title_chars} characters and {r.max_title_lines} lines")


def _title_shown(r: DesignRules) -> str:
    parts = [f"{r.max_title_chars} characters" if r.max_title_chars is not None else "",
             f"{r.max_title_lines} lines" if r.max_title_lines is not None else ""]
    return "≤ " + " or ".join(p for p in parts if p) if any(parts) else "off"


SLIDE_RULES: tuple[_SlideRule, ...] = (
    _SlideRule("words", "words per slide", lambda r: r.max_words, False, _words,
               lambda m, v, lim, r: f"has {_plural(v, 'word')}, more than {lim:g}",
               "say the rest: move detail into the speaker notes, or split the slide"),
    _SlideRule("bullets", "bullets per slide", lambda r: r.max_bullets, False, lambda m, r: m.bullets,
               lambda m, v, lim, r: f"has {_plural(v, 'bullet')}, more than {lim:g}",
               "keep the strongest points on the slide and the others in the notes"),
    _SlideRule("citations", "citations in the text", lambda r: r.max_citations, False,
               lambda m, r: None if m.kind == "references" else m.citations,
               lambda m, v, lim, r: f"has {_plural(v, 'citation')} in its text, more than {lim:g}",
               "cite once in the source line, or in the notes"),
    _SlideRule("duplicate-sources", "works cited twice", lambda r: r.max_duplicate_sources, False,
               lambda m, r: len(m.duplicate_sources),
               lambda m, v, lim, r: (f"cites {', '.join(repr(w) for w in m.duplicate_sources[:3])}"
                                     f"{' …' if len(m.duplicate_sources) > 3 else ''} in its text and again in "
                                     f"its source line" + (f" ({v:g} works, more than {lim:g})" if lim else "")),
               "keep one of the two: the markers in the text or the source line"),
    _SlideRule("body-size", "smallest body text", lambda r: r.min_body_pt, True, lambda m, r: m.smallest_body_pt,
               lambda m, v, lim, r: f"has body text at {v:g} pt, below {lim:.3g} pt",
               "shorten the text so that it fits at a readable size", unit="pt", scaled=True),
    _SlideRule("caption-size", "smallest caption text", lambda r: r.min_caption_pt, True,
               lambda m, r: m.smallest_caption_pt,
               lambda m, v, lim, r: f"has caption text at {v:g} pt, below {lim:.3g} pt",
               "raise the theme's 'source' size, or shorten the caption", unit="pt", scaled=True),
    _SlideRule("title-length", "title length", _title_limit, False, _title_value, _title_problem,
               "a title says the slide's one point: shorten it", excused=_title_excused, shown=_title_shown),
    _SlideRule("title-widow", "title's last line", lambda r: r.min_title_last_line_words, True,
               lambda m, r: m.title_last_line_words,
               lambda m, v, lim, r: ("has a title that wraps with one word alone on its last line" if v == 1 else
                                     f"has a title that wraps with only {v:g} words on its last line")
                                    + f" ('{m.title_last_line}')",
               "reword the title, or break it yourself with a line break where the phrase turns"),
    _SlideRule("off-centre", "content centre off the middle", lambda r: r.max_content_offset, False,
               lambda m, r: abs(m.content_offset) if m.content_offset is not None else None,
               lambda m, v, lim, r: f"has its content centred {v * 100:.0f} % of its area "
                                    f"{'above' if (m.content_offset or 0) < 0 else 'below'} the middle, outside the "
                                    f"middle third", "give the content more room (larger type, a diagram) or "
                                    "fewer elements; short text is centred for you"),
    _SlideRule("image-dpi", "picture resolution", lambda r: r.min_image_dpi, True, lambda m, r: m.lowest_dpi,
               lambda m, v, lim, r: f"has a picture at {dpi_text(v)} at its placed size, below {lim:g}",
               "use a larger image file, or place it smaller", unit="dpi"),
)


@record
class _Verdict:
    rule: _SlideRule
    metrics: SlideMetrics
    value: float
    limit: float
    broken: bool


def _verdicts(metrics: Sequence[SlideMetrics], rules: DesignRules) -> list[_Verdict]:
    out: list[_Verdict] = []
    for m in metrics:
        if m.hidden:
            continue
        for rule in SLIDE_RULES:
            limit = rule.limit(rules, m.width_in)
            value = rule.measure(m, rules)
            if limit is not None and value is not None:
                out.append(_Verdict(rule, m, value, limit, rule.breaks(m, value, limit, rules)))
    return out


@record
class _TalkVerdict:
    """A deck-level rule held to the talk: `checked` is False when the rule is off or nothing was measured."""

    name: str
    label: str
    limit: float | None
    value: float | None
    shown: str  # the value as the report shows it

    @property
    def checked(self) -> bool:
        return self.limit is not None and self.value is not None

    @property
    def broken(self) -> bool:
        return self.limit is not None and self.value is not None and self.value > self.limit


def _talk_verdicts(talk: TalkMetrics, rules: DesignRules) -> tuple[_TalkVerdict, _TalkVerdict, _TalkVerdict]:
    rate = talk.slides_per_minute
    return (
        _TalkVerdict("slides-per-minute", "slides per minute", rules.max_slides_per_minute, rate,
                     f"{rate:.2f} ({talk.counted_slides} in {talk.slot_minutes:g} min)" if rate is not None else ""),
        _TalkVerdict("reference-slides", "reference slides", rules.max_reference_slides,
                     talk.reference_slides, str(talk.reference_slides)),
        _TalkVerdict("bullet-run", "bullet slides in a row", rules.max_bullet_run, talk.longest_bullet_run,
                     str(talk.longest_bullet_run)),
    )


def _slide_name(m: SlideMetrics) -> str:
    return f"slide {m.number} ('{m.title[:50]}')" if m.title else f"slide {m.number}"


def design_findings(deck: Deck, rules: DesignRules, diags: Diagnostics) -> None:
    """Warnings `design.<rule>` at each slide's source; a picture geometry already reported is not repeated."""
    reported_dpi = {d.location for d in diags.items if d.code in ("geometry.low-dpi", "image.low-dpi")}
    for v in _verdicts(slide_metrics(deck), rules):
        if not v.broken or (v.rule.name == "image-dpi" and v.metrics.location in reported_dpi):
            continue
        base = v.rule.limit_of(rules) if v.rule.scaled else None
        diags.warning(f"{_slide_name(v.metrics)} {v.rule.describe(v.metrics, v.value, v.limit, rules)}"
                      f"{_scaled_note(v.metrics, base)}", f"design.{v.rule.name}", v.metrics.location,
                      hint=v.rule.hint)
    talk = talk_metrics(deck)
    pace, references, _ = _talk_verdicts(talk, rules)  # bullet runs are reported run by run, below
    at = _talk_location(deck)
    if pace.broken:
        diags.warning(f"{talk.counted_slides} slides in the {talk.slot_minutes:g}-minute slot are "
                      f"{pace.value:.2f} a minute, more than {pace.limit:g}", "design.slides-per-minute", at,
                      hint="merge slides or drop optional ones; title, section, break, reference and closing "
                           "slides are not counted")
    if rules.max_bullet_run is not None:
        for run in bullet_runs(deck, rules.max_bullet_run):
            past = deck.slides[run[rules.max_bullet_run]]
            diags.warning(f"slides {run[0] + 1}–{run[-1] + 1} are {len(run)} bullet slides in a row, more than "
                          f"{rules.max_bullet_run}", "design.bullet-run", past.location or deck.slides[run[0]].location,
                          hint="turn one into a picture of the idea (a diagram, a big number, a quote) or merge them")
    if references.broken:
        first = next(s for s in deck.slides if s.kind == "references" and not s.hidden)
        diags.warning(f"the talk has {talk.reference_slides} reference slides, more than {references.limit:g}",
                      "design.reference-slides", first.location or at,
                      hint="keep one closing references slide and give the full list in the handout")


def _talk_location(deck: Deck) -> Location | None:
    """Where the talk is declared: its title slide's location (the talk file), else the first slide's."""
    title = next((s for s in deck.slides if s.kind == "title"), None)
    first = title or (deck.slides[0] if deck.slides else None)
    return first.location if first is not None else None


# -- summary and report data -------------------------------------------------------------------------------

@record
class RuleSummary:
    """One row of the design report: a rule, its limit, how many slides break it and the worst one."""

    rule: str
    label: str
    limit: str  # as shown: "≤ 30", "≥ 18 pt", "off"
    checked: int  # slides the rule applied to (deck-level rules: 1)
    over: int  # slides that break it (deck-level rules: 1 when the talk does)
    worst: str  # "slide 10: 58", or the talk's value; "" when nothing was measured
    worst_slide: int | None = None
    worst_value: float | None = None
    per_slide: bool = True  # False for the rules on the whole talk


@record
class DesignSummary:
    """Everything the one-page design report shows, decided here so that the renderer only draws."""

    talk: str
    title: str
    width_in: float
    rows: tuple[RuleSummary, ...]
    words: tuple[tuple[int, int], ...]  # (slide number, words) for every slide the words rule applies to
    max_words: int | None
    slides: int
    slides_over: int  # slides that break at least one slide rule


def _limit_text(rule: _SlideRule, rules: DesignRules, width_in: float) -> str:
    if rule.shown is not None:
        return rule.shown(rules)
    base = rule.limit_of(rules)
    if base is None:
        return "off"
    sign = "≥" if rule.lower_bound else "≤"
    unit = f" {rule.unit}" if rule.unit else ""
    shown = rule.limit(rules, width_in)
    scaled = f" ({shown:.3g}{unit} here)" if rule.scaled and shown is not None and abs(shown - base) > 0.05 else ""
    return f"{sign} {base:g}{unit}{scaled}"


def _summary_row(rule: _SlideRule, verdicts: Sequence[_Verdict], rules: DesignRules, width_in: float) -> RuleSummary:
    mine = [v for v in verdicts if v.rule is rule]
    row = RuleSummary(rule=rule.name, label=rule.label, limit=_limit_text(rule, rules, width_in),
                      checked=len(mine), over=sum(1 for v in mine if v.broken), worst="")
    if not mine:
        return row
    worst = (min if rule.lower_bound else max)(mine, key=lambda v: v.value)
    unit = f" {rule.unit}" if rule.unit else ""
    return replace(row, worst=f"slide {worst.metrics.number}: {worst.value:g}{unit}",
                   worst_slide=worst.metrics.number, worst_value=worst.value)


def _summary(deck: Deck, metrics: Sequence[SlideMetrics], verdicts: Sequence[_Verdict],
             rules: DesignRules) -> DesignSummary:
    width_in = deck.width / EMU_PER_INCH
    rows = [_summary_row(rule, verdicts, rules, width_in) for rule in SLIDE_RULES]
    for talk in _talk_verdicts(talk_metrics(deck), rules):
        rows.append(RuleSummary(rule=talk.name, label=talk.label,
                                limit="off" if talk.limit is None else f"≤ {talk.limit:g}",
                                checked=int(talk.checked), over=int(talk.broken), worst=talk.shown,
                                worst_value=None if talk.value is None else float(talk.value), per_slide=False))
    words = tuple((m.number, m.words) for m in metrics if not m.hidden and _words(m, rules) is not None)
    return DesignSummary(talk=deck.talk, title=deck.title, width_in=round(width_in, 3), rows=tuple(rows),
                         words=words, max_words=rules.max_words, slides=len(metrics),
                         slides_over=len({v.metrics.number for v in verdicts if v.broken}))


def design_summary(deck: Deck, rules: DesignRules) -> DesignSummary:
    """What the design report shows: a row per rule, and the words on every slide the words rule applies to."""
    metrics = slide_metrics(deck)
    return _summary(deck, metrics, _verdicts(metrics, rules), rules)


def design_report_data(deck: Deck, rules: DesignRules) -> dict[str, object]:
    """The metrics of every slide, the rules and the summary, as JSON-serialisable data."""
    metrics = slide_metrics(deck)
    verdicts = _verdicts(metrics, rules)
    broken: dict[int, list[str]] = {}
    for v in verdicts:
        if v.broken:
            broken.setdefault(v.metrics.number, []).append(v.rule.name)
    summary = _summary(deck, metrics, verdicts, rules)
    slides: list[dict[str, object]] = []
    for m in metrics:
        row = asdict(m)
        row.pop("location")
        row["duplicate_sources"] = list(m.duplicate_sources)
        row["path"] = m.location.path if m.location else None
        row["line"] = m.location.line if m.location else None
        row["col"] = m.location.col if m.location else None
        row["over"] = broken.get(m.number, [])
        slides.append(row)
    rule_values = asdict(rules)
    rule_values["words_exempt"] = list(rules.words_exempt)
    return {
        "rules": rule_values,
        "reference_width_in": round(REFERENCE_WIDTH_IN, 3),
        "slide_width_in": summary.width_in,
        "talk": asdict(talk_metrics(deck)),
        "summary": [asdict(row) for row in summary.rows],
        "slides_over": summary.slides_over,
        "slides": slides,
    }


# Public here as before the metrics and rules had modules of their own.
__all__ = ["REFERENCE_WIDTH_IN", "UNCOUNTED_KINDS", "DesignRules", "DesignSummary", "RuleSummary", "SlideMetrics",
           "TalkMetrics", "bullet_runs", "design_findings", "design_report_data", "design_summary", "slide_metrics",
           "talk_metrics"]
