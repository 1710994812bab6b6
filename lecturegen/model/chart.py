"""Model layer: a chart bound to its data — everything a renderer needs, nothing it must look up."""

from __future__ import annotations

from dataclasses import field
from typing import Any

from lecturegen.model.text import Run
from lecturegen.records import record

# Values (categories × series) a chart drawn as a picture shows in full: matplotlib takes ~12 ms a labelled value.
# The loader refuses more for a picture chart (sources/charts.py); a handout prints a native chart past it plain.
MAX_PICTURE_VALUES = 200


@record
class ChartSeries:
    name: str
    values: tuple[float, ...]
    errors_low: tuple[float, ...] | None = None  # interval ends (absolute), for dot plots
    errors_high: tuple[float, ...] | None = None


@record
class Chart:
    """A chart bound to its data: everything a renderer needs, nothing it must look up."""

    type: str  # bar | grouped-bar | dot | line | stacked | timeline | waffle | pie
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    alt: str
    source: tuple[Run, ...]  # "Source: Di Malta et al. (2023)"
    options: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)
    native: bool = False
    illustrative: bool = False
    # Text labels per category (e.g. timeline events); optional.
    labels: tuple[str, ...] = ()
