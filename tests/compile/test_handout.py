"""Compile tests for the handout builder: Deck + timing plan → handout model, on decks built in code."""

from __future__ import annotations

import builtins
import dataclasses
import re
import subprocess
from pathlib import Path

import pytest

from lecturegen.compile.handout import HandoutOptions, deck_to_handout
from lecturegen.compile.handout_figures import CHART_MIN_FONT_PT, KEY_CHART_MAX_PRINT_HEIGHT_IN, MIN_PRINTED_PT, \
    figure_for, paper_chart
from lecturegen.compile.handout_summary import key_chart_slides, qr_code
from lecturegen.compile.handout_text import typographic
from lecturegen.compile.timing import SectionTiming, TimedItem, TimingPlan
from lecturegen.model.chart import Chart, ChartSeries
from lecturegen.model.chart import Reference, options_for
from lecturegen.model.deck import Deck, Slide
from lecturegen.model.handout import (
    PAGES,
    Activity,
    BreakMark,
    ChartBlock,
    Handout,
    NotesSpace,
    Points,
    Prompt,
    SlideHeading,
    TickBox,
    Worksheet,
)
from lecturegen.model.text import Paragraph, Run
from tests.handout_samples import STYLE, runs

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("keynote-1h", "keynote-2h", "workshop-1day", "workshop-2day")
DOI = "https://doi.org/10.1080/14733140802035005"



def bar_chart(categories: tuple[str, ...], values: tuple[float, ...], **options: object) -> Chart:
    return Chart("bar", categories, (ChartSeries("n", values),), "A bar chart", runs("Source: Cooper (2005)"),
                 options=options_for("bar", **options))


def chart_slide(title: str, section: str, chart: Chart, tags: tuple[str, ...] = (), **kw: object) -> Slide:
    return Slide("chart", "Title Only", runs(title), section=section, chart=chart, tags=tags,
                 caption=runs("What the chart shows."), **kw)  # type: ignore[arg-type]


def bullets(title: str, section: str, *points: str, **kw: object) -> Slide:
    return Slide("bullets", "Title and Content", runs(title), section=section,
                 body=tuple(Paragraph(runs(p)) for p in points), **kw)  # type: ignore[arg-type]


def sample_slides() -> list[Slide]:
    """A short workshop: two sections, a break inside the second, an exercise, a take-home slide."""
    reliability = bar_chart(("Therapists (2019)", "Clients (2019)"), (0.85, 0.93), orientation="vertical",
                            references=(Reference(0.9, "α = .90"),), y_min=0.8, y_max=1.0)
    return [
        Slide("title", "Title Slide", runs("A small workshop")),
        Slide("section", "Section Header", runs("Beginnings"), section="Beginnings",
              subtitle=(Paragraph(runs("Where we start and what we mean.")),)),
        bullets("What it is", "Beginnings", "Therapists' own words", "A meeting \"in depth\""),
        chart_slide("It is reliable", "Beginnings", reliability),
        Slide("section", "Section Header", runs("Practice"), section="Practice"),
        Slide("exercise", "Title and Content", runs("Noticing"), id="notice", section="Practice",
              badge="In pairs · 10 min",
              body=(Paragraph(runs("In pairs · 10 min", bold=True), style="badge"),
                    Paragraph(runs("Recall a moment"), style="step"), Paragraph(runs("Share it"), style="step"))),
        Slide("break", "Title Only", runs("Coffee break"), section="Practice"),
        bullets("Take-home messages", "Practice", "Depth is shared", "It can be measured"),
        Slide("closing", "Title Only", runs("Thank you"), section="Practice"),
        Slide("references", "Title and Content", runs("References")),
    ]


# Minutes per slide; fractional on purpose, so that rounding is exercised.
MINUTES = (0.5, 0.25, 3.4, 2.35, 0.25, 10.0, 15.0, 2.5, 0.5, 0.1)


