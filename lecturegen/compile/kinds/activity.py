"""Compile layer: the exercise and discussion slide kinds — what the room does, for how long, in which grouping,
with an optional worksheet printed in the handout.

An exercise lists `instructions` (numbered steps), a discussion `prompts`; both need `minutes`. The slide's
first line is a badge such as "In pairs · 15 min".
"""

from __future__ import annotations

from dataclasses import replace

from yaml.nodes import Node, ScalarNode

from lecturegen.compile.icons import icon_colour, icon_shape
from lecturegen.compile.kinds.base import Kind, KindContext, Parse, SlideLayouter, TextRules
from lecturegen.compile.placing import BOX_INSETS
from lecturegen.compile.placing import OPTICAL_CENTRE
from lecturegen.compile.kinds.bullets import walk
from lecturegen.diagnostics import Diagnostics, Location, choice_hint
from lecturegen.model.colour import blend, contrast_ratio
from lecturegen.model.deck import Paragraph, Run, Slide, Worksheet
from lecturegen.model.geometry import EMU_PER_INCH, EMU_PER_PT, Box
from lecturegen.model.icons import Icon
from lecturegen.model.shapes import Shape, TextLine
from lecturegen.records import record
from lecturegen.sources.icons import icon_for
from lecturegen.sources.outline import MAX_SLOT_MINUTES, parse_bullets
from lecturegen.sources.worksheet import parse_worksheet
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
# The Lucide icon that shows who works together (drawn in the activity panel).
GROUPING_ICON = {
    "individual": "user-round",
    "pairs": "users-round",
    "threes": "users",
    "small groups": "users",
    "whole group": "messages-square",
}
PANEL_SHARE = 0.3  # of the content width: the panel with the grouping and the time
PANEL_MIN = int(2.2 * EMU_PER_INCH)  # narrower than this the steps keep the whole width (and the badge line)


@record
class ActivitySpec:
    location: Location
    grouping: str | None
    instructions: tuple[BulletSpec, ...]  # an exercise's instructions, a discussion's prompts
    worksheet: WorksheetSpec | None = None
    exercise: bool = True
    minutes: float | None = None  # the slide's own, for its badge
    icon: Icon | None = None  # the grouping's icon

    def texts(self) -> tuple[TextSpec, ...]:
        # The worksheet is printed, not shown: the spelling check has never read it (nor does it here).
        return tuple(walk(self.instructions))


def _parser(exercise: bool) -> Parse:
    list_key = "instructions" if exercise else "prompts"

    def parse(fields: Fields, node: Node) -> KindSpec | None:
        grouping = fields.str("grouping")
        if grouping is not None and grouping not in GROUPINGS:
            fields.ctx.error(fields.get_node("grouping") or node, f"unknown grouping '{grouping}'", "outline.grouping",
                             hint=choice_hint(grouping, GROUPINGS))
        steps = parse_bullets(fields.require(list_key), fields.ctx, list_key)
        sheet = fields.mapping("worksheet")
        worksheet = parse_worksheet(sheet, fields.ctx) if sheet is not None else None
        if not fields.has("minutes"):
            fields.require("minutes")  # the plan cannot guess how long the room works
        icon = icon_for(fields.ctx, GROUPING_ICON[grouping]) if grouping in GROUPING_ICON else None
        return ActivitySpec(fields.loc(), grouping, steps, worksheet, exercise, _minutes(fields), icon)

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
    return replace(slide, body=head + steps, badge=badge, worksheet=worksheet, icon=spec.icon)


