"""Compile layer: talk + sections + audience + bibliography + data + template → Deck. Pure: no file access.

Two passes: the first collects every citation (so numbering and year suffixes see them all), the second
formats them in context, builds each slide (`kinds.py`), lays it out on its template layout
(`layout.py`), fits the talk to its slot (`slot.py`), adds reference slides (`references.py`) and
schedules it (`schedule.py`).
"""

from __future__ import annotations

from dataclasses import field, replace
from typing import Mapping

from lecturegen.compile.audience import apply_audience, template_variables
from lecturegen.compile.draft import Draft
from lecturegen.compile.kinds import KindContext, build_slide, kind_role, reveals_lists
from lecturegen.compile.kinds.quote import QuoteSpec
from lecturegen.compile.layout import LayoutContext, Layouter
from lecturegen.compile.protocols import CitationFormatter
from lecturegen.compile.references import add_references, cited_keys
from lecturegen.compile.schedule import fill_agenda, fill_breaks, paginate_agenda, schedule
from lecturegen.compile.slot import (apply_budgets, budget_scale, check_discussion, check_notes_time, fit_to_slot,
                                     section_budgets)
from lecturegen.compile.text import TextResolver, keys_of
from lecturegen.compile.timing import TimingPlan
from lecturegen.diagnostics import Diagnostics, LecturegenError, did_you_mean, quote_choices
from lecturegen.model.deck import Citation, Deck, Paragraph, Run, Slide
from lecturegen.model.shapes import Media
from lecturegen.records import record
from lecturegen.sources.outline import slide_limit
from lecturegen.sources.audiences import AudienceSpec
from lecturegen.sources.data import Dataset
from lecturegen.sources.specs import SectionSpec, SlideSpec, TalkSpec
from lecturegen.model.text import runs_text


@record
class CompileOptions:
    fit: bool = False
    timestamp: int = 0
    start: str | None = None  # "14:00": wall-clock start for cues and agenda


@record
class CompileInputs:
    """Everything compile reads, already loaded; tests build it in code."""

    talk: TalkSpec
    layout: LayoutContext
    citations: CitationFormatter
    audience: AudienceSpec | None = None
    datasets: Mapping[str, Dataset] = field(default_factory=dict)
    images: Mapping[str, Media] = field(default_factory=dict)
    options: CompileOptions = CompileOptions()
    credits: Mapping[str, str] = field(default_factory=dict)
    theme_name: str = ""
    # Template texts expanded before with these variables (store/templates_memo.py): text → expansion.
    templates: Mapping[str, str] = field(default_factory=dict)


@record(frozen=False)
class CompileResult:
    deck: Deck
    plan: TimingPlan
    dropped: list[str] = field(default_factory=list)
    cited_keys: list[str] = field(default_factory=list)
    measured_font: str = ""
    templates: dict[str, str] = field(default_factory=dict)  # the template texts this compile expanded


def collect_citations(inputs: CompileInputs) -> list[Citation]:
    """Pass 1: every citation the talk makes for this audience, in the order the deck meets them (pure).

    The pipeline registers them with the citation formatter before compiling, so that a formatter that
    needs files (a CSL style not cached yet) reads them then, not during the compile."""
    talk = inputs.talk
    collector = TextResolver(Diagnostics(), template_variables(talk, inputs.audience), cite=None,
                             known=inputs.templates)
    if talk.footer:
        collector.runs(talk.footer)
    _build(inputs, apply_audience(talk, inputs.audience, Diagnostics()), collector, Diagnostics(), None)
    return collector.collected


