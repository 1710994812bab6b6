"""Compile layer: user text → runs (templates and audience terms, inline markup, citations)."""

from __future__ import annotations

import re
from dataclasses import field, replace
from typing import Any, Callable, Mapping, Sequence

from lecturegen.compile.inline import parse_inline
from lecturegen.compile.text_fields import TEMPLATE_MARK, code_length, plain_lookups
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.model.deck import Citation, CitationItem, Paragraph, Run
from lecturegen.records import record
from lecturegen.sources.specs import BulletSpec, TextSpec

# XML 1.0 forbids these; PowerPoint refuses a file containing them.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: str) -> str:
    return _INVALID_XML.sub("", text)


@record(frozen=False)
class TextResolver:
    """Turns TextSpecs into runs. In the collecting pass it only records citations."""

    diags: Diagnostics
    variables: dict[str, Any]  # talk, event, audience and term (compile/audience.py::template_variables)
    cite: Callable[[Citation], tuple[Run, ...]] | None = None  # None → collecting pass
    collected: list[Citation] = field(default_factory=list)
    # (year, short author label) of each cited work, for timelines built from the bibliography.
    bibliography_years: dict[str, tuple[int, str]] | None = None
    # Parenthetical citations in slide text are collected but not shown (citations: source-line | notes).
    silence: bool = False
    # Texts a store already expanded with these same variables: used instead of Jinja (a rebuild after a
    # one-word edit then never imports it). `expanded` records what Jinja expanded here, for the store.
    known: Mapping[str, str] = field(default_factory=dict)
    expanded: dict[str, str] = field(default_factory=dict)
    _code_charged: set[str] = field(default_factory=set)  # the texts whose template code this deck was charged
    _code_left: int = 0  # set from MAX_TALK_TEMPLATE_CODE when the first template needs Jinja
    _reported: set[tuple[Location, str]] = field(default_factory=set)
    _keys_seen: dict[str, Location | None] = field(default_factory=dict)
    _keys_upto: int = 0

    # -- templates ------------------------------------------------------------------------------------
    def expand(self, spec: TextSpec) -> str:
        """The text with its template code expanded; as written (and an error reported) when it cannot be."""
        text = clean_text(spec.text)
        if not TEMPLATE_MARK.search(text):
            return text
        plain = plain_lookups(text, self.variables)
        if plain is not None:
            return clean_text(plain)
        from lecturegen.compile import text_template as templates

        try:
            self._charge_code(text)
            result = self.known.get(text)
            if result is None:
                result = clean_text(templates.render(templates.checked_template(text), self.variables))
            self.expanded[text] = result
            return result
        except templates.TemplateRefused as refused:
            self._report(spec.location, str(refused), refused.code, refused.hint)
        return text

    def _charge_code(self, text: str) -> None:
        """Refuse template code past the limit of one text, or of the whole deck (each text charged once)."""
        from lecturegen.compile.text_template import MAX_TALK_TEMPLATE_CODE, MAX_TEMPLATE_CODE, TemplateRefused

        if text in self._code_charged:
            return
        code = code_length(text)
        if code > MAX_TEMPLATE_CODE:
            raise TemplateRefused(f"template code in this text is {code:,} characters long (the limit is "
                                  f"{MAX_TEMPLATE_CODE:,})", "template.too-large")
        if not self._code_charged:
            self._code_left = MAX_TALK_TEMPLATE_CODE
        if code > self._code_left:
            raise TemplateRefused(f"template code in this talk is longer than {MAX_TALK_TEMPLATE_CODE:,} characters "
                                  "in all", "template.too-large")
        self._code_left -= code
        self._code_charged.add(text)

    def _report(self, loc: Location, message: str, code: str, hint: str | None) -> None:
        if (loc, message) in self._reported:
            return
        self._reported.add((loc, message))
        self.diags.error(message, code, loc, hint)

    # -- runs -----------------------------------------------------------------------------------------
    def runs(self, spec: TextSpec | None, silence: bool | None = None) -> tuple[Run, ...]:
        """The text as runs. With `silence` (the source-line and notes modes), a parenthetical citation is
        collected but not shown: its work goes to the slide's source line or notes instead."""
        if spec is None:
            return ()
        quiet = self.silence if silence is None else silence
        out: list[Run] = []
        for item in parse_inline(self.expand(spec), spec.location, self.diags):
            if isinstance(item, Citation):
                self.collected.append(item)
                if quiet and not item.narrative:
                    if out and not out[-1].cited:
                        out[-1] = replace(out[-1], text=out[-1].text.rstrip())
                    continue
                if self.cite is None:
                    out.append(Run("(citation)", cited=True))
                else:
                    out.extend(self.cite(item))
            else:
                out.append(self.substitute(item))
        return _tidy(tuple(out)) if quiet else tuple(out)

    def plain(self, text: str, location: Location) -> tuple[Run, ...]:
        return self.runs(TextSpec(text, location))

    def substitute(self, run: Run) -> Run:
        # Audience vocabulary changes only the terms the content marks ({{ term.client }}, see Terms):
        # quotations, study samples and everything unmarked stay as written.
        return run

    def paragraphs(self, spec: TextSpec | None, style: str = "body") -> tuple[Paragraph, ...]:
        """Text with blank lines between paragraphs (speaker notes, messages)."""
        if spec is None:
            return ()
        out = []
        # Strip control characters first: str.splitlines() would treat \v, \f and \x1c-\x1e as line breaks.
        for chunk in re.split(r"\n\s*\n", clean_text(spec.text).strip()):
            chunk = " ".join(line.strip() for line in chunk.splitlines())
            if chunk:
                out.append(Paragraph(self.runs(TextSpec(chunk, spec.location)), style=style))
        return tuple(out)

    def bullets(self, items: Sequence[BulletSpec], level: int = 0) -> tuple[Paragraph, ...]:
        out: list[Paragraph] = []
        for item in items:
            out.append(Paragraph(self.runs(item.text), level=level))
            out.extend(self.bullets(item.children, level + 1))
        return tuple(out)

    def _first_cited_at(self) -> dict[str, Location | None]:
        """Where each key collected so far was first cited (kept incrementally: decks cite hundreds of times)."""
        for citation in self.collected[self._keys_upto:]:
            for item in citation.items:
                self._keys_seen.setdefault(item.key, citation.location)
        self._keys_upto = len(self.collected)
        return self._keys_seen

    def source_line(self, keys: Sequence[str], location: Location | None, label: str = "Sources") -> tuple[Run, ...]:
        """'Sources: Cooper (2005); Knox and Cooper (2010)' built with the citation engine."""
        if not keys:
            return ()
        runs: list[Run] = [Run(f"{label if len(keys) > 1 else label.rstrip('s')}: ")]
        for index, key in enumerate(keys):
            if index:
                runs.append(Run("; "))
            # A slide's source line repeats keys its text already cites: it takes the location where the
            # author first wrote the key, so an unknown key is reported once, where it was written, and
            # not again at the slide. Keys new to the deck (a chart's data source) keep `location`.
            citation = Citation((CitationItem(key),), narrative=True,
                                location=self._first_cited_at().get(key, location))
            self.collected.append(citation)
            if self.cite is None:
                runs.append(Run(key, cited=True))
            else:
                runs.extend(self.cite(citation))
        return tuple(runs)


def _tidy(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    """Text left behind by a silenced citation: no space before punctuation, no doubled spaces."""
    out: list[Run] = []
    for run in runs:
        text = run.text
        # A point before a digit is a decimal (".010"), not punctuation left by a citation.
        if out and text[:1] in ".,;:!?)" and not text[1:2].isdigit() and out[-1].text.endswith(" "):
            out[-1] = replace(out[-1], text=out[-1].text.rstrip())
        text = re.sub(r" {2,}", " ", text)
        text = re.sub(r" +([.,;:!?)])(?!\d)", r"\1", text)
        text = re.sub(r"\(\s*\)", "", text)
        if text or run.link:
            out.append(replace(run, text=text))
    if out:
        out[-1] = replace(out[-1], text=out[-1].text.rstrip())
    return tuple(r for r in out if r.text)


def keys_of(citations: Sequence[Citation]) -> tuple[str, ...]:
    """Cited keys in order of first use."""
    keys: dict[str, None] = {}
    for citation in citations:
        for item in citation.items:
            keys.setdefault(item.key, None)
    return tuple(keys)
