"""Property-based: any outline either builds a deck that reopens with well-formed XML, or fails with
exit 1 and located diagnostics — never a traceback, never another exit code.

Outlines are generated as Python data and written with yaml.safe_dump, so every example is valid YAML
whose text is arbitrary Unicode (control characters included, surrogates excluded) mixed with the
markup the compiler interprets: emphasis, links, citations (known and unknown keys) and templates.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pptx import Presentation

from lecturegen.cli import main

REPO = Path(__file__).resolve().parents[1]
ERROR_START = re.compile(r"^(?:[^:]+:\d+(?::\d+)?: )?error: ")

BIB = """\
@article{cooper2005,
  author  = {Cooper, Mick},
  title   = {Therapists' experiences of relational depth},
  journal = {Counselling and Psychotherapy Research},
  year    = {2005}
}

@article{knox2010,
  author  = {Knox, Rosanne and Cooper, Mick},
  title   = {Relationship qualities},
  journal = {Person-Centered and Experiential Psychotherapies},
  year    = {2010}
}
"""
CSV = "sample,alpha\nTherapists,0.85\nClients,0.93\nUK patients,0.91\n"
SIDECAR = {"title": "Reliability", "source": "cooper2005",
           "columns": {"sample": "text", "alpha": {"type": "number", "label": "alpha"}}}

# Markup fragments, so that generated text exercises the inline parser and the template engine.
FRAGMENTS = [
    "**", "*", "_", "\\", "\\*", "\\@", "[@cooper2005]", "[@knox2010; @cooper2005, p. 12]", "[-@knox2010]",
    "@cooper2005", "@nokey2000", "[@", "]", "[link](https://example.org)", "[bad](javascript:x)", "(", ")",
    "{{ talk.title }}", "{{ event.name }}", "{{", "}}", "{%", "%}", "{#", ": ", " - ", "#", "&", "<b>", "]]>",
    "\u202e", "\u200f", "\u2028", "\x85", "\t", "\n", "\n\n", "\r", "\x00", "\x0b", "\x1b", "\ufffe", "\uffff",
    "🤝", "👩🏽‍⚕️", "العمق", "עומק", "ﷺ", "e\u0301", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", " ",
]
CHARS = st.characters(blacklist_categories=("Cs",))
text = st.one_of(
    st.text(CHARS, max_size=40),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(CHARS, min_size=1, max_size=8)), max_size=8).map("".join),
)
short = st.text(CHARS, min_size=1, max_size=20)
bullet = st.one_of(text, st.dictionaries(short, st.lists(text, min_size=1, max_size=3), min_size=1, max_size=1))
bullets = st.lists(bullet, min_size=1, max_size=6)
# Captions may hold anything slide text may, line breaks and templates included.
caption = text
GROUPINGS = ["individual", "pairs", "threes", "small groups", "whole group"]
minutes = st.integers(min_value=1, max_value=10)


def _slide(kind: str, draw: Any) -> dict[str, Any]:
    s: dict[str, Any] = {"kind": kind}
    if kind != "references":
        s["title"] = draw(text)
    if kind == "bullets":
        s["bullets"] = draw(bullets)
        if draw(st.booleans()):
            s["caption"] = draw(caption)
    elif kind == "quote":
        s["quote"] = draw(text)
        s["attribution"] = draw(text)
    elif kind == "statement":
        s["statement"] = draw(st.one_of(st.text(CHARS, max_size=8), text))
        s["caption"] = draw(caption)
    elif kind in ("two-column", "comparison"):
        s["left"] = {"heading": draw(text), "bullets": draw(bullets)}
        s["right"] = {"heading": draw(text), "bullets": draw(bullets)}
    elif kind == "table":
        width = draw(st.integers(1, 4))
        s["columns"] = draw(st.lists(short, min_size=width, max_size=width))
        s["rows"] = draw(st.lists(st.lists(st.text(CHARS, max_size=12), min_size=width, max_size=width),
                                  min_size=1, max_size=4))
    elif kind == "exercise":
        s["grouping"] = draw(st.sampled_from(GROUPINGS))
        s["minutes"] = draw(minutes)
        s["instructions"] = draw(bullets)
    elif kind == "discussion":
        s["grouping"] = draw(st.sampled_from(GROUPINGS))
        s["minutes"] = draw(minutes)
        s["prompts"] = draw(bullets)
    elif kind == "break":
        s["minutes"] = draw(minutes)
        s["subtitle"] = draw(text)
    elif kind == "closing":
        s["message"] = draw(text)
        s["contact"] = draw(text)
    elif kind in ("section", "title"):
        s["subtitle"] = draw(text)
    elif kind == "chart":
        s["chart"] = {"type": draw(st.sampled_from(["bar", "dot", "line", "pie"])), "data": "rel", "x": "sample",
                      "y": "alpha", "note": draw(text)}
        s["caption"] = draw(caption)
    if draw(st.booleans()):
        s["notes"] = draw(text)
    return s


KINDS = ["bullets", "bullets", "bullets", "quote", "statement", "two-column", "comparison", "table", "exercise",
         "discussion", "break", "closing", "section", "chart", "references"]


@st.composite
def outlines(draw: Any) -> dict[str, Any]:
    count = draw(st.integers(min_value=1, max_value=40))
    slides = [_slide(draw(st.sampled_from(KINDS)), draw) for _ in range(count)]
    cut = sorted(draw(st.lists(st.integers(0, count), max_size=2)))
    parts = [slides[a:b] for a, b in zip([0, *cut], [*cut, count]) if slides[a:b]]
    sections = [{"title": draw(text) or "Untitled", "slides": part} for part in parts]
    return {
        "title": draw(text) or "A talk",
        "subtitle": draw(text),
        "presenter": draw(text),
        "slot": draw(st.integers(min_value=5, max_value=240)),
        "event": {"name": draw(text)},
        "footer": draw(st.sampled_from(["{{ talk.title }}", "{{ event.name }}", "plain"])),
        "source_lines": draw(st.booleans()),
        "sections": sections,
    }


def _write(root: Path, talk: dict[str, Any]) -> None:
    (root / "content" / "talks").mkdir(parents=True)
    (root / "content" / "data").mkdir(parents=True)
    shutil.copytree(REPO / "themes" / "calm", root / "themes" / "calm")
    (root / "bibliography.bib").write_text(BIB, encoding="utf-8")
    (root / "content" / "data" / "rel.csv").write_text(CSV, encoding="utf-8")
    (root / "content" / "data" / "rel.yaml").write_text(yaml.safe_dump(SIDECAR), encoding="utf-8")
    (root / "content" / "talks" / "gen.yaml").write_text(yaml.safe_dump(talk, allow_unicode=True), encoding="utf-8")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(outlines())
def test_any_outline_builds_a_valid_deck_or_fails_with_diagnostics(talk: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        _write(root, talk)
        result = CliRunner().invoke(main, ["build", "gen", "--root", str(root)])
        output = result.stdout + result.stderr
        assert "Traceback" not in output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code in (0, 1), output
        if result.exit_code == 1:
            # Every line is one whole diagnostic (or the closing count), even when user text had line breaks.
            lines = result.stderr.splitlines()
            errors = [line for line in lines if ERROR_START.match(line)]
            assert errors, result.stderr
            assert all(ERROR_START.match(line) or re.match(r"^\d+ errors?; nothing written$", line)
                       or re.match(r"^[\w./-]+(:\d+){0,2}: (warning|info): ", line) for line in lines), lines
            assert not (root / "build" / "gen.pptx").exists()
            return
        deck = root / "build" / "gen.pptx"
        prs = Presentation(str(deck))
        assert len(prs.slides) >= 1
        with zipfile.ZipFile(deck) as archive:
            for name in archive.namelist():
                if name.endswith((".xml", ".rels")):
                    etree.fromstring(archive.read(name))
