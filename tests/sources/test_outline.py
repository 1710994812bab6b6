"""The outline loader under hostile input: bounds on slide numbers, and fuzzed (mutated) talk and section files."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lecturegen.compile.kinds import OUTLINE_KINDS
from lecturegen.diagnostics import Diagnostics
from lecturegen.sources.outline import load_talk
from lecturegen.sources.specs import TalkSpec
from lecturegen.workspace import Workspace
from tests.conftest import MINI_BIB, MINI_SECTION, MINI_TALK, write_workspace


def load(root: Path) -> tuple[TalkSpec | None, list[str]]:
    diags = Diagnostics()
    talk = load_talk(Workspace(root), "small", diags, kinds=OUTLINE_KINDS)
    return talk, [d.render() for d in diags.sorted() if d.severity == "error"]


def test_a_slide_longer_than_the_whole_slot_is_an_error(tmp_path: Path) -> None:
    section = MINI_SECTION.replace("    notes: Let the number land.", "    notes: Let the number land.\n    minutes: 45")
    root = write_workspace(tmp_path, {"content/talks/small.yaml": MINI_TALK, "content/sections/intro.yaml": section})
    assert load(root)[1] == [
        "content/sections/intro.yaml:14:5: error: slide takes 45 min, more than the 10-minute slot [timing.slide]"]


def test_slot_priority_and_speaking_rate_have_upper_bounds(tmp_path: Path) -> None:
    talk = MINI_TALK.replace("slot: 10", "slot: 20000") + "speaking_rate: 100000\n"
    section = MINI_SECTION.replace("    notes: Let the number land.", "    notes: Let the number land.\n"
                                                                       "    priority: 1" + "0" * 400)
    root = write_workspace(tmp_path, {"content/talks/small.yaml": talk, "content/sections/intro.yaml": section})
    assert load(root)[1] == [
        "content/sections/intro.yaml:20:15: error: 'priority' must be at most 1,000, got 100000000000000000000000… "
        "(401 characters) [yaml.range]",
        "content/talks/small.yaml:5:7: error: 'slot' must be at most 10,080, got 20000 [yaml.range]",
        "content/talks/small.yaml:12:16: error: 'speaking_rate' must be at most 400, got 100000 [yaml.range]",
    ]


def test_slides_are_capped_by_the_slot_and_in_all(tmp_path: Path) -> None:
    slides = "title: Many\nslides:\n" + "".join(f"  - {{kind: bullets, title: S{i}, bullets: [b]}}\n" for i in range(101))
    root = write_workspace(tmp_path, {"content/talks/small.yaml": MINI_TALK, "content/sections/intro.yaml": slides})
    assert load(root)[1] == [
        "content/talks/small.yaml:11:3: error: talk has 101 slides (the limit is 100, 5 a minute of a 10-minute slot) "
        "[outline.too-large]"]
    week = MINI_TALK.replace("slot: 10", "slot: 10080").replace("  - use: intro\n", "  - use: intro\n  - use: more\n")
    root = write_workspace(tmp_path / "b", {"content/talks/small.yaml": week,
                                            "content/sections/intro.yaml": slides,
                                            "content/sections/more.yaml": "title: More\nslides:\n" + "".join(
                                                f"  - {{kind: bullets, title: T{i}, bullets: [b]}}\n"
                                                for i in range(900))})
    assert load(root)[1] == [
        "content/talks/small.yaml:11:3: error: talk has 1,001 slides (the limit is 1,000) [outline.too-large]"]


def test_a_section_that_is_a_folder_says_so(tmp_path: Path) -> None:
    root = write_workspace(tmp_path, {"content/talks/small.yaml": MINI_TALK})
    (root / "content" / "sections" / "intro.yaml").mkdir()
    assert load(root)[1] == [
        "content/talks/small.yaml:11:10: error: section 'content/sections/intro.yaml' is a folder, not a file "
        "[path.not-a-file]"]


# -- fuzzing: mutated valid files end in a talk or in located errors, never an exception ------------------------

TOKENS = ["- ", ": ", "{", "}", "[", "]", "&a ", "*a", "!!float ", "!!python/object:os.system ", "<<: *a", "\t",
          "\x00", ".inf", "1e999", "1" + "0" * 400, "'", '"', "{{ x }}", "{% for %}", "\n", "\n  - ", "kind: chart",
          "chart: {type: bar, data: ../../etc/passwd}", "image: /etc/passwd", "? ", "|", ">", "#", "\ufeff", "\u202e",
          "minutes: .nan", "priority: -.inf", "slot: 1.0e+999", "---\n", "...\n", "%YAML 1.1\n", "use: ../x"]


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "duplicate-line", "swap-lines"]))
        if action == "insert":
            text = text[:at] + draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=4))) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 12)):]
        else:
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if action == "duplicate-line":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


@settings(max_examples=300, deadline=3000, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(MINI_TALK), mutated(MINI_SECTION), st.booleans())
def test_mutated_talk_and_section_files_end_in_specs_or_located_errors(talk: str, section: str,
                                                                       mutate_talk: bool) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        root = write_workspace(folder, {"bibliography.bib": MINI_BIB})
        (root / "content" / "talks" / "small.yaml").write_text(talk if mutate_talk else MINI_TALK, encoding="utf-8")
        (root / "content" / "sections" / "intro.yaml").write_text(section, encoding="utf-8")
        spec, errors = load(root)
    finally:
        shutil.rmtree(folder)
    if spec is None:
        assert errors, "a talk that does not load must say why"
    for line in errors:
        assert line.split(": error: ")[0].split(":")[0] in ("content/talks/small.yaml", "content/sections/intro.yaml")
        assert "\n" not in line
