"""Compile layer: a chart's alt text, generated from the data itself — kind, what is compared, every value
(or the range and extremes), axis limits, reference lines, emphasis, note and source."""

from __future__ import annotations

import math

from lecturegen.model.chart import Chart
from lecturegen.model.chart_text import LENGTH_KINDS, format_value
from lecturegen.model.text import Run, runs_text


# Beyond this many values alt text gives the range and extremes instead of every value; a chart that writes
# its values on the picture lists them all (up to MAX_LABELLED_VALUES), so a label the renderer has to drop
# for lack of room is still in the alt text.
MAX_LISTED_VALUES = 12


MAX_LABELLED_VALUES = 40


# Length carries the value in these kinds: their value axis starts at zero unless the spec says otherwise.
MAX_LISTED_EVENTS = 30


_KIND_PHRASE = {
    "bar": "Bar chart",
    "grouped-bar": "Grouped bar chart",
    "dot": "Dot plot",
    "slope": "Slope chart",
    "line": "Line chart",
    "stacked": "Stacked bar chart",
    "pie": "Donut chart",
    "timeline": "Timeline",
    "research-timeline": "Timeline",
    "waffle": "Waffle chart",
}


def chart_alt_text(chart: Chart, title: str, x_name: str, source: tuple[Run, ...]) -> str:
    """Alt text from the data itself: what kind of chart, what it compares, the values, the source."""
    base, axis = chart.base, chart.axis
    fmt = base.format
    kind = _KIND_PHRASE.get(chart.type, "Chart")
    if chart.type in ("bar", "stacked") and chart.horizontal and len(chart.categories) > 1:
        kind = "Horizontal " + kind[0].lower() + kind[1:]
    parts = [f"{kind}: {title.rstrip('.')}."] if title else [f"{kind}."]
    if chart.illustrative:
        parts.insert(0, "Illustrative data, not from a study.")
    if chart.type == "timeline":
        events = [f"{c}: {t}" if t else c for c, t in zip(chart.categories, chart.labels or chart.categories)]
        shown = events[:MAX_LISTED_EVENTS]
        more = f"; and {len(events) - len(shown)} more" if len(events) > len(shown) else ""
        parts.append(f"{chart.categories[0]} to {chart.categories[-1]}: " + "; ".join(shown) + more)
        parts[-1] = parts[-1].rstrip(".") + "."
    elif chart.type == "waffle":
        counts, totals = chart.series[0].values, chart.series[1].values
        items = [
            f"{c}: {int(n)} of {int(t)} {chart.series[0].name.lower()}" if c != title else f"{int(n)} of {int(t)} {chart.series[0].name.lower()}"
            for c, n, t in zip(chart.categories, counts, totals)
        ]
        parts.append("; ".join(items) + ".")
    else:
        parts.append(_values_text(chart, x_name, fmt))
        lo, hi = axis.y_min, axis.y_max
        if lo is None and hi is not None and chart.type in LENGTH_KINDS and not axis.log:
            lo = min(0.0, *(v for s in chart.series for v in s.values if not math.isnan(v)))
        if lo is not None and hi is not None:
            parts.append(f"Value axis from {format_value(lo, fmt)} to {format_value(hi, fmt)}.")
        elif lo is not None:
            parts.append(f"Value axis starts at {format_value(lo, fmt)}.")
        elif hi is not None:
            parts.append(f"Value axis ends at {format_value(hi, fmt)}.")
        if axis.log:
            parts.append("Log scale.")
        for ref in axis.references:
            parts.append(f"Reference line at {format_value(ref.value, fmt)}{' (' + ref.label + ')' if ref.label else ''}.")
        if base.highlight:
            parts.append(f"Highlighted: {', '.join(base.highlight)}.")
        if base.mute:
            parts.append(f"Greyed out: {', '.join(base.mute)}.")
    if base.note:
        parts.append(base.note.rstrip(".") + ".")
    if base.reveal != "none":
        parts.append("Built one " + ("series" if base.reveal == "series" else "category") + " per click.")
    src = runs_text(source).strip()
    if src:
        parts.append(src if src.endswith(".") else src + ".")
    return " ".join(parts)


def _values_text(chart: Chart, x_name: str, fmt: str | None) -> str:
    labels = chart.labels or ("",) * len(chart.categories)
    single_stack = chart.type == "stacked" and len(chart.categories) == 1
    if single_stack:
        pairs = [(s.name, s.values[0], "") for s in chart.series]
        total = sum(v for _, v, _ in pairs if not math.isnan(v))
        head = f"{chart.categories[0]}, total {format_value(total, fmt)}: "
        return head + "; ".join(f"{n} {format_value(v, fmt)}" for n, v, _ in pairs) + "."
    points = sum(len(s.values) for s in chart.series)
    by = f" by {x_name.lower()}" if x_name else ""
    listed = MAX_LABELLED_VALUES if chart.base.value_labels else MAX_LISTED_VALUES
    if points > listed:
        out = []
        for s in chart.series:
            vals = [(v, c) for v, c in zip(s.values, chart.categories) if not math.isnan(v)]
            if not vals:
                continue
            lo_v, lo_c = min(vals)
            hi_v, hi_c = max(vals)
            name = f"{s.name}{by}," if len(chart.series) == 1 else f"{s.name}:"
            out.append(
                f"{name} {len(vals)} values from {format_value(lo_v, fmt)} ({lo_c}) "
                f"to {format_value(hi_v, fmt)} ({hi_c})"
            )
        return "; ".join(out) + "."
    if len(chart.series) == 1:
        s = chart.series[0]
        items = []
        for i, (c, v) in enumerate(zip(chart.categories, s.values)):
            text = f"{c} {format_value(v, fmt)}"
            if s.errors_low is not None and s.errors_high is not None:
                text += f" ({format_value(s.errors_low[i], fmt)} to {format_value(s.errors_high[i], fmt)})"
            if labels[i]:
                text += f", {labels[i]}"
            items.append(text)
        return f"{s.name}{by}: " + "; ".join(items) + "."
    groups = []
    for i, c in enumerate(chart.categories):
        row = ", ".join(f"{s.name} {format_value(s.values[i], fmt)}" for s in chart.series)
        groups.append(f"{c}: {row}")
    head = chart.axis.y_title
    return (f"{head}{by}: " if head else "") + "; ".join(groups) + "."
