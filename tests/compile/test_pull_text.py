"""compile/pull_text.py: an edited word is found again in its source text, or reported — never guessed; two
edits of one text are merged or reported."""

from __future__ import annotations

from lecturegen.compile.pull_text import EditCollector, SlidePlanner, map_text_edit, slide_place
from lecturegen.model.pull import Place, SourceEdit
from lecturegen.model.roundtrip import ShapeText


def test_plain_text_is_replaced_whole() -> None:
    assert map_text_edit("First findings", "First findings", "First results") == "First results"


def test_an_edit_next_to_a_citation_keeps_the_citation() -> None:
    source = "Depth is mutual [@cooper2005]"
    assert map_text_edit(source, "Depth is mutual (Cooper, 2005)", "Depth is shared (Cooper, 2005)") == \
        "Depth is shared [@cooper2005]"


def test_an_edit_inside_a_formatted_citation_is_not_placed() -> None:
    source = "Depth is mutual [@cooper2005]"
    assert map_text_edit(source, "Depth is mutual (Cooper, 2005)", "Depth is mutual (Cooper, 2006)") is None


def test_an_edit_of_a_term_mark_is_not_placed_but_the_words_around_it_are() -> None:
    source = "{{ term.Client }} words"
    assert map_text_edit(source, "Client words", "Patient words") is None
    assert map_text_edit(source, "Client words", "Client phrases") == "{{ term.Client }} phrases"


def test_markdown_emphasis_stays() -> None:
    assert map_text_edit("A **bold** claim here", "A bold claim here", "A bold claim there") == \
        "A **bold** claim there"


def test_a_block_of_lines_matches_the_deck_joined_with_spaces() -> None:
    source = "Say what the findings mean.\nKeep it short.\n"
    assert map_text_edit(source, "Say what the findings mean. Keep it short.",
                         "Say what the results mean. Keep it short.") == "Say what the results mean.\nKeep it short.\n"


def test_an_ambiguous_short_edit_takes_context_to_be_unique() -> None:
    source = "a cat and a cat and a dog"
    assert map_text_edit(source, "a cat and a cat and a dog", "a cat and a cow and a dog") == "a cat and a cow and a dog"


def test_two_edits_of_one_text_are_merged_and_a_clash_is_a_conflict() -> None:
    at = Place("s.yaml", 4, 9)
    out = EditCollector()
    out.edit(SourceEdit("text", at, "slide 2 text", "red green blue", "red green teal"))
    out.edit(SourceEdit("text", at, "slide 3 text", "red green blue", "rose green blue"))
    assert [e.new for e in out.edits] == ["rose green teal"]
    out.edit(SourceEdit("text", at, "slide 4 text", "azure sky", "navy sky"))
    assert len(out.edits) == 1 and [c.why for c in out.conflicts] == ["edited twice in the deck"]


def test_a_slide_planner_turns_an_edited_bullet_into_a_text_edit_at_its_source() -> None:
    entry = {"uid": "u1", "origin": "slide", "kind": "bullets", "path": "s.yaml", "line": 3, "col": 5,
             "texts": [{"field": "bullets", "text": "First point", "level": 0, "path": "s.yaml", "line": 5,
                        "col": 9}]}
    assert slide_place(entry) == Place("s.yaml", 3, 5)
    out = EditCollector()
    planner = SlidePlanner(entry, 2, "Points", out)
    planner.paragraphs(ShapeText("Body", 3, "body", ((0, "First point"),)),
                       ShapeText("Body", 3, "body", ((0, "First claim"),)), "text")
    assert [(e.op, e.at, e.old, e.new) for e in out.edits] == [("text", Place("s.yaml", 5, 9), "First point",
                                                                 "First claim")]
    assert out.conflicts == [] and out.unplaced == []
