"""Compile tests: the picture kinds (image, photo, image-text) — the image resolved in the workspace and its
alt text required, with located problems; picture, credit and text built; each placed on the slide."""

from __future__ import annotations

import textwrap
from pathlib import Path

from PIL import Image

from lecturegen.compile.kinds import KINDS, kind_role, reveals_lists
from lecturegen.compile.kinds.picture import PictureSpec
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.shapes import PictureShape, RectShape, TextShape
from lecturegen.sources.outline import COMMON_KEYS
from lecturegen.sources.yamlload import Ctx, Fields, compose_yaml
from lecturegen.workspace import Workspace
from tests.compile.kinds.kit import deck, inside, slides_of


def _parse(root: Path, kind: str, text: str) -> tuple[PictureSpec | None, list[str]]:
    (root / "content" / "images").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (800, 400), (15, 118, 110)).save(root / "content" / "images" / "room.png")
    diags = Diagnostics()
    node = compose_yaml(textwrap.dedent(text), "s.yaml", diags)
    assert node is not None
    ctx = Ctx("s.yaml", diags, dict(KINDS), Workspace(root))
    spec = KINDS[kind].parse(Fields(node, ctx, COMMON_KEYS | KINDS[kind].keys, f"{kind} slide"), node)
    assert spec is None or isinstance(spec, PictureSpec)
    return spec, [d.render() for d in diags.items]


def test_image_and_alt_are_required_and_problems_located(tmp_path: Path) -> None:
    _, problems = _parse(tmp_path, "image", "kind: image\nimage: room.png\n")
    assert problems == ["s.yaml:1:1: error: image slide is missing the required key 'alt' [yaml.missing-key]"]
    _, problems = _parse(tmp_path, "photo", "kind: photo\nimage: room.png\nalt: ' '\nposition: middle\n")
    assert problems[0] == "s.yaml:3:6: error: alt text may not be empty [outline.alt]"
    assert problems[1].startswith("s.yaml:4:11: error: 'position' must be one of 'bottom', 'top', got 'middle'")
    _, problems = _parse(tmp_path, "image-text", "kind: image-text\nimage: room.png\nalt: A room\n"
                                                 "text: [a, b, c, d]\n")
    assert any(p.startswith("s.yaml:4:7: error: an image-text slide takes at most 3 short lines") for p in problems)


def test_the_spec_resolves_the_image(tmp_path: Path) -> None:
    spec, problems = _parse(tmp_path, "image-text", "kind: image-text\nimage: room.png\nalt: A quiet room\n"
                                                    "side: right\ntext: [Calm]\ncredit: Me\n")
    assert problems == [] and spec is not None and spec.image is not None
    assert spec.image.path == str(tmp_path / "content" / "images" / "room.png") and spec.image.display == "room.png"
    assert spec.side == "right" and spec.credit_required
    assert [t.text for t in spec.texts()] == ["A quiet room", "Calm"]  # the credit is not spell-checked


def test_entries() -> None:
    assert [kind_role(k) for k in ("image", "photo", "image-text")] == ["title-only", "title-only", "two-content"]
    assert reveals_lists("image-text") and not reveals_lists("image")
    assert KINDS["image"].minimum_minutes == 0.75


def test_built_and_placed(tmp_path: Path) -> None:
    images = tmp_path / "ws" / "content" / "images"
    images.mkdir(parents=True)
    Image.new("RGB", (1600, 900), (15, 118, 110)).save(images / "room.png")
    (images / "room.yaml").write_text("credit: Photo by A. Person\nlicence: CC BY 4.0\n", encoding="utf-8")
    built, _ = deck(tmp_path, """\
        - kind: image
          title: A room
          image: room.png
          alt: A quiet counselling room with two chairs
          caption: Where it happens
        - kind: photo
          title: Together
          image: room.png
          alt: A quiet counselling room with two chairs
          position: top
        - kind: image-text
          title: Beside
          image: room.png
          alt: A quiet counselling room with two chairs
          side: right
          text: [Calm, Unhurried]
        """)
    image, photo, beside = slides_of(built, "image")[0], slides_of(built, "photo")[0], slides_of(built, "image-text")[0]
    assert "".join(r.text for r in image.caption).startswith("Where it happens  Photo by A. Person")
    picture = next(s for s in image.shapes if isinstance(s, PictureShape))
    assert inside(picture, built)
    assert photo.badge == "top" and photo.picture is not None and photo.picture.credit.startswith("Photo by")
    scrim = next(s for s in photo.shapes if isinstance(s, RectShape) and s.name == "Scrim")
    assert scrim.box.y == 0  # the title band at the top
    assert beside.badge == "right" and [p.style for p in beside.body] == ["body", "body"]
    shown = next(s for s in beside.shapes if isinstance(s, PictureShape))
    text = next(s for s in beside.shapes if isinstance(s, TextShape) and s.name == "Content")
    assert inside(shown, built) and inside(text, built) and text.box.right <= shown.box.x  # picture on the right
