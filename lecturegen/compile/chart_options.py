"""Compile layer: a chart's typed options, the annotations of its highlighted element (interval, p), and
what a renderer cannot draw, said as located warnings where the outline asks for it."""

from __future__ import annotations

import dataclasses
import math
from typing import Sequence

from lecturegen.diagnostics import Diagnostics, quote_choices
from lecturegen.model.chart import AXIS_TYPES, ChartBase, ChartOptions, PieOptions, ValueAxis
from lecturegen.model.chart_text import format_value
from lecturegen.sources.charts import ChartSpec
from lecturegen.sources.data import DataColumn, Dataset


def default_format(values: Sequence[float], column: DataColumn | None) -> str:
    """A format that shows the data as published: no invented precision, no lost digits."""
    finite = [v for v in values if not math.isnan(v)]
    if column is not None and column.type == "year":
        return "d"
    if (column is not None and column.type == "integer") or all(float(v).is_integer() for v in finite):
        return "int"
    digits = 1
    for v in finite:
        for d in (1, 2, 3, 4):
            if round(v, d) == v:
                digits = max(digits, d)
                break
        else:
            digits = 4
    if all(abs(v) <= 1 for v in finite):
        return "r3" if digits >= 3 else "r"
    return f",.{min(digits, 3)}f"


def _nums(col: DataColumn) -> list[float]:
    return [float("nan") if v is None else float(v) for v in col.values]


PICTURE_REVEALS = frozenset({"bar", "grouped-bar", "stacked", "dot", "line", "slope"})  # one picture per step


def fallbacks(spec: ChartSpec, options: ChartOptions, categories: int, diags: Diagnostics) -> ChartOptions:
    """What a renderer cannot draw, said at the key that asks for it: a reveal of a picture chart of a kind
    that is not drawn step by step (shown whole), a reference line a native chart cannot draw (left out)."""
    if spec.reveal != "none" and not spec.native and (spec.type not in PICTURE_REVEALS or categories < 2 and
                                                      spec.type == "stacked"):
        diags.warning(f"a '{spec.type}' chart drawn as a picture is not built step by step; it is shown whole",
                      "chart.fallback", spec.at("reveal"),
                      hint=f"pictures are built step by step for {quote_choices(sorted(PICTURE_REVEALS))} charts")
        options = dataclasses.replace(options, base=dataclasses.replace(options.base, reveal="none"))
    horizontal = spec.orientation == "horizontal" or (spec.type == "stacked" and categories < 2)
    if spec.native and spec.reference and (horizontal or spec.type == "pie"):
        diags.warning("a native PowerPoint chart draws reference lines across columns and lines only; this one "
                      "is left out of the slide (the handout and the alt text keep it)", "chart.fallback",
                      spec.at("reference"), hint="drop 'native: true' to draw the chart as a picture with the line")
    return options


def axis_options(kind: str, base: ChartBase, axis: ValueAxis) -> ChartOptions:
    """The typed options of a chart with categories: one record per chart type (a pie has no value axis)."""
    return PieOptions(base) if kind == "pie" else AXIS_TYPES[kind](base, axis)


def p_text(value: object) -> str:
    """A p-value as APA writes it: "p = .010", "p < .001"; published text ("< .001", ".05") kept as written."""
    if isinstance(value, (int, float)):
        p = float(value)
        if math.isnan(p):
            return ""
        return "p < .001" if p < 0.001 else "p = " + format_value(p, "r3")
    text = str(value or "").strip()
    if not text:
        return ""
    try:
        return p_text(float(text))  # "0.004" in a text column: written as APA writes it
    except ValueError:
        pass
    if text[:1] in "<>=≤≥":
        return f"p {text}"
    return text if text.lower().startswith("p") else f"p = {text}"


def annotated(spec: ChartSpec, ds: Dataset, categories: list[str], labels: list[str], series_count: int,
               diags: Diagnostics) -> list[str]:
    """Each value's label with its interval ("[.60, .78]") and p-value where the data has columns for them, on
    the highlighted elements (on every element when nothing is highlighted)."""
    pcol = ds.column(spec.p) if spec.p else None
    low, high = (ds.column(spec.low) if spec.low else None), (ds.column(spec.high) if spec.high else None)
    if pcol is None and (low is None or high is None):
        return labels
    if series_count != 1:
        diags.warning("interval and p annotations are written beside a chart of one series only; here they are "
                      "left out (the intervals are still drawn)", "chart.annotation", spec.at("p" if pcol else "low"))
        return labels
    fmt = spec.format or default_format([v for v in _nums(low) if not math.isnan(v)] if low else [], low)
    out = list(labels) or [""] * len(categories)
    for i, category in enumerate(categories):
        if spec.highlight and category not in spec.highlight:
            continue
        parts = [out[i]] if out[i] else []
        lo, hi = (low.values[i], high.values[i]) if low is not None and high is not None else (None, None)
        if isinstance(lo, (int, float)) and isinstance(hi, (int, float)):
            parts.append(f"[{format_value(float(lo), fmt)}, {format_value(float(hi), fmt)}]")
        if pcol is not None and p_text(pcol.values[i]):
            parts.append(p_text(pcol.values[i]))
        out[i] = "\u2002".join(parts)
    return out
