"""Load layer: the `chart:` mapping of a slide, read into a located ChartSpec (not yet bound to data)."""

from __future__ import annotations


from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from lecturegen.diagnostics import Diagnostics, Location, choice_hint, did_you_mean, quote_choices, shorten
from lecturegen.model.chart import MAX_PICTURE_VALUES  # categories × series of a chart drawn as a picture
from lecturegen.records import record
from lecturegen.sources.data import Dataset
from lecturegen.sources.yamlload import Ctx, Fields, read_number, type_name

CHART_TYPES = (
    "bar",
    "grouped-bar",
    "dot",
    "slope",
    "line",
    "stacked",
    "pie",
    "timeline",
    "waffle",
    "research-timeline",
)
NATIVE_TYPES = frozenset({"bar", "grouped-bar", "line", "slope", "stacked", "pie"})
ORIENTATIONS = ("vertical", "horizontal")
SORTS = ("none", "ascending", "descending")
# What a chart may show. A picture costs ~12 ms per drawn value in matplotlib (1,000 bars: 25 s), a native
# chart writes every value into the slide and its workbook; past these a chart is unreadable anyway.
MAX_CHART_CATEGORIES = 1_000
MAX_CHART_SERIES = 50
MAX_NATIVE_VALUES = 10_000  # categories × series of a native chart (50,000 take ~3 s to write)
MAX_WAFFLE_CELLS = 400
AXES = ("zero", "truncated")  # a bar chart's value axis: from zero, or cut short on purpose (and said so)
# Keys that name a column of the dataset; bind checks each one exists.
COLUMN_KEYS = ("x", "y", "group", "low", "high", "label", "value", "total", "p")
REVEALS = ("none", "series", "points")  # model/chart.py::REVEALS
# The keys each chart type takes: one base every type shares, a value axis for the types that have one.
_BASE_KEYS = frozenset({"type", "data", "highlight", "mute", "note", "format", "value_labels", "native", "reveal"})
_AXIS_KEYS = _BASE_KEYS | {
    "x", "y", "group", "low", "high", "interval", "p", "label", "orientation", "reference", "x_title", "y_title",
    "y_min", "y_max", "log", "sort", "axis",
}  # fmt: skip
TYPE_KEYS: dict[str, frozenset[str]] = {
    "bar": _AXIS_KEYS,
    "grouped-bar": _AXIS_KEYS,
    "stacked": _AXIS_KEYS - {"low", "high", "interval"},
    "line": _AXIS_KEYS,
    "dot": _AXIS_KEYS,
    "slope": _AXIS_KEYS - {"orientation", "log", "axis"},
    "pie": _BASE_KEYS | {"x", "y", "group", "label", "sort"},
    "waffle": _BASE_KEYS | {"x", "value", "total"},
    "timeline": _BASE_KEYS | {"x", "y", "label", "orientation"},
    "research-timeline": _BASE_KEYS | {"orientation"},
}
_KEYS = frozenset().union(*TYPE_KEYS.values())


@record
class ReferenceLine:
    value: float
    label: str = ""


@record
class ChartSpec:
    """A chart as the outline declares it; column names are still unchecked strings."""

    type: str
    location: Location  # the `chart:` mapping
    data: str | None = None
    x: str | None = None
    y: tuple[str, ...] = ()
    group: str | None = None
    low: str | None = None  # interval ends (absolute values): `low`/`high`, or `interval: [low, high]`
    high: str | None = None
    p: str | None = None  # a column of p-values (numbers or published text such as "< .001")
    label: str | None = None  # text column shown beside each value (e.g. "p = .010")
    reveal: str = "none"  # one of REVEALS: build the chart click by click
    orientation: str = "vertical"
    highlight: tuple[str, ...] = ()
    mute: tuple[str, ...] = ()
    reference: tuple[ReferenceLine, ...] = ()
    x_title: str | None = None
    y_title: str | None = None
    y_min: float | None = None
    y_max: float | None = None
    log: bool = False
    sort: str = "none"
    format: str | None = None
    value_labels: bool = True
    native: bool = False
    value: str | None = None
    total: str | None = None
    note: str | None = None  # small footnote under the chart (e.g. an assumption)
    axis: str = "zero"  # one of AXES
    # Where each key's value was written, so bind can point at `y: alpah` precisely.
    key_locations: tuple[tuple[str, Location], ...] = ()

    def at(self, key: str) -> Location:
        """Where `key` was written (`low`/`high` given as `interval: [...]` answer with the interval)."""
        for name in (key, "interval") if key in ("low", "high") else (key,):
            for written, loc in self.key_locations:
                if written == name:
                    return loc
        return self.location


