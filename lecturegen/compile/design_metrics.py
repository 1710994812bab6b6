"""Compile layer: what the audience will see, measured on the laid-out deck — words, bullets, citation markers,
the smallest text, the title as laid out, pictures' resolution, where the content stands — slide by slide and
for the whole talk (pure)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from lecturegen.compile.geometry import text_extent
from lecturegen.diagnostics import Location
from lecturegen.model.deck import Deck, Slide
from lecturegen.model.geometry import EMU_PER_INCH
from lecturegen.model.shapes import (
    ChartShape,
    GroupShape,
    PictureShape,
    TableShape,
    TextLine,
    TextShape,
)
from lecturegen.model.text import Run, runs_text
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
    title = (title_shape.text if title_shape is not None else runs_text(slide.title)) \
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
