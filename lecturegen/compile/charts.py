"""Compile layer: bind a ChartSpec to its dataset, giving a model Chart with generated alt text."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from lecturegen.model.chart_text import (
    LENGTH_KINDS,
    MINUS,
    NOT_REPORTED,
    FontMetrics,
    TimelinePlan,
    TimelineRow,
    format_value,
    plan_timeline,
    wrap_text,
)
from lecturegen.diagnostics import Diagnostics, Location, did_you_mean, quote_choices
from lecturegen.model.chart import (
    AXIS_TYPES,
    Chart,
    ChartBase,
    ChartOptions,
    ChartSeries,
    PieOptions,
    Reference,
    TimelineOptions,
    ValueAxis,
    WaffleOptions,
)
from lecturegen.model.text import Run
from lecturegen.sources.charts import ChartSpec
from lecturegen.sources.charts import check_chart_size as check_data_size
from lecturegen.sources.data import DataColumn, Dataset

CiteSource = Callable[[list[str], "Location | None"], tuple[Run, ...]]

MAX_WAFFLE_CELLS = 400
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


def bind_chart(
    spec: ChartSpec,
    datasets: Mapping[str, Dataset],
    diags: Diagnostics,
    cite_source: CiteSource,
    bibliography_years: Mapping[str, tuple[int, str]] | None = None,
) -> Chart | None:
    """Bind a chart to its dataset (loaded by the load layer); None (with diagnostics) when it cannot be drawn."""
    if spec.type == "research-timeline":
        return _research_timeline(spec, diags, bibliography_years)
    if spec.data is None:
        diags.error(f"a '{spec.type}' chart needs 'data'", "yaml.missing-key", spec.location)
        return None
    dataset = datasets.get(spec.data)
    if dataset is None:
        return None  # the loader has said why
    if not check_data_size(spec, dataset, diags):
        return None
    before = len(diags.errors)
    for key in ("x", "group", "low", "high", "label", "value", "p"):
        name = getattr(spec, key)
        if name is not None:
            _column(dataset, name, key, spec, diags)
    for name in spec.y:
        _column(dataset, name, "y", spec, diags)
    if spec.total is not None and not spec.total.isdigit():
        _column(dataset, spec.total, "total", spec, diags)
    if len(diags.errors) > before:
        return None
    source = cite_source(list(dataset.source), dataset.source_location) if dataset.source else ()
    if spec.type == "waffle":
        return _waffle(spec, dataset, diags, source)
    if spec.type == "timeline":
        return _timeline(spec, dataset, diags, source)
    return _categorical(spec, dataset, diags, source)


def _column(dataset: Dataset, name: str, key: str, spec: ChartSpec, diags: Diagnostics) -> DataColumn | None:
    col = dataset.column(name)
    if col is None:
        diags.error(
            f"dataset '{dataset.name}' has no column '{name}'",
            "chart.unknown-column",
            spec.at(key),
            hint=did_you_mean(name, dataset.names) or f"columns: {quote_choices(dataset.names)}",
        )
        return None
    numeric_keys = ("low", "high", "value", "total") + (("y",) if spec.type not in ("timeline",) else ())
    if key in numeric_keys and not col.numeric:
        diags.error(
            f"column '{name}' holds text, but '{key}' needs numbers",
            "chart.not-numeric",
            spec.at(key),
            hint=f"declare it as number or integer in content/data/{dataset.name}.yaml if it holds numbers",
        )
        return None
    return col


def _nums(col: DataColumn) -> list[float]:
    return [float("nan") if v is None else float(v) for v in col.values]


def _text(value: object, col: DataColumn) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and col.type != "number":
        return str(int(value))
    return str(value)


def _categorical(spec: ChartSpec, ds: Dataset, diags: Diagnostics, source: tuple[Run, ...]) -> Chart | None:
    """bar, grouped-bar, dot, line, stacked, pie: categories × series, long or wide data."""
    xcol = ds.column(spec.x or "")
    assert xcol is not None  # checked by the caller
    ycols = [c for c in (ds.column(n) for n in spec.y) if c is not None]
    low = ds.column(spec.low) if spec.low else None
    high = ds.column(spec.high) if spec.high else None
    labelcol = ds.column(spec.label) if spec.label else None
    row_x = [_text(v, xcol) for v in xcol.values]
    labels: list[str] = []

    if spec.group:
        gcol = ds.column(spec.group)
        assert gcol is not None
        if len(ycols) != 1:
            diags.error("'group' splits one 'y' column into series; give a single 'y'", "chart.group", spec.at("group"))
            return None
        categories = list(dict.fromkeys(row_x))
        names = list(dict.fromkeys(_text(v, gcol) for v in gcol.values))
        cells: dict[tuple[str, str], int] = {}
        for i, (x, g) in enumerate(zip(row_x, (_text(v, gcol) for v in gcol.values))):
            if (x, g) in cells:
                diags.error(
                    f"'{x}' appears twice for '{g}' in dataset '{ds.name}'",
                    "chart.duplicate",
                    Location(ds.location.path, ds.lines[i]),
                )
                return None
            cells[(x, g)] = i
        yv, lv, hv = _nums(ycols[0]), _nums(low) if low else None, _nums(high) if high else None

        def pick(vals: list[float] | None, g: str) -> tuple[float, ...] | None:
            if vals is None:
                return None
            return tuple(vals[cells[(c, g)]] if (c, g) in cells else float("nan") for c in categories)

        series = [ChartSeries(g, pick(yv, g) or (), pick(lv, g), pick(hv, g)) for g in names]
        if labelcol:
            labels = [_first_label(labelcol, row_x, c) for c in categories]
    else:
        categories = row_x
        if len(set(categories)) != len(categories):
            diags.warning(f"categories repeat in column '{xcol.name}'", "chart.duplicate", spec.at("x"))
        err_low = tuple(_nums(low)) if low else None
        err_high = tuple(_nums(high)) if high else None
        series = [ChartSeries(c.display, tuple(_nums(c)), err_low, err_high) for c in ycols]
        if labelcol:
            labels = [_text(v, labelcol) for v in labelcol.values]
        labels = _annotated(spec, ds, categories, labels, len(series), diags)

    if spec.sort != "none" and series:
        # Long data coloured by group has one value per category spread over the series.
        key_values = tuple(
            next((s.values[i] for s in series if not math.isnan(s.values[i])), float("nan"))
            for i in range(len(categories))
        )
        order = sorted(
            range(len(categories)),
            key=lambda i: (math.isnan(key_values[i]), key_values[i] if spec.sort == "ascending" else -key_values[i]),
        )
        categories = [categories[i] for i in order]
        labels = [labels[i] for i in order] if labels else labels
        series = [_reorder(s, order) for s in series]

    values = [v for s in series for v in s.values if not math.isnan(v)]
    if not values:
        diags.error(f"dataset '{ds.name}' has no values to plot", "data.empty", spec.at("y"))
        return None
    if spec.log and any(v <= 0 for v in values):
        diags.error("a log scale needs values above zero", "chart.log", spec.at("log"))
        return None
    if spec.type == "pie":
        if len(series) != 1 or any(math.isnan(v) or v < 0 for v in series[0].values):
            diags.error("a pie chart needs one series of values of zero or more", "chart.pie", spec.at("y"))
            return None

    ycol = ycols[0] if ycols else None
    fmt = spec.format or default_format(values, ycol if len(ycols) == 1 else None)
    y_min, axis_note = _value_axis_start(spec, fmt, diags)
    value_title = spec.y_title if spec.y_title is not None else (ycol.display if ycol and len(ycols) == 1 else "")
    x_title = spec.x_title or ""  # category labels usually speak for themselves
    kind = spec.type
    cats = tuple(categories)
    if kind == "stacked" and len(series) == 1:
        # One series stacked is a part-of-whole bar: each category becomes a segment.
        only = series[0]
        series = [ChartSeries(c, (v,)) for c, v in zip(categories, only.values)]
        cats = (only.name,)
    _check_names(spec, cats, series, diags)

    base = ChartBase(title=ds.title, highlight=spec.highlight, mute=spec.mute, note=spec.note or "", format=fmt,
                     value_labels=spec.value_labels, reveal=spec.reveal)
    axis = ValueAxis(orientation="horizontal" if kind == "dot" else spec.orientation,
                     references=tuple(Reference(r.value, r.label) for r in spec.reference), x_title=x_title,
                     y_title=value_title, y_min=y_min, y_max=spec.y_max, log=spec.log, axis_note=axis_note)
    options = _axis_options(kind, base, axis)
    options = _fallbacks(spec, options, len(cats), diags)
    chart = Chart(
        type=kind,
        categories=cats,
        series=tuple(series),
        alt="",
        source=source,
        options=options,
        native=spec.native,
        illustrative=ds.illustrative,
        labels=tuple(labels),
    )
    return _with_alt(chart, ds.title, xcol.display, source)


PICTURE_REVEALS = frozenset({"bar", "grouped-bar", "stacked", "dot", "line", "slope"})  # one picture per step


def _fallbacks(spec: ChartSpec, options: ChartOptions, categories: int, diags: Diagnostics) -> ChartOptions:
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


def _axis_options(kind: str, base: ChartBase, axis: ValueAxis) -> ChartOptions:
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


def _annotated(spec: ChartSpec, ds: Dataset, categories: list[str], labels: list[str], series_count: int,
               diags: Diagnostics) -> list[str]:
    """Each value's label with its interval ("[.60, .78]") and p-value where the data has columns for them, on
    the highlighted elements (on every element when nothing is highlighted)."""
    pcol = ds.column(spec.p) if spec.p else None
    low, high = (ds.column(spec.low) if spec.low else None), (ds.column(spec.high) if spec.high else None)
    if pcol is None and (low is None or high is None):
        return labels
    if series_count != 1:
        diags.warning("interval and p annotations are written beside a chart of one series only; here the "
                      "intervals are drawn and the values are in the alt text", "chart.annotation", spec.at("p" if pcol else "low"))
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


def _value_axis_start(spec: ChartSpec, fmt: str, diags: Diagnostics) -> tuple[float | None, str]:
    """Where the value axis starts, and what the chart must say about it.

    A bar's length is its value: a bar chart starts at zero unless `axis: truncated` says the cut is meant,
    and then the chart says so. Dot plots and lines carry the value by position and may start anywhere.
    """
    lo = spec.y_min
    cut = lo is not None and lo > 0 and not spec.log and spec.type in LENGTH_KINDS
    if spec.axis == "truncated" and not cut:
        diags.warning("'axis: truncated' has no effect here: only a bar chart whose 'y_min' is above zero is cut",
                      "chart.axis", spec.at("axis"))
    if not cut:
        return lo, ""
    assert lo is not None
    if spec.axis != "truncated":
        diags.warning(f"a bar chart's axis starts at zero: 'y_min: {lo:g}' would cut every bar short and "
                      "exaggerate the differences; drawn from zero", "chart.truncated-axis", spec.at("y_min"),
                      hint="add 'axis: truncated' to cut it on purpose (the chart then says so), or use a 'dot' chart")
        return None, ""
    return lo, f"Axis starts at {format_value(lo, fmt)}, not zero"


def _first_label(col: DataColumn, row_x: list[str], category: str) -> str:
    for x, v in zip(row_x, col.values):
        if x == category and v:
            return str(v)
    return ""


def _reorder(s: ChartSeries, order: list[int]) -> ChartSeries:
    def pick(vals: tuple[float, ...] | None) -> tuple[float, ...] | None:
        return None if vals is None else tuple(vals[i] for i in order)

    return ChartSeries(s.name, tuple(s.values[i] for i in order), pick(s.errors_low), pick(s.errors_high))


def _check_names(spec: ChartSpec, categories: tuple[str, ...], series: list[ChartSeries], diags: Diagnostics) -> None:
    known = list(categories) + [s.name for s in series]
    for key, names in (("highlight", spec.highlight), ("mute", spec.mute)):
        for name in names:
            if name not in known:
                diags.warning(
                    f"'{key}' names '{name}', which is neither a category nor a series of this chart",
                    "chart.unknown-category",
                    spec.at(key),
                    hint=did_you_mean(name, known) or f"choices: {quote_choices(known)}",
                )


def _waffle(spec: ChartSpec, ds: Dataset, diags: Diagnostics, source: tuple[Run, ...]) -> Chart | None:
    vcol = ds.column(spec.value or "")
    assert vcol is not None
    counts = _nums(vcol)
    if spec.total is None:
        totals = counts
    elif spec.total.isdigit():
        totals = [float(spec.total)] * len(counts)
    else:
        tcol = ds.column(spec.total)
        assert tcol is not None
        totals = _nums(tcol)
    xcol = ds.column(spec.x) if spec.x else None
    cats = tuple(_text(v, xcol) for v in xcol.values) if xcol else (ds.title,) * len(counts)
    for i, (n, total) in enumerate(zip(counts, totals)):
        where = Location(ds.location.path, ds.lines[i])
        if math.isnan(n) or math.isnan(total) or not n.is_integer() or not total.is_integer():
            diags.error("a waffle chart needs whole counts in 'value' and 'total'", "chart.waffle", where)
            return None
        if not 0 <= n <= total or total < 1:
            diags.error(f"count {n:g} is not between 0 and the total {total:g}", "chart.waffle", where)
            return None
        if total > MAX_WAFFLE_CELLS:
            diags.error(
                f"a waffle of {total:,.0f} squares is unreadable",
                "chart.waffle",
                where,
                hint=f"use a waffle up to {MAX_WAFFLE_CELLS} or a 'stacked' or 'pie' chart",
            )
            return None
    noun = vcol.display
    chart = Chart(
        type="waffle",
        categories=cats,
        series=(ChartSeries(noun, tuple(counts)), ChartSeries("total", tuple(totals))),
        alt="",
        source=source,
        options=WaffleOptions(ChartBase(title=ds.title, highlight=spec.highlight, mute=spec.mute,
                                        note=spec.note or "", format="int", value_labels=spec.value_labels,
                                        reveal=spec.reveal)),
        native=False,
        illustrative=ds.illustrative,
    )  # fmt: skip
    return _with_alt(chart, ds.title, "", source)


def _timeline(spec: ChartSpec, ds: Dataset, diags: Diagnostics, source: tuple[Run, ...]) -> Chart | None:
    xcol = ds.column(spec.x or "")
    assert xcol is not None
    if not xcol.numeric:
        diags.error(f"column '{xcol.name}' holds text, but a timeline's 'x' needs years", "chart.not-numeric", spec.at("x"))
        return None
    label_name = spec.label or (spec.y[0] if spec.y else None)
    lcol = ds.column(label_name) if label_name else None
    events = [
        (float(year), _text(lcol.values[i], lcol) if lcol else "", i)
        for i, year in enumerate(xcol.values)
        if year is not None
    ]
    if not events:
        diags.error(f"dataset '{ds.name}' has no years to plot", "data.empty", spec.at("x"))
        return None
    events.sort(key=lambda e: (e[0], e[2]))
    return _timeline_chart(spec, [(y, t) for y, t, _ in events], ds.title, source, ds.illustrative)


def _research_timeline(
    spec: ChartSpec, diags: Diagnostics, years: Mapping[str, tuple[int, str]] | None
) -> Chart | None:
    """A timeline of the works this talk cites: one point per year, authors as labels."""
    if not years:
        diags.error("a research timeline needs cited works with years; this talk cites none", "chart.no-works", spec.location)
        return None
    by_year: dict[int, list[str]] = {}
    for _key, (year, label) in sorted(years.items(), key=lambda kv: (kv[1][0], kv[1][1], kv[0])):
        names = by_year.setdefault(int(year), [])
        if label not in names:
            names.append(label)
    events = [(float(y), "; ".join(names)) for y, names in sorted(by_year.items())]
    return _timeline_chart(spec, events, "works cited in this talk", (), False)


def _timeline_chart(
    spec: ChartSpec, events: list[tuple[float, str]], title: str, source: tuple[Run, ...], illustrative: bool
) -> Chart:
    chart = Chart(
        type="timeline",
        categories=tuple(str(int(y)) for y, _ in events),
        series=(ChartSeries("year", tuple(y for y, _ in events)),),
        alt="",
        source=source,
        options=TimelineOptions(ChartBase(title=title, highlight=spec.highlight, mute=spec.mute, note=spec.note or "",
                                          format="d", value_labels=spec.value_labels, reveal=spec.reveal),
                                spec.orientation),
        native=False,
        illustrative=illustrative,
        labels=tuple(t for _, t in events),
    )  # fmt: skip
    return _with_alt(chart, title, "", source)


def _with_alt(chart: Chart, title: str, x_name: str, source: tuple[Run, ...]) -> Chart:
    from dataclasses import replace

    return replace(chart, alt=chart_alt_text(chart, title, x_name, source))


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
    src = "".join(r.text for r in source).strip()
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


def check_chart_fits(chart: Chart, width_in: float, height_in: float, font: FontMetrics, diags: Diagnostics,
                     location: Location | None, base_pt: float = 18.0, min_pt: float = 14.0) -> bool:
    """Whether the chart can be drawn legibly in its box; a located error (with a way out) when not.

    Only timelines can run out of room (every other kind shrinks its plot area); they are planned as the
    renderer will draw them, with widths a little wider than measured, so that what passes here fits there.
    """
    if chart.type != "timeline" or not chart.categories:
        return True

    class _Wider:
        line_height = font.line_height

        @staticmethod
        def width(text: str, size_pt: float, bold: bool = False) -> float:
            return font.width(text, size_pt, bold) * 1.03

    plan = plan_timeline(chart.categories, chart.labels or chart.categories, width_in * 72, height_in * 72 * 0.97,
                         _Wider(), base_pt, min_pt)
    if plan.fits:
        return True
    half = len(chart.categories) // 2
    split = (f"split it over two slides ({chart.categories[0]}–{chart.categories[half - 1]} and "
             f"{chart.categories[half]}–{chart.categories[-1]}), or " if half else "")
    diags.error(
        f"a timeline of {len(chart.categories)} events does not fit its {width_in:.1f} × {height_in:.1f} in box "
        f"with text of {min_pt:g} pt or more",
        "chart.too-many-events",
        location,
        hint=f"{split}shorten the event texts",
    )
    return False


__all__ = ["LENGTH_KINDS", "MINUS", "NOT_REPORTED", "TimelinePlan", "TimelineRow", "bind_chart", "check_chart_fits",
           "format_value", "plan_timeline", "wrap_text"]