def check_format(spec: str) -> bool:
    """True for 'int', 'r', 'r3' or any Python format spec that formats a float."""
    if spec in ("int", "r", "r2", "r3", "percent"):
        return True
    try:
        format(1.5, spec)
    except (ValueError, TypeError):
        return False
    return True


def parse_chart(node: Node, ctx: Ctx) -> ChartSpec | None:
    """Read a slide's `chart:` mapping; unknown keys and bad values become located diagnostics."""
    before = len(ctx.diags.errors)
    f = Fields(node, ctx, _KEYS, "a chart")
    if not f.ok:
        return None
    kind = _chart_type(f)
    if kind is not None:
        _check_type_keys(f, kind)
        _check_required(f, kind)
    data = f.str("data")
    if kind is not None and kind != "research-timeline" and data is None and f.ok:
        ctx.error(node, f"a '{kind}' chart needs 'data' (a dataset in content/data/)", "yaml.missing-key")
    y = tuple(name for name, _ in f.str_list("y"))
    if len(y) > MAX_CHART_SERIES:
        ctx.error(f.values["y"], f"a chart may have at most {MAX_CHART_SERIES} series, got {len(y)}", "chart.too-large")
    total = f.str("total")
    if total is not None and total.isdigit() and (len(total) > 6 or int(total) > MAX_WAFFLE_CELLS):
        ctx.error(f.values["total"], f"'total' must be at most {MAX_WAFFLE_CELLS}, got {shorten(total)}",
                  "chart.waffle", hint="a waffle chart has one square per unit of its total")
    fmt = _format(f)
    y_min, y_max = f.number("y_min"), f.number("y_max")
    if y_min is not None and y_max is not None and y_min >= y_max:
        ctx.error(f.values["y_max"], f"'y_max' ({y_max:g}) must be greater than 'y_min' ({y_min:g})", "chart.range")
    native = _native(f, kind)
    low, high = _interval(f)
    if len(ctx.diags.errors) > before or kind is None:
        return None
    return ChartSpec(
        type=kind, location=ctx.loc(node), data=data, x=f.str("x"), y=y, group=f.str("group"), low=low, high=high,
        p=f.str("p"), label=f.str("label"), orientation=_choice(f, "orientation", ORIENTATIONS, "vertical"),
        highlight=tuple(v for v, _ in f.str_list("highlight")), mute=tuple(v for v, _ in f.str_list("mute")),
        reference=_references(f, ctx), x_title=f.str("x_title"), y_title=f.str("y_title"), y_min=y_min, y_max=y_max,
        log=f.bool("log", False), sort=_choice(f, "sort", SORTS, "none"), format=fmt,
        value_labels=f.bool("value_labels", True), native=native, value=f.str("value"), total=total,
        note=f.str("note"), axis=_choice(f, "axis", AXES, "zero"), reveal=_choice(f, "reveal", REVEALS, "none"),
        key_locations=tuple((key, ctx.loc(value)) for key, value in f.values.items()),
    )  # fmt: skip


def _chart_type(f: Fields) -> str | None:
    kind = f.str("type", required=True)
    if kind is not None and kind not in CHART_TYPES:
        f.ctx.error(
            f.values["type"],
            f"unknown chart type '{kind}'",
            "chart.type",
            hint=choice_hint(kind, CHART_TYPES),
        )
        return None
    return kind


def _check_type_keys(f: Fields, kind: str) -> None:
    """A key that some chart type takes, but not this one: an error at the key, saying which types take it."""
    allowed = TYPE_KEYS[kind]
    for key in list(f.values):
        if key in allowed:
            continue
        takers = [t for t in CHART_TYPES if key in TYPE_KEYS[t]]
        f.ctx.error(
            f.keys[key],
            f"a '{kind}' chart has no key '{key}'",
            "chart.option",
            hint=f"'{key}' belongs to {quote_choices(takers)} charts; a '{kind}' chart takes: "
                 f"{quote_choices(sorted(allowed))}",
        )  # fmt: skip
        del f.values[key]


def _check_required(f: Fields, kind: str) -> None:
    if kind in ("bar", "grouped-bar", "dot", "slope", "line", "stacked", "pie") and not f.str_list("y"):
        f.require("y")
    if kind in ("bar", "grouped-bar", "dot", "slope", "line", "stacked", "pie", "timeline") and not f.has("x"):
        f.require("x")
    if kind == "waffle" and not f.has("value"):
        f.require("value")


