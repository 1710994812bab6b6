"""Compile tests: `_diagram_drawing` draws a diagram's shapes with all its text fitted at one size; the tests check
the text setters and colours, shrinking (and the warning below the theme's size), icons kept or left out, and the
group with its alt text."""

from __future__ import annotations

from pathlib import Path

from lecturegen.compile.kinds._diagram_drawing import (
    HARD_FLOOR_PT,
    INCH,
    NODE_INSETS,
    card_text,
    node_text,
    stage_text,
)
from lecturegen.model.colour import contrast_ratio
from lecturegen.model.deck import Run
from lecturegen.model.geometry import Box
from lecturegen.model.shapes import AutoShape, GroupShape, IconShape, text_box
from tests.compile.kinds.kit import deck, slides_of

INK = "1F2933"  # the calm theme's text colour
ACCENT = "0F766E"  # … and its accent
DETAIL = " ".join(["word"] * 16)


def _groups(tmp_path: Path, slides: str) -> tuple[dict[str, GroupShape], list[str]]:
    """Each diagram of a built deck by its slide's title, and the build's messages but the timing ones."""
    built, messages = deck(tmp_path, slides)
    groups = {"".join(r.text for r in s.title): next(g for g in s.shapes if isinstance(g, GroupShape))
              for s in slides_of(built, "diagram")}
    return groups, [m for m in messages if "[timing." not in m]


def _sizes(group: GroupShape) -> list[list[float]]:
    return [[line.size for line in child.lines] for child in group.texts()]


def _names(group: GroupShape) -> list[list[str]]:
    return [[group.children[i].name for i in click] for click in group.reveal]


def test_a_node_sets_its_value_and_label_bold_and_its_detail_smaller_but_never_below_the_floor() -> None:
    lines = node_text((Run("Label"),), (Run("Detail"),), INK, value=(Run("36"),))(28.0)
    assert [(line.text, line.size, line.bold) for line in lines] == [("36", 28.0, True), ("Label", 28.0, True),
                                                                    ("Detail", 20, False)]
    assert lines[2].space_before == 28.0 * 0.2 and {line.color for line in lines} == {INK}
    plain = node_text((Run("Label"),), (Run("Detail"),), INK, align="l", bold=False)(16.0)
    assert [(line.size, line.bold, line.align) for line in plain] == [(16.0, False, "l"), (HARD_FLOOR_PT, False, "l")]
    stage = stage_text((Run("36"),), (Run(" items"),), (Run("why"),), INK)(20.0)
    assert [line.text for line in stage] == ["36 items", "why"] and [r.bold for r in stage[0].runs] == [True, False]
    assert stage[1].size == HARD_FLOOR_PT


def test_a_cards_points_hang_from_a_bullet_of_text_and_its_text_alone_has_none() -> None:
    points = card_text(((Run("Goals"),), (Run("Tasks"),)), (), INK)(28.0)
    hang = int(24 / 72 * INCH * 0.9)  # 28 pt × 0.85 = 24 pt
    assert [(line.text, line.size, line.margin, line.indent, line.tab) for line in points] == [
        ("•\tGoals", 24, hang, -hang, hang), ("•\tTasks", 24, hang, -hang, hang)]
    assert [line.space_before for line in points] == [0, 12.0] and {line.bullet for line in points} == {"none"}
    (text,) = card_text((), (Run("Moments of meeting"),), INK)(28.0)
    assert (text.text, text.margin, text.indent) == ("Moments of meeting", 0, 0)
    assert card_text((), (), INK)(28.0) == ()


def test_text_reads_on_its_fill_and_off_the_fills_in_an_accent_only_where_that_reads(tmp_path: Path) -> None:
    groups, _ = _groups(tmp_path, """\
        - {kind: diagram, title: Process, type: process, steps: [Safety, Readiness, Meeting, Depth, Change]}
        - {kind: diagram, title: Matrix, type: matrix, cells: [A, B, C, D]}
        - kind: diagram
          title: Timeline
          type: timeline
          events: [{when: "1996", label: Named}, {when: "2005", label: Studied}]
        - {kind: diagram, title: Continuum, type: continuum, from: Surface, to: Depth, marker: Here}
        """)
    for title in ("Process", "Matrix"):
        for node in groups[title].texts():
            assert node.fill is not None
            assert all(line.color and contrast_ratio(line.color, node.fill) >= 4.5 for line in node.lines), node.name
    steps = groups["Process"].texts()
    assert len({node.fill for node in steps}) == 5 and len({node.lines[0].color for node in steps}) == 1
    whens = [n for n in groups["Timeline"].texts() if n.name.startswith("When")]
    assert {line.color for n in whens for line in n.lines} == {ACCENT}  # the teal accent reads on the background
    (marker,) = [n for n in groups["Continuum"].texts() if n.name == "Marker label"]
    assert marker.lines[0].color == INK  # the amber accent does not: the text colour instead


