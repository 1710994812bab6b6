"""Compile layer: user text → runs (templates and audience terms, inline markup, citations)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Sequence

from lecturegen.compile.inline import parse_inline
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.model.deck import Citation, CitationItem, Paragraph, Run
from lecturegen.sources.specs import BulletSpec, TextSpec

# XML 1.0 forbids these; PowerPoint refuses a file containing them.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TEMPLATE_MARK = re.compile(r"\{\{|\{%")
# A template's output may not grow past this (`{{ 'x' * 10**9 }}` would exhaust memory).
MAX_EXPANDED_TEXT = 100_000


def clean_text(text: str) -> str:
    return _INVALID_XML.sub("", text)


@dataclass
class TextResolver:
    """Turns TextSpecs into runs. In the collecting pass it only records citations."""

    diags: Diagnostics
    variables: dict[str, Any]
    cite: Callable[[Citation], tuple[Run, ...]] | None = None  # None → collecting pass
    collected: list[Citation] = field(default_factory=list)
    # (year, short author label) of each cited work, for timelines built from the bibliography.
    bibliography_years: dict[str, tuple[int, str]] | None = None
    # Parenthetical citations in slide text are collected but not shown (citations: source-line | notes).
    silence: bool = False
    _env: Any = None
    _reported: set[tuple[Location, str]] = field(default_factory=set)
    _keys_seen: dict[str, Location | None] = field(default_factory=dict)
    _keys_upto: int = 0


    # -- templates ------------------------------------------------------------------------------------
    def expand(self, spec: TextSpec) -> str:
        text = clean_text(spec.text)
        if not _TEMPLATE_MARK.search(text):
            return text
        from jinja2 import TemplateError, UndefinedError

        if self._env is None:
            self._env = _sandbox()
        try:
            rendered = self._env.from_string(text).render(**self.variables)
            if len(rendered) > MAX_EXPANDED_TEXT:
                self._report(spec.location, f"template expression makes the text {len(rendered):,} characters long "
                             f"(the limit is {MAX_EXPANDED_TEXT:,})", "template.too-large", None)
                return text
            return clean_text(rendered)
        except UndefinedError as exc:
            self._report(spec.location, f"undefined template variable {_undefined_name(text, str(exc))}",
                         "template.undefined", "variables available: " + ", ".join(sorted(_names(self.variables))))
        except TemplateError as exc:
            self._report(spec.location, f"invalid template expression: {str(exc).lower()}", "template.syntax", None)
        except Exception as exc:  # the sandbox raises SecurityError and others for hostile input
            self._report(spec.location, f"template expression failed: {type(exc).__name__}", "template.syntax", None)
        return text

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
        if out and text[:1] in ".,;:!?)" and out[-1].text.endswith(" "):
            out[-1] = replace(out[-1], text=out[-1].text.rstrip())
        text = re.sub(r" {2,}", " ", text)
        text = re.sub(r" +([.,;:!?)])", r"\1", text)
        text = re.sub(r"\(\s*\)", "", text)
        if text or run.link:
            out.append(replace(run, text=text))
    if out:
        out[-1] = replace(out[-1], text=out[-1].text.rstrip())
    return tuple(r for r in out if r.text)


def _sandbox() -> Any:
    """Jinja's sandbox, stricter: no repetition bombs, and an undefined name inside a list is still an error."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment, SecurityError

    class Strict(StrictUndefined):
        # StrictUndefined raises on str() but not on repr(), which is what `{{ [a, b] }}` or `{{ a, b }}` use.
        __repr__ = StrictUndefined._fail_with_undefined_error

    class Sandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "*":
                for seq, count in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(count, int) \
                            and len(seq) * count > MAX_EXPANDED_TEXT:
                        raise SecurityError(f"repeating a value {count:,} times makes it too long")
            if operator == "**" and isinstance(right, (int, float)) and abs(right) > 100:
                raise SecurityError(f"the power {right!r} is too large")
            return super().call_binop(context, operator, left, right)

    return Sandbox(undefined=Strict, autoescape=False)


def _match_case(found: str, target: str) -> str:
    if found.isupper() and len(found) > 1:
        return target.upper()
    if found[:1].isupper():
        return target[:1].upper() + target[1:]
    return target


class Terms(dict[str, str]):
    """`{{ term.client }}` in content: the audience's word for a term, else the term as written.

    Only marked terms change, so an audience's vocabulary never rewrites a quotation, a citation, a study's
    sample ("342 accounts from clients") or a pair such as "therapists and clients". Plurals and capitals
    follow the marker: `term.clients`, `term.Client`, `term.CLIENTS`.
    """

    def __init__(self, vocabulary: Sequence[tuple[str, str]] = ()):
        super().__init__()
        self.words = {source.lower(): target for source, target in vocabulary}

    def __missing__(self, key: str) -> str:
        lowered = key.lower()
        if lowered in self.words:
            target = self.words[lowered]
        elif lowered.endswith("s") and lowered[:-1] in self.words:
            target = self.words[lowered[:-1]] + "s"
        else:
            return key
        return _match_case(key, target)

def _names(variables: dict[str, Any], prefix: str = "") -> list[str]:
    out = []
    for key, value in variables.items():
        if isinstance(value, dict):
            out.extend(_names(value, f"{prefix}{key}."))
        else:
            out.append(f"{prefix}{key}")
    return out


def _undefined_name(text: str, message: str) -> str:
    """Name the expression the user wrote ('event.nmae'), not Jinja's internal wording."""
    attr = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
    if attr:
        name = attr.group(1)
        for expr in re.findall(r"\{\{\s*([\w.]+)", text):
            if expr.split(".")[-1] == name or expr.split(".")[0] == name:
                return f"'{expr}'"
        return f"'{name}'"
    return "in '" + text[:40] + "'"


def keys_of(citations: Sequence[Citation]) -> tuple[str, ...]:
    """Cited keys in order of first use."""
    keys: dict[str, None] = {}
    for citation in citations:
        for item in citation.items:
            keys.setdefault(item.key, None)
    return tuple(keys)
