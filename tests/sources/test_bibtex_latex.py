"""Tests for LaTeX → Unicode in BibTeX fields (pylatexenc decodes; case-protecting braces survive)."""

from __future__ import annotations

import pytest

from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.sources.bibtex_latex import LatexDecoder, nocase


@pytest.mark.parametrize(("latex", "text"), [
    (r'Fl{\"u}ckiger', "Flückiger"), (r'Fl\"{u}ckiger', "Flückiger"), (r"\v{S}imi\'{c}", "Šimić"),
    (r"{\O}stergaard", "Østergaard"), (r"Gro{\ss}", "Groß"), (r"\c c", "ç"), (r"{\'\i}", "í"),
    (r"{{An}} {UK} 50\% a--b", "{{An}} {UK} 50% a–b"), (r"\emph{The {UK}}", "The {UK}"),
    ("no commands -- here", "no commands – here")])
def test_accents_by_pylatexenc_and_protecting_braces_kept(latex: str, text: str) -> None:
    assert LatexDecoder(Diagnostics()).decode("title", latex, Location("b.bib", 1, 1)) == text


def test_urls_stay_verbatim_and_braces_become_nocase() -> None:
    decoder = LatexDecoder(Diagnostics())
    assert decoder.decode("url", r"\url{https://x.org/a_b%20~c}", Location("b.bib", 1, 1)) == "https://x.org/a_b%20~c"
    assert nocase("A {UK} study") == 'A <span class="nocase">UK</span> study'
