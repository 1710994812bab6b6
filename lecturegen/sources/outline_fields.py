"""Load layer: the field readers every outline file shares — text, bullets, columns, choices and links."""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from lecturegen.diagnostics import did_you_mean, quote_choices
from lecturegen.model.links import MAX_QR_BYTES, link_problem, link_target
from lecturegen.sources.specs import BulletSpec, ColumnSpec, TextSpec
from lecturegen.sources.yamlload import Ctx, Fields, type_name


def text_of(node: Node | None, ctx: Ctx, key: str) -> TextSpec | None:
    """A text field: scalars only (numbers accepted as text), located at the value."""
    if node is None:
        return None
    if not isinstance(node, ScalarNode):
        ctx.error(node, f"'{key}' must be text, got {type_name(node)}", "yaml.type")
        return None
    if node.tag == "tag:yaml.org,2002:null":
        return None
    return TextSpec(str(node.value), ctx.loc(node))


def link_field(fields: Fields, key: str) -> str:
    """An address that becomes a live link and a QR code: the link policy (`model/links.py`) or a located error."""
    value = (fields.str(key, "") or "").strip()
    if not value:
        return ""
    problem = link_problem(value)
    if problem is None and len(link_target(value).encode("utf-8")) > MAX_QR_BYTES:
        problem = (f"is {len(link_target(value).encode('utf-8')):,} bytes; a QR code holds at most "
                   f"{MAX_QR_BYTES:,} (version 40, error correction M)")
    if problem is not None:
        fields.ctx.diags.error(f"'{key}' link '{value}' {problem}", "link.unsafe", fields.loc(key))
        return ""
    return value


def field_text(fields: Fields, key: str, required: bool = False) -> TextSpec | None:
    node = fields.require(key) if required else fields.get_node(key)
    return text_of(node, fields.ctx, key)


def parse_bullets(node: Node | None, ctx: Ctx, key: str, depth: int = 0) -> tuple[BulletSpec, ...]:
    """Bullets: strings, or one-key mappings `text: [sub-bullets]` (two levels)."""
    if node is None:
        return ()
    if isinstance(node, ScalarNode):
        spec = text_of(node, ctx, key)
        return (BulletSpec(spec),) if spec else ()
    if not isinstance(node, SequenceNode):
        ctx.error(node, f"'{key}' must be a list of bullets, got {type_name(node)}", "yaml.type")
        return ()
    out: list[BulletSpec] = []
    for item in node.value:
        if isinstance(item, ScalarNode):
            spec = text_of(item, ctx, key)
            if spec:
                out.append(BulletSpec(spec))
        elif isinstance(item, MappingNode) and len(item.value) == 1:
            key_node, children = item.value[0]
            if depth >= 1:
                ctx.error(item, "bullets may be nested two levels deep at most", "outline.nesting")
                continue
            head = TextSpec(str(key_node.value), ctx.loc(key_node))
            out.append(BulletSpec(head, parse_bullets(children, ctx, key, depth + 1)))
        else:
            ctx.error(
                item,
                f"each bullet must be text or 'text: [sub-bullets]', got {type_name(item)}",
                "outline.bullet",
                hint="quote bullets that contain ': ' or start with a special character",
            )
    return tuple(out)


def parse_tags(fields: Fields, key: str) -> tuple[str, ...]:
    return tuple(value for value, _ in fields.str_list(key))


def parse_column(node: Node | None, ctx: Ctx, key: str) -> ColumnSpec | None:
    if node is None:
        return None
    if isinstance(node, SequenceNode):
        return ColumnSpec(None, parse_bullets(node, ctx, key))
    fields = Fields(node, ctx, {"heading", "bullets"}, f"'{key}' column")
    if not fields.ok:
        return None
    return ColumnSpec(field_text(fields, "heading"), parse_bullets(fields.get_node("bullets"), ctx, "bullets"))


def parse_choice(fields: Fields, key: str, choices: tuple[str, ...], default: str | None, code: str) -> str | None:
    value = fields.str(key)
    if value is None:
        return default
    if value not in choices:
        fields.ctx.error(fields.get_node(key) or fields.node, f"'{key}' must be one of {quote_choices(choices)}, "
                         f"got '{value}'", code, hint=did_you_mean(value, choices))
        return default
    return value
