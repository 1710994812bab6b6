"""Tests for sources/inputs.py: the datasets and images a talk's slides use, read up front and once each."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Callable

import pytest
from PIL import Image

import lecturegen.sources.inputs as inputs_module
from lecturegen.compile.kinds import OUTLINE_KINDS
from lecturegen.diagnostics import Diagnostics
from lecturegen.sources.audiences import AudienceSpec, load_audience
from lecturegen.sources.inputs import SlideInputs, all_slide_specs, load_slide_inputs, slide_pixels
from lecturegen.sources.outline import load_talk
from lecturegen.sources.specs import TalkSpec
from lecturegen.workspace import Workspace
from tests.conftest import MINI_BIB, MINI_TALK, write_workspace

CSV = "sample,alpha\nTherapists,0.85\nClients,0.93\n"
SIDECAR = "title: Reliability\nsource: cooper2005\ncolumns:\n  sample: text\n  alpha: number\n"

SECTION = """\
title: Introduction
slides:
  - kind: chart
    id: first-chart
    title: Reliability
    chart: {type: bar, data: rel, x: sample, y: alpha}
  - kind: chart
    title: Reliability again
    chart: {type: bar, data: rel, x: sample, y: alpha}
  - kind: photo
    title: Two chairs
    image: chairs.png
    alt: Two chairs facing each other
  - kind: image
    title: The same chairs
    image: chairs.png
    alt: Two chairs facing each other
  - kind: photo
    title: A room
    image: room.png
    alt: An empty room
  - kind: image
    title: A plan
    image: plan.png
    alt: A floor plan
"""

AUDIENCE = """\
title: Researchers
insert:
  - after: first-chart
    slides:
      - kind: chart
        title: Another dataset
        chart: {type: bar, data: other, x: sample, y: alpha}
