"""Load layer: research datasets, `content/data/NAME.csv` typed and sourced by `NAME.yaml`."""

from __future__ import annotations

import csv
import io
import math
import os
import re
from pathlib import Path
from typing import Union

from yaml.nodes import MappingNode, ScalarNode

from lecturegen.diagnostics import Diagnostics, Location, choice_hint, did_you_mean, quote_choices, shorten
from lecturegen.records import record
from lecturegen.sources.yamlload import Ctx, Fields, load_yaml, read_text, strip_invalid_xml, type_name
from lecturegen.workspace import InputPathError, check_input_path, file_name_of_text

DATA_DIR = Path("content") / "data"
MAX_CSV_BYTES = 5_000_000
# No chart shows more than 1,000 categories of 50 series (sources/charts.py), so no dataset needs more rows.
MAX_DATASET_ROWS = 50_000
MAX_DATASET_COLUMNS = 1_000  # each undeclared column is a warning: a million of them would flood the output
# Research values beyond this are typing errors, and past it sums and axis ranges lose all precision.
MAX_DATA_VALUE = 1e15
COLUMN_TYPES = ("text", "number", "integer", "year")
NUMERIC_TYPES = frozenset({"number", "integer", "year"})

Value = Union[str, float, int, None]

# Names become file names: anything but a plain slug could escape content/data/.
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_YEAR = re.compile(r"^\d{4}$")
_SIDECAR_KEYS = frozenset({"title", "source", "where", "notes", "illustrative", "columns"})
_COLUMN_KEYS = frozenset({"type", "label"})


@record
class DataColumn:
    """One typed CSV column; empty cells are None."""

    name: str
    type: str  # text | number | integer | year
    values: tuple[Value, ...]
    label: str = ""  # human label for axes and legends (defaults to the name)

    @property
    def numeric(self) -> bool:
        return self.type in NUMERIC_TYPES

    @property
    def display(self) -> str:
        return self.label or self.name


@record
class Dataset:
    """A CSV table with its provenance: the publications and where in them the numbers are."""

    name: str
    title: str
    columns: tuple[DataColumn, ...]
    source: tuple[str, ...]  # BibTeX keys
    where: str
    notes: str
    illustrative: bool
    location: Location  # the CSV file
    rows: int = 0
    # CSV line of each data row, so later stages can point at the offending line.
    lines: tuple[int, ...] = ()
    source_location: Location | None = None  # the sidecar's `source:` value

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> DataColumn | None:
        for col in self.columns:
            if col.name == name:
                return col
        return None


def dataset_names(root: Path) -> list[str]:
    folder = root / DATA_DIR
    try:
        return sorted(p.stem for p in folder.glob("*.csv") if p.is_file())
    except OSError:
        return []


def load_dataset(root: Path, name: str, diags: Diagnostics, at: Location | None) -> Dataset | None:
    """Read `content/data/NAME.csv` and its sidecar; every problem becomes a located diagnostic."""
    names = dataset_names(root)
    if not _NAME.match(name) or not os.path.lexists(root / DATA_DIR / f"{file_name_of_text(name)}.csv"):
        hint = did_you_mean(name, names) or (f"datasets: {quote_choices(names)}" if names else "content/data/ has no CSV files")
        diags.error(f"unknown dataset '{name}'", "data.unknown", at, hint)
        return None
    csv_display = (DATA_DIR / f"{name}.csv").as_posix()
    side_display = (DATA_DIR / f"{name}.yaml").as_posix()
    csv_file = _resolve(root, csv_display, diags)
    if csv_file is None:
        return None
    sidecar = _load_sidecar(root, side_display, diags)
    if sidecar is None:
        return None
    text = read_text(csv_file, csv_display, diags, max_bytes=MAX_CSV_BYTES)
    if text is None:
        return None
    text = strip_invalid_xml(text)  # control characters in cells would end up in chart labels and alt text
    table = _read_csv(text, csv_display, diags)
    if table is None:
        return None
    header, records = table
    if len(records) > MAX_DATASET_ROWS:
        diags.error(f"dataset '{name}' has {len(records):,} rows; a chart can show at most {MAX_DATASET_ROWS:,}",
                    "data.too-large", at, hint="summarise the data first (one row per category and series)")
        return None
    before = len(diags.errors)
    columns = _typed_columns(header, records, sidecar, csv_display, diags)
    if len(diags.errors) > before:
        return None
    return Dataset(
        name=name,
        title=sidecar.title,
        columns=columns,
        source=sidecar.source,
        where=sidecar.where,
        notes=sidecar.notes,
        illustrative=sidecar.illustrative,
        location=Location(csv_display),
        rows=len(records),
        lines=tuple(line for line, _ in records),
        source_location=sidecar.source_location,
    )


