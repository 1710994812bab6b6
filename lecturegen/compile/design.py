"""Compile layer: a design lint over the laid-out deck — how dense, small and cluttered each slide is (pure).

pandoc, Quarto and Beamer leave design to the author; lecturegen measures it. `slide_metrics` reads what the
audience will see from the shapes layout placed (words, bullets, citation markers, the smallest text, the
title as laid out, pictures' resolution); `design_findings` holds the metrics to a talk's `DesignRules`
(keynote defaults) and reports located warnings `design.<rule>`; `design_summary` and `design_report_data`
give the same verdicts as data for `check --format json` and the one-page design report. The rules, their
defaults and what each one counts are documented in docs/design.md.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, fields, replace
from typing import Callable, Mapping, Sequence

from lecturegen.diagnostics import Diagnostics, Location, did_you_mean, quote_choices
from lecturegen.model.deck import Deck, Slide
from lecturegen.model.geometry import EMU_PER_INCH
from lecturegen.compile.geometry import text_extent
from lecturegen.model.shapes import ChartShape, GroupShape, PictureShape, TableShape, TextLine, TextShape, dpi_text
from lecturegen.model.text import Run
from lecturegen.records import record

# The sizes in the rules are for a 16:9 slide 13.33 in wide. A projected slide fills the screen's width, so on
# a narrower slide (a 10 in 4:3 one) every point is drawn larger: the limits scale with width / 13.33 in.
REFERENCE_WIDTH_IN = 12192000 / EMU_PER_INCH
# A title's line pitch as a multiple of its size: lines "as laid out" are its measured height over this pitch
# (Carlito's is 1.22; a 1.2 nominal pitch counts 1–3 lines right for pitches from 1.05 to 1.35).
_NOMINAL_LINE_PITCH = 1.2
# Shapes that are not the slide's message: the small line under the content and the template's chrome.
_CAPTION_ROLES = frozenset({"caption", "footer", "number"})
_BULLET_ROLES = frozenset({"body", "body2"})
# Slides the audience is not talked through: left out of the slides-per-minute count.
UNCOUNTED_KINDS = ("title", "section", "break", "references", "closing")
_TOKEN = re.compile(r"\S+")
_ALNUM = re.compile(r"[^\W_]")
_NAME_PART = re.compile(r"[^\W_]+")
# Words a citation processor writes around names and years that do not identify a work.
_CITATION_FILLER = frozenset({"and", "et", "al", "see", "cf", "e", "g", "also", "for", "example"})


# -- rules ------------------------------------------------------------------------------------------------

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


# -- metrics ----------------------------------------------------------------------------------------------

@record
class SlideMetrics:
    """What one slide shows, measured on its laid-out shapes (sizes in points as set on the slide)."""

    number: int  # 1-based, in deck order (hidden slides keep their number)
    title: str
    kind: str
    location: Location | None
    hidden: bool
    width_in: float  # the slide's width: size limits scale with it
    words: int  # visible words: title, caption, source line, footer and citation markers excluded
    bullets: int  # bulleted or numbered paragraphs, every level
    citations: int  # citation markers in the title, body and caption (not the source line)
    duplicate_sources: tuple[str, ...]  # source-line works the text already cites, as the source line names them
    smallest_body_pt: float | None
    smallest_caption_pt: float | None  # caption, source line, footer, slide number; reference-list entries
    title_chars: int
    title_lines: int
    lowest_dpi: float | None
    # Words on the last line of a title that wraps, as laid out (None: one line, or not known), and that line.
    title_last_line_words: int | None = None
    title_last_line: str = ""
    # Where the content's centre stands from the middle of the area between title and caption line, as a share
    # of that area's height (negative: above); None where the slide has no such area or no content.
    content_offset: float | None = None


def slide_metrics(deck: Deck) -> list[SlideMetrics]:
    width_in = deck.width / EMU_PER_INCH
    return [replace(_measure(slide, number, width_in), content_offset=_content_offset(slide, deck.height))
            for number, slide in enumerate(deck.slides, start=1)]


# Slides whose content is meant to stand where the layout puts it: no centring asked of them.
_UNBALANCED_KINDS = frozenset({"title", "section", "break", "closing", "photo", "question", "references"})


def _content_offset(slide: Slide, height: int) -> float | None:
    """The content's vertical centre against the middle of the area between the title and the caption line
    (or the footer), as a share of that area's height."""
    if slide.kind in _UNBALANCED_KINDS:
        return None
    title = next((s for s in slide.shapes if isinstance(s, TextShape) and s.role == "title"), None)
    if title is None:
        return None
    top = title.box.bottom
    below = [s.box.y for s in slide.shapes if isinstance(s, TextShape) and s.role in _CAPTION_ROLES
             and s.box.y > top]
    bottom = min(below, default=height)
    boxes = [text_extent(s) for s in slide.shapes if isinstance(s, TextShape)
             and s.role not in _CAPTION_ROLES | {"title"} and s.text.strip()]
    boxes += [s.box for s in slide.shapes if isinstance(s, TableShape | ChartShape | GroupShape)
              or (isinstance(s, PictureShape) and not s.backdrop and s.name != "Logo")]
    if not boxes or bottom <= top or min(b.y for b in boxes) < top - EMU_PER_INCH // 10:
        return None  # content beside or over the title (a side-title layout): not an area to centre in
    centre = (min(b.y for b in boxes) + max(b.bottom for b in boxes)) / 2
    return round((centre - (top + bottom) / 2) / (bottom - top), 3)


