"""Load layer: an activity slide's worksheet (prompts, a checklist, an optional rating scale) → WorksheetSpec."""

from __future__ import annotations

from yaml.nodes import Node

from lecturegen.sources.outline_fields import field_text
from lecturegen.sources.specs import TextSpec, WorksheetSpec
from lecturegen.sources.yamlload import Ctx, Fields

WORKSHEET_KEYS = frozenset({"title", "intro", "prompts", "checklist", "scale", "space"})
# A rating scale's anchors, one per point, numbered from 0: `scale: [not at all, a little, moderately, a lot]`.
SCALE_POINTS = (2, 7)


def parse_worksheet(node: Node, ctx: Ctx) -> WorksheetSpec | None:
    fields = Fields(node, ctx, WORKSHEET_KEYS, "worksheet")
    if not fields.ok:
        return None
    title = field_text(fields, "title", required=True)
    if title is None:
        return None
    prompts = tuple(TextSpec(v, ctx.loc(n)) for v, n in fields.str_list("prompts"))
    checklist = tuple(TextSpec(v, ctx.loc(n)) for v, n in fields.str_list("checklist"))
    if not prompts and not checklist:
        ctx.error(node, "a worksheet needs 'prompts' or a 'checklist'", "outline.worksheet")
    scale = tuple(TextSpec(v, ctx.loc(n)) for v, n in fields.str_list("scale"))
    if scale and not SCALE_POINTS[0] <= len(scale) <= SCALE_POINTS[1]:
        ctx.error(fields.get_node("scale") or node, f"a rating 'scale' needs {SCALE_POINTS[0]} to {SCALE_POINTS[1]} "
                  f"anchors, one per point (numbered from 0), not {len(scale)}", "outline.worksheet")
        scale = ()
    elif scale and not checklist:
        ctx.error(fields.get_node("scale") or node, "a rating 'scale' rates the items of a 'checklist', and this "
                  "worksheet has none", "outline.worksheet")
        scale = ()
    space = fields.number("space", default=4, minimum=0)
    if space is not None and space > 30:
        ctx.error(fields.get_node("space") or node, f"'space' of {space:g} lines is more than a page", "outline.worksheet")
        space = 4
    return WorksheetSpec(title, ctx.loc(node), field_text(fields, "intro"), prompts, checklist, int(space or 0), scale)
