"""An icon as drawn geometry: paths of steps in the icon's own square, named in alt text."""

from __future__ import annotations

import dataclasses

import pytest

from lecturegen.model.icons import ICON_LICENCE, ICON_SET, Icon, IconPath, PathStep

SQUARE = IconPath((PathStep("M", ((2, 2),)), PathStep("L", ((22, 2),)), PathStep("L", ((22, 22),)),
                   PathStep("Z")))


@pytest.mark.parametrize(("name", "described"), [("heart", "Icon: heart"), ("arrow-right", "Icon: arrow right"),
                                                 ("message-circle-more", "Icon: message circle more")])
def test_alt_text_names_the_icon_in_words(name: str, described: str) -> None:
    assert Icon(name, (SQUARE,)).describe() == described


def test_an_icon_is_a_lucide_stroke_drawing_by_default() -> None:
    icon = Icon("square", (SQUARE,))
    assert (icon.size, icon.stroke) == (24.0, 2.0)
    assert not SQUARE.filled and SQUARE.steps[-1] == PathStep("Z", ())
    assert (ICON_SET, ICON_LICENCE) == ("Lucide", "ISC licence")  # the credit the deck prints


def test_icons_are_values_equal_by_their_geometry_and_never_changed() -> None:
    a = Icon("square", (SQUARE,))
    b = Icon("square", (IconPath(tuple(SQUARE.steps)),))
    assert a == b and hash(a) == hash(b)  # kept in sets and as cache keys
    assert a != Icon("square", (IconPath(SQUARE.steps, filled=True),))
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.name = "circle"  # type: ignore[misc]