def _measure(slide: Slide, number: int, width_in: float) -> SlideMetrics:
    texts = [s for s in slide.shapes if isinstance(s, TextShape)]
    tables = [s for s in slide.shapes if isinstance(s, TableShape)]
    title_shape = next((s for s in texts if s.role == "title"), None)
    # A title the layout broke over lines reads, and counts, as the one line it was written as.
    title = (title_shape.text if title_shape is not None else "".join(r.text for r in slide.title)) \
        .replace("\n", " ").strip()
    message = [s for s in texts if s.role not in _CAPTION_ROLES | {"title"}]
    message_lines = [line for s in message for line in s.lines]
    message_lines += [line for t in tables for row in t.rows for cell in row for line in cell.lines]
    words = sum(_count_words(line.runs) for line in message_lines)
    bullets = sum(1 for s in message if s.role in _BULLET_ROLES for line in s.lines
                  if line.bullet != "none" and line.text.strip())
    # The bottom line shows the caption and then the source line (`Slide.bottom_line`); only a laid-out
    # caption shape puts them on the slide.
    shows_bottom = any(s.role == "caption" for s in texts)
    caption = slide.caption if shows_bottom else ()
    source_line = (slide.chart.source if slide.chart is not None else slide.sources) if shows_bottom else ()
    markers: list[str] = []
    if slide.kind != "references":  # a reference list is made of cited text, not of markers
        cited_lines = [line.runs for line in message_lines]
        if title_shape is not None:
            cited_lines += [line.runs for line in title_shape.lines]
        for runs in cited_lines + [caption]:
            markers += _cited_groups(runs)
    body_sizes, caption_sizes = _sizes(slide, texts, tables)
    pictures = [s.dpi for s in slide.shapes if isinstance(s, PictureShape) and s.dpi != float("inf")]
    last_words, last_line = _last_title_line(title_shape)
    return SlideMetrics(
        number=number, title=title, kind=slide.kind, location=slide.location, hidden=slide.hidden,
        width_in=round(width_in, 3), words=words, bullets=bullets, citations=len(markers),
        duplicate_sources=_duplicates(_cited_groups(source_line), markers),
        smallest_body_pt=min(body_sizes) if body_sizes else None,
        smallest_caption_pt=min(caption_sizes) if caption_sizes else None,
        title_chars=len(title), title_lines=_title_lines(title_shape),
        lowest_dpi=round(min(pictures), 1) if pictures else None,
        title_last_line_words=last_words, title_last_line=last_line)


def _count_words(runs: Sequence[Run]) -> int:
    """Words the audience reads: tokens with a letter or digit ('—' and '·' are not words); markers excluded."""
    text = " ".join(r.text for r in runs if not r.cited)
    return sum(1 for token in _TOKEN.findall(text) if _ALNUM.search(token))


def _cited_groups(runs: Sequence[Run]) -> list[str]:
    """Each stretch of consecutive cited runs: one citation marker (or one work of a source line)."""
    groups: list[str] = []
    current: list[str] = []
    for run in runs:
        if run.cited:
            current.append(run.text)
        elif current:
            groups.append("".join(current).strip())
            current = []
    if current:
        groups.append("".join(current).strip())
    return [g for g in groups if g]


