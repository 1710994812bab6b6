"""Load layer: every file a talk's slides need besides the outline — datasets and images — read up front.

The compiler never opens a file: it gets these as data, keyed as the slide specs name them.
"""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import Iterator

from lecturegen.diagnostics import Diagnostics
from lecturegen.model.shapes import Media
from lecturegen.records import record
from lecturegen.sources.audiences import AudienceSpec
from lecturegen.sources.charts import ChartSpec
from lecturegen.sources.data import Dataset, load_dataset
from lecturegen.sources.images import MAX_DPI, credit_line, load_image, load_image_meta
from lecturegen.sources.specs import ShowsChart, ShowsImage, SlideSpec, TalkSpec
from lecturegen.workspace import Workspace


@record(frozen=False)
class SlideInputs:
    datasets: dict[str, Dataset] = field(default_factory=dict)
    images: dict[str, Media] = field(default_factory=dict)  # absolute path → media
    credits: dict[str, str] = field(default_factory=dict)  # absolute path → "credit · licence" (sidecar)


def slide_pixels(width_emu: int, height_emu: int) -> tuple[int, int]:
    """A slide's size in pixels at the sharpest resolution pictures are kept at."""
    return (max(1, round(width_emu / 914400 * MAX_DPI)), max(1, round(height_emu / 914400 * MAX_DPI)))


def slide_chart(spec: SlideSpec) -> ChartSpec | None:
    """The chart a slide shows: its kind's own spec's (a chart or a finding)."""
    return spec.content.chart if isinstance(spec.content, ShowsChart) else None


def all_slide_specs(talk: TalkSpec, audience: AudienceSpec | None) -> Iterator[SlideSpec]:
    for section in talk.sections:
        yield from section.slides
    if audience is not None:
        for insertion in audience.insertions:
            yield from insertion.slides


def load_slide_inputs(workspace: Workspace, talk: TalkSpec, audience: AudienceSpec | None,
                      diags: Diagnostics, slide_pixels: tuple[int, int] | None = None) -> SlideInputs:
    """Datasets and images the slides use, each read once however many slides use it.

    `slide_pixels` is the slide at the sharpest resolution kept (`images.MAX_DPI`): pictures are scaled down
    to cover it, never more."""
    inputs = SlideInputs()
    failed: set[str] = set()
    for spec in all_slide_specs(talk, audience):
        chart = slide_chart(spec)
        if chart is not None and chart.data is not None and chart.data not in inputs.datasets \
                and chart.data not in failed:
            dataset = load_dataset(workspace.root, chart.data, diags, chart.at("data"))
            if dataset is None:
                failed.add(chart.data)
            else:
                inputs.datasets[chart.data] = dataset
        shown = spec.content if isinstance(spec.content, ShowsImage) else None
        image = shown.image if shown is not None else None
        path = image.path if image is not None else None
        if image is not None and path and path not in inputs.images and path not in failed:
            media = load_image(Path(path), image.display or path, diags, image.location, slide_pixels)
            if media is None:
                failed.add(path)
                continue
            inputs.images[path] = media
            display = image.display or path
            meta = load_image_meta(Path(path), workspace.display(Path(path)), diags)
            inputs.credits[path] = credit_line(meta)
            if meta is None and shown is not None and shown.credit_required:
                diags.warning(f"image '{display}' has no sidecar with its credit and licence "
                              f"({Path(display).stem}.yaml beside it)", "image.no-credit", image.location,
                              hint="write credit: and licence: there, as for datasets; images are never invented")
    return inputs