@record
class _Sidecar:
    title: str
    source: tuple[str, ...]
    source_location: Location | None
    where: str
    notes: str
    illustrative: bool
    # name -> (type, label, location of the declaration)
    columns: dict[str, tuple[str, str, Location]]
    location: Location


def _resolve(root: Path, display: str, diags: Diagnostics) -> Path | None:
    """A dataset file through the workspace's one resolver (no links out of it, no pipes or folders)."""
    try:
        return check_input_path(root, display, root, "dataset file")
    except InputPathError as exc:
        diags.error(exc.message, exc.code, Location(display))
        return None


def _load_sidecar(root: Path, display: str, diags: Diagnostics) -> _Sidecar | None:
    if not os.path.lexists(root / display):
        diags.error(
            "dataset has no provenance file",
            "data.no-sidecar",
            Location(display),
            hint="add it with 'title', 'source' (BibTeX keys) and 'columns'; see docs/charts.md",
        )
        return None
    file = _resolve(root, display, diags)
    node = load_yaml(file, display, diags) if file is not None else None
    if node is None:
        return None
    ctx = Ctx(display, diags)
    before = len(diags.errors)
    f = Fields(node, ctx, _SIDECAR_KEYS, "a dataset description")
    if not f.ok:
        return None
    title = f.str("title", required=True) or ""
    keys = tuple(k for k, _ in f.str_list("source"))
    illustrative = f.bool("illustrative", False)
    if not keys and not illustrative:
        diags.error(
            "dataset names no source publication",
            "data.no-source",
            f.loc("source") if f.has("source") else ctx.loc(node),
            hint="add 'source: bibtexkey' (or a list), or 'illustrative: true' for made-up numbers",
        )
    columns: dict[str, tuple[str, str, Location]] = {}
    cols_node = f.require("columns")
    if cols_node is not None:
        if not isinstance(cols_node, MappingNode) or not cols_node.value:
            ctx.error(cols_node, f"'columns' must map each column to a type, got {type_name(cols_node)}", "yaml.type")
        else:
            for key_node, value_node in cols_node.value:
                col = str(key_node.value)
                if col in columns:
                    ctx.error(key_node, f"duplicate column '{col}'", "yaml.duplicate-key")
                    continue
                typed = _column_decl(col, value_node, ctx)
                if typed is not None:
                    columns[col] = (typed[0], typed[1], ctx.loc(key_node))
    if len(diags.errors) > before:
        return None
    return _Sidecar(
        title=title,
        source=keys,
        source_location=f.loc("source") if f.has("source") else None,
        where=f.str("where", "") or "",
        notes=" ".join((f.str("notes", "") or "").split()),
        illustrative=illustrative,
        columns=columns,
        location=ctx.loc(node),
    )


def _column_decl(col: str, node: object, ctx: Ctx) -> tuple[str, str] | None:
    """`name: number` or `name: {type: number, label: "Cronbach's α"}`."""
    label = ""
    if isinstance(node, MappingNode):
        f = Fields(node, ctx, _COLUMN_KEYS, f"column '{col}'")
        kind = f.str("type", required=True)
        label = f.str("label", "") or ""
        type_node = f.get_node("type")
        if kind is None or type_node is None:
            return None
        node = type_node
        value = kind
    elif isinstance(node, ScalarNode):
        value = str(node.value)
    else:
        ctx.error(node, f"column '{col}' must have a type, got {type_name(node)}", "yaml.type")
        return None
    if value not in COLUMN_TYPES:
        ctx.error(node, f"column '{col}' has unknown type '{value}'", "data.column-type",
                  hint=choice_hint(value, COLUMN_TYPES))
        return None
    return value, label


