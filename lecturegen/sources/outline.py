"""Load layer: talk and section YAML files → TalkSpec/SectionSpec/SlideSpec, with locations.

Over 400 lines because a talk, its sections and their slides are read by one chain of steps sharing the same
keys, limits and checks; the field readers (outline_fields.py) and worksheets (worksheet.py) live apart.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable, Mapping, NamedTuple

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from lecturegen.model.icons import Icon
from lecturegen.diagnostics import Diagnostics, Location, choice_hint, did_you_mean, quote_choices
from lecturegen.sources.specs import (
    ReservedBlock,
    SectionSpec,
    SlideSpec,
    TalkSpec,
    TextSpec,
)
from lecturegen.sources.outline_fields import (  # noqa: F401  (kinds import these from here)
    field_text, link_field, parse_bullets, parse_choice, parse_column, parse_tags, text_of,
)
from lecturegen.sources.yamlload import Ctx, Fields, OutlineKind, load_named, load_yaml, mapping_items, plain, type_name
from lecturegen.workspace import Workspace, file_name_of_text

COMMON_KEYS = frozenset(
    {"kind", "id", "title", "tags", "notes", "minutes", "optional", "priority", "audiences", "except", "layout",
     "hidden", "split", "reveal", "key", "skip"}
)
# Every kind declares its own keys, on top of the common ones, in its module in compile/kinds/ (handed to this
# reader as `ctx.kinds`).
REVEALS = ("none", "bullets", "fade")
CITATION_MODES = ("inline", "source-line", "notes")
REFERENCE_MODES = ("slides", "handout")

TALK_KEYS = frozenset(
    {"title", "subtitle", "presenter", "affiliation", "date", "slot", "theme", "style", "locale", "speaking_rate",
     "bibliography", "footer", "source_lines", "agenda", "references", "learning_outcomes", "reserved", "sections", "contact",
     "citations", "references_url", "reveal", "design", "slides_url",
     "day_start", "event", "language", "audiences"}
)
SECTION_KEYS = frozenset(
    {"title", "summary", "tags", "slides", "header", "optional", "priority", "audiences", "except", "id", "minutes"}
)
SECTION_REF_KEYS = frozenset({"use", "optional", "priority", "audiences", "except", "header", "title", "minutes"})
MAX_SECTION_MINUTES = 7 * 24 * 60
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
MAX_SLIDES_PER_SECTION = 2_000
# Sane bounds for the numbers of an outline (audiences share them).
MAX_SLOT_MINUTES = 7 * 24 * 60  # a week
MAX_SPEAKING_RATE = 400  # words per minute; fast speech is about 200
MAX_PRIORITY = 1_000
# A deck of 2,000 slides takes half a minute to build; no talk shows more than five slides a minute.
MAX_SLIDES_PER_TALK = 1_000
MAX_SLIDES_PER_MINUTE = 5


def read_priority(fields: Fields, default: int) -> int:
    """A slide's or section's `priority` for --fit: a whole number within ±MAX_PRIORITY."""
    return int(fields.number("priority", default=default, minimum=-MAX_PRIORITY, maximum=MAX_PRIORITY) or default)


def slide_limit(slot: float) -> tuple[int, str]:
    """The most slides a talk of `slot` minutes may have — in its outline and in the final deck, whatever made
    them — and the words that explain a limit below the absolute one."""
    limit = min(MAX_SLIDES_PER_TALK, max(100, int(MAX_SLIDES_PER_MINUTE * slot)))
    return limit, "" if limit == MAX_SLIDES_PER_TALK else f", {MAX_SLIDES_PER_MINUTE} a minute of a {slot:g}-minute slot"


def parse_slide(node: Node, ctx: Ctx, workspace: Workspace, file: Path) -> SlideSpec | None:
    if isinstance(node, ScalarNode):
        ctx.error(node, "a slide must be a mapping with a 'kind' and its fields", "outline.slide",
                  hint="write '- kind: bullets' on its own line and indent the fields under it")
        return None
    if not isinstance(node, MappingNode):
        ctx.error(node, f"a slide must be a mapping, got {type_name(node)}", "outline.slide")
        return None
    kind = "bullets"
    kind_node = None
    for key, key_node, value_node in mapping_items(node):
        if key == "kind":
            kind_node = value_node
            kind = str(value_node.value) if isinstance(value_node, ScalarNode) else ""
    registered = ctx.kinds.get(kind)
    if registered is None:
        known = tuple(ctx.kinds)
        ctx.error(
            kind_node or node,
            f"unknown slide kind '{kind}'",
            "outline.kind",
            hint=choice_hint(kind, known),
        )
        return None
    keys = registered.keys
    fields = Fields(node, ctx, COMMON_KEYS | keys, f"{kind} slide")
    if fields.bool("skip"):
        return None  # left out of every build (`lecturegen pull` marks slides deleted in the deck so)
    loc = ctx.loc(node)
    slide_id = fields.str("id")
    if slide_id is not None and not ID_PATTERN.match(slide_id):
        ctx.error(fields.get_node("id"), f"slide id '{slide_id}' may use only letters, digits, '-', '_' and '.'",
                  "outline.id")
    minutes = fields.number("minutes", minimum=0, maximum=MAX_SLOT_MINUTES)
    values: dict[str, object] = dict(
        kind=kind,
        location=loc,
        title=field_text(fields, "title"),
        id=slide_id,
        tags=parse_tags(fields, "tags"),
        notes=field_text(fields, "notes"),
        minutes=minutes,
        optional=fields.bool("optional"),
        priority=read_priority(fields, 1),
        audiences=parse_tags(fields, "audiences"),
        except_audiences=parse_tags(fields, "except"),
        layout=fields.str("layout"),
        hidden=fields.bool("hidden"),
        split=fields.bool("split", True),
        reveal=parse_choice(fields, "reveal", REVEALS, None, "outline.reveal"),
        key=fields.bool("key"),
    )
    # The kind reads its own keys into its own spec (`compile/kinds/<kind>.py`).
    values["content"] = registered.parse(fields, node)
    return SlideSpec(**values)  # type: ignore[arg-type]


def parse_slides(node: Node | None, ctx: Ctx, workspace: Workspace, file: Path) -> tuple[SlideSpec, ...]:
    if node is None:
        return ()
    if not isinstance(node, SequenceNode):
        ctx.error(node, f"'slides' must be a list of slides, got {type_name(node)}", "yaml.type")
        return ()
    if len(node.value) > MAX_SLIDES_PER_SECTION:
        ctx.error(node, f"too many slides ({len(node.value)}; the limit is {MAX_SLIDES_PER_SECTION})",
                  "outline.too-large")
        return ()
    ctx.workspace = workspace  # where a kind's outline keys find their files (a picture's image)
    slides = (parse_slide(item, ctx, workspace, file) for item in node.value)
    return tuple(s for s in slides if s is not None)


def load_section(workspace: Workspace, name: str, diags: Diagnostics, at: Location,
                 overrides: Fields | None = None, kinds: Mapping[str, OutlineKind] | None = None,
                 icons: Callable[[str], Icon] | None = None) -> SectionSpec | None:
    """Load content/sections/NAME.yaml."""
    if "/" in name or "\\" in name or name.startswith("."):
        diags.error(f"section name '{name}' must be a file name in content/sections/", "path.escape", at)
        return None
    file = workspace.sections_dir / f"{file_name_of_text(name)}.yaml"
    if not os.path.lexists(file):
        known = sorted(p.stem for p in workspace.sections_dir.glob("*.yaml")) if workspace.sections_dir.is_dir() else []
        diags.error(f"unknown section '{name}'", "outline.unknown-section", at,
                    hint=did_you_mean(name, known) or f"no file content/sections/{name}.yaml")
        return None
    resolved = workspace.resolve_named(workspace.sections_dir, name, ".yaml", diags, at, "section")
    if resolved is None:
        return None
    display = workspace.display(file)
    node = load_yaml(resolved, display, diags)
    if node is None:
        return None
    return parse_section(node, Ctx(display, diags, dict(kinds or {}), icons=icons), workspace, file, name, overrides)


def parse_section(node: Node, ctx: Ctx, workspace: Workspace, file: Path, name: str,
                  overrides: Fields | None = None) -> SectionSpec | None:
    fields = Fields(node, ctx, SECTION_KEYS, "section")
    if not fields.ok:
        return None
    title = field_text(fields, "title", required=True)
    slides = parse_slides(fields.require("slides"), ctx, workspace, file)
    if title is None:
        return None
    optional = fields.bool("optional")
    priority = read_priority(fields, 1)
    header = fields.bool("header", True)
    audiences = parse_tags(fields, "audiences")
    excepted = parse_tags(fields, "except")
    budget = fields.number("minutes", minimum=0)
    budget_at = fields.loc("minutes") if fields.has("minutes") else None
    if overrides is not None and overrides.has("minutes"):
        budget = overrides.number("minutes", minimum=0)
        budget_at = overrides.loc("minutes")
    if budget is not None and budget > MAX_SECTION_MINUTES:
        ctx.diags.error(f"a section of {budget:g} minutes is longer than a week", "timing.minutes", budget_at)
        budget = None
    if overrides is not None:
        # The talk may make a shared section optional (or change its header) for this talk only.
        optional = overrides.bool("optional", optional)
        priority = read_priority(overrides, priority)
        header = overrides.bool("header", header)
        audiences = parse_tags(overrides, "audiences") or audiences
        excepted = parse_tags(overrides, "except") or excepted
        title = field_text(overrides, "title") or title
    return SectionSpec(
        name=fields.str("id") or name,
        title=title,
        location=ctx.loc(node),
        slides=slides,
        summary=field_text(fields, "summary"),
        tags=parse_tags(fields, "tags"),
        header=header,
        optional=optional,
        priority=priority,
        audiences=audiences,
        except_audiences=excepted,
        minutes=float(budget) if budget is not None else None,
        minutes_location=budget_at,
    )


def parse_reserved(fields: Fields) -> tuple[ReservedBlock, ...]:
    out: list[ReservedBlock] = []
    for item in fields.seq("reserved"):
        block = Fields(item, fields.ctx, {"title", "minutes"}, "reserved block")
        if not block.ok:
            continue
        title = block.str("title", required=True)
        minutes = block.number("minutes", required=True, minimum=0, maximum=MAX_SLOT_MINUTES)
        if title is not None and minutes is not None:
            out.append(ReservedBlock(title, minutes, fields.ctx.loc(item)))
    return tuple(out)


def load_talk(workspace: Workspace, name: str, diags: Diagnostics, *,
              kinds: Mapping[str, OutlineKind], icons: Callable[[str], Icon] | None = None) -> TalkSpec | None:
    """Load content/talks/NAME.yaml and every section it uses; `kinds` are the slide kinds registered in
    `compile/kinds/` (`compile.kinds.OUTLINE_KINDS`: this layer may not import compile, so every caller says
    which kinds it reads — a default would read `statement` or `diagram` slides as unknown kinds); `icons` looks
    up the icons slides name (`Ctx.icons`)."""
    file = workspace.talks_dir / f"{name}.yaml"
    opened = load_named(file, name, workspace.talk_names(), "talk", "talk.unknown", workspace.display(file),
                        TALK_KEYS, diags, workspace=workspace)
    if opened is None:
        return None
    node, ctx, fields = opened
    ctx.kinds = dict(kinds)
    ctx.icons = icons
    title = field_text(fields, "title", required=True)
    slot = fields.number("slot", required=True, minimum=1, maximum=MAX_SLOT_MINUTES)
    sections = _talk_sections(fields, ctx, workspace, file)
    settings = _talk_settings(fields, ctx, workspace)
    # Kept from before load_talk was split into steps: the talk was located at its last `audiences:` entry
    # (a loop variable reused the name of the talk's node). Slide ids are hashed from locations
    # (model/roundtrip.py::slide_uids), so changing it would re-id the slides of built decks.
    node = settings.last_audience or node
    if title is None or slot is None:
        return None
    _check_unique_ids(sections, diags)
    _check_talk_size(sections, slot, node, fields, diags)
    return _talk_spec(name, node, fields, title, slot, sections, settings)


class _TalkSettings(NamedTuple):
    """What a talk reads before its title and slot are known to be there (so every error is reported)."""

    event: dict[str, str]
    speaking_rate: float | None
    theme_node: Node | None
    style_node: Node | None
    day_start: str | None
    references: bool
    reference_slides: str
    citations: str
    design: dict[str, object]
    design_locations: dict[str, Location]
    last_audience: Node | None


def _talk_sections(fields: Fields, ctx: Ctx, workspace: Workspace, file: Path) -> list[SectionSpec]:
    """The talk's sections in order, each used once."""
    sections: list[SectionSpec] = []
    seen_sections: dict[str, Location] = {}
    for index, item in enumerate(fields.seq("sections", required=True)):
        section = _talk_section(item, ctx, workspace, file, index)
        if section is None:
            continue
        if section.name in seen_sections:
            ctx.error(item, f"section '{section.name}' is used twice in this talk", "outline.duplicate-section")
            continue
        seen_sections[section.name] = section.location
        sections.append(section)
    return sections


