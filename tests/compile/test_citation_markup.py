"""Tests for citeproc-py's HTML → runs, and runs → Markdown and HTML."""

from __future__ import annotations

from lecturegen.compile.citation_markup import markup_to_runs, runs_to_html, runs_to_markdown
from lecturegen.model.deck import Run


def test_italics_and_urls_become_runs_and_back() -> None:
    runs = markup_to_runs("A. (2020). <i>Title</i>. https://doi.org/10.1/x.")
    assert runs == (Run("A. (2020). ", cited=True), Run("Title", italic=True, cited=True), Run(". ", cited=True),
                    Run("https://doi.org/10.1/x", link="https://doi.org/10.1/x", cited=True), Run(".", cited=True))
    assert runs_to_markdown(runs) == "A. (2020). *Title*. <https://doi.org/10.1/x>."
    assert runs_to_html(runs[:2]) == "A. (2020). <i>Title</i>"
