"""Compile tests: the question kind — keys, spec, the title it becomes, and where question and prompt stand."""

from __future__ import annotations

from pathlib import Path

from lecturegen.compile.kinds import kind_role
from lecturegen.compile.kinds.question import QuestionSpec
from lecturegen.model.shapes import TextShape
from tests.compile.kinds.kit import deck, inside, parse, slides_of


def test_the_question_is_required_and_located() -> None:
    spec, problems = parse("question", "kind: question\nprompt: Think\n")
    assert spec is None
    assert problems == ["s.yaml:1:1: error: question slide is missing the required key 'question' "
                        "[yaml.missing-key]"]
    spec, problems = parse("question", "kind: question\nquestion: Why?\nprompt: Think\n")
    assert problems == [] and isinstance(spec, QuestionSpec) and [t.text for t in spec.texts()] == ["Why?", "Think"]


def test_the_question_becomes_the_title_and_stands_above_its_prompt(tmp_path: Path) -> None:
    built, _ = deck(tmp_path, """\
        - kind: question
          title: Ignored for the question
          question: When did you last feel truly met?
          prompt: Take a minute on your own
        """)
    slide = slides_of(built, "question")[0]
    assert kind_role("question") == "title-only" and slide.layout == "title-only"
    assert "".join(r.text for r in slide.title) == "When did you last feel truly met?"
    title = next(s for s in slide.shapes if isinstance(s, TextShape) and s.role == "title")
    prompt = next(s for s in slide.shapes if isinstance(s, TextShape) and s.name == "Prompt")
    assert inside(title, built) and inside(prompt, built)
    assert title.box.bottom <= prompt.box.y and all(line.align == "ctr" for line in title.lines + prompt.lines)


def test_a_long_prompt_gets_the_room_it_needs_under_the_question(tmp_path: Path) -> None:
    prompt = " · ".join(["keeping busy", "intellectualising", "humour", "staying polite", "withdrawing",
                         "keeping it superficial", "changing the subject", "giving advice"] * 2)
    built, _ = deck(tmp_path, f"""\
        - kind: question
          question: Which of these do you recognise in yourself?
          prompt: "{prompt}"
        """)
    slide = slides_of(built, "question")[0]
    box = next(s for s in slide.shapes if isinstance(s, TextShape) and s.name == "Prompt")
    assert box.measured_height * 12700 <= box.insets.inner(box.box).cy and inside(box, built)