def sample_plan(slides: list[Slide], minutes: tuple[float, ...] = MINUTES,
                reserved: tuple[tuple[str, float], ...] = (("Questions", 10.0),)) -> tuple[list[Slide], TimingPlan]:
    items, placed, start = [], [], 0.0
    for number, (slide, m) in enumerate(zip(slides, minutes), start=1):
        placed.append(dataclasses.replace(slide, minutes=m, start_minute=start))
        items.append(TimedItem(number, "".join(r.text for r in slide.title), slide.kind, slide.section, m, start))
        start += m
    for title, m in reserved:
        items.append(TimedItem(None, title, "reserved", "", m, start))
        start += m
    sections = (SectionTiming("Opening", 0.0, 0.5, 1),)
    return placed, TimingPlan(tuple(items), sections, slot=60.0, reserved=sum(m for _, m in reserved), total=start)


def sample_deck(slides: list[Slide] | None = None, **kw: object) -> tuple[Deck, TimingPlan]:
    placed, plan = sample_plan(slides or sample_slides())
    deck = Deck(talk="small", title="A small workshop", subtitle="For tests", presenter="Test Presenter",
                affiliation="Test University", date="2026", footer="", theme="calm", slides=tuple(placed),
                slot_minutes=60.0, learning_outcomes=(runs("Name what depth is"),),
                references=((Run("Cooper, M. (2005). A study. "), Run(DOI, link=DOI)),), style=STYLE,
                timestamp=1767225600, **kw)  # type: ignore[arg-type]
    return deck, plan


def sample_handout(**options: object) -> Handout:
    deck, plan = sample_deck()
    return deck_to_handout(deck, plan, HandoutOptions(**options))  # type: ignore[arg-type]


