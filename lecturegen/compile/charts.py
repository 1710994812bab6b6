"""Compile layer: bind a ChartSpec to its dataset, giving a model Chart with generated alt text.

Over 400 lines because the binding of every kind (categories × series, waffle, timeline, research timeline)
and the fit check of a timeline share their column and value helpers; alt text and options live apart.
"""

from __future__ import annotations

import math
from typing import Callable, Mapping

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
    Chart,
    ChartBase,
    ChartSeries,
    Reference,
    TimelineOptions,
    ValueAxis,
    WaffleOptions,
)
from lecturegen.model.text import Run
from lecturegen.compile.chart_alt import chart_alt_text
from lecturegen.compile.chart_options import annotated, axis_options, default_format, fallbacks
from lecturegen.sources.charts import ChartSpec
from lecturegen.sources.charts import check_chart_size as check_data_size
from lecturegen.sources.data import DataColumn, Dataset

CiteSource = Callable[[list[str], "Location | None"], tuple[Run, ...]]

MAX_WAFFLE_CELLS = 400


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


_Rows = tuple[list[str], list[ChartSeries], list[str]]  # categories, series, a label per category


def _categorical(spec: ChartSpec, ds: Dataset, diags: Diagnostics, source: tuple[Run, ...]) -> Chart | None:
    """bar, grouped-bar, dot, slope, line, stacked, pie: categories × series, long or wide data."""
    xcol = ds.column(spec.x or "")
    assert xcol is not None  # checked by the caller
    ycols = [c for c in (ds.column(n) for n in spec.y) if c is not None]
    rows = _long_rows(spec, ds, ycols, diags) if spec.group else _wide_rows(spec, ds, ycols, diags)
    if rows is None:
        return None
    categories, series, labels = _sorted_rows(spec, *rows)
    values = [v for s in series for v in s.values if not math.isnan(v)]
    if not _check_values(spec, ds, series, values, diags):
        return None
    ycol = ycols[0] if len(ycols) == 1 else None
    fmt = spec.format or default_format(values, ycol)
    y_min, axis_note = _value_axis_start(spec, fmt, diags)
    value_title = spec.y_title if spec.y_title is not None else (ycol.display if ycol else "")
    cats = tuple(categories)
    if spec.type == "stacked" and len(series) == 1:
        # One series stacked is a part-of-whole bar: each category becomes a segment.
        only = series[0]
        series = [ChartSeries(c, (v,)) for c, v in zip(categories, only.values)]
        cats = (only.name,)
    _check_names(spec, cats, series, diags)
    base = ChartBase(title=ds.title, highlight=spec.highlight, mute=spec.mute, note=spec.note or "", format=fmt,
                     value_labels=spec.value_labels, reveal=spec.reveal)
    axis = ValueAxis(orientation="horizontal" if spec.type == "dot" else spec.orientation,
                     references=tuple(Reference(r.value, r.label) for r in spec.reference),
                     x_title=spec.x_title or "",  # category labels usually speak for themselves
                     y_title=value_title, y_min=y_min, y_max=spec.y_max, log=spec.log, axis_note=axis_note)
    options = fallbacks(spec, axis_options(spec.type, base, axis), len(cats), diags)
    chart = Chart(type=spec.type, categories=cats, series=tuple(series), alt="", source=source, options=options,
                  native=spec.native, illustrative=ds.illustrative, labels=tuple(labels))
    return _with_alt(chart, ds.title, xcol.display, source)


def _wide_rows(spec: ChartSpec, ds: Dataset, ycols: list[DataColumn], diags: Diagnostics) -> _Rows:
    """One category a row, one series a `y` column, with the interval ends and annotations of each row."""
    xcol, labelcol = ds.column(spec.x or ""), ds.column(spec.label) if spec.label else None
    assert xcol is not None
    categories = [_text(v, xcol) for v in xcol.values]
    if len(set(categories)) != len(categories):
        diags.warning(f"categories repeat in column '{xcol.name}'", "chart.duplicate", spec.at("x"))
    low, high = (ds.column(spec.low) if spec.low else None), (ds.column(spec.high) if spec.high else None)
    err_low = tuple(_nums(low)) if low else None
    err_high = tuple(_nums(high)) if high else None
    series = [ChartSeries(c.display, tuple(_nums(c)), err_low, err_high) for c in ycols]
    labels = [_text(v, labelcol) for v in labelcol.values] if labelcol else []
    return categories, series, annotated(spec, ds, categories, labels, len(series), diags)


def _long_rows(spec: ChartSpec, ds: Dataset, ycols: list[DataColumn], diags: Diagnostics) -> _Rows | None:
    """Long data: the `group` column's values become series, each category a value per series."""
    xcol, gcol = ds.column(spec.x or ""), ds.column(spec.group or "")
    assert xcol is not None and gcol is not None
    if len(ycols) != 1:
        diags.error("'group' splits one 'y' column into series; give a single 'y'", "chart.group", spec.at("group"))
        return None
    row_x = [_text(v, xcol) for v in xcol.values]
    categories = list(dict.fromkeys(row_x))
    names = list(dict.fromkeys(_text(v, gcol) for v in gcol.values))
    cells: dict[tuple[str, str], int] = {}
    for i, (x, g) in enumerate(zip(row_x, (_text(v, gcol) for v in gcol.values))):
        if (x, g) in cells:
            diags.error(f"'{x}' appears twice for '{g}' in dataset '{ds.name}'", "chart.duplicate",
                        Location(ds.location.path, ds.lines[i]))
            return None
        cells[(x, g)] = i
    low, high = (ds.column(spec.low) if spec.low else None), (ds.column(spec.high) if spec.high else None)
    yv, lv, hv = _nums(ycols[0]), _nums(low) if low else None, _nums(high) if high else None

    def pick(vals: list[float] | None, g: str) -> tuple[float, ...] | None:
        if vals is None:
            return None
        return tuple(vals[cells[(c, g)]] if (c, g) in cells else float("nan") for c in categories)

    series = [ChartSeries(g, pick(yv, g) or (), pick(lv, g), pick(hv, g)) for g in names]
    labelcol = ds.column(spec.label) if spec.label else None
    labels = [_first_label(labelcol, row_x, c) for c in categories] if labelcol else []
    return categories, series, labels


def _sorted_rows(spec: ChartSpec, categories: list[str], series: list[ChartSeries], labels: list[str]) -> _Rows:
    if spec.sort == "none" or not series:
        return categories, series, labels
    # Long data coloured by group has one value per category spread over the series.
    key_values = tuple(next((s.values[i] for s in series if not math.isnan(s.values[i])), float("nan"))
                       for i in range(len(categories)))
    order = sorted(range(len(categories)), key=lambda i: (
        math.isnan(key_values[i]), key_values[i] if spec.sort == "ascending" else -key_values[i]))
    return ([categories[i] for i in order], [_reorder(s, order) for s in series],
            [labels[i] for i in order] if labels else labels)


def _check_values(spec: ChartSpec, ds: Dataset, series: list[ChartSeries], values: list[float],
                  diags: Diagnostics) -> bool:
    if not values:
        diags.error(f"dataset '{ds.name}' has no values to plot", "data.empty", spec.at("y"))
        return False
    if spec.log and any(v <= 0 for v in values):
        diags.error("a log scale needs values above zero", "chart.log", spec.at("log"))
        return False
    if spec.type == "pie" and (len(series) != 1 or any(math.isnan(v) or v < 0 for v in series[0].values)):
        diags.error("a pie chart needs one series of values of zero or more", "chart.pie", spec.at("y"))
        return False
    return True


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