def talk_to_deck(inputs: CompileInputs, diags: Diagnostics,
                 citations: list[Citation] | None = None) -> CompileResult:
    """The deck; `citations` are pass 1's (collect_citations), already registered when given."""
    talk, audience, engine = inputs.talk, inputs.audience, inputs.citations
    variables = template_variables(talk, audience)
    sections = apply_audience(talk, audience, diags)
    citations = _checked_citations(inputs, citations, diags)

    # Pass 2: format in context, build and lay out every slide.
    resolver = TextResolver(diags, variables, cite=engine.cite,
                            bibliography_years=_years(engine, citations), known=inputs.templates)
    event = {**talk.event, **(audience.event if audience else {})}
    # Plain-text places (footer, document properties) get citations formatted, never a raw marker.
    footer = _plain(resolver.runs(talk.footer)) if talk.footer else _plain(resolver.runs(talk.title))
    extra = f" · {event['name']}" if event.get("name") and event["name"] not in footer else ""
    layout_ctx = replace(inputs.layout, footer=footer, footer_extra=extra,
                         footer_at=talk.footer.location if talk.footer else talk.location)
    layouter = Layouter(layout_ctx, diags)
    drafts = _build(inputs, sections, resolver, diags, layouter)
    rate_for_budget = (audience.speaking_rate if audience and audience.speaking_rate else None) or talk.speaking_rate
    # An audience's own slot scales the talk's section budgets (reserved blocks keep their minutes).
    authored = section_budgets(sections, resolver)
    scale = budget_scale(talk.slot, (audience.slot if audience and audience.slot else None) or talk.slot,
                         sum(authored.values()))
    drafts = apply_budgets(drafts, sections, resolver, rate_for_budget, diags, scale)
    budgets = {name: minutes * scale for name, minutes in authored.items()}

    if talk.reference_slides == "handout" and not talk.references_url and talk.references:
        diags.warning("'references: handout' without 'references_url': the closing references slide has no QR code",
                      "references.no-url", talk.location, hint="add references_url: the address of the full list")
    rate = (audience.speaking_rate if audience and audience.speaking_rate else None) or talk.speaking_rate
    slot = (audience.slot if audience and audience.slot else None) or talk.slot
    key_refs = audience is not None and audience.references == "key"

    def finish(items: list[Draft]) -> list[Draft]:
        """Generated slides that depend on what remains: reference slides and agenda pages.

        The handout lists every work the tailored deck cites, on its slides and in its notes (a work the
        presenter names aloud must be findable), so a slide that counts the handout's list counts them
        all; `references: key` only keeps reference slides that list the works to those on slides."""
        keys = cited_keys(items, visible_only=key_refs and talk.reference_slides != "handout")
        return paginate_agenda(add_references(items, talk, engine, keys, layouter), talk)

    dropped: list[str] = []
    if inputs.options.fit:
        drafts, dropped = fit_to_slot(drafts, talk, slot, rate, diags, finish, budgets)

    all_keys = cited_keys(drafts, visible_only=False)
    reference_keys = all_keys  # the handout's list: slides and notes
    drafts = finish(drafts)
    check_notes_time(drafts, budgets, rate, diags)
    drafts = _within_slide_limit(drafts, slot, talk, diags)
    slides, plan = schedule(drafts, talk, slot, rate, inputs.options.start)
    slides = fill_agenda(slides, plan, talk, inputs.options.start, layouter)
    slides = fill_breaks(slides, talk, inputs.options.start, layouter)
    deck = _deck(inputs, resolver, layout_ctx, footer, event, slides, slot,
                 tuple(engine.bibliography(reference_keys)) if reference_keys else ())
    return CompileResult(deck, plan, dropped, all_keys, layouter.measured_font, resolver.expanded)


def _within_slide_limit(drafts: list[Draft], slot: float, talk: TalkSpec, diags: Diagnostics) -> list[Draft]:
    """The drafts cut to the most slides a talk of this slot may have (reported when cut)."""
    limit, why = slide_limit(slot)
    if len(drafts) > limit:
        diags.error(f"the deck has {len(drafts):,} slides with its reference and agenda slides (the limit is "
                    f"{limit:,}{why})", "outline.too-large", talk.location)
        return drafts[:limit]
    return drafts


def _checked_citations(inputs: CompileInputs, citations: list[Citation] | None,
                       diags: Diagnostics) -> list[Citation]:
    """Pass 1's citations (collected and registered here when not given), their keys checked; a talk citing
    more works than the limit stops here."""
    engine = inputs.citations
    if citations is None:
        citations = collect_citations(inputs)
        engine.register(citations)
    engine.check_keys(citations, diags)
    if any(d.code == "cite.too-many" for d in diags.items):
        # Formatting a thousand works costs seconds: a talk past the limit stops here, with what was found.
        raise LecturegenError(diags.sorted())
    return citations