def minutes_of(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


# ── programme ──


def test_every_programme_row_lasts_exactly_its_time_range() -> None:
    for options in ({}, {"day_start": "09:30"}, {"start": "14:07"}):
        programme = sample_handout(**options).programme
        assert programme is not None
        for row in programme.rows:
            assert minutes_of(row.end) - minutes_of(row.start) == row.minutes, row
            assert row.duration == f"{row.minutes} min"


def test_programme_rows_join_without_gaps_or_overlaps() -> None:
    programme = sample_handout(day_start="09:30").programme
    assert programme is not None
    rows = programme.rows
    assert rows[0].start == "09:30"
    assert all(a.end == b.start for a, b in zip(rows, rows[1:]))
    # 0.5 + 0.25 + 3.4 + 2.35 = 6.5 min rounds up (half a minute rounds up, not to even).
    assert [r.title for r in rows] == ["Opening", "Beginnings", "Practice", "Coffee break", "Practice (continued)",
                                       "Questions"]
    assert rows[1].end == "09:37"
    assert [r.kind for r in rows] == ["section", "section", "section", "break", "section", "reserved"]


def test_programme_without_a_clock_shows_elapsed_times() -> None:
    programme = sample_handout().programme
    assert programme is not None and not programme.clock_times
    assert programme.rows[0].start == "0:00"
    assert programme.summary.endswith("times from the start of the session")


@pytest.mark.parametrize("talk", SHIPPED)
def test_shipped_talks_programme_durations_match_their_times(talk: str) -> None:
    from lecturegen.build import prepare
    from lecturegen.diagnostics import Diagnostics
    from lecturegen.workspace import Workspace

    prepared = prepare(Workspace(ROOT), talk, Diagnostics())
    handout = deck_to_handout(prepared.result.deck, prepared.result.plan,
                              HandoutOptions(day_start=prepared.talk.day_start))
    assert handout.programme is not None
    for row in handout.programme.rows:
        span = (minutes_of(row.end) - minutes_of(row.start)) % (24 * 60)
        assert span == row.minutes, row
    rows = {}
    for row in handout.programme.rows:
        if row.kind == "section":
            rows.setdefault((row.day, row.title.removesuffix(" (continued)")), []).append(row)
    for section in handout.sections:
        stretches = [w.split("–") for w in section.when.split(", ")]
        total = sum((minutes_of(end) - minutes_of(start)) % (24 * 60) for start, end in stretches)
        assert section.duration == _duration(total), section.title
        # The header is the programme's own rows for the section: no break, no other clock.
        own = rows[(section.day, section.title)]
        assert section.when == ", ".join(f"{r.start}–{r.end}" for r in own), section.title
        assert total == sum(r.minutes for r in own)


def _duration(minutes: int) -> str:
    from lecturegen.compile.handout_text import duration

    return duration(minutes)


def test_a_second_day_restarts_at_the_day_start() -> None:
    slides = [bullets("Day one", "One", "a"), Slide("break", "Title Only", runs("End of day one"), section="One"),
              bullets("Day two", "Two", "b")]
    placed, plan = sample_plan(slides, (60.0, 0.0, 30.0), reserved=())
    items = list(plan.items)
    items[2] = dataclasses.replace(items[2], day=2, clock_shift=24 * 60 - 60.0)
    plan = dataclasses.replace(plan, items=tuple(items))
    deck, _ = sample_deck(placed)
    handout = deck_to_handout(deck, plan, HandoutOptions(day_start="09:30"))
    assert handout.programme is not None
    rows = handout.programme.rows
    assert [(r.day, r.kind, r.start, r.end) for r in rows] == [
        (1, "section", "09:30", "10:30"), (1, "day-end", "10:30", "10:30"), (2, "section", "09:30", "10:00")]
    assert handout.programme.summary == "Day 1: 09:30–10:30 · Day 2: 09:30–10:00"


# ── sections and blocks ──


def test_sections_hold_their_slides_as_blocks_and_end_with_notes_space() -> None:
    handout = sample_handout(day_start="09:30")
    first, second = handout.sections
    assert first.title == "Beginnings" and first.summary == runs("Where we start and what we mean.")
    assert first.when == "09:31–09:37" and first.duration == "6 min"  # as the programme row says
    kinds = [type(b).__name__ for b in first.blocks]
    assert kinds == ["SlideHeading", "Points", "SlideHeading", "ChartBlock", "NotesSpace"]
    # Generated slides (title, section headers, references, closing) are not repeated as key points.
    assert not any(isinstance(b, SlideHeading) and b.runs == runs("References") for s in handout.sections
                   for b in s.blocks)
    activity = next(b for b in second.blocks if isinstance(b, Activity))
    assert activity.badge == "In pairs · 10 min" and activity.numbered
    assert [p.text for p in activity.steps] == ["Recall a moment", "Share it"]
    coffee = next(b for b in second.blocks if isinstance(b, BreakMark))
    assert (coffee.title, coffee.when, coffee.duration) == ("Coffee break", "09:47–10:02", "15 min")


def test_printed_text_gets_typographic_quotes_but_links_stay_as_written() -> None:
    handout = sample_handout()
    points = next(b for b in handout.sections[0].blocks if isinstance(b, Points))
    assert [p.text for p in points.paragraphs] == ["Therapists\u2019 own words", "A meeting \u201cin depth\u201d"]
    assert handout.references[0][-1] == Run(DOI, link=DOI)
    assert typographic("'single' and \"double\"") == "\u2018single\u2019 and \u201cdouble\u201d"


def test_take_home_slide_goes_to_key_findings_and_is_not_repeated() -> None:
    handout = sample_handout()
    findings = handout.key_findings
    assert findings is not None
    assert findings.take_home_title == "Take-home messages"
    assert [p.text for p in findings.take_home] == ["Depth is shared", "It can be measured"]
    assert findings.outcomes == (runs("Name what depth is"),)
    headings = [b.runs for s in handout.sections for b in s.blocks if isinstance(b, SlideHeading)]
    assert runs("Take-home messages") not in headings


def test_worksheet_follows_its_exercise_and_brings_its_own_writing_space() -> None:
    sheet = Worksheet(runs("My strategies"), (TickBox(runs("Going quiet")), Prompt(runs("When?"), 4)))
    slides = sample_slides()
    # End the Practice section on the exercise, so the worksheet is its last content.
    slides = [s for s in slides if s.kind not in ("break", "closing") and "Take-home" not in s.title[0].text]
    deck, plan = sample_deck(slides)
    handout = deck_to_handout(deck, plan, HandoutOptions(worksheets={"notice": sheet}))
    blocks = handout.sections[1].blocks
    index = next(i for i, b in enumerate(blocks) if isinstance(b, Activity))
    assert blocks[index + 1] == sheet
    assert not any(isinstance(b, NotesSpace) for b in blocks)
    assert handout.worksheets == (sheet,)


def test_notes_space_comes_before_a_break_that_closes_the_section() -> None:
    slides = [bullets("Talking", "One", "a"), Slide("break", "Title Only", runs("Lunch"), section="One"),
              bullets("After lunch", "Two", "b")]
    placed, plan = sample_plan(slides, (20.0, 45.0, 10.0), reserved=())
    deck, _ = sample_deck(placed)
    blocks = deck_to_handout(deck, plan, HandoutOptions(start="12:00")).sections[0].blocks
    assert [type(b).__name__ for b in blocks] == ["SlideHeading", "Points", "NotesSpace", "BreakMark"]


# ── charts for paper ──


def test_a_reference_label_moves_from_the_columns_into_the_caption() -> None:
    handout = sample_handout()
    block = next(b for b in handout.sections[0].blocks if isinstance(b, ChartBlock))
    assert block.chart.axis.references == (Reference(0.9, ""),)
    assert "".join(r.text for r in block.caption) == "Dashed line: α = .90. What the chart shows."
    horizontal = bar_chart(("a", "b"), (1.0, -1.0), orientation="horizontal", references=(Reference(0.0, "no effect"),))
    assert paper_chart(horizontal) == (horizontal, ())  # above the plot there: nothing to move


def test_charts_print_at_their_content_aspect_with_legible_type() -> None:
    width = PAGES["a4"].frame_width / 72
    few = figure_for(bar_chart(tuple("abc"), (1, 2, 3), orientation="horizontal"), width)
    many = figure_for(bar_chart(tuple("abcdefghijklmno"), tuple(range(15)), orientation="horizontal"), width)
    assert many.height_in > few.height_in * 3
    for figure in (few, many):
        assert figure.print_width_in == pytest.approx(width)
        # The drawer's smallest type, at the printed scale and at the smallest the page may shrink it to.
        assert CHART_MIN_FONT_PT * figure.scale >= MIN_PRINTED_PT
        assert CHART_MIN_FONT_PT * figure.min_print_width_in / figure.width_in >= MIN_PRINTED_PT - 1e-6


def test_a_timeline_prints_in_one_column_when_it_fits() -> None:
    events = tuple(f"{2000 + i}" for i in range(15))
    labels = tuple("Metaperceptions paper; BACP research review" for _ in events)
    timeline = Chart("timeline", events, (ChartSeries("year", tuple(float(e) for e in events)),), "Timeline", (),
                     labels=labels)
    width = PAGES["a4"].frame_width / 72
    one = figure_for(timeline, width)
    assert one.print_height_in <= 5.6
    # Fifteen events of one line each at the figure's type size: one column (rows of 1.4 lines + gaps).
    assert one.height_in * 72 >= 15 * (16 * 1.4 + 8)


def test_key_charts_follow_the_rule() -> None:
    page = PAGES["a4"]
    plain = bar_chart(("a", "b"), (1, 2))
    timeline = Chart("timeline", ("2005",), (ChartSeries("y", (2005.0,)),), "t", (), labels=("book",))
    made_up = dataclasses.replace(plain, illustrative=True)
    slides = [chart_slide("History", "A", timeline), chart_slide("First", "A", plain),
              chart_slide("Second", "A", plain), chart_slide("Invented", "B", made_up),
              chart_slide("Third", "B", plain), chart_slide("Fourth", "C", plain),
              chart_slide("Tagged", "C", plain, tags=("key",))]
    deck, _ = sample_deck(slides)
    chosen = ["".join(r.text for r in s.title) for s in key_chart_slides(deck, page)]
    # 'key' first; then one per section (no timeline, no illustrative data); deck order on the page.
    assert chosen == ["First", "Third", "Tagged"]
    too_tall = bar_chart(tuple("abcdefghijklmnopqrstuvwxyz"), tuple(range(26)), orientation="horizontal")
    assert figure_for(too_tall, 3.2).print_height_in > KEY_CHART_MAX_PRINT_HEIGHT_IN
    deck, _ = sample_deck([chart_slide("Tall", "A", too_tall, tags=("key",))])
    assert key_chart_slides(deck, page) == []


# ── cover, contact, metadata ──


def test_contact_and_qr_code_only_with_a_web_address() -> None:
    assert sample_handout().contact is None
    only_text = sample_handout(contact="Test Presenter\nt.presenter@example.org").contact
    assert only_text is not None and only_text.lines == ("Test Presenter", "t.presenter@example.org")
    assert only_text.qr is None
    assert sample_handout(contact="x", slides_url="not a url").contact.qr is None  # type: ignore[union-attr]
    url = "https://example.org/slides/small"
    contact = sample_handout(slides_url=url).contact
    assert contact is not None and contact.qr is not None
    assert contact.qr.url == url
    import segno

    expected = segno.make(url, error="m", micro=False, boost_error=False)
    assert contact.qr.modules == tuple(tuple(bool(v) for v in row) for row in expected.matrix)
    assert not expected.is_micro
    assert qr_code(url) == contact.qr


def test_slides_url_can_come_from_the_talks_event() -> None:
    deck, plan = sample_deck(event={"name": "Spring school", "slides_url": "https://example.org/s"})
    handout = deck_to_handout(deck, plan)
    assert handout.contact is not None and handout.contact.slides_url == "https://example.org/s"
    assert handout.cover.event == "Spring school"
    assert handout.metadata.subject == "For tests · Spring school"


def test_metadata_and_cover() -> None:
    handout = sample_handout(paper="letter")
    assert handout.page == PAGES["letter"]
    meta = handout.metadata
    assert (meta.title, meta.author, meta.language, meta.timestamp) == (
        "A small workshop", "Test Presenter", "en-GB", 1767225600)
    assert "handout" in meta.keywords
    assert (handout.cover.title, handout.cover.presenter, handout.cover.place) == (
        "A small workshop", "Test Presenter", "2026")


# ── purity and determinism ──


def test_the_builder_touches_no_file_and_no_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import segno  # noqa: F401  # imported before the doors close, as any module a build uses

    deck, plan = sample_deck()

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"I/O during deck_to_handout: {args!r}")

    monkeypatch.setattr(builtins, "open", forbidden)
    monkeypatch.setattr(subprocess, "run", forbidden)
    monkeypatch.setattr(subprocess, "Popen", forbidden)
    monkeypatch.setattr(Path, "read_bytes", forbidden)
    monkeypatch.setattr(Path, "is_file", forbidden)
    handout = deck_to_handout(deck, plan, HandoutOptions(slides_url="https://example.org/s", day_start="09:00"))
    assert handout.sections


