"""Loading Hunspell dictionaries, the workspace word list and the terminology list."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.sources.dictionary import (
    SYSTEM_DICTIONARY_DIRS,
    TermSpec,
    dictionary_name,
    dictionary_package,
    find_dictionary,
    load_dictionary,
    load_terminology,
)

# A dictionary small enough to write in a test: three stems, a plural suffix, typographic apostrophes.
TINY_AFF = """\
SET UTF-8
TRY esianrtolcdugmphbyfvkwz'
ICONV 1
ICONV ’ '
SFX S Y 1
SFX S 0 s .
"""
TINY_DIC = """\
4
colour/S
receive
therapist/S
don't
"""

needs_en_gb = pytest.mark.skipif(find_dictionary("en_GB", SYSTEM_DICTIONARY_DIRS) is None,
                                 reason="Debian's hunspell-en-gb is not installed (.ci/setup installs it)")
needs_en_us = pytest.mark.skipif(find_dictionary("en_US", SYSTEM_DICTIONARY_DIRS) is None,
                                 reason="Debian's hunspell-en-us is not installed (.ci/setup installs it)")


def workspace(tmp_path: Path, words: str | None = None, terminology: str | None = None,
              tiny: bool = False) -> Path:
    (tmp_path / "content" / "talks").mkdir(parents=True)
    if words is not None:
        (tmp_path / "content" / "words.txt").write_text(words, encoding="utf-8")
    if terminology is not None:
        (tmp_path / "content" / "terminology.yaml").write_text(terminology, encoding="utf-8")
    if tiny:
        folder = tmp_path / "content" / "dictionaries"
        folder.mkdir()
        (folder / "xx_ZZ.aff").write_text(TINY_AFF, encoding="utf-8")
        (folder / "xx_ZZ.dic").write_text(TINY_DIC, encoding="utf-8")
    return tmp_path


def rendered(diags: Diagnostics) -> list[str]:
    return [d.render() for d in diags.sorted()]


def test_language_tags_name_hunspell_files_and_debian_packages() -> None:
    assert dictionary_name("en-GB") == "en_GB"
    assert dictionary_name("en_us") == "en_US"
    assert dictionary_name("fr") == "fr"
    assert dictionary_name("English") is None
    assert dictionary_package("en_GB") == "hunspell-en-gb"
    assert dictionary_package("pt_BR") == "hunspell-pt-br"
    assert dictionary_package("fr_FR") == "hunspell-fr"


def test_a_workspace_dictionary_is_read_through_spylls(tmp_path: Path) -> None:
    diags = Diagnostics()
    dictionary = load_dictionary("xx-ZZ", workspace(tmp_path, tiny=True), diags, search_dirs=())
    assert dictionary is not None and not diags.items
    assert dictionary.knows("therapists") and dictionary.knows("Colour")
    assert dictionary.knows("don’t"), "typographic apostrophes are looked up as typed ones"
    assert not dictionary.knows("recieve")
    assert dictionary.suggest("recieve", limit=1) == ("receive",)


def test_a_missing_dictionary_is_one_warning_naming_the_package(tmp_path: Path) -> None:
    diags = Diagnostics()
    at = Location("content/talks/t.yaml", 1, 1)
    assert load_dictionary("en-GB", workspace(tmp_path), diags, at=at, search_dirs=()) is None
    assert rendered(diags) == [
        "content/talks/t.yaml:1:1: warning: no Hunspell dictionary for 'en-GB' (en_GB.dic): spelling is not checked "
        "(install the package 'hunspell-en-gb' (Debian, Ubuntu), or put en_GB.dic and en_GB.aff in "
        "content/dictionaries/) [spelling.no-dictionary]"
    ]
    assert not diags.has_errors


def test_a_language_that_is_not_a_tag_is_a_warning(tmp_path: Path) -> None:
    diags = Diagnostics()
    assert load_dictionary("British", workspace(tmp_path), diags) is None
    assert rendered(diags) == [
        "warning: language 'British' is not a language tag such as 'en-GB': spelling is not checked "
        "[spelling.language]"
    ]


def test_word_list_entries_are_accepted_with_hunspell_capitalisation(tmp_path: Path) -> None:
    root = workspace(tmp_path, words="# names\nRoehampton\nwellbeing  # a term\n\n", tiny=True)
    diags = Diagnostics()
    dictionary = load_dictionary("xx-ZZ", root, diags, search_dirs=())
    assert dictionary is not None and not diags.items
    assert dictionary.knows("Roehampton") and not dictionary.knows("roehampton")
    assert dictionary.knows("wellbeing") and dictionary.knows("Wellbeing") and dictionary.knows("WELLBEING")
    assert not dictionary.knows("wellBeing")


def test_bad_word_list_entries_are_located_errors(tmp_path: Path) -> None:
    root = workspace(tmp_path, words="Mearns\n  person centred\n<b>\nMearns\n", tiny=True)
    diags = Diagnostics()
    dictionary = load_dictionary("xx-ZZ", root, diags, search_dirs=())
    assert rendered(diags) == [
        "content/words.txt:2:3: error: word list entries are single words, got 'person centred' (write each word "
        "on its own line; for a phrase to keep consistent use content/terminology.yaml) [spelling.word-list]",
        "content/words.txt:3:1: error: '<b>' is not a word: use letters, digits, apostrophes, hyphens and dots "
        "[spelling.word-list]",
        "content/words.txt:4:1: warning: 'Mearns' is already listed at line 1 [spelling.word-list]",
    ]
    assert dictionary is not None and dictionary.knows("Mearns")


def test_the_word_list_is_read_even_without_a_dictionary(tmp_path: Path) -> None:
    diags = Diagnostics()
    load_dictionary("en-GB", workspace(tmp_path, words="two words\n"), diags, search_dirs=())
    assert [d.code for d in diags.sorted()] == ["spelling.no-dictionary", "spelling.word-list"]


def read_terminology(tmp_path: Path, *lines: str) -> tuple[tuple[TermSpec, ...], list[str]]:
    diags = Diagnostics()
    terms = load_terminology(workspace(tmp_path, terminology="".join(f"{line}\n" for line in lines)), diags)
    return terms, rendered(diags)


def test_terminology_maps_preferred_forms_to_variants(tmp_path: Path) -> None:
    terms, problems = read_terminology(tmp_path, "# house style", "counselling: [counseling]", "person-centred:",
                                       "  - person centered", "  - person-centered", "wellbeing: well-being")
    assert problems == []
    assert terms == (
        TermSpec("counselling", ("counseling",), Location("content/terminology.yaml", 2, 1)),
        TermSpec("person-centred", ("person centered", "person-centered"), Location("content/terminology.yaml", 3, 1)),
        TermSpec("wellbeing", ("well-being",), Location("content/terminology.yaml", 6, 1)),
    )


def test_bad_terminology_entries_are_located_errors(tmp_path: Path) -> None:
    terms, problems = read_terminology(tmp_path, "counselling: [counseling, Counselling]", "counsellor: []",
                                       "therapist: [{a: b}]", "client: [counseling]", "counselling: [counsellng]")
    assert problems == [
        "content/terminology.yaml:1:27: error: 'Counselling' is the preferred form itself, not a variant "
        "[terminology.variant]",
        "content/terminology.yaml:2:13: error: 'counsellor' needs a list of variants to flag, got a list "
        "(write 'counsellor: [variant, other variant]') [terminology.type]",
        "content/terminology.yaml:3:13: error: a variant must be text, got a mapping [terminology.type]",
        "content/terminology.yaml:4:10: error: 'counseling' is already listed for 'counselling' at "
        "content/terminology.yaml:1:1 [terminology.duplicate]",
        "content/terminology.yaml:5:1: error: 'counselling' is already listed at content/terminology.yaml:1:1 "
        "[terminology.duplicate]",
    ]
    assert terms == (TermSpec("counselling", ("counseling",), Location("content/terminology.yaml", 1, 1)),)


def test_terminology_must_be_a_mapping(tmp_path: Path) -> None:
    terms, problems = read_terminology(tmp_path, "- counselling")
    assert terms == ()
    assert problems == [
        "content/terminology.yaml:1:1: error: the terminology list must map each preferred form to its variants, "
        "got a list (write 'counselling: [counseling]') [terminology.type]"
    ]


def test_both_lists_are_optional(tmp_path: Path) -> None:
    diags = Diagnostics()
    assert load_terminology(workspace(tmp_path), diags) == ()
    assert load_dictionary("xx-ZZ", workspace(tmp_path / "w", tiny=True), diags, search_dirs=()) is not None
    assert not diags.items


@needs_en_gb
def test_british_english_is_the_system_en_gb_dictionary(tmp_path: Path) -> None:
    diags = Diagnostics()
    dictionary = load_dictionary("en-GB", workspace(tmp_path), diags)
    assert dictionary is not None and not diags.items
    assert dictionary.knows("colour") and dictionary.knows("counselling") and dictionary.knows("centred")
    assert not dictionary.knows("color") and not dictionary.knows("counseling") and not dictionary.knows("analyze")
    # Documented in docs/spelling.md: en_GB accepts Oxford -ize as well as -ise; terminology.yaml picks one.
    assert dictionary.knows("recognise") and dictionary.knows("recognize")


@needs_en_us
def test_the_talks_language_chooses_another_dictionary(tmp_path: Path) -> None:
    diags = Diagnostics()
    dictionary = load_dictionary("en-US", workspace(tmp_path), diags)
    assert dictionary is not None and not diags.items
    assert dictionary.knows("color") and not dictionary.knows("colour")