def _format(f: Fields) -> str | None:
    fmt = f.str("format")
    if fmt is not None and not check_format(fmt):
        f.ctx.error(
            f.values["format"],
            f"'format' is not a number format: '{fmt}'",
            "chart.format",
            hint="use a Python format such as '.2f' or ',.0f', or 'int', 'r' (.85), 'r3' (.060), 'percent'",
        )
        return None
    return fmt


def _native(f: Fields, kind: str | None) -> bool:
    native = f.bool("native", False)
    if native and kind is not None and kind not in NATIVE_TYPES:
        f.ctx.warning(
            f.values["native"],
            f"a '{kind}' chart cannot be a native PowerPoint chart; it is drawn as a picture",
            "chart.native",
            hint=f"native charts: {quote_choices(NATIVE_TYPES)}",
        )
        return False
    return native


def _interval(f: Fields) -> tuple[str | None, str | None]:
    """`interval: [low_col, high_col]`, or `low:` and `high:`; not both ways at once."""
    low, high = f.str("low"), f.str("high")
    node = f.get_node("interval")
    if node is None:
        return low, high
    names = f.str_list("interval")
    if len(names) != 2:
        f.ctx.error(node, f"'interval' names two columns, the low and the high end; got {len(names)}", "chart.option",
                    hint="interval: [ci_low, ci_high]")
        return low, high
    if low is not None or high is not None:
        f.ctx.error(node, "give the interval either as 'interval: [low, high]' or as 'low:' and 'high:', not both",
                    "chart.option")
    return names[0][0], names[1][0]


def _choice(f: Fields, key: str, choices: tuple[str, ...], default: str) -> str:
    value = f.str(key)
    if value is None:
        return default
    if value not in choices:
        f.ctx.error(
            f.values[key],
            f"'{key}' must be one of {quote_choices(choices)}, got '{value}'",
            "chart.option",
            hint=did_you_mean(value, choices),
        )
        return default
    return value


def _references(f: Fields, ctx: Ctx) -> tuple[ReferenceLine, ...]:
    """`reference: 0.7`, `{value: 0.7, label: ...}` or a list of either."""
    node = f.get_node("reference")
    if node is None:
        return ()
    items = node.value if isinstance(node, SequenceNode) else [node]
    out: list[ReferenceLine] = []
    for item in items:
        if isinstance(item, ScalarNode):
            value = read_number(item, "reference", ctx)
            if value is not None:
                out.append(ReferenceLine(value))
        elif isinstance(item, MappingNode):
            rf = Fields(item, ctx, frozenset({"value", "label"}), "a reference line")
            value = rf.number("value", required=True)
            if value is not None:
                out.append(ReferenceLine(value, rf.str("label", "") or ""))
        else:
            ctx.error(item, f"a reference line must be a number or a mapping, got {type_name(item)}", "yaml.type")
    return tuple(out)


def check_chart_size(spec: ChartSpec, dataset: Dataset, diags: Diagnostics) -> bool:
    """Refuse, at the `data:` key, a chart with more categories or series than it can show; True when it fits.

    Called when a chart is bound to its data: at most MAX_CHART_CATEGORIES categories of MAX_CHART_SERIES
    series, and MAX_PICTURE_VALUES values drawn as a picture or MAX_NATIVE_VALUES as a native chart.
    """
    def distinct(name: str | None) -> int:
        column = dataset.column(name) if name else None
        return len(set(column.values)) if column is not None else dataset.rows

    if spec.type in ("waffle", "timeline"):
        categories, series = dataset.rows, 1
    else:
        categories = distinct(spec.x) if spec.group else dataset.rows
        series = distinct(spec.group) if spec.group else max(len(spec.y), 1)
    what = f"dataset '{dataset.name}' gives this chart {categories:,} categories of {series:,} series"
    if categories > MAX_CHART_CATEGORIES or series > MAX_CHART_SERIES:
        diags.error(f"{what}; a chart shows at most {MAX_CHART_CATEGORIES:,} categories of {MAX_CHART_SERIES} "
                    "series", "chart.too-large", spec.at("data"), hint="summarise the data for the slide")
        return False
    limit = MAX_NATIVE_VALUES if spec.native else MAX_PICTURE_VALUES
    if categories * series > limit:
        drawn = "a native chart" if spec.native else "a chart drawn as a picture"
        hint = "summarise the data for the slide"
        if not spec.native and spec.type in NATIVE_TYPES:
            hint += f", or make it 'native: true' (up to {MAX_NATIVE_VALUES:,} values)"
        diags.error(f"{what}; {drawn} shows at most {limit:,} values", "chart.too-large", spec.at("data"), hint=hint)
        return False
    return True