def test_the_same_inputs_give_an_equal_handout() -> None:
    assert sample_handout(day_start="09:30") == sample_handout(day_start="09:30")
    assert sample_handout(day_start="09:30") != sample_handout(day_start="10:00")


def test_handout_of_a_prepared_talk_keeps_every_content_section() -> None:
    from lecturegen.build import prepare
    from lecturegen.diagnostics import Diagnostics
    from lecturegen.workspace import Workspace

    prepared = prepare(Workspace(ROOT), "keynote-1h", Diagnostics())
    deck = prepared.result.deck
    handout = deck_to_handout(deck, prepared.result.plan)
    content = {s.section for s in deck.slides if s.section and s.kind not in ("section", "closing")
               and "take-home" not in (s.id or "")}
    assert content <= {s.title for s in handout.sections}
    # An exact hour reads "1 h", anything else "N min" or "N h M min" (timing.format_minutes).
    assert re.fullmatch(r"(\d+ h)?( ?\d+ min)? in all · times from the start of the session",
                        handout.programme.summary or "")
    assert handout.programme.summary != " in all · times from the start of the session"


def test_an_exercise_worksheet_in_the_outline_is_printed_in_the_handout(mini: Path) -> None:
    """`worksheet:` on an exercise becomes tick-boxes and prompts with writing lines after the exercise."""
    from lecturegen.build import prepare as prepare_talk
    from lecturegen.compile.handout import HandoutOptions as Options
    from lecturegen.compile.handout import deck_to_handout as to_handout
    from lecturegen.diagnostics import Diagnostics as Diags
    from lecturegen.model.handout import Prompt, TickBox, Worksheet
    from lecturegen.workspace import Workspace as Ws

    section = mini / "content" / "sections" / "intro.yaml"
    section.write_text(section.read_text() + """
  - kind: exercise
    id: strategies
    title: Our strategies of disconnection
    grouping: pairs
    minutes: 10
    instructions:
      - Tick the strategies you recognise on the worksheet
    worksheet:
      title: Strategies I recognise
      checklist: [Keeping busy, Intellectualising]
      prompts: [When do I pull back?]
      space: 5
    notes: Give out the worksheet and keep time.
""", encoding="utf-8")
    result = prepare_talk(Ws(mini), "small", Diags()).result
    handout = to_handout(result.deck, result.plan, Options())
    sheets = [b for s in handout.sections for b in s.blocks if isinstance(b, Worksheet)]
    assert len(sheets) == 1
    sheet = sheets[0]
    assert "".join(r.text for r in sheet.title) == "Strategies I recognise"
    assert [type(i) for i in sheet.items] == [TickBox, TickBox, Prompt]
    assert isinstance(sheet.items[2], Prompt) and sheet.items[2].lines == 5


