"""Compile layer: the exercise and discussion slide kinds — what the room does, for how long, in which grouping,
with an optional worksheet printed in the handout.

An exercise lists `instructions` (numbered steps), a discussion `prompts`; both need `minutes`. The slide's
first line is a badge such as "In pairs · 15 min".
"""

from __future__ import annotations

from dataclasses import replace

from yaml.nodes import Node, ScalarNode

from lecturegen.compile.kinds.base import Kind, KindContext, Parse, SlideLayouter, TextRules
from lecturegen.compile.kinds.bullets import walk
from lecturegen.diagnostics import Diagnostics, Location, did_you_mean, quote_choices
from lecturegen.model.deck import Paragraph, Run, Slide, Worksheet
from lecturegen.records import record
from lecturegen.sources.outline import MAX_SLOT_MINUTES, parse_bullets, parse_worksheet
from lecturegen.sources.specs import BulletSpec, KindSpec, TextSpec, WorksheetSpec
from lecturegen.sources.yamlload import Ctx, Fields, read_number

GROUPING_LABEL = {
    "individual": "On your own",
    "pairs": "In pairs",
    "threes": "In threes",
    "small groups": "Small groups",
    "whole group": "Whole group",
}
GROUPINGS = tuple(GROUPING_LABEL)


@record
class ActivitySpec:
    location: Location
    grouping: str | None
    instructions: tuple[BulletSpec, ...]  # an exercise's instructions, a discussion's prompts
    worksheet: WorksheetSpec | None = None
    exercise: bool = True
    minutes: float | None = None  # the slide's own, for its badge

    def texts(self) -> tuple[TextSpec, ...]:
        # The worksheet is printed, not shown: the spelling check has never read it (nor does it here).
        return tuple(walk(self.instructions))


def _parser(exercise: bool) -> Parse:
    list_key = "instructions" if exercise else "prompts"

    def parse(fields: Fields, node: Node) -> KindSpec | None:
        grouping = fields.str("grouping")
        if grouping is not None and grouping not in GROUPINGS:
            fields.ctx.error(fields.get_node("grouping") or node, f"unknown grouping '{grouping}'", "outline.grouping",
                             hint=did_you_mean(grouping, GROUPINGS) or f"expected one of: {quote_choices(GROUPINGS)}")
        steps = parse_bullets(fields.require(list_key), fields.ctx, list_key)
        sheet = fields.mapping("worksheet")
        worksheet = parse_worksheet(sheet, fields.ctx) if sheet is not None else None
        if not fields.has("minutes"):
            fields.require("minutes")  # the plan cannot guess how long the room works
        return ActivitySpec(fields.loc(), grouping, steps, worksheet, exercise, _minutes(fields))

    return parse


def _minutes(fields: Fields) -> float | None:
    """The slide's `minutes` as the outline reader read them (it reports their problems; this reads quietly)."""
    node = fields.get_node("minutes")
    if not isinstance(node, ScalarNode):
        return None
    return read_number(node, "minutes", Ctx(fields.ctx.path, Diagnostics()), 0, MAX_SLOT_MINUTES)


def build(spec: KindSpec, slide: Slide, ctx: KindContext) -> Slide:
    assert isinstance(spec, ActivitySpec)
    steps = ctx.text.bullets(spec.instructions)
    if spec.exercise:
        steps = tuple(replace(p, style="step") if p.level == 0 else p for p in steps)
    grouping = GROUPING_LABEL.get(spec.grouping or "", "")
    minutes = f"{spec.minutes:g} min" if spec.minutes is not None else ""
    badge = " · ".join(b for b in (grouping, minutes) if b)
    head = (Paragraph((Run(badge, bold=True),), style="badge"),) if badge else ()
    sheet = spec.worksheet
    worksheet = Worksheet(
        title=ctx.text.runs(sheet.title), intro=ctx.text.runs(sheet.intro),
        prompts=tuple(ctx.text.runs(p) for p in sheet.prompts),
        checklist=tuple(ctx.text.runs(c) for c in sheet.checklist), space=sheet.space,
        scale=tuple(ctx.text.runs(a) for a in sheet.scale),
    ) if sheet is not None else None
    return replace(slide, body=head + steps, badge=badge, worksheet=worksheet)


def lay(slide: Slide, can_split: bool, layouter: SlideLayouter) -> list[Slide]:
    return layouter.text_slide(slide, can_split, TextRules())


KINDS = (
    Kind(name="exercise", keys=frozenset({"grouping", "instructions", "worksheet"}), parse=_parser(True),
         build=build, role="content", place=None, minimum_minutes=5.0, lay=lay, reveal=True),
    Kind(name="discussion", keys=frozenset({"prompts", "grouping", "worksheet"}), parse=_parser(False),
         build=build, role="content", place=None, minimum_minutes=5.0, lay=lay, reveal=True),
)
