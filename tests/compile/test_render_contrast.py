"""Word contrast from three renderings: as it is, text blanked, text vivid."""

from __future__ import annotations

from lecturegen.compile.render_contrast import RenderedContrast, word_contrasts


def page(text: tuple[int, int, int], ground: tuple[int, int, int]) -> RenderedContrast:
    """A 20×10 page: a 'glyph' in the middle 4×4 pixels, the word's box around it."""
    width, height = 20, 10
    as_is, blank, vivid = bytearray(), bytearray(), bytearray()
    for y in range(height):
        for x in range(width):
            glyph = 8 <= x < 12 and 3 <= y < 7
            blank += bytes(ground)
            as_is += bytes(text if glyph else ground)
            vivid += bytes((255, 0, 255) if glyph else ground)
    return RenderedContrast(width, height, bytes(as_is), bytes(blank), bytes(vivid),
                            (("word", 5.0, 1.0, 15.0, 9.0),), 1.0)


def test_black_on_white_is_21_and_grey_on_grey_is_low() -> None:
    assert word_contrasts(page((0, 0, 0), (255, 255, 255)))[0][2] == 21.0
    assert word_contrasts(page((120, 120, 120), (140, 140, 140)))[0][2] < 1.5


def test_a_word_whose_glyphs_cannot_be_found_is_not_measured() -> None:
    empty = page((0, 0, 0), (255, 255, 255))
    unseen = RenderedContrast(empty.width, empty.height, empty.as_is, empty.blank, empty.blank, empty.words, 1.0)
    assert word_contrasts(unseen) == []
