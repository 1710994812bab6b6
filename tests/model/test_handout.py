"""The handout model: a worksheet's items as renderers print them."""

from __future__ import annotations

from lecturegen.model.handout import Prompt, Rating, TickBox, Worksheet
from lecturegen.model.text import Run


def _r(text: str) -> tuple[Run, ...]:
    return (Run(text),)


def test_each_run_of_ratings_prints_as_one_grid() -> None:
    sheet = Worksheet(_r("Check"), (Rating(_r("a")), Rating(_r("b")), TickBox(_r("c")), Rating(_r("d")),
                                    Prompt(_r("e"), 3)))
    printed = sheet.printed()
    assert [type(p).__name__ for p in printed] == ["tuple", "TickBox", "tuple", "Prompt"]
    assert [r.runs[0].text for r in printed[0]] == ["a", "b"]
    assert [r.runs[0].text for r in printed[2]] == ["d"]


def test_a_worksheet_without_ratings_prints_its_items_in_order() -> None:
    items = (TickBox(_r("x")), Prompt(_r("y"), 2))
    assert Worksheet(_r("Map"), items).printed() == list(items)