def _read_csv(text: str, display: str, diags: Diagnostics) -> tuple[list[str], list[tuple[int, list[str]]]] | None:
    """Header plus (line, cells) per non-blank record; the line is where the record starts."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    records: list[tuple[int, list[str]]] = []
    previous_end = 0
    header_line = 1
    try:
        for row in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not row or all(not cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip() for cell in row]
                header_line = start
                continue
            records.append((start, row))
    except csv.Error as exc:
        diags.error(f"malformed CSV: {str(exc).lower()}", "data.csv", Location(display, reader.line_num or 1))
        return None
    if header is None or not records:
        diags.error("dataset has no data rows", "data.empty", Location(display, 1))
        return None
    if len(header) > MAX_DATASET_COLUMNS:
        diags.error(f"dataset has {len(header):,} columns (the limit is {MAX_DATASET_COLUMNS:,})", "data.too-large",
                    Location(display, header_line))
        return None
    if len(records) > MAX_DATASET_ROWS:
        return header, records  # refused by the caller, at the chart, before any row is checked
    seen: set[str] = set()
    for name in header:
        if not name:
            diags.error("a column in the header row has no name", "data.header", Location(display, header_line))
            return None
        if name in seen:
            diags.error(f"duplicate column '{name}' in the header row", "data.header", Location(display, header_line))
            return None
        seen.add(name)
    ok = True
    for line, row in records:
        if len(row) != len(header):
            diags.error(
                f"row has {len(row)} cells, the header has {len(header)}", "data.row-length", Location(display, line)
            )
            ok = False
    return (header, records) if ok else None


def _typed_columns(
    header: list[str],
    records: list[tuple[int, list[str]]],
    sidecar: _Sidecar,
    display: str,
    diags: Diagnostics,
) -> tuple[DataColumn, ...]:
    for name, (_, _, where) in sidecar.columns.items():
        if name not in header:
            diags.error(
                f"column '{name}' is declared but not in {display}",
                "data.missing-column",
                where,
                hint=did_you_mean(name, header) or f"the CSV has: {quote_choices(header)}",
            )
    columns: list[DataColumn] = []
    for index, name in enumerate(header):
        if name not in sidecar.columns:
            # Undeclared columns still load (as text), but provenance files should say what each is.
            diags.warning(
                f"column '{name}' is not declared in the dataset description; read as text",
                "data.undeclared-column",
                Location(display, records[0][0] - 1 if records else 1),
            )
            kind, label = "text", ""
        else:
            kind, label, _ = sidecar.columns[name]
        values = tuple(_cell(row[index], name, kind, display, line, diags) for line, row in records)
        columns.append(DataColumn(name, kind, values, label))
    return tuple(columns)


def _cell(raw: str, column: str, kind: str, display: str, line: int, diags: Diagnostics) -> Value:
    cell = raw.strip()
    if kind == "text":
        return cell
    if not cell:
        return None
    # Sources print minus as U+2212; accept it so numbers can be pasted as published.
    number = cell.replace("\u2212", "-")
    where = Location(display, line)
    if kind in ("number", "integer") and (_NUMBER if kind == "number" else _INTEGER).match(number):
        # float() makes 1e999 infinite and int() refuses over 4,300 digits: both are refused here.
        value: float | int | None = float(number)
        if kind == "integer":
            value = int(number) if len(number.lstrip("+-0")) <= 16 else None
        if value is None or not math.isfinite(value) or abs(value) > MAX_DATA_VALUE:
            diags.error(f"column '{column}': '{shorten(cell)}' is too large (the limit is {MAX_DATA_VALUE:g})",
                        "data.value", where)
            return None
        return value
    if kind == "number":
        expected = "a number"
    elif kind == "integer":
        expected = "a whole number"
    else:
        if _YEAR.match(number):
            return int(number)
        expected = "a four-digit year"
    hint = "write numbers without thousands separators" if re.match(r"^[\d.,]+$", cell) and "," in cell else None
    diags.error(f"column '{column}': expected {expected}, got '{shorten(cell)}'", "data.value", where, hint)
    return None
