"""compile/design_rules.py: a talk's `design:` mapping over the keynote defaults; bad rules reported where written."""

from __future__ import annotations

from lecturegen.compile.design_rules import DesignRules
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.compile.kinds import KIND_NAMES


def test_from_mapping_overrides_the_defaults_and_false_turns_a_rule_off() -> None:
    diags = Diagnostics()
    rules = DesignRules.from_mapping({"max_words": 45, "min_body_pt": 20, "max_slides_per_minute": False,
                                      "words_exempt": ["references", "table"]}, diags)
    assert diags.items == []
    assert rules == DesignRules(max_words=45, min_body_pt=20.0, max_slides_per_minute=None,
                                words_exempt=("references", "table"))


def test_from_mapping_reports_unknown_rules_and_bad_values_where_they_were_written() -> None:
    diags = Diagnostics()
    keys = {"max_word": Location("content/talks/t.yaml", 12, 3), "max_bullets": Location("content/talks/t.yaml", 13, 3),
            "min_body_pt": Location("content/talks/t.yaml", 14, 3),
            "words_exempt": Location("content/talks/t.yaml", 15, 3)}
    rules = DesignRules.from_mapping({"max_word": 40, "max_bullets": 4.5, "min_body_pt": "big",
                                      "words_exempt": ["quotes"]}, diags,
                                     Location("content/talks/t.yaml", 11, 1), keys, kinds=KIND_NAMES)
    assert rules == DesignRules()
    assert [d.render() for d in diags.items] == [
        "content/talks/t.yaml:12:3: error: unknown design rule 'max_word' (did you mean 'max_words'?) [design.rule]",
        "content/talks/t.yaml:13:3: error: design rule 'max_bullets' must be a whole number of 0 or more, or false "
        "to turn it off, got '4.5' [design.value]",
        "content/talks/t.yaml:14:3: error: design rule 'min_body_pt' must be a number of 0 or more, or false to "
        "turn it off, got 'big' [design.value]",
        "content/talks/t.yaml:15:3: error: design rule 'words_exempt' names an unknown slide kind 'quotes' "
        "(did you mean 'quote'?) [design.value]",
    ]


def test_from_mapping_refuses_booleans_and_negative_numbers_as_limits() -> None:
    diags = Diagnostics()
    DesignRules.from_mapping({"max_words": True, "min_image_dpi": -1, "max_title_chars": float("nan")}, diags)
    assert [d.code for d in diags.items] == ["design.value"] * 3