def test_one_long_text_shrinks_every_node_to_one_size(tmp_path: Path) -> None:
    groups, problems = _groups(tmp_path, f"""\
        - {{kind: diagram, title: Even, type: process, steps: [Safety, Readiness, Meeting, Depth]}}
        - kind: diagram
          title: One long
          type: process
          steps: [{{label: Safety, detail: {DETAIL}}}, Readiness, Meeting, Depth]
        - kind: diagram
          title: Just over
          type: process
          steps: [Safety, Readiness of both people to meet, Meeting, Depth]
        """)
    assert problems == []
    assert _sizes(groups["Even"]) == [[28.0]] * 4
    assert _sizes(groups["Just over"]) == [[27.0]] * 4  # a text just too long for 28 pt loses a point, no more
    shrunk = _sizes(groups["One long"])
    label = shrunk[1][0]
    assert 18.0 <= label < 28.0  # smaller, yet not below the theme's smallest body size
    assert shrunk == [[label, max(HARD_FLOOR_PT, round(label * 0.72))]] + [[label]] * 3
    for child in groups["One long"].texts():
        assert child.measured_height <= child.insets.inner(child.box).height_pt + 0.5, child.name


def test_a_word_too_wide_for_its_node_is_set_smaller_than_the_theme_allows_and_said_so(tmp_path: Path) -> None:
    groups, problems = _groups(tmp_path, """\
        - {kind: diagram, title: Word, type: process, steps: [Safety, Incomprehensibilities, Meeting, Depth]}
        """)
    sizes = {size for node in _sizes(groups["Word"]) for size in node}
    assert len(sizes) == 1
    size = sizes.pop()
    assert HARD_FLOOR_PT <= size < 18.0
    assert len(problems) == 1 and problems[0].endswith("[fit.overflow]")
    assert f"is set at {size:g} pt to fit, below the theme's 18 pt" in problems[0]


def test_an_icon_that_fits_stands_above_its_text_in_its_node_and_appears_with_it(tmp_path: Path) -> None:
    groups, problems = _groups(tmp_path, """\
        - kind: diagram
          title: Icons
          type: process
          reveal: fade
          steps: [{label: Safety, icon: sprout}, {label: Trust, icon: sprout}, {label: Depth, icon: sprout}]
        """)
    group = groups["Icons"]
    assert problems == []
    assert _names(group) == [["Step 1", "Step 1 icon"], ["Step 2", "Step 2 icon", "Arrow 1"],
                             ["Step 3", "Step 3 icon", "Arrow 2"]]
    steps = [c for c in group.children if isinstance(c, AutoShape)]
    icons = [c for c in group.children if isinstance(c, IconShape)]
    for step, icon in zip(steps, icons, strict=True):
        assert icon.box.inside(step.box)
        assert abs((icon.box.x + icon.box.cx / 2) - (step.box.x + step.box.cx / 2)) <= 1  # centred over the text
        assert text_box(step.box, step.geometry).y + step.insets.top >= icon.box.bottom  # the text starts under it
        assert step.insets.top > NODE_INSETS.top


def test_icons_left_out_give_their_room_back_and_each_click_still_shows_its_own_shapes(tmp_path: Path) -> None:
    detail = " ".join(["word"] * 14)
    groups, problems = _groups(tmp_path, "- kind: diagram\n  title: Crowded\n  type: process\n  reveal: fade\n"
                                         "  steps:\n" + f"    - {{label: Step, detail: {detail}, icon: sprout}}\n" * 4)
    group = groups["Crowded"]
    assert len(problems) == 1 and "fits only without its icons; they are left out" in problems[0]
    assert not any(isinstance(c, IconShape) for c in group.children)
    assert {c.insets for c in group.children if isinstance(c, AutoShape)} == {NODE_INSETS}
    assert _names(group) == [["Step 1"], ["Step 2", "Arrow 1"], ["Step 3", "Arrow 2"], ["Step 4", "Arrow 3"]]


def test_the_group_is_named_for_its_type_bounds_its_shapes_and_says_what_it_shows(tmp_path: Path) -> None:
    groups, _ = _groups(tmp_path, """\
        - {kind: diagram, title: Cycle, type: cycle, steps: [Trust, Openness, Change], centre: Us}
        - {kind: diagram, title: Matrix, type: matrix, cells: [A, B, C, {label: D, detail: why}], x_axis: Open}
        """)
    cycle, matrix = groups["Cycle"], groups["Matrix"]
    assert (cycle.name, matrix.name) == ("Diagram: cycle", "Diagram: matrix")
    for group in (cycle, matrix):
        boxes = [c.box for c in group.children]
        left, top = min(b.x for b in boxes), min(b.y for b in boxes)
        assert group.box == Box(left, top, max(b.right for b in boxes) - left, max(b.bottom for b in boxes) - top)
        assert group.reveal == ()  # not revealed: drawn as one group from the start
    assert cycle.alt == "A cycle of three steps: Trust → Openness → Change → back to Trust; at its centre: Us."
    assert matrix.alt == ("A two-by-two matrix, across: Open: top left, A; top right, B; bottom left, C; "
                          "bottom right, D (why).")
