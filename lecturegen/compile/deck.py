"""Compile layer: talk + sections + audience + bibliography + data → Deck (pure apart from data files)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from lecturegen.compile.fit import Fitter
from lecturegen.compile.text import TextResolver, keys_of
from lecturegen.compile.timing import (
    SectionTiming,
    TimedItem,
    TimingPlan,
    clock,
    elapsed,
    estimate_minutes,
    minutes_seconds,
)
from lecturegen.diagnostics import Diagnostics, Location, quote_choices
from lecturegen.model.deck import Citation, Column, Deck, Paragraph, Picture, Run, Slide, Table
from lecturegen.model.geometry import TemplateInfo
from lecturegen.sources.audiences import AudienceSpec
from lecturegen.sources.specs import SectionSpec, SlideSpec, TalkSpec
from lecturegen.sources.themes import ThemeSpec

# Which named template layout each slide kind uses: one table, as pandoc does.
KIND_LAYOUT: dict[str, str] = {
    "title": "Title Slide",
    "agenda": "Title and Content",
    "section": "Section Header",
    "bullets": "Title and Content",
    "quote": "Title and Content",
    "statement": "Title and Content",
    "two-column": "Two Content",
    "comparison": "Comparison",
    "image": "Title Only",
    "table": "Title Only",
    "chart": "Title Only",
    "exercise": "Title and Content",
    "discussion": "Title and Content",
    "break": "Section Header",
    "closing": "Section Header",
    "references": "Title and Content",
}
GROUPING_LABEL = {
    "individual": "On your own",
    "pairs": "In pairs",
    "threes": "In threes",
    "small groups": "Small groups",
    "whole group": "Whole group",
}


@dataclass(frozen=True)
class CompileOptions:
    fit: bool = False
    timestamp: int = 0
    start: str | None = None  # "14:00": wall-clock start for cues and agenda


@dataclass
class CompileResult:
    deck: Deck
    plan: TimingPlan
    dropped: list[str] = field(default_factory=list)
    cited_keys: list[str] = field(default_factory=list)
    measured_font: str = ""


@dataclass
class _Draft:
    """A slide before timing: the model slide plus what timing needs to know."""

    slide: Slide
    section: str
    notes_words_text: str
    explicit_minutes: float | None
    optional: bool
    priority: int
    section_optional: bool
    section_priority: int


def talk_to_deck(
    talk: TalkSpec,
    theme: ThemeSpec,
    template: TemplateInfo,
    engine: Any,  # CitationEngine
    root: Path,
    diags: Diagnostics,
    audience: AudienceSpec | None = None,
    options: CompileOptions = CompileOptions(),
    bind_chart: Callable[..., Any] | None = None,
    chart_ready: Callable[[Slide], None] | None = None,
) -> CompileResult:
    """Two passes: the first collects every citation, the second formats them in context."""
    variables = _variables(talk, audience)
    vocabulary = audience.vocabulary if audience else ()
    sections = _apply_audience(talk, audience, diags)

    collector = TextResolver(Diagnostics(), variables, cite=None, vocabulary=vocabulary)
    _build(talk, sections, theme, template, collector, root, Diagnostics(), audience, options, bind_chart,
           final=False)
    citations = collector.collected
    engine.check_keys(citations, diags)
    engine.register(citations)

    resolver = TextResolver(diags, variables, cite=engine.cite, vocabulary=vocabulary,
                            bibliography_years=_years(engine, citations))
    drafts, fitter = _build(talk, sections, theme, template, resolver, root, diags, audience, options, bind_chart,
                            final=True, chart_ready=chart_ready)

    rate = (audience.speaking_rate if audience and audience.speaking_rate else None) or talk.speaking_rate
    slot = (audience.slot if audience and audience.slot else None) or talk.slot
    key_refs = audience is not None and audience.references == "key"

    def finish(items: list[_Draft]) -> list[_Draft]:
        """Generated slides that depend on what remains: reference slides and agenda pages."""
        keys = _cited_keys(items, visible_only=key_refs)
        return _paginate_agenda(_add_references(items, talk, engine, keys, resolver, fitter, template), talk)

    dropped: list[str] = []
    if options.fit:
        drafts, dropped = _fit_to_slot(drafts, talk, slot, rate, diags, finish)

    cited_keys = _cited_keys(drafts, visible_only=False)
    reference_keys = _cited_keys(drafts, visible_only=True) if key_refs else cited_keys
    drafts = finish(drafts)
    slides, plan = _schedule(drafts, talk, slot, rate, options, template)
    slides = _fill_agenda(slides, plan, talk, options, fitter)
    event = {**talk.event, **(audience.event if audience else {})}
    footer = resolver.expand(talk.footer) if talk.footer else talk.title.text
    deck = Deck(
        talk=talk.name,
        title=resolver.expand(talk.title),
        subtitle=resolver.expand(talk.subtitle) if talk.subtitle else "",
        presenter=talk.presenter,
        affiliation=talk.affiliation,
        date=event.get("date") or talk.date,
        footer=footer,
        theme=theme.name,
        slides=tuple(slides),
        slot_minutes=slot,
        audience=audience.name if audience else None,
        event=event,
        learning_outcomes=tuple(resolver.runs(o) for o in talk.learning_outcomes),
        references=tuple(engine.bibliography(reference_keys)) if reference_keys else (),
        language=talk.language,
        timestamp=options.timestamp,
    )
    return CompileResult(deck, plan, dropped, cited_keys, fitter.measured_font)


def _variables(talk: TalkSpec, audience: AudienceSpec | None) -> dict[str, Any]:
    event = {"name": "", "organiser": "", "venue": "", "date": "", **talk.event,
             **(audience.event if audience else {})}
    return {
        "talk": {"title": talk.title.text, "subtitle": talk.subtitle.text if talk.subtitle else "",
                 "presenter": talk.presenter, "affiliation": talk.affiliation, "date": talk.date,
                 "slot": talk.slot},
        "event": event,
        "audience": {"name": audience.name if audience else "", "title": audience.title if audience else ""},
    }


# -- audience filtering ------------------------------------------------------------------------------------

def _keeps(audiences: tuple[str, ...], excepted: tuple[str, ...], tags: tuple[str, ...],
           audience: AudienceSpec | None) -> bool:
    name = audience.name if audience else None
    if audiences and name not in audiences:
        return False
    if name is not None and name in excepted:
        return False
    if audience is not None:
        if any(t in audience.exclude_tags and t not in audience.include_tags for t in tags):
            return False
    return True


def _apply_audience(talk: TalkSpec, audience: AudienceSpec | None, diags: Diagnostics) -> list[SectionSpec]:
    sections: list[SectionSpec] = []
    for section in talk.sections:
        if not _keeps(section.audiences, section.except_audiences, section.tags, audience):
            continue
        kept = tuple(
            s for s in section.slides
            if _keeps(s.audiences, s.except_audiences, s.tags + section.tags, audience)
        )
        sections.append(replace(section, slides=kept))
    if audience is None or not audience.insertions:
        return sections
    all_ids = {s.id for sec in talk.sections for s in sec.slides if s.id}
    for insertion in audience.insertions:
        placed = False
        for index, section in enumerate(sections):
            slides = list(section.slides)
            for position, slide in enumerate(slides):
                if slide.id != insertion.anchor:
                    continue
                if insertion.position == "after":
                    slides[position + 1:position + 1] = insertion.slides
                elif insertion.position == "before":
                    slides[position:position] = insertion.slides
                else:
                    slides[position:position + 1] = insertion.slides
                sections[index] = replace(section, slides=tuple(slides))
                placed = True
                break
            if placed:
                break
        if not placed:
            if insertion.anchor in all_ids:
                diags.warning(f"slide '{insertion.anchor}' is not in this audience's deck; nothing inserted",
                              "audience.anchor-filtered", insertion.location)
            else:
                from lecturegen.diagnostics import did_you_mean

                diags.error(f"no slide with id '{insertion.anchor}' in talk '{talk.name}'", "audience.anchor",
                            insertion.location, hint=did_you_mean(insertion.anchor, sorted(all_ids)))
    return sections


# -- building slides ---------------------------------------------------------------------------------------

def _build(talk: TalkSpec, sections: list[SectionSpec], theme: ThemeSpec, template: TemplateInfo,
           text: TextResolver, root: Path, diags: Diagnostics, audience: AudienceSpec | None,
           options: CompileOptions, bind_chart: Callable[..., Any] | None, final: bool,
           chart_ready: Callable[[Slide], None] | None = None) -> tuple[list[_Draft], Fitter]:
    fitter = Fitter(theme, template, diags if final else Diagnostics())
    source_lines = talk.source_lines
    if audience is not None and audience.source_lines is not None:
        source_lines = audience.source_lines
    drafts: list[_Draft] = []
    title_paras: list[Paragraph] = []
    if talk.subtitle:
        title_paras.append(Paragraph(text.runs(talk.subtitle), style="subtitle"))
    who = ", ".join(p for p in (talk.presenter, talk.affiliation) if p)
    if who:
        title_paras.append(Paragraph((Run(who, bold=True),), style="subtitle"))
    event_bits = [v for v in (text.variables["event"].get("name"), text.variables["event"].get("venue"),
                              text.variables["event"].get("date") or talk.date) if v]
    if event_bits:
        title_paras.append(Paragraph((Run(" · ".join(event_bits)),), style="subtitle"))
    title_slide = Slide(kind="title", layout="Title Slide", title=text.runs(talk.title), location=talk.location,
                        subtitle=tuple(title_paras), id="title",
                        notes=(Paragraph((Run(f"Welcome. {talk.title.text}."),)),))
    drafts.append(_Draft(title_slide, "", "", None, False, 1, False, 1))
    if talk.agenda:
        agenda = Slide(kind="agenda", layout=KIND_LAYOUT["agenda"], title=(Run("Agenda"),), location=talk.location,
                       id="agenda")
        drafts.append(_Draft(agenda, "", "", None, False, 1, False, 1))
    for section in sections:
        section_title = text.runs(section.title)
        section_name = "".join(r.text for r in section_title)
        if section.header and section.slides:
            body = (Paragraph(text.runs(section.summary), style="subtitle"),) if section.summary else ()
            header = Slide(kind="section", layout=KIND_LAYOUT["section"], title=section_title,
                           location=section.location, id=f"section-{section.name}", section=section_name,
                           subtitle=body, tags=section.tags,
                           notes=(Paragraph((Run(f"Section: {section_name}."),)),))
            drafts.append(_Draft(header, section_name, "", None, False, 1, section.optional, section.priority))
        for spec in section.slides:
            built = _slide(spec, section_name, text, root, diags, template, fitter, source_lines, bind_chart, final)
            if chart_ready is not None:
                # Lets the caller start drawing a chart while the rest of the talk compiles.
                for slide in built:
                    if slide.chart is not None:
                        chart_ready(slide)
            for index, slide in enumerate(built):
                notes_text = " ".join(p.text for p in slide.notes)
                explicit = spec.minutes
                if explicit is not None and len(built) > 1:
                    explicit = explicit / len(built)
                drafts.append(_Draft(slide, section_name, notes_text, explicit, spec.optional, spec.priority,
                                     section.optional, section.priority))
    return drafts, fitter


def _slide(spec: SlideSpec, section: str, text: TextResolver, root: Path, diags: Diagnostics,
           template: TemplateInfo, fitter: Fitter, source_lines: bool, bind_chart: Callable[..., Any] | None,
           final: bool) -> list[Slide]:
    layout = spec.layout or KIND_LAYOUT[spec.kind]
    if spec.layout and spec.layout not in template.layouts:
        from lecturegen.diagnostics import did_you_mean

        diags.error(f"template '{template.name}' has no layout named '{spec.layout}'", "theme.layout-missing",
                    spec.location, hint=did_you_mean(spec.layout, template.layouts)
                    or "its layouts are: " + quote_choices(template.layouts))
        layout = KIND_LAYOUT[spec.kind]
    # Visible text first, then the notes: numeric styles number works in order of first appearance.
    before = len(text.collected)
    title = text.runs(spec.title) if spec.title else ()
    if not title and spec.kind not in ("references", "agenda"):
        title = (Run(section or spec.kind.title()),)
    notes: tuple[Paragraph, ...] = ()
    slide = Slide(kind=spec.kind, layout=layout, title=title, location=spec.location, id=spec.id, section=section,
                  tags=spec.tags, notes=notes, hidden=spec.hidden, optional=spec.optional, priority=spec.priority)
    kind = spec.kind
    if kind == "break":
        slide = replace(slide, new_day=spec.new_day)
    if kind in ("title", "section", "break"):
        slide = replace(slide, subtitle=(Paragraph(text.runs(spec.subtitle), style="subtitle"),)
                        if spec.subtitle else ())
    elif kind == "bullets":
        slide = replace(slide, body=text.bullets(spec.bullets), caption=text.runs(spec.caption))
    elif kind == "quote":
        body = [Paragraph(text.runs(spec.quote), style="quote")]
        if spec.attribution:
            body.append(Paragraph((Run("— "),) + text.runs(spec.attribution), style="attribution"))
        slide = replace(slide, body=tuple(body))
    elif kind == "statement":
        body = [Paragraph(text.runs(spec.statement), style="big")]
        if spec.caption:
            body.append(Paragraph(text.runs(spec.caption), style="caption"))
        slide = replace(slide, body=tuple(body))
    elif kind in ("two-column", "comparison"):
        columns = tuple(
            Column(heading=text.runs(col.heading) if col.heading else (), body=text.bullets(col.bullets))
            for col in (spec.left, spec.right) if col is not None
        )
        slide = replace(slide, columns=columns)
    elif kind == "image":
        alt = text.expand(spec.alt) if spec.alt else ""
        picture = Picture(spec.image, alt) if spec.image else None
        if picture is not None and final:
            _check_image(picture, spec, diags)
        slide = replace(slide, picture=picture, caption=text.runs(spec.caption))
    elif kind == "table":
        header = tuple(text.runs(c) for c in spec.columns)
        rows = tuple(tuple(text.runs(c) for c in row) for row in spec.rows)
        slide = replace(slide, table=Table(header, rows), caption=text.runs(spec.caption))
    elif kind in ("exercise", "discussion"):
        steps = text.bullets(spec.instructions)
        if kind == "exercise":
            steps = tuple(replace(p, style="step") if p.level == 0 else p for p in steps)
        grouping = GROUPING_LABEL.get(spec.grouping or "", "")
        minutes = f"{spec.minutes:g} min" if spec.minutes is not None else ""
        badge = " · ".join(b for b in (grouping, minutes) if b)
        head = (Paragraph((Run(badge, bold=True),), style="badge"),) if badge else ()
        slide = replace(slide, body=head + steps, badge=badge)
    elif kind == "closing":
        body = []
        if spec.message:
            body.extend(text.paragraphs(spec.message, style="subtitle"))
        if spec.contact:
            body.append(Paragraph(text.runs(spec.contact), style="subtitle"))
        slide = replace(slide, subtitle=tuple(body))
    elif kind == "chart":
        slide = _chart_slide(slide, spec, text, root, diags, bind_chart)
    visible = keys_of(text.collected[before:])
    slide = replace(slide, notes=text.paragraphs(spec.notes), visible_keys=visible)
    slide = replace(slide, cited_keys=keys_of(text.collected[before:]))
    if source_lines and visible and kind not in ("chart", "references"):
        slide = replace(slide, sources=text.source_line(list(visible), spec.location))
    # The collecting pass only needs the citations: measuring text there would be wasted work.
    return fitter.fit(slide, spec) if final else [slide]


def _chart_slide(slide: Slide, spec: SlideSpec, text: TextResolver, root: Path, diags: Diagnostics,
                 bind_chart: Callable[..., Any] | None) -> Slide:
    if spec.chart is None or bind_chart is None:
        return slide

    def cite_source(keys: list[str], at: Location | None) -> tuple[Run, ...]:
        return text.source_line(keys, at or spec.location, label="Sources")

    chart = bind_chart(spec.chart, root, diags, cite_source, text.bibliography_years)
    caption = text.runs(spec.caption) if spec.caption else ()
    return replace(slide, chart=chart, caption=caption, sources=chart.source if chart is not None else ())


def _years(engine: Any, citations: list[Citation]) -> dict[str, tuple[int, str]]:
    """Year and a short author label for every work the talk cites."""
    out: dict[str, tuple[int, str]] = {}
    for key in keys_of(citations):
        entry = engine.bib.get(key)
        if entry is None:
            continue
        issued = entry.csl.get("issued", {}).get("date-parts", [[None]])
        year = issued[0][0] if issued and issued[0] else None
        if not isinstance(year, int):
            continue
        names = entry.csl.get("author") or entry.csl.get("editor") or []
        families = [n.get("family") or n.get("literal") or "" for n in names]
        label = (families[0] + (" et al." if len(families) > 2 else f" & {families[1]}" if len(families) == 2
                                else "")) if families else entry.key
        out[key] = (year, label)
    return out


def _check_image(picture: Picture, spec: SlideSpec, diags: Diagnostics) -> None:
    try:
        from PIL import Image

        with Image.open(picture.path) as image:
            image.verify()
    except Exception:  # noqa: BLE001 - any decoder failure means "not an image"
        diags.error(f"'{Path(picture.path).name}' is not an image PowerPoint can show (PNG, JPEG, GIF)",
                    "image.invalid", spec.image_location or spec.location)
        return
    alt = picture.alt.strip()
    if alt.lower() == Path(picture.path).name.lower() or alt.lower() in ("image", "picture", "photo"):
        diags.error(f"alt text '{alt}' does not describe the image", "image.alt", spec.location,
                    hint="say what the picture shows, as you would to someone who cannot see it")


# -- fitting to the slot -----------------------------------------------------------------------------------

def _draft_minutes(draft: _Draft, rate: float) -> float:
    return estimate_minutes(draft.slide.kind, draft.notes_words_text, rate, draft.explicit_minutes)


def _fit_to_slot(drafts: list[_Draft], talk: TalkSpec, slot: float, rate: float, diags: Diagnostics,
                 finish: Callable[[list[_Draft]], list[_Draft]]) -> tuple[list[_Draft], list[str]]:
    """Drop optional material, lowest priority first, until the plan (with its generated slides) fits."""
    reserved = sum(b.minutes for b in talk.reserved)

    def total(items: list[_Draft]) -> float:
        return sum(_draft_minutes(d, rate) for d in finish(items)) + reserved

    dropped: list[str] = []
    current = list(drafts)
    if total(current) <= slot:
        return current, dropped
    # Candidates: whole optional sections and optional slides, by priority (lower dropped first),
    # later material before earlier at equal priority.
    candidates: list[tuple[int, int, str, str]] = []
    seen_sections: set[str] = set()
    for index, d in enumerate(current):
        if d.section_optional and d.section not in seen_sections:
            seen_sections.add(d.section)
            candidates.append((d.section_priority, -index, "section", d.section))
        elif d.optional and not d.section_optional:
            candidates.append((d.priority, -index, "slide", str(id(d))))
    candidates.sort()
    for _, _, what, name in candidates:
        if total(current) <= slot:
            break
        if what == "section":
            removed = [d for d in current if d.section == name and d.section_optional]
            current = [d for d in current if not (d.section == name and d.section_optional)]
            dropped.append(f"section '{name}' ({len(removed)} slides, "
                           f"{sum(_draft_minutes(d, rate) for d in removed):.1f} min)")
        else:
            removed = [d for d in current if str(id(d)) == name]
            current = [d for d in current if str(id(d)) != name]
            for d in removed:
                loc = f" ({d.slide.location})" if d.slide.location else ""
                dropped.append(f"slide '{''.join(r.text for r in d.slide.title)}'{loc}, "
                               f"{_draft_minutes(d, rate):.1f} min")
    if total(current) > slot:
        required = sorted(((_draft_minutes(d, rate), d) for d in current), key=lambda x: -x[0])[:5]
        listing = "; ".join(f"'{''.join(r.text for r in d.slide.title)}' {m:.1f} min" for m, d in required)
        diags.error(f"required material alone takes {total(current):.1f} min, more than the {slot:g}-minute slot "
                    f"(longest: {listing})", "timing.required-over", talk.location)
    return current, dropped


# -- references --------------------------------------------------------------------------------------------

def _cited_keys(drafts: list[_Draft], visible_only: bool) -> list[str]:
    """Keys cited on the slides that survived audience filtering and fitting, in first-use order."""
    keys: dict[str, None] = {}
    for d in drafts:
        for key in d.slide.visible_keys if visible_only else d.slide.cited_keys:
            keys.setdefault(key, None)
    return list(keys)


def _add_references(drafts: list[_Draft], talk: TalkSpec, engine: Any, keys: list[str], text: TextResolver,
                    fitter: Fitter, template: TemplateInfo) -> list[_Draft]:
    placed = [i for i, d in enumerate(drafts) if d.slide.kind == "references"]
    if not keys or (not talk.references and not placed):
        return [d for d in drafts if d.slide.kind != "references"]
    entries = engine.bibliography(keys)
    paragraphs = tuple(Paragraph(runs, style="reference") for runs in entries)
    base = drafts[placed[0]].slide if placed else Slide(
        kind="references", layout=KIND_LAYOUT["references"], title=(Run("References"),), location=talk.location,
        id="references", notes=(Paragraph((Run("The full reference list is in the handout."),)),))
    pages = fitter.split_references(replace(base, body=paragraphs))
    new = [_Draft(p, "", "", None, False, 1, False, 1) for p in pages]
    if placed:
        index = placed[0]
        rest = [d for i, d in enumerate(drafts) if d.slide.kind != "references" or i == index]
        at = rest.index(drafts[index])
        return rest[:at] + new + rest[at + 1:]
    # Before the closing slide if there is one, so the talk still ends on "thank you".
    closing = [i for i, d in enumerate(drafts) if d.slide.kind == "closing"]
    at = closing[-1] if closing else len(drafts)
    return drafts[:at] + new + drafts[at:]


# -- schedule ----------------------------------------------------------------------------------------------

def _schedule(drafts: list[_Draft], talk: TalkSpec, slot: float, rate: float, options: CompileOptions,
              template: TemplateInfo) -> tuple[list[Slide], TimingPlan]:
    items: list[TimedItem] = []
    slides: list[Slide] = []
    t = 0.0
    section_order: list[str] = []
    section_acc: dict[str, list[float]] = {}
    minutes_list = [_draft_minutes(d, rate) for d in drafts]
    day, shift = 1, 0.0
    shifts: list[float] = []
    for number, (draft, minutes) in enumerate(zip(drafts, minutes_list), start=1):
        slide = replace(draft.slide, minutes=minutes, start_minute=round(t, 2))
        slides.append(slide)
        shifts.append(shift)
        items.append(TimedItem(number, "".join(r.text for r in slide.title), slide.kind, draft.section, minutes, t,
                               day, shift))
        key = draft.section or "Opening"
        if key not in section_acc:
            section_order.append(key)
            section_acc[key] = [t, 0.0, 0, day, shift]
        section_acc[key][1] += minutes
        section_acc[key][2] += 1
        t += minutes
        if slide.new_day:
            # The next slide starts at day_start on the following day: shift its clock time.
            day += 1
            shift = (day - 1) * 24 * 60 - t
    reserved_total = 0.0
    for block in talk.reserved:
        items.append(TimedItem(None, block.title, "reserved", "", block.minutes, t, day, shift))
        section_order.append(block.title)
        section_acc[block.title] = [t, block.minutes, 0, day, shift]
        t += block.minutes
        reserved_total += block.minutes
    sections = tuple(SectionTiming(name, section_acc[name][0], section_acc[name][1], int(section_acc[name][2]),
                                   int(section_acc[name][3]), section_acc[name][4]) for name in section_order)
    plan = TimingPlan(tuple(items), sections, slot, reserved_total, round(t, 2))
    start = _start_minutes(talk, options)
    total_slides = len(slides)
    out: list[Slide] = []
    for index, slide in enumerate(slides):
        begin, end = slide.start_minute, slide.start_minute + slide.minutes
        if start is not None:
            begin, end = begin + shifts[index], end + shifts[index]
        when = (f"{clock(start, begin)}–{clock(start, end)}" if start is not None
                else f"{minutes_seconds(begin)}–{minutes_seconds(end)}")
        nxt = index + 2 if index + 1 < total_slides else None
        target = (f" · be at slide {nxt} by {clock(start, end) if start is not None else elapsed(end)}"
                  if nxt and not slide.new_day else "")
        cue = Paragraph((Run(f"⏱ {when} · {slide.minutes:g} min{target}"),), style="cue")
        out.append(replace(slide, notes=(cue,) + slide.notes))
    return out, plan


def _start_minutes(talk: TalkSpec, options: CompileOptions) -> float | None:
    from lecturegen.compile.timing import parse_clock

    value = options.start or talk.day_start
    return parse_clock(value) if value else None


AGENDA_ONE_COLUMN = 7
AGENDA_PER_SLIDE = 2 * AGENDA_ONE_COLUMN


def _agenda_entries(drafts: list[_Draft], talk: TalkSpec) -> int:
    sections = {d.section for d in drafts if d.section}
    days = sum(1 for d in drafts if d.slide.new_day)
    return len(sections) + len(talk.reserved) + (days + 1 if days else 0)


def _paginate_agenda(drafts: list[_Draft], talk: TalkSpec) -> list[_Draft]:
    """Long programmes (a day's workshop) get as many agenda slides as they need, numbered (1/2)…"""
    pages = -(-_agenda_entries(drafts, talk) // AGENDA_PER_SLIDE)
    if pages <= 1:
        return drafts
    out: list[_Draft] = []
    for d in drafts:
        if d.slide.kind != "agenda":
            out.append(d)
            continue
        for page in range(1, pages + 1):
            title = d.slide.title + (Run(f" ({page}/{pages})"),)
            out.append(replace(d, slide=replace(d.slide, title=title, id=f"agenda-{page}")))
    return out


def _fill_agenda(slides: list[Slide], plan: TimingPlan, talk: TalkSpec, options: CompileOptions,
                 fitter: Fitter) -> list[Slide]:
    start = _start_minutes(talk, options)
    lines: list[Paragraph] = []
    previous_day = 1
    if any(section.day > 1 for section in plan.sections):
        lines.append(Paragraph((Run("Day 1", bold=True),), style="agenda"))
    for section in plan.sections:
        if section.title == "Opening":
            continue
        when = (clock(start, section.start + section.clock_shift) if start is not None
                else elapsed(section.start))
        if section.day > 1 and section.day != previous_day:
            lines.append(Paragraph((Run(f"Day {section.day}", bold=True),), style="agenda"))
        previous_day = section.day
        lines.append(Paragraph((Run(when, bold=True), Run(f"\t{section.title}")), style="agenda"))
    chunks = [lines[i:i + AGENDA_PER_SLIDE] for i in range(0, len(lines), AGENDA_PER_SLIDE)] or [[]]
    out = []
    page = 0
    for slide in slides:
        if slide.kind == "agenda":
            chunk = chunks[page] if page < len(chunks) else []
            page += 1
            notes = slide.notes + (
                Paragraph((Run("Walk through the plan for the session and when questions are welcome."
                               if page == 1 else "The programme continues."),)),)
            if len(chunk) > AGENDA_ONE_COLUMN:
                half = (len(chunk) + 1) // 2
                columns = (Column(body=tuple(chunk[:half])), Column(body=tuple(chunk[half:])))
                slide = replace(slide, layout="Two Content", columns=columns, notes=notes)
            else:
                slide = replace(slide, body=tuple(chunk), notes=notes)
            slide = fitter.fit(slide, None)[0]
        out.append(slide)
    return out