def _sizes(slide: Slide, texts: Sequence[TextShape], tables: Sequence[TableShape]) -> tuple[list[float],
                                                                                           list[float]]:
    body: list[float] = []
    small: list[float] = []
    for shape in texts:
        # Reference entries are small print to photograph or find in the handout, not to read from the back.
        bucket = small if shape.role in _CAPTION_ROLES or slide.kind == "references" else body
        bucket.extend(_shown_sizes(shape.lines))
    for table in tables:
        body.extend(_shown_sizes([line for row in table.rows for cell in row for line in cell.lines]))
    return body, small


def _shown_sizes(lines: Sequence[TextLine]) -> list[float]:
    return [line.size for line in lines if line.text.strip()]


def _last_title_line(shape: TextShape | None) -> tuple[int | None, str]:
    """The words on a wrapped title's last line, as the layout broke it (`TextShape.words_per_line`)."""
    if shape is None or len(shape.words_per_line) < 2 or not shape.lines:
        return None, ""
    words = _TOKEN.findall(shape.lines[0].text)
    count = shape.words_per_line[-1]
    return count, " ".join(words[len(words) - count:]) if count else ""


def _title_lines(shape: TextShape | None) -> int:
    if shape is None or not shape.lines or shape.measured_height <= 0:
        return 0
    first = shape.lines[0]
    pitch = first.size * first.line_spacing * _NOMINAL_LINE_PITCH
    return max(1, round(shape.measured_height / pitch)) if pitch > 0 else 1


def _work_tokens(text: str) -> list[str]:
    return [t for t in _NAME_PART.findall(text.lower()) if t not in _CITATION_FILLER]


def _duplicates(source_works: Sequence[str], markers: Sequence[str]) -> tuple[str, ...]:
    """Source-line works that a marker in the text already names.

    The source line names each work narratively ("Knox and Cooper (2010)"), a marker parenthetically and
    perhaps with a locator ("(Knox & Cooper, 2010, p. 4)"): the same work when the source line's name and
    year tokens begin one of the marker's works. Numeric styles ("[3]") match by number."""
    cited = [_work_tokens(work) for marker in markers for work in marker.split(";")]
    numbers = {token for tokens in cited for token in tokens if token.isdigit()}
    found: list[str] = []
    for work in source_works:
        tokens = _work_tokens(work)
        if not tokens:
            continue
        if all(t.isdigit() for t in tokens):
            hit = all(t in numbers for t in tokens)
        else:
            hit = any(other[:len(tokens)] == tokens for other in cited)
        if hit:
            found.append(work)
    return tuple(found)


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
class TalkMetrics:
    """The figures of the whole talk the deck-level rules read."""

    slides: int
    counted_slides: int  # slides talked through: UNCOUNTED_KINDS and hidden slides left out
    slot_minutes: float
    slides_per_minute: float | None
    reference_slides: int
    longest_bullet_run: int = 0  # visible bullet slides in a row, at most


def talk_metrics(deck: Deck) -> TalkMetrics:
    shown = [s for s in deck.slides if not s.hidden]
    counted = sum(1 for s in shown if s.kind not in UNCOUNTED_KINDS)
    rate = counted / deck.slot_minutes if deck.slot_minutes > 0 else None
    return TalkMetrics(slides=len(deck.slides), counted_slides=counted, slot_minutes=deck.slot_minutes,
                       slides_per_minute=round(rate, 3) if rate is not None else None,
                       reference_slides=sum(1 for s in shown if s.kind == "references"),
                       longest_bullet_run=max((len(run) for run in bullet_runs(deck, 0)), default=0))


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


def bullet_runs(deck: Deck, longest: int) -> list[tuple[int, ...]]:
    """The deck positions of every run of more than `longest` visible bullet slides in a row (hidden slides
    neither count nor break a run; "(cont.)" slides count: the audience sees them)."""
    runs: list[tuple[int, ...]] = []
    current: list[int] = []
    for index, slide in enumerate(deck.slides):
        if slide.hidden:
            continue
        if slide.kind == "bullets":
            current.append(index)
            continue
        if len(current) > longest:
            runs.append(tuple(current))
        current = []
    if len(current) > longest:
        runs.append(tuple(current))
    return runs


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
