"""Compile tests: `_diagram_types` places each diagram type's shapes in the content area; the tests check each type's
geometry on real slides (node counts, order, sizes, no text over other text, arrows between the nodes they join)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from lecturegen.compile.kinds._diagram_types import PLACERS
from lecturegen.compile.kinds.diagram import TYPES
from lecturegen.model.geometry import EMU_PER_INCH, Box
from lecturegen.model.shapes import AutoShape, ConnectorShape, GroupShape, TextShape
from tests.compile.kinds.kit import deck, slides_of

SLIDES = """\
- {kind: diagram, title: Process, type: process, steps: [Safety, Readiness, Meeting, Depth]}
- {kind: diagram, title: Cycle, type: cycle, steps: [Trust, Openness, Change, Rest, Again], centre: Us}
- kind: diagram
  title: Funnel
  type: funnel
  stages: [{value: "36", label: items}, {value: "16", label: items}, {value: "6", label: items}]
- {kind: diagram, title: Overlap, type: overlap, sets: [Presence, Openness, Time], centre: Depth}
- {kind: diagram, title: Overlap of two, type: overlap, sets: [Presence, Openness], centre: Depth}
- {kind: diagram, title: Matrix, type: matrix, cells: [A, B, C, D], x_axis: Openness, y_axis: Presence}
- kind: diagram
  title: Timeline
  type: timeline
  events: [{when: "1996", label: Named}, {when: "2005", label: Studied}, {when: "2018", label: Measured}]
- {kind: diagram, title: Cards, type: cards, cards: [{heading: Alliance, text: Goals}, {heading: Depth, text: Us}]}
- kind: diagram
  title: Long cards
  type: cards
  cards:
    - {heading: Alliance, bullets: [Goals agreed together, Tasks shared out, A bond of trust, Repair after ruptures]}
    - {heading: Depth, bullets: [Moments of meeting, Felt by both people, Remembered for years]}
