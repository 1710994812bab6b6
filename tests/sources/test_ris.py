"""Tests for the RIS reader: keys, names, dates and types as Zotero and EndNote write them."""

from __future__ import annotations

from lecturegen.diagnostics import Diagnostics
from lecturegen.sources.bibliography import parse_bibliography
from lecturegen.sources.ris import generated_key, ris_date, ris_name


def test_keys_from_the_id_tag_or_as_better_bibtex_makes_them() -> None:
    diags = Diagnostics()
    bib = parse_bibliography("TY  - JOUR\nID  - mine2020\nTI  - T\nAU  - A, B\nPY  - 2020\nER  - \n\n"
                             "TY  - JOUR\nTI  - The alliance in adult psychotherapy: A meta-analytic synthesis\n"
                             "AU  - Flückiger, Christoph\nPY  - 2018\nER  - \n", "l.ris", diags)
    assert diags.items == []
    assert bib.keys() == ["mine2020", "flückigerAllianceAdultPsychotherapy2018"]
    assert bib.get("flückigerAllianceAdultPsychotherapy2018").location.line == 8


def test_names_dates_and_a_pinned_key_in_a_note() -> None:
    assert ris_name("van der Veer, Karin") == {"family": "Veer", "given": "Karin", "non-dropping-particle": "van der"}
    assert ris_name("World Health Organization") == {"literal": "World Health Organization"}
    assert ris_date("2019/05/15/") == {"date-parts": [[2019, 5, 15]]}
    assert ris_date("2021///") == {"date-parts": [[2021]]}
    bib = parse_bibliography("TY  - BOOK\nTI  - T\nAU  - A, B\nPY  - 2020\nN1  - Citation Key: pinned2020\nER  - \n",
                             "l.ris", Diagnostics())
    assert bib.keys() == ["pinned2020"]
    assert generated_key({"author": [{"literal": "NHS England"}], "title": "NHS Talking Therapies"}) == \
        "nhsenglandNHSTalkingTherapies"
