"""Tests for the reference list's order: APA's collation, year suffixes."""

from __future__ import annotations

from lecturegen.compile.csl_order import collation_key, year_suffixes


def test_letters_with_accents_file_with_their_base_letter() -> None:
    names = ["Umweltbundesamt", "Šimić, A.", "Ólafsdóttir, S.", "Strauß, B.", "Stratton, C.", "Osborne, D.",
             "Øvretveit, J."]
    assert sorted(names, key=collation_key) == ["Ólafsdóttir, S.", "Osborne, D.", "Øvretveit, J.", "Šimić, A.",
                                                "Stratton, C.", "Strauß, B.", "Umweltbundesamt"]


def test_a_title_standing_for_the_author_skips_its_article() -> None:
    assert collation_key("A guide to therapy", title=True)[0] == "guide to therapy"
    assert collation_key("The British Psychological Society")[0] == "the british psychological society"


def test_year_suffixes_follow_title_order() -> None:
    items = [{"id": "b", "author": [{"family": "Cooper", "given": "M."}], "title": "Zeitgeist",
              "issued": {"date-parts": [[2012]]}},
             {"id": "a", "author": [{"family": "Cooper", "given": "M."}], "title": "The Ánalogue",
              "issued": {"date-parts": [[2012]]}}]
    assert year_suffixes(items) == {"a": "a", "b": "b"}
