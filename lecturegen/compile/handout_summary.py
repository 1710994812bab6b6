"""Compile layer: the handout's cover, its one-page summary (key findings, take-home messages) and contact."""

from __future__ import annotations

from lecturegen.compile.handout_blocks import body_printed
from lecturegen.compile.handout_figures import (
    KEY_CHART_GAP_PT,
    KEY_CHART_MAX_PRINT_HEIGHT_IN,
    chart_block,
    figure_for,
    labels_fit,
)
from lecturegen.compile.handout_text import duration, plain, printed, typographic
from lecturegen.model.chart import Chart
from lecturegen.model.chart_text import format_value
from lecturegen.model.deck import Deck, Slide
from lecturegen.model.handout import Contact, Cover, Finding, KeyFindings, Page, QrCode
from lecturegen.model.links import MAX_QR_BYTES, is_safe_link, link_target
from lecturegen.model.shapes import Media
from lecturegen.model.text import Run

Runs = tuple[Run, ...]

# ── key findings ─────────────────────────────────────────────────────────────────────────────────

KEY_TAG = "key"
TAKE_HOME_TAG = "take-home"
CHART_RULE = ("chart slides tagged 'key', in deck order; then one chart per section, in deck order, whose "
              "data are from a study (not illustrative) and that is not a timeline; then further such "
              "charts; only charts that print legibly at half the page width; at most three")


def _is_take_home(slide: Slide) -> bool:
    if TAKE_HOME_TAG in slide.tags:
        return True
    name = f"{slide.id or ''} {plain(slide.title)}".lower().replace("-", " ")
    return slide.kind == "bullets" and "take home" in name


def take_home_slide(deck: Deck) -> Slide | None:
    """The talk's take-home slide: tagged 'take-home', else a bullets slide whose id or title says so."""
    tagged = [s for s in deck.slides if not s.hidden and TAKE_HOME_TAG in s.tags]
    found = tagged or [s for s in deck.slides if not s.hidden and _is_take_home(s)]
    return found[0] if found else None


def key_chart_width_in(page: Page) -> float:
    return round((page.frame_width - KEY_CHART_GAP_PT) / 2 / 72, 3)


def key_chart_slides(deck: Deck, page: Page) -> list[Slide]:
    """The (at most) three chart slides whose charts go on the key-findings page (see CHART_RULE)."""
    width = key_chart_width_in(page)

    def legible(slide: Slide) -> bool:
        assert slide.chart is not None
        figure = figure_for(slide.chart, width)
        return figure.print_height_in <= KEY_CHART_MAX_PRINT_HEIGHT_IN and labels_fit(slide.chart, figure.width_in)

    charts = [s for s in deck.slides if not s.hidden and s.kind == "chart" and s.chart is not None and legible(s)]
    chosen = [s for s in charts if KEY_TAG in s.tags or s.key][:3]
    findings = [s for s in charts if s not in chosen and s.chart is not None and not s.chart.illustrative
                and s.chart.type != "timeline"]
    sections = {s.section for s in chosen}
    for slide in findings:
        if len(chosen) < 3 and slide.section not in sections:
            chosen.append(slide)
            sections.add(slide.section)
    for slide in findings:
        if len(chosen) < 3 and slide not in chosen:
            chosen.append(slide)
    order = {id(s): i for i, s in enumerate(deck.slides)}
    return sorted(chosen, key=lambda s: order[id(s)])


def finding(slide: Slide) -> Finding:
    """A key slide as one finding: its headline, the number or line that carries it, and its citation."""
    body = body_printed(slide)
    big = [r for p in body if p.style == "big" for r in p.runs]
    context = [r for p in body if p.style == "context" for r in p.runs]
    detail: Runs = tuple(big + ([Run(" ")] if big and context else []) + context) if big else printed(slide.caption)
    if not detail and slide.chart is not None:
        detail = chart_values(slide.chart)
    citation = printed(slide.sources) or (printed(slide.chart.source) if slide.chart is not None else ())
    return Finding(printed(slide.title), detail, citation)