- {kind: diagram, title: Continuum, type: continuum, from: Surface, to: Depth, marker: Here, at: 0.9}
- {kind: diagram, title: Halfway, type: continuum, from: Surface, to: Depth, marker: Here, at: 0.5}
"""
TOLERANCE = 2  # EMU lost to rounding


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> dict[str, GroupShape]:
    """Each diagram of one built deck by its slide's title; every shape checked to stand between the slide's
    title and its footers."""
    built, _ = deck(Path(tmp_path_factory.mktemp("diagrams")), SLIDES)
    out: dict[str, GroupShape] = {}
    for slide in slides_of(built, "diagram"):
        texts = {s.role: s.box for s in slide.shapes if isinstance(s, TextShape)}
        title = texts["title"]
        room = Box(title.x, title.bottom, title.cx, texts["footer"].y - title.bottom)
        group = next(s for s in slide.shapes if isinstance(s, GroupShape))
        for child in group.children:
            assert child.box.inside(room), (group.name, child.name, child.box, room)
        out["".join(r.text for r in slide.title)] = group
    assert {g.name.removeprefix("Diagram: ") for g in out.values()} == set(PLACERS) == set(TYPES)  # every type
    return out


def _nodes(group: GroupShape, prefix: str) -> list[AutoShape]:
    return [c for c in group.children if isinstance(c, AutoShape) and c.name.startswith(prefix)]


def _lines(group: GroupShape) -> list[ConnectorShape]:
    return [c for c in group.children if isinstance(c, ConnectorShape)]


def _centre(box: Box) -> tuple[float, float]:
    return box.x + box.cx / 2, box.y + box.cy / 2


def _apart(boxes: list[Box]) -> bool:
    return all(not a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def _in_circle(point: tuple[float, float], circle: Box) -> bool:
    (px, py), (cx, cy) = point, _centre(circle)
    return math.hypot(px - cx, py - cy) < circle.cx / 2


def test_process_steps_stand_in_one_row_of_equal_boxes_with_an_arrow_across_each_gap(
        drawn: dict[str, GroupShape]) -> None:
    group = drawn["Process"]
    steps = _nodes(group, "Step")
    assert [s.name for s in steps] == ["Step 1", "Step 2", "Step 3", "Step 4"]
    assert len({(s.box.y, s.box.cx, s.box.cy) for s in steps}) == 1
    gaps = {b.box.x - a.box.right for a, b in zip(steps, steps[1:])}
    assert len(gaps) == 1 and gaps.pop() >= int(0.75 * EMU_PER_INCH)  # room for an arrow seen from the back
    middle = steps[0].box.y + steps[0].box.cy // 2
    arrows = _lines(group)
    assert len(arrows) == 3
    for arrow, before, after in zip(arrows, steps, steps[1:]):
        assert arrow.start[1] == arrow.end[1] == middle
        assert before.box.right < arrow.start[0] < arrow.end[0] < after.box.x


def test_cycle_steps_go_round_clockwise_from_the_top_with_arrows_from_edge_to_edge(
        drawn: dict[str, GroupShape]) -> None:
    group = drawn["Cycle"]
    steps = _nodes(group, "Step")
    centre = _nodes(group, "Centre")
    assert len(steps) == 5 and len(centre) == 1
    assert _apart([s.box for s in steps] + [centre[0].box])
    middle_x = _centre(centre[0].box)[0]
    points = [_centre(s.box) for s in steps]
    assert abs(points[0][0] - middle_x) <= TOLERANCE and points[0][1] == min(p[1] for p in points)  # on top
    assert points[1][0] > middle_x and points[4][0] < middle_x  # clockwise: the second to the right
    assert abs((points[1][0] - middle_x) - (middle_x - points[4][0])) <= TOLERANCE  # mirrored
    arrows = _lines(group)
    assert len(arrows) == 5  # the last closes the cycle
    margin = 0.08 * EMU_PER_INCH
    for i, arrow in enumerate(arrows):
        for point, step in ((arrow.start, steps[i]), (arrow.end, steps[(i + 1) % 5])):
            box = step.box
            dx = max(box.x - point[0], 0, point[0] - box.right)
            dy = max(box.y - point[1], 0, point[1] - box.bottom)
            assert abs(max(dx, dy) - margin) <= TOLERANCE, (arrow.name, point, box)  # just clear of its step


def test_funnel_stages_stack_downward_narrowing_to_half_around_one_axis(drawn: dict[str, GroupShape]) -> None:
    stages = _nodes(drawn["Funnel"], "Stage")
    assert len(stages) == 3 and _apart([s.box for s in stages])
    assert [s.box.y for s in stages] == sorted(s.box.y for s in stages)
    widths = [s.box.cx for s in stages]
    assert widths[0] > widths[1] > widths[2] and abs(widths[2] - widths[0] / 2) <= TOLERANCE
    assert max(_centre(s.box)[0] for s in stages) - min(_centre(s.box)[0] for s in stages) <= TOLERANCE
    first = stages[0].lines[0]
    assert first.text == "36\u2002items" and first.runs[0].bold  # the value leads its label on one line


def test_overlap_circles_overlap_and_each_label_stands_in_its_own_circle(drawn: dict[str, GroupShape]) -> None:
    for title, count in (("Overlap", 3), ("Overlap of two", 2)):
        group = drawn[title]
        circles, labels = _nodes(group, "Circle"), _nodes(group, "Label")
        shared = _nodes(group, "Overlap")
        assert len(circles) == len(labels) == count and len(shared) == 1
        assert len({(c.box.cx, c.box.cy) for c in circles}) == 1 and circles[0].box.cx == circles[0].box.cy
        for i, a in enumerate(circles):
            for b in circles[i + 1:]:
                (ax, ay), (bx, by) = _centre(a.box), _centre(b.box)
                assert 0 < math.hypot(ax - bx, ay - by) < a.box.cx  # they meet, and neither hides the other
        for label, circle in zip(labels, circles):
            assert _in_circle(_centre(label.box), circle.box)
        assert all(_in_circle(_centre(shared[0].box), c.box) for c in circles)  # what they share: in all
        assert _apart([label.box for label in labels] + [shared[0].box])
    left, right = _nodes(drawn["Overlap of two"], "Label")
    one, two = _nodes(drawn["Overlap of two"], "Circle")
    assert _centre(left.box)[0] < _centre(one.box)[0] and _centre(right.box)[0] > _centre(two.box)[0]  # outward


def test_matrix_cells_form_a_two_by_two_grid_with_the_axes_below_and_left(drawn: dict[str, GroupShape]) -> None:
    group = drawn["Matrix"]
    cells = _nodes(group, "Cell")
    assert len(cells) == 4 and _apart([c.box for c in cells])
    a, b, c, d = (cell.box for cell in cells)
    assert len({(box.cx, box.cy) for box in (a, b, c, d)}) == 1
    assert a.y == b.y < c.y == d.y and a.x == c.x < b.x == d.x
    across, up = _lines(group)
    assert across.start[1] == across.end[1] > c.bottom and (across.start[0], across.end[0]) == (a.x, b.right)
    assert up.start[0] == up.end[0] < a.x and (up.start[1], up.end[1]) == (c.bottom, a.y)  # drawn upward
    label_across, label_up = _nodes(group, "Axis label across")[0], _nodes(group, "Axis label up")[0]
    assert label_across.box.y > across.start[1] and label_up.box.right < up.start[0]
    assert label_up.vertical and not label_across.vertical


def test_timeline_events_sit_evenly_on_the_axis_with_time_above_and_words_below(drawn: dict[str, GroupShape]) -> None:
    group = drawn["Timeline"]
    (axis,) = _lines(group)
    dots, whens, whats = _nodes(group, "Event"), _nodes(group, "When"), _nodes(group, "What")
    assert len(dots) == len(whens) == len(whats) == 3
    assert axis.start[1] == axis.end[1]
    xs = [_centre(d.box)[0] for d in dots]
    assert all(abs(_centre(d.box)[1] - axis.start[1]) <= TOLERANCE for d in dots)
    assert xs == sorted(xs) and abs((xs[1] - xs[0]) - (xs[2] - xs[1])) <= TOLERANCE
    for dot, when, what in zip(dots, whens, whats):
        assert when.box.bottom < dot.box.y and what.box.y > dot.box.bottom
        assert abs(_centre(when.box)[0] - _centre(dot.box)[0]) <= TOLERANCE
        assert abs(_centre(what.box)[0] - _centre(dot.box)[0]) <= TOLERANCE
    assert _apart([w.box for w in whens + whats])
    assert [w.text for w in whens] == ["1996", "2005", "2018"]


def test_cards_stand_side_by_side_headed_and_as_tall_as_their_longest_text_needs(
        drawn: dict[str, GroupShape]) -> None:
    heights = []
    for title in ("Cards", "Long cards"):
        group = drawn[title]
        cards = _nodes(group, "Card")
        heads = [n for n in cards if n.name.endswith("heading")]
        bodies = [n for n in cards if not n.name.endswith("heading")]
        assert len(heads) == len(bodies) == 2 and _apart([n.box for n in heads + bodies])
        for head, body in zip(heads, bodies):
            assert (head.box.x, head.box.cx, head.box.bottom) == (body.box.x, body.box.cx, body.box.y)
            assert body.measured_height * 12700 <= body.insets.inner(body.box).cy
        assert heads[0].box.right < heads[1].box.x
        assert bodies[0].box.cy == bodies[1].box.cy
        heights.append(bodies[0].box.cy)
    assert heights[0] < heights[1]  # settled to their text, not drawn at one fixed height


def test_a_continuum_marker_stands_on_the_bar_where_it_says_with_its_label_kept_in_the_area(
        drawn: dict[str, GroupShape]) -> None:
    for title, at, align in (("Continuum", 0.9, "r"), ("Halfway", 0.5, "ctr")):
        group = drawn[title]
        (bar,) = _lines(group)
        marker, label = _nodes(group, "Marker")
        start, end = _nodes(group, "From")[0], _nodes(group, "To")[0]
        assert bar.head and bar.tail and bar.start[1] == bar.end[1]
        x, y = _centre(marker.box)
        assert abs(y - bar.start[1]) <= TOLERANCE
        assert abs((x - bar.start[0]) / (bar.end[0] - bar.start[0]) - at) < 0.001
        assert label.box.bottom <= marker.box.y and label.lines[0].align == align
        assert start.box.y > bar.start[1] and end.box.y > bar.start[1] and start.box.right < end.box.x
        assert (start.lines[0].align, end.lines[0].align) == ("l", "r")
        assert start.box.x <= label.box.x and label.box.right <= end.box.right
        if align == "ctr":
            assert abs(_centre(label.box)[0] - x) <= TOLERANCE
        else:
            assert label.box.right == end.box.right  # pushed back inside the area, read from its right edge