def _talk_settings(fields: Fields, ctx: Ctx, workspace: Workspace) -> _TalkSettings:
    event_node = fields.mapping("event")
    event = {str(k): "" if v is None else str(v) for k, v in (plain(event_node) or {}).items()} if event_node else {}
    speaking_rate = fields.number("speaking_rate", default=130.0, minimum=40, maximum=MAX_SPEAKING_RATE)
    theme_node = fields.get_node("theme")
    style_node = fields.get_node("style")
    day_start = _day_start(fields, ctx)
    last_audience = _check_audiences(fields, ctx, workspace)
    references, reference_slides = _references(fields)
    source_lines = fields.bool("source_lines")
    # `source_lines: true` was the old spelling of the source-line mode (now never both on a slide).
    citations = parse_choice(fields, "citations", CITATION_MODES, "source-line" if source_lines else "inline",
                        "outline.citations") or "inline"
    design, design_locations = _design(fields, ctx)
    return _TalkSettings(event, speaking_rate, theme_node, style_node, day_start, references, reference_slides,
                         citations, design, design_locations, last_audience)


def _day_start(fields: Fields, ctx: Ctx) -> str | None:
    day_start = fields.str("day_start")
    if day_start is not None and not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", day_start):
        ctx.error(fields.get_node("day_start"), f"'day_start' must be a time like 09:30, got '{day_start}'",
                  "timing.time")
        return None
    return day_start