"""


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def workspace(root: Path, section: str = SECTION) -> Path:
    ws = write_workspace(root, {
        "bibliography.bib": MINI_BIB,
        "content/talks/small.yaml": MINI_TALK.replace("slot: 10", "slot: 30"),
        "content/sections/intro.yaml": section,
        "content/data/rel.csv": CSV,
        "content/data/rel.yaml": SIDECAR,
        "content/data/other.csv": CSV,
        "content/data/other.yaml": SIDECAR,
        "content/images/chairs.yaml": "credit: A. Photographer\nlicence: CC BY 4.0\n",
        "content/audiences/researchers.yaml": AUDIENCE,
    })
    for name in ("chairs", "room", "plan"):
        (ws / "content" / "images" / f"{name}.png").write_bytes(png(40, 30))
    return ws


def talk_of(root: Path) -> TalkSpec:
    diags = Diagnostics()
    talk = load_talk(Workspace(root), "small", diags, kinds=OUTLINE_KINDS)
    assert talk is not None, [d.render() for d in diags.errors]
    return talk


def audience_of(root: Path) -> AudienceSpec:
    diags = Diagnostics()
    audience = load_audience(Workspace(root), "researchers", diags, kinds=OUTLINE_KINDS)
    assert audience is not None, [d.render() for d in diags.errors]
    return audience


def counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[str]:
    """Wraps one of the readers inputs.py calls, recording the name or path of each call."""
    calls: list[str] = []
    original: Callable[..., Any] = getattr(inputs_module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(str(args[1] if name == "load_dataset" else args[0]))
        return original(*args, **kwargs)

    monkeypatch.setattr(inputs_module, name, wrapper)
    return calls


def rendered(diags: Diagnostics) -> list[str]:
    return [d.render() for d in diags.sorted()]


# -- slide_pixels ----------------------------------------------------------------------------------------

def test_slide_pixels_are_the_slide_at_the_sharpest_resolution_kept() -> None:
    assert slide_pixels(12192000, 6858000) == (4000, 2250)  # 13.333 × 7.5 in at 300 dpi
    assert slide_pixels(9144000, 6858000) == (3000, 2250)  # 4:3
    assert slide_pixels(1, 1) == (1, 1)  # never zero pixels


# -- all_slide_specs -------------------------------------------------------------------------------------

def test_all_slide_specs_are_the_sections_then_the_audiences_insertions(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    talk = talk_of(root)
    titles = [s.title.text for s in all_slide_specs(talk, None) if s.title]
    assert titles == ["Reliability", "Reliability again", "Two chairs", "The same chairs", "A room", "A plan"]
    with_audience = [s.title.text for s in all_slide_specs(talk, audience_of(root)) if s.title]
    assert with_audience == titles + ["Another dataset"]


# -- load_slide_inputs -----------------------------------------------------------------------------------

def test_each_dataset_and_image_is_read_once_however_many_slides_use_it(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    root = workspace(tmp_path)
    datasets = counting(monkeypatch, "load_dataset")
    images = counting(monkeypatch, "load_image")
    diags = Diagnostics()
    inputs = load_slide_inputs(Workspace(root), talk_of(root), audience_of(root), diags)
    assert datasets == ["rel", "other"]
    folder = root / "content" / "images"
    assert sorted(images) == sorted(str(folder / f"{n}.png") for n in ("chairs", "room", "plan"))
    assert sorted(inputs.datasets) == ["other", "rel"]
    assert inputs.datasets["rel"].name == "rel"
    assert set(inputs.images) == {str(folder / f"{n}.png") for n in ("chairs", "room", "plan")}
    assert {m.width_px for m in inputs.images.values()} == {40}


def test_an_audiences_dataset_is_read_only_for_that_audience(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    inputs = load_slide_inputs(Workspace(root), talk_of(root), None, Diagnostics())
    assert list(inputs.datasets) == ["rel"]


def test_credits_come_from_the_sidecar_and_a_photo_without_one_is_warned_of(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    diags = Diagnostics()
    inputs = load_slide_inputs(Workspace(root), talk_of(root), None, diags)
    folder = root / "content" / "images"
    assert inputs.credits == {str(folder / "chairs.png"): "A. Photographer · CC BY 4.0",
                              str(folder / "room.png"): "", str(folder / "plan.png"): ""}
    # The photo of the room has no sidecar; the plan is a plain image, which needs none.
    assert rendered(diags) == [
        "content/sections/intro.yaml:20:12: warning: image 'room.png' has no sidecar with its credit and licence "
        "(room.yaml beside it) (write credit: and licence: there, as for datasets; images are never invented) "
        "[image.no-credit]"]


def test_a_missing_dataset_is_one_located_error_however_many_slides_use_it(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    root = workspace(tmp_path, SECTION.replace("data: rel", "data: gone"))
    datasets = counting(monkeypatch, "load_dataset")
    diags = Diagnostics()
    inputs = load_slide_inputs(Workspace(root), talk_of(root), None, diags)
    assert datasets == ["gone"]
    assert inputs.datasets == {}
    errors = [d.render() for d in diags.errors]
    assert errors == ["content/sections/intro.yaml:6:30: error: unknown dataset 'gone' (datasets: 'other', 'rel') "
                      "[data.unknown]"]


def test_a_broken_image_is_one_located_error_and_has_no_credit(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = workspace(tmp_path)
    (root / "content" / "images" / "chairs.png").write_bytes(b"not a picture at all")
    images = counting(monkeypatch, "load_image")
    diags = Diagnostics()
    inputs = load_slide_inputs(Workspace(root), talk_of(root), None, diags)
    chairs = str(root / "content" / "images" / "chairs.png")
    assert images.count(chairs) == 1
    assert chairs not in inputs.images and chairs not in inputs.credits
    assert [d.render() for d in diags.errors] == [
        "content/sections/intro.yaml:12:12: error: 'chairs.png' is not an image PowerPoint can show "
        "(PNG, JPEG, GIF) [image.invalid]"]


def test_a_picture_larger_than_the_slide_needs_is_scaled_to_cover_it(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    (root / "content" / "images" / "plan.png").write_bytes(png(800, 400))
    talk = talk_of(root)
    plan = str(root / "content" / "images" / "plan.png")
    kept = load_slide_inputs(Workspace(root), talk, None, Diagnostics())
    assert (kept.images[plan].width_px, kept.images[plan].height_px) == (800, 400)
    scaled = load_slide_inputs(Workspace(root), talk, None, Diagnostics(), slide_pixels=(200, 50))
    assert (scaled.images[plan].width_px, scaled.images[plan].height_px) == (200, 100)
    assert scaled.images[plan].digest != kept.images[plan].digest


def test_slide_inputs_start_empty_and_are_not_shared() -> None:
    first, second = SlideInputs(), SlideInputs()
    first.credits["x"] = "y"
    assert second.credits == {} and second.datasets == {} and second.images == {}