def test_long_paragraphs_are_printed_in_pieces_at_sentence_ends() -> None:
    from lecturegen.compile.handout_text import chunked
    from lecturegen.model.text import Paragraph, Run

    paragraph = Paragraph((Run("One sentence ends here. " * 30), Run("bold words " * 20, bold=True), Run("x" * 900)),
                          style="body")
    pieces = chunked(paragraph, 300)
    assert all(len(p.text) <= 300 for p in pieces) and [p.text for p in pieces[-3:]] == ["x" * 300] * 3
    assert pieces[0].text.endswith("here.") and pieces[0].style == "body"
    assert " ".join(p.text.strip() for p in pieces[:-3]).split() == paragraph.text[:-900].split()
    assert any(r.bold for p in pieces for r in p.runs)
    short = Paragraph((Run("Short."),))
    assert chunked(short, 300) == (short,)


# ── call-outs and diagrams ──


def _blocks_of(slide: Slide) -> list[object]:
    slides = sample_slides()
    slides.insert(3, slide)
    deck, plan = sample_deck(slides)
    handout = deck_to_handout(deck, plan, HandoutOptions())
    return [b for s in handout.sections for b in s.blocks]


def test_a_big_number_is_a_call_out_not_bullet_fragments() -> None:
    from lecturegen.model.handout import Statement

    slide = Slide("big-number", "Title and Content", runs("Asked only what mattered"), section="Beginnings",
                  body=(Paragraph(runs("More than a third"), style="big"),
                        Paragraph(runs("of 342 significant-event accounts"), style="context"),
                        Paragraph(runs("Coded by judges."), style="caption")))
    blocks = _blocks_of(slide)
    callouts = [b for b in blocks if isinstance(b, Statement)]
    assert callouts == [Statement(runs("More than a third"), runs("Coded by judges."),
                                  runs("of 342 significant-event accounts"))]
    assert not any(isinstance(b, Points) and any("third" in p.text for p in b.paragraphs) for b in blocks)


