"""Shapes of the deck model: how their measures are said."""


def test_resolutions_are_never_said_to_be_0_dpi() -> None:
    from lecturegen.model.shapes import dpi_text

    assert [dpi_text(v) for v in (0.0, 0.4, 0.99, 1.0, 96.4)] == ["under 1 dpi"] * 3 + ["1 dpi", "96 dpi"]
