"""Tests for model/pull.py: edits, conflicts and timings `pull` makes of a presenter's changes."""

from __future__ import annotations

import dataclasses

import pytest

from lecturegen.diagnostics import Location
from lecturegen.model.pull import Conflict, Place, PullPlan, SourceEdit, Timing
from lecturegen.sources.yaml_edit import YamlFile, apply_edits

SECTION = """\
title: Main part
slides:
  - kind: bullets
    title: First findings
    bullets:
      - Clients remember moments of depth
    minutes: 2
"""


def test_a_place_reads_as_a_diagnostics_place() -> None:
    assert str(Place("content/sections/main.yaml", 4, 12)) == "content/sections/main.yaml:4:12"
    assert str(Place("s.yaml", 4, 12)) == str(Location("s.yaml", 4, 12))


def test_places_are_values_that_key_a_dict() -> None:
    seen = {Place("s.yaml", 3, 5): "first"}
    assert seen[Place("s.yaml", 3, 5)] == "first"
    assert Place("s.yaml", 3, 5) != Place("s.yaml", 3, 6)
    with pytest.raises(dataclasses.FrozenInstanceError):
        Place("s.yaml", 3, 5).line = 4  # type: ignore[misc]


def test_an_edit_carries_only_what_its_operation_needs() -> None:
    edit = SourceEdit("delete", Place("s.yaml", 6, 9), "slide 2 bullet 1")
    assert (edit.old, edit.new, edit.key, edit.value, edit.before, edit.level, edit.order) == (
        "", "", "", None, False, 0, ())


def test_a_text_edit_and_a_removed_key_change_only_their_lines() -> None:
    file = YamlFile("s.yaml", SECTION)
    edits = [SourceEdit("text", Place("s.yaml", 4, 12), "slide 1 title", "First findings", "First results"),
             SourceEdit("set", Place("s.yaml", 3, 5), "slide 1 minutes", key="minutes", value=None)]
    assert apply_edits(file, edits) == []
    assert file.result() == SECTION.replace("First findings", "First results").replace("    minutes: 2\n", "")


def test_an_edit_whose_source_changed_meanwhile_comes_back_as_a_conflict_at_its_place() -> None:
    file = YamlFile("s.yaml", SECTION)
    edit = SourceEdit("text", Place("s.yaml", 4, 12), "slide 1 title", "Old findings", "New findings")
    conflicts = apply_edits(file, [edit])
    assert len(conflicts) == 1 and isinstance(conflicts[0], Conflict)
    assert conflicts[0].at == edit.at and str(conflicts[0].at) == "s.yaml:4:12"
    assert file.result() == SECTION


def test_a_conflict_and_a_plan_default_to_nothing_more() -> None:
    conflict = Conflict("slide 3 title", "written", "edited")
    assert (conflict.source, conflict.at, conflict.why) == ("", None, "")
    timing = Timing(3, "Findings", None, 95_000)
    plan = PullPlan((), (conflict,), ("a picture",), (timing,))
    assert plan.pictures == () and plan.timings[0].planned_ms is None
    assert plan == PullPlan((), (Conflict("slide 3 title", "written", "edited"),), ("a picture",), (timing,))