def test_a_finding_told_by_a_number_is_a_call_out_and_one_with_a_chart_keeps_its_chart() -> None:
    from lecturegen.model.handout import Statement

    number = Slide("finding", "Title and Content", runs("They agreed"), section="Beginnings",
                   body=(Paragraph(runs(".76"), style="big"), Paragraph(runs("the median"), style="context")))
    assert any(isinstance(b, Statement) and b.big == runs(".76") for b in _blocks_of(number))
    charted = Slide("finding", "Title Only", runs("Rates"), section="Beginnings",
                    chart=bar_chart(("A", "B"), (1.0, 2.0)))
    assert any(isinstance(b, ChartBlock) for b in _blocks_of(charted))


def test_a_registered_statement_is_a_call_out() -> None:
    from lecturegen.compile.kinds.statement import Statement as StatementRecord
    from lecturegen.model.handout import Statement

    slide = Slide("statement", "Title and Content", runs("Depth is a continuum"), section="Beginnings",
                  content=StatementRecord(runs("From shallow to deep"), runs("Ratings move smoothly.")))
    assert Statement(runs("From shallow to deep"), runs("Ratings move smoothly.")) in _blocks_of(slide)


def test_a_diagram_is_printed_as_a_lead_and_one_point_per_step() -> None:
    from lecturegen.compile.kinds.diagram import Diagram, DiagramNode

    diagram = Diagram("process", (DiagramNode(label=runs("Notice")), DiagramNode(label=runs("Name"),
                                                                                 detail=runs("say it aloud")),
                                  DiagramNode(label=runs("Stay"))))
    slide = Slide("diagram", "Title Only", runs("Three steps"), section="Beginnings", content=diagram)
    points = [b for b in _blocks_of(slide) if isinstance(b, Points) and b.numbered]
    assert len(points) == 1
    texts = [p.text for p in points[0].paragraphs]
    assert texts[0] == "A process in 3 steps:" and points[0].paragraphs[0].style == "caption"
    assert texts[1:] == ["Notice", "Name: say it aloud", "Stay"]
    cards = Diagram("continuum", start=runs("shallow"), end=runs("deep"))
    slide = dataclasses.replace(slide, content=cards)
    described = [b for b in _blocks_of(slide) if isinstance(b, Points)]
    assert any("from shallow to deep" in p.text for b in described for p in b.paragraphs)