def _check_audiences(fields: Fields, ctx: Ctx, workspace: Workspace) -> Node | None:
    """Report unknown audience names; the node of the last entry (see load_talk)."""
    known_audiences = workspace.audience_names()
    last: Node | None = None
    for value, last in fields.str_list("audiences"):
        if value not in known_audiences:
            ctx.error(last, f"unknown audience '{value}'", "audience.unknown",
                      hint=did_you_mean(value, known_audiences) or f"profiles here: {quote_choices(known_audiences)}")
    return last


def _design(fields: Fields, ctx: Ctx) -> tuple[dict[str, object], dict[str, Location]]:
    """The design lint's limits as written; compile checks them (compile/design.py::DesignRules)."""
    design: dict[str, object] = {}
    design_locations: dict[str, Location] = {}
    design_node = fields.mapping("design")
    if design_node is not None:
        for key, key_node, value in mapping_items(design_node):
            design[key] = plain(value)
            design_locations[key] = ctx.loc(key_node)
    return design, design_locations


def _check_talk_size(sections: list[SectionSpec], slot: float, node: Node, fields: Fields,
                     diags: Diagnostics) -> None:
    """Not more slides than the slot allows, and no slide longer than the slot."""
    count = sum(len(section.slides) for section in sections)
    limit, why = slide_limit(slot)
    if count > limit:
        fields.ctx.error(fields.get_node("sections") or node,
                         f"talk has {count:,} slides (the limit is {limit:,}{why})", "outline.too-large")
    for slide in (slide for section in sections for slide in section.slides):
        if slide.minutes is not None and slide.minutes > slot:
            diags.error(f"slide takes {slide.minutes:g} min, more than the {slot:g}-minute slot", "timing.slide",
                        slide.location)