def _deck(inputs: CompileInputs, resolver: TextResolver, layout_ctx: LayoutContext, footer: str,
          event: dict[str, str], slides: list[Slide], slot: float,
          references: tuple[tuple[Run, ...], ...]) -> Deck:
    """The finished deck: its slides with the talk's title page texts, event, style and size."""
    template = layout_ctx.template
    return Deck(
        talk=inputs.talk.name,
        title=_plain(resolver.runs(inputs.talk.title)),
        subtitle=_plain(resolver.runs(inputs.talk.subtitle)) if inputs.talk.subtitle else "",
        presenter=inputs.talk.presenter,
        affiliation=inputs.talk.affiliation,
        date=event.get("date") or inputs.talk.date,
        footer=footer,
        theme=inputs.theme_name,
        slides=tuple(slides),
        slot_minutes=slot,
        audience=inputs.audience.name if inputs.audience else None,
        event=event,
        learning_outcomes=tuple(resolver.runs(o) for o in inputs.talk.learning_outcomes),
        references=references,
        language=inputs.talk.language,
        timestamp=inputs.options.timestamp,
        style=layout_ctx.style,
        width=template.width,
        height=template.height,
    )


def _build(inputs: CompileInputs, sections: list[SectionSpec], text: TextResolver, diags: Diagnostics,
           layouter: Layouter | None) -> list[Draft]:
    """Every slide of the talk as drafts; without a layouter (the collecting pass) nothing is laid out."""
    talk = inputs.talk
    final = layouter is not None
    ctx = KindContext(text, diags, inputs.datasets, inputs.images, final, inputs.credits)
    audience = inputs.audience
    mode = talk.citations
    if audience is not None and audience.source_lines is not None:
        mode = "source-line" if audience.source_lines else "inline"
    drafts: list[Draft] = []
    slot = (audience.slot if audience and audience.slot else None) or talk.slot
    limit, why = slide_limit(slot)

    def add(slide: Slide, section: str = "", can_split: bool = False, **extra: object) -> list[Slide]:
        placed = layouter.place(slide, can_split) if layouter is not None else [slide]
        for part in placed:
            drafts.append(Draft(part, section, **extra))  # type: ignore[arg-type]
        return placed

    add(_title_slide(talk, text))
    if talk.agenda:
        add(Slide(kind="agenda", layout=kind_role("agenda"), title=(Run("Agenda"),), location=talk.location,
                  id="agenda"))
    for section in sections:
        section_title = text.runs(section.title)
        section_name = runs_text(section_title)
        if section.header and section.slides:
            body = (Paragraph(text.runs(section.summary), style="subtitle"),) if section.summary else ()
            header = Slide(kind="section", layout=kind_role("section"), title=section_title,
                           location=section.location, id=f"section-{section.name}", section=section_name,
                           subtitle=body, tags=section.tags,
                           notes=(Paragraph((Run(f"Section: {section_name}."),), style="direction"),))
            add(header, section_name, section_optional=section.optional, section_priority=section.priority)
        for spec in section.slides:
            if len(drafts) >= limit:
                # Counted as the slides are made (audience insertions and "(cont.)" continuations too), so a
                # deck past the limit costs no more than the limit.
                diags.error(f"the deck reaches {limit:,} slides here, counting audience insertions and '(cont.)' "
                            f"continuations (the limit is {limit:,}{why})", "outline.too-large", spec.location)
                return drafts
            slide = _slide(spec, section_name, ctx, mode, talk.reveal, layouter)
            check_discussion(spec, diags)
            placed = layouter.place(slide, spec.split) if layouter is not None else [slide]
            for part in placed:
                # What the presenter says is timed; the notes' source lists are not read out.
                notes_text = " ".join(p.text for p in part.notes if p.style not in ("sources", "cue", "direction"))
                explicit = spec.minutes
                if explicit is not None and len(placed) > 1:
                    explicit = explicit / len(placed)
                drafts.append(Draft(part, section_name, notes_text, explicit, spec.optional, spec.priority,
                                    section.optional, section.priority))
    return drafts


