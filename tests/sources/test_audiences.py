"""Source tests: content/audiences/<name>.yaml read into an AudienceSpec."""

from __future__ import annotations

import textwrap
from pathlib import Path

from lecturegen.compile.kinds import OUTLINE_KINDS
from lecturegen.diagnostics import Diagnostics
from lecturegen.sources.audiences import MAX_VOCABULARY, AudienceSpec, load_audience
from lecturegen.workspace import Workspace
from tests.conftest import write_workspace


def _load(tmp_path: Path, yaml: str, name: str = "nurses") -> tuple[AudienceSpec | None, list[str]]:
    root = write_workspace(tmp_path / "ws", {f"content/audiences/{name}.yaml": textwrap.dedent(yaml)})
    diags = Diagnostics()
    spec = load_audience(Workspace(root), "nurses", diags, kinds=OUTLINE_KINDS)
    return spec, [d.render() for d in diags.items]


def test_every_key_is_read(tmp_path: Path) -> None:
    spec, problems = _load(tmp_path, """\
        title: Nurses
        description: Ward staff
        include_tags: [clinical]
        exclude_tags: [stats, theory]
        vocabulary: {client: patient, therapist: nurse}
        event: {name: Ward day, year: 2026}
        speaking_rate: 120
        slot: 45
        theme: calm
        references: key
        source_lines: false
        insert:
          - after: first
            slides:
              - {kind: bullets, id: extra, title: Extra, bullets: [x]}
        replace:
          - slide: number
            slides:
              - {kind: bullets, id: other, title: Other, bullets: [y]}
        """)
    assert problems == []
    assert spec is not None
    assert (spec.name, spec.title, spec.description) == ("nurses", "Nurses", "Ward staff")
    assert spec.include_tags == ("clinical",) and spec.exclude_tags == ("stats", "theory")
    assert spec.tag_locations["theory"].line == 4
    assert spec.vocabulary == (("client", "patient"), ("therapist", "nurse"))
    assert spec.event == {"name": "Ward day", "year": "2026"}
    assert (spec.speaking_rate, spec.slot, spec.theme, spec.references) == (120, 45, "calm", "key")
    assert spec.source_lines is False
    assert [(i.anchor, i.position, [s.id for s in i.slides]) for i in spec.insertions] == [
        ("first", "after", ["extra"]), ("number", "replace", ["other"])]
    assert spec.insertions[0].location.line == 13


def test_a_bare_audience_has_defaults(tmp_path: Path) -> None:
    spec, problems = _load(tmp_path, "description: d\n")
    assert problems == [] and spec is not None
    assert spec.title == "nurses" and spec.references == "full"
    assert spec.vocabulary == () and spec.insertions == () and spec.event == {}
    assert spec.source_lines is None and spec.slot is None and spec.speaking_rate is None


def test_bad_values_are_located_errors(tmp_path: Path) -> None:
    spec, problems = _load(tmp_path, """\
        references: some
        vocabulary: {client: [a, b]}
        insert:
          - slides: []
        """)
    assert spec is not None
    assert spec.references == "full" and spec.vocabulary == ()
    assert "content/audiences/nurses.yaml:1:13: error: 'references' must be 'full' or 'key', got 'some' " \
           "[audience.references]" in problems
    assert any(":2:14: error: vocabulary entry 'client' must map a word to a word" in p for p in problems)
    assert any("'insert' entry needs 'after' or 'before' [yaml.missing-key]" in p for p in problems)


def test_too_large_a_vocabulary_is_refused(tmp_path: Path) -> None:
    entries = ", ".join(f"w{i}: v{i}" for i in range(MAX_VOCABULARY + 1))
    spec, problems = _load(tmp_path, f"vocabulary: {{{entries}}}\n")
    assert spec is not None and spec.vocabulary == ()
    assert any(f"(the limit is {MAX_VOCABULARY}) [audience.vocabulary]" in p for p in problems)


def test_an_unknown_audience_is_an_error(tmp_path: Path) -> None:
    spec, problems = _load(tmp_path, "title: X\n", name="students")
    assert spec is None
    assert len(problems) == 1 and problems[0].endswith("[audience.unknown]")