def _talk_spec(name: str, node: Node, fields: Fields, title: TextSpec, slot: float, sections: list[SectionSpec],
               settings: _TalkSettings) -> TalkSpec:
    """The TalkSpec; the fields read here come after the checks above, in this order, as their errors do."""
    ctx = fields.ctx
    return TalkSpec(
        name=name,
        path=ctx.path,
        location=ctx.loc(node),
        title=title,
        slot=slot,
        sections=tuple(sections),
        subtitle=field_text(fields, "subtitle"),
        presenter=fields.str("presenter", "") or "",
        affiliation=fields.str("affiliation", "") or "",
        date=fields.str("date", "") or "",
        theme=fields.str("theme", "calm") or "calm",
        theme_location=ctx.loc(settings.theme_node) if settings.theme_node is not None else None,
        style=fields.str("style", "apa") or "apa",
        style_location=ctx.loc(settings.style_node) if settings.style_node is not None else None,
        locale=fields.str("locale"),
        bibliography=tuple((value, ctx.loc(item)) for value, item in fields.str_list("bibliography")),
        speaking_rate=settings.speaking_rate or 130.0,
        footer=field_text(fields, "footer"),
        source_lines=settings.citations == "source-line",
        citations=settings.citations,
        agenda=fields.bool("agenda", True),
        references=settings.references,
        reference_slides=settings.reference_slides,
        references_url=link_field(fields, "references_url"),
        reveal=parse_choice(fields, "reveal", REVEALS, "none", "outline.reveal") or "none",
        design=settings.design,
        design_location=fields.loc("design") if fields.has("design") else None,
        design_locations=settings.design_locations,
        slides_url=link_field(fields, "slides_url"),
        learning_outcomes=tuple(TextSpec(v, ctx.loc(n)) for v, n in fields.str_list("learning_outcomes")),
        reserved=parse_reserved(fields),
        contact=fields.str("contact", "") or "",
        day_start=settings.day_start,
        event=settings.event,
        language=fields.str("language", "en-GB") or "en-GB",
        audiences=tuple(v for v, _ in fields.str_list("audiences")),
        audiences_location=fields.loc("audiences") if fields.has("audiences") else None,
    )


