"""Render tests print handouts in the theme fonts' embeddable twins, as the handout command registers them."""

from __future__ import annotations

import pytest

from lecturegen.render.handout_fonts import register_faces
from lecturegen.sources.fonts import print_faces


@pytest.fixture(autouse=True, scope="session")
def _print_faces() -> None:
    register_faces(f for f in map(print_faces, ("Calibri", "Cambria", "Arial", "Georgia", "Times New Roman")) if f)