def chart_values(chart: Chart, most: int = 6) -> Runs:
    """A one-series chart's values in a line ("Therapists (2019) .85 · Clients (2019) .93"), in its own number
    format: what a finding counts when its chart is not on the page. Nothing for a chart with several series."""
    if len(chart.series) != 1 or not chart.categories or len(chart.categories) > most:
        return ()
    fmt = chart.base.format
    pairs = [f"{typographic(c)} {format_value(v, fmt)}"
             for c, v in zip(chart.categories, chart.series[0].values) if v is not None]
    return (Run(" · ".join(pairs)),) if pairs else ()


def key_findings(deck: Deck, page: Page) -> KeyFindings | None:
    """The summary page: every slide marked key as a finding with its citation, the take-home messages (with
    the take-home slide's sources), the learning outcomes and the charts (CHART_RULE)."""
    take_home = take_home_slide(deck)
    messages = body_printed(take_home) if take_home is not None else ()
    outcomes = tuple(printed(o) for o in deck.learning_outcomes)
    width = key_chart_width_in(page)
    charts = tuple(chart_block(s, s.chart, width, KEY_CHART_MAX_PRINT_HEIGHT_IN)
                   for s in key_chart_slides(deck, page) if s.chart is not None)
    found = tuple(finding(s) for s in deck.slides if not s.hidden and (s.key or KEY_TAG in s.tags))
    if not (messages or outcomes or charts or found):
        return None
    title = plain(printed(take_home.title)) if take_home is not None else "Take-home messages"
    sources = printed(take_home.sources) if take_home is not None else ()
    return KeyFindings(title, messages, outcomes, charts, CHART_RULE, found, sources)


# ── cover, contact, QR ───────────────────────────────────────────────────────────────────────────


def qr_code(url: str) -> QrCode:
    """The QR code for a URL, as modules; medium error correction, never a Micro QR (phones skip those)."""
    import segno  # pure computation, no I/O: kept inside so that importing compile costs nothing

    code = segno.make(url, error="m", micro=False, boost_error=False)
    return QrCode(url, tuple(tuple(bool(v) for v in row) for row in code.matrix))


def contact_for(deck: Deck, contact: str, slides_url: str) -> Contact | None:
    """How to reach the presenter (the talk's `contact:` lines) and the QR code to the slides."""
    url = (slides_url or str((deck.event or {}).get("slides_url", "") or "")).strip()
    if url and (not url.lower().startswith(("http://", "https://")) or not is_safe_link(url)
                or len(link_target(url).encode("utf-8")) > MAX_QR_BYTES):
        url = ""  # not a safe web address: no QR code rather than one that opens nothing or hides what it opens
    lines = tuple(typographic(line.strip()) for line in contact.splitlines() if line.strip())
    if not (lines or url):
        return None
    return Contact(lines, url, qr_code(url) if url else None)


def central_question(deck: Deck) -> str:
    """The question the talk opens with: a question slide (its title is the question) in the talk's first
    section; a question asked later belongs to its context (often a list on the slide before), not the cover."""
    shown = [s for s in deck.slides if not s.hidden]
    first = next((s.section for s in shown if s.section), "")
    asked = next((s for s in shown if s.kind == "question" and s.section == first), None)
    return typographic(plain(asked.title)).strip() if asked is not None else ""


def cover_for(deck: Deck, logo: Media | None, logo_alt: str) -> Cover:
    """The cover: title and subtitle, presenter, event, date and venue, the session's length and the question
    the talk opens with."""
    event = dict(deck.event or {})

    def joined(*parts: str) -> str:
        return " · ".join(typographic(p) for p in parts if p)

    date = str(event.get("date", "") or deck.date or "")
    venue = str(event.get("venue", "") or "")
    length = duration(round(deck.slot_minutes)) if deck.slot_minutes else ""
    return Cover("Handout", typographic(deck.title), typographic(deck.subtitle), typographic(deck.presenter),
                 typographic(deck.affiliation), joined(event.get("name", ""), event.get("organiser", "")),
                 joined(venue, date), logo, logo_alt or "Logo", central_question(deck), length,
                 typographic(date), typographic(venue))