def _references(fields: Fields) -> tuple[bool, str]:
    """`references: true|false` (reference slides or none) or `references: slides|handout`."""
    node = fields.get_node("references")
    if node is None:
        return True, "slides"
    if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        return fields.bool("references", True), "slides"
    mode = parse_choice(fields, "references", REFERENCE_MODES, "slides", "outline.references") or "slides"
    return True, mode


def _talk_section(item: Node, ctx: Ctx, workspace: Workspace, file: Path, index: int) -> SectionSpec | None:
    """A talk's section entry: `use: NAME` (a shared file) or an inline section with slides."""
    if isinstance(item, ScalarNode):
        return load_section(workspace, str(item.value), ctx.diags, ctx.loc(item), kinds=ctx.kinds, icons=ctx.icons)
    if isinstance(item, MappingNode) and any(str(k.value) == "use" for k, _ in item.value):
        ref = Fields(item, ctx, SECTION_REF_KEYS, "section reference")
        name = ref.str("use", required=True)
        if not name:
            return None
        return load_section(workspace, name, ctx.diags, ref.loc("use"), overrides=ref, kinds=ctx.kinds,
                            icons=ctx.icons)
    return parse_section(item, ctx, workspace, file, f"{file.stem}-{index + 1}")


def _check_unique_ids(sections: list[SectionSpec], diags: Diagnostics) -> None:
    seen: dict[str, Location] = {}
    for section in sections:
        for slide in section.slides:
            if slide.id is None:
                continue
            if slide.id in seen:
                diags.error(f"slide id '{slide.id}' is already used at {seen[slide.id]}", "outline.duplicate-id",
                            slide.location)
            else:
                seen[slide.id] = slide.location


def talk_audiences(workspace: Workspace, name: str, diags: Diagnostics) -> tuple[str, ...]:
    """Only the talk's `audiences:` list, without loading its sections (for --all-audiences)."""
    if "/" in name or "\\" in name or name.startswith(".") or not (workspace.talks_dir / f"{name}.yaml").is_file():
        return ()
    file = workspace.resolve_named(workspace.talks_dir, name, ".yaml", diags, None, "talk")
    if file is None:
        return ()
    node = load_yaml(file, workspace.display(workspace.talks_dir / f"{name}.yaml"), diags)
    if not isinstance(node, MappingNode):
        return ()
    for key, _, value in mapping_items(node):
        if key == "audiences" and isinstance(value, SequenceNode):
            return tuple(str(item.value) for item in value.value if isinstance(item, ScalarNode))
    return ()