def lay(slide: Slide, can_split: bool, layouter: SlideLayouter) -> list[Slide]:
    """The steps or prompts on the right, optically centred; on the left a panel that says who works together
    and for how long (its icon, the grouping, the minutes large). Without a badge, or when the steps need the
    whole width, the body placeholder as a text slide (the badge its first line)."""
    frame = layouter.frame(slide.layout)
    ph = frame.layout.get("body")
    line = layouter.caption_line(slide, frame)
    steps = tuple(p for p in slide.body if p.style != "badge")
    if ph is None or not slide.badge or not steps:
        return layouter.text_slide(slide, can_split, TextRules())
    box = layouter.region(frame, ph, slide, line)
    width = max(PANEL_MIN, int(box.cx * PANEL_SHARE))
    if width > box.cx // 2:
        return layouter.text_slide(slide, can_split, TextRules())
    gap = int(0.35 * EMU_PER_INCH)
    text_box = Box(box.x + width + gap, box.y, box.cx - width - gap, box.cy)
    shape, fits = layouter.fit_region(slide, ph, text_box, steps, "Content", "body", anchor="ctr")
    if not fits:
        return layouter.text_slide(slide, can_split, TextRules())
    panel = _panel(slide, Box(box.x, box.y, width, box.cy), layouter)
    if panel is None:
        return layouter.text_slide(slide, can_split, TextRules())
    return [layouter.finish(slide, frame, [*panel, shape], line)]


def _panel(slide: Slide, area: Box, layouter: SlideLayouter) -> list[Shape] | None:
    """A tinted card as tall as it needs, optically centred in `area`: the grouping's icon, then the grouping
    and the minutes, centred. None when even a small card does not fit the area."""
    colours = layouter.style.colors
    fill = blend(colours["accent"], colours["background"], 0.88)
    ink = colours["text"] if contrast_ratio(colours["text"], fill) >= 4.5 else "000000"
    accent = colours["accent"] if contrast_ratio(colours["accent"], fill) >= 4.5 else ink
    grouping, _, minutes = slide.badge.partition(" · ")
    if not minutes and grouping.endswith(" min"):
        grouping, minutes = "", grouping
    body = layouter.sizes.get("body")
    lines = tuple(
        [TextLine((Run(grouping),), round(body * 1.05), bullet="none", align="ctr", color=ink, bold=True)]
        if grouping else []) + tuple(
        [TextLine((Run(minutes),), round(body * 1.8), bullet="none", align="ctr", color=accent, bold=True,
                  space_before=body * 0.15)] if minutes else [])
    pad = int(0.3 * EMU_PER_INCH)
    measured = layouter.box_shape("Activity details", "label", Box(area.x, area.y, area.cx, area.cy), lines,
                                  font="heading")
    # The text's height with a line's worth to spare (a viewer that wraps differently must not overflow).
    text_h = int((measured.measured_height + body * 1.2) * EMU_PER_PT) + BOX_INSETS.top + BOX_INSETS.bottom
    side = min(int(area.cx * 0.42), int(1.3 * EMU_PER_INCH)) if slide.icon is not None else 0
    gap = int(0.12 * EMU_PER_INCH) if side else 0
    side = max(0, min(side, area.cy - 2 * pad - gap - text_h))
    if text_h + 2 * pad > area.cy or (slide.icon is not None and side < int(0.5 * EMU_PER_INCH)):
        return None
    height = max(2 * pad + side + gap + text_h, min(area.cy, int(area.cx * 1.1)))
    top = area.y + int((area.cy - height) * OPTICAL_CENTRE)
    spare = height - (2 * pad + side + gap + text_h)
    icon_top = top + pad + spare // 2
    text_box = Box(area.x, icon_top + side + gap, area.cx, text_h)
    shapes: list[Shape] = [layouter.box_shape("Activity", "label", Box(area.x, top, area.cx, height), (), fill=fill),
                           layouter.box_shape("Activity details", "label", text_box, lines, anchor="t",
                                              font="heading")]
    if slide.icon is not None:
        square = Box(area.x + (area.cx - side) // 2, icon_top, side, side)
        shapes.append(icon_shape(slide.icon, square, icon_colour(layouter.style, fill), "Grouping icon"))
    return shapes


KINDS = (
    Kind(name="exercise", keys=frozenset({"grouping", "instructions", "worksheet"}), parse=_parser(True),
         build=build, role="content", place=None, minimum_minutes=5.0, lay=lay, reveal=True),
    Kind(name="discussion", keys=frozenset({"prompts", "grouping", "worksheet"}), parse=_parser(False),
         build=build, role="content", place=None, minimum_minutes=5.0, lay=lay, reveal=True),
)