def test_a_checklist_with_a_rating_scale_is_rated_not_ticked(mini: Path) -> None:
    """`scale:` on a worksheet: its checklist items become ratings, the anchors numbered from 0."""
    from lecturegen.build import prepare as prepare_talk
    from lecturegen.diagnostics import Diagnostics as Diags
    from lecturegen.model.handout import Rating, ScalePoint
    from lecturegen.workspace import Workspace as Ws

    section = mini / "content" / "sections" / "intro.yaml"
    section.write_text(section.read_text() + """
  - kind: exercise
    id: strategies
    title: Our strategies of disconnection
    grouping: pairs
    minutes: 10
    instructions:
      - Rate each from 0 to 3
    worksheet:
      title: Strategies I use
      scale: [not at all, a little, moderately, a lot]
      checklist: [Keeping busy, Making a joke of it]
      prompts: [When do I pull back?]
    notes: Give out the worksheet and keep time.
""", encoding="utf-8")
    result = prepare_talk(Ws(mini), "small", Diags()).result
    handout = deck_to_handout(result.deck, result.plan, HandoutOptions())
    sheet = next(b for s in handout.sections for b in s.blocks if isinstance(b, Worksheet))
    assert sheet.scale == tuple(ScalePoint(str(i), runs(a)) for i, a in
                                enumerate(("not at all", "a little", "moderately", "a lot")))
    assert [type(i) for i in sheet.items] == [Rating, Rating, Prompt]


@pytest.mark.parametrize("scale, message", [("[only one]", "2 to 7 anchors"),
                                            ("[a, b, c, d, e, f, g, h]", "2 to 7 anchors")])
def test_a_bad_rating_scale_is_an_error_at_the_line_not_a_traceback(mini: Path, scale: str, message: str) -> None:
    from lecturegen.build import prepare as prepare_talk
    from lecturegen.diagnostics import Diagnostics as Diags
    from lecturegen.workspace import Workspace as Ws

    section = mini / "content" / "sections" / "intro.yaml"
    section.write_text(section.read_text() + f"""
  - kind: exercise
    id: strategies
    title: Our strategies
    minutes: 10
    instructions: [Rate each]
    worksheet:
      title: Strategies I use
      scale: {scale}
      checklist: [Keeping busy]
""", encoding="utf-8")
    diags = Diags()
    try:
        prepare_talk(Ws(mini), "small", diags)
    except Exception as error:  # a build that stops on errors raises its own error, never a bare traceback
        assert type(error).__module__.startswith("lecturegen"), error
    found = [d for d in diags.errors if d.code == "outline.worksheet"]
    assert found and message in found[0].message


def test_a_section_header_shows_its_own_minutes_not_the_break_that_follows() -> None:
    slides = [bullets("Talking", "One", "a"), Slide("break", "Title Only", runs("Coffee"), section="One"),
              bullets("After coffee", "Two", "b"), Slide("break", "Title Only", runs("Lunch"), section="Two"),
              bullets("Still two", "Two", "c")]
    placed, plan = sample_plan(slides, (70.0, 20.0, 30.0, 45.0, 15.0), reserved=())
    deck, _ = sample_deck(placed)
    handout = deck_to_handout(deck, plan, HandoutOptions(start="09:50"))
    one, two = handout.sections
    assert (one.when, one.duration) == ("09:50–11:00", "70 min")  # not 11:20 and 90 min
    # A section a break interrupts: each stretch as the programme shows it, and the minutes they add up to.
    assert (two.when, two.duration) == ("11:20–11:50, 12:35–12:50", "45 min")
    assert handout.programme is not None
    assert [(r.start, r.end, r.title) for r in handout.programme.rows if r.kind == "section"] == [
        ("09:50", "11:00", "One"), ("11:20", "11:50", "Two"), ("12:35", "12:50", "Two (continued)")]
