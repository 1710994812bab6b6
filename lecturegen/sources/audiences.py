"""Load layer: content/audiences/<name>.yaml → AudienceSpec (filters, vocabulary, event, overrides)."""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import Callable, Mapping

from yaml.nodes import Node

from lecturegen.model.icons import Icon
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.records import record
from lecturegen.sources.outline import MAX_SLOT_MINUTES, MAX_SPEAKING_RATE
from lecturegen.sources.specs import SlideSpec
from lecturegen.sources.yamlload import Ctx, Fields, OutlineKind, load_named, mapping_items, plain
from lecturegen.workspace import Workspace

# Each vocabulary entry is a pattern applied to every run of the deck: 20,000 of them add seconds to a build.
MAX_VOCABULARY = 500
AUDIENCE_KEYS = frozenset(
    {"name", "title", "description", "include_tags", "exclude_tags", "vocabulary", "event", "speaking_rate", "slot",
     "theme", "style", "references", "insert", "replace", "logo", "source_lines"}
)


@record
class Insertion:
    """Slides an audience adds `after` or `before` a slide id, or in place of it (`replace`)."""

    anchor: str
    position: str  # after | before | replace
    slides: tuple[SlideSpec, ...]
    location: Location


@record
class AudienceSpec:
    name: str
    title: str
    description: str
    location: Location
    include_tags: tuple[str, ...] = ()
    exclude_tags: tuple[str, ...] = ()
    tag_locations: dict[str, Location] = field(default_factory=dict)
    vocabulary: tuple[tuple[str, str], ...] = ()
    event: dict[str, str] = field(default_factory=dict)
    speaking_rate: float | None = None
    slot: float | None = None
    theme: str | None = None
    style: str | None = None
    references: str = "full"  # full | key
    insertions: tuple[Insertion, ...] = ()
    source_lines: bool | None = None


def load_audience(workspace: Workspace, name: str, diags: Diagnostics, at: Location | None = None, *,
                  kinds: Mapping[str, OutlineKind], icons: Callable[[str], Icon] | None = None) -> AudienceSpec | None:
    """Load content/audiences/NAME.yaml; `kinds` and `icons` as for `outline.load_talk` (its `insert:` slides)."""
    file = workspace.audiences_dir / f"{name}.yaml"
    opened = load_named(file, name, workspace.audience_names(), "audience", "audience.unknown",
                        workspace.display(file), AUDIENCE_KEYS, diags, at, workspace=workspace)
    if opened is None:
        return None
    node, ctx, fields = opened
    ctx.kinds = dict(kinds)
    ctx.icons = icons
    tag_locations: dict[str, Location] = {}
    include = []
    for value, tag_node in fields.str_list("include_tags"):
        include.append(value)
        tag_locations[value] = ctx.loc(tag_node)
    exclude = []
    for value, tag_node in fields.str_list("exclude_tags"):
        exclude.append(value)
        tag_locations[value] = ctx.loc(tag_node)
    vocabulary: list[tuple[str, str]] = []
    vocab_node = fields.mapping("vocabulary")
    if vocab_node is not None and len(vocab_node.value) > MAX_VOCABULARY:
        ctx.error(vocab_node, f"vocabulary has {len(vocab_node.value):,} entries (the limit is {MAX_VOCABULARY})",
                  "audience.vocabulary")
        vocab_node = None
    if vocab_node is not None:
        for key, key_node, value in mapping_items(vocab_node):
            target = getattr(value, "value", None)
            if not isinstance(target, str) or not key.strip():
                ctx.error(key_node, f"vocabulary entry '{key}' must map a word to a word", "audience.vocabulary")
                continue
            vocabulary.append((key, target))
    event_node = fields.mapping("event")
    event = {str(k): "" if v is None else str(v) for k, v in (plain(event_node) or {}).items()} if event_node else {}
    references = fields.str("references", "full") or "full"
    if references not in ("full", "key"):
        ctx.error(fields.get_node("references"), f"'references' must be 'full' or 'key', got '{references}'",
                  "audience.references")
        references = "full"
    insertions = _insertions(fields, ctx, workspace, file)
    source_lines = fields.bool("source_lines") if fields.has("source_lines") else None
    return AudienceSpec(
        name=name,
        title=fields.str("title", name) or name,
        description=fields.str("description", "") or "",
        location=ctx.loc(node),
        include_tags=tuple(include),
        exclude_tags=tuple(exclude),
        tag_locations=tag_locations,
        vocabulary=tuple(vocabulary),
        event=event,
        speaking_rate=fields.number("speaking_rate", minimum=40, maximum=MAX_SPEAKING_RATE),
        slot=fields.number("slot", minimum=1, maximum=MAX_SLOT_MINUTES),
        theme=fields.str("theme"),
        style=fields.str("style"),
        references=references,
        insertions=insertions,
        source_lines=source_lines,
    )


def _insertions(fields: Fields, ctx: Ctx, workspace: Workspace, file: Path) -> tuple[Insertion, ...]:
    from lecturegen.sources.outline import parse_slides

    out: list[Insertion] = []
    for key, position_keys in (("insert", ("after", "before")), ("replace", ("slide",))):
        for item in fields.seq(key):
            entry = Fields(item, ctx, set(position_keys) | {"slides"}, f"'{key}' entry")
            if not entry.ok:
                continue
            anchor_key = next((k for k in position_keys if entry.has(k)), None)
            if anchor_key is None:
                ctx.error(item, f"'{key}' entry needs " + " or ".join(f"'{k}'" for k in position_keys),
                          "yaml.missing-key")
                continue
            anchor = entry.str(anchor_key) or ""
            slides = parse_slides(entry.require("slides"), ctx, workspace, file)
            position = "replace" if key == "replace" else anchor_key
            out.append(Insertion(anchor, position, slides, entry.loc(anchor_key)))
    return tuple(out)


def audience_node_location(node: Node, path: str) -> Location:
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)