def _title_slide(talk: TalkSpec, text: TextResolver) -> Slide:
    paragraphs: list[Paragraph] = []
    if talk.subtitle:
        paragraphs.append(Paragraph(text.runs(talk.subtitle), style="subtitle"))
    who = ", ".join(p for p in (talk.presenter, talk.affiliation) if p)
    if who:
        paragraphs.append(Paragraph(tuple(replace(r, bold=True) for r in text.plain(who, talk.location)),
                                    style="subtitle"))
    event = text.variables["event"]
    line = event_line(str(event.get("name") or ""), str(event.get("venue") or ""),
                      str(event.get("date") or talk.date or ""))
    if line:
        paragraphs.append(Paragraph(text.plain(line, talk.location), style="subtitle"))
    title = text.runs(talk.title)
    return Slide(kind="title", layout="title", title=title, location=talk.location,
                 subtitle=tuple(paragraphs), id="title", notes=(Paragraph((Run(f"Welcome. {_plain(title)}."),)),))


def event_line(name: str, venue: str, date: str) -> str:
    """The title slide's event line, read as a phrase: "Team learning afternoon at the team base, 2026"
    (not three labels between dots)."""
    name, venue, date = name.strip(), venue.strip(), date.strip()
    line = f"{name} at {venue}" if name and venue else name or venue
    return f"{line}, {date}" if line and date else line or date


def _plain(runs: tuple[Run, ...]) -> str:
    return runs_text(runs)


def _slide(spec: SlideSpec, section: str, ctx: KindContext, mode: str, reveal: str,
           layouter: Layouter | None) -> Slide:
    text, diags = ctx.text, ctx.diags
    layout = spec.layout or kind_role(spec.kind)
    if spec.layout and layouter is not None and layouter.template.layout(spec.layout) is None:
        names = [*layouter.template.roles, *layouter.template.layouts]
        diags.error(f"template '{layouter.template.name}' has no layout named '{spec.layout}'",
                    "theme.layout-missing", spec.location,
                    hint=did_you_mean(spec.layout, names) or "its layouts are: " + quote_choices(names))
        layout = kind_role(spec.kind)
    # Visible text first, then the notes: numeric styles number works in order of first appearance.
    before = len(text.collected)
    text.silence = mode != "inline"
    try:
        title = text.runs(spec.title) if spec.title else ()
        if not title:
            defaults = {"references": "References", "agenda": "Agenda"}
            title = (Run(defaults.get(spec.kind) or section or spec.kind.title()),)
        slide = Slide(kind=spec.kind, layout=layout, title=title, location=spec.location, id=spec.id,
                      section=section, tags=spec.tags, hidden=spec.hidden, optional=spec.optional,
                      priority=spec.priority, reveal=_reveal(spec, reveal), key=spec.key)
        slide = build_slide(spec, slide, ctx)
    finally:
        text.silence = False
    visible = keys_of(text.collected[before:])
    notes = text.paragraphs(spec.notes)
    slide = replace(slide, visible_keys=visible, cited_keys=keys_of(text.collected[before:]))  # notes' too
    quoted = isinstance(spec.content, QuoteSpec) and spec.content.cites_in_attribution()
    if visible and spec.kind != "references" and not quoted:
        if mode == "source-line":
            line = text.source_line(list(visible), spec.location)
            slide = replace(slide, sources=line, source_variants=_shorter(text, list(visible), spec))
            if len(visible) > 2:
                notes = notes + (Paragraph(line, style="sources"),)
        elif mode == "notes":
            notes = notes + (Paragraph(text.source_line(list(visible), spec.location), style="sources"),)
    return replace(slide, notes=notes)


def _shorter(text: TextResolver, keys: list[str], spec: SlideSpec) -> tuple[tuple[Run, ...], ...]:
    """The source line with fewer works named, the rest in the notes: the layout keeps it to one line."""
    out = []
    for shown in range(len(keys) - 1, 0, -1):
        rest = len(keys) - shown
        line = text.source_line(keys[:shown], spec.location)
        out.append(line + (Run(f"; and {rest} more in the notes"),))
    return tuple(out)


def _reveal(spec: SlideSpec, default: str) -> str:
    """Bullets revealed one per click: the slide's own choice, else the talk's for slides with lists."""
    if spec.reveal is not None:
        return spec.reveal
    return default if reveals_lists(spec.kind) else "none"


def _years(engine: CitationFormatter, citations: list[Citation]) -> dict[str, tuple[int, str]]:
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
