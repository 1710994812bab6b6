"""The dataset loader under hostile input: infinite and huge cells, row caps, links and pipes, fuzzed CSV."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.sources.data import MAX_DATASET_ROWS, Dataset, load_dataset

SIDECAR = "title: T\nsource: cooper2005\ncolumns: {sample: text, alpha: number, n: integer}\n"
AT = Location("content/sections/intro.yaml", 22, 30)  # the chart's `data:` key


def workspace(root: Path, csv: str | bytes, sidecar: str = SIDECAR) -> Path:
    folder = root / "content" / "data"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rel.csv").write_bytes(csv if isinstance(csv, bytes) else csv.encode("utf-8"))
    (folder / "rel.yaml").write_text(sidecar, encoding="utf-8")
    return root


def load(root: Path) -> tuple[Dataset | None, list[str]]:
    diags = Diagnostics()
    dataset = load_dataset(root, "rel", diags, AT)
    return dataset, [d.render() for d in diags.sorted() if d.severity == "error"]


@pytest.mark.parametrize("cell, column, line", [
    ("1e999", "alpha", "content/data/rel.csv:2: error: column 'alpha': '1e999' is too large (the limit is 1e+15) "
                       "[data.value]"),
    ("-1e400", "alpha", "content/data/rel.csv:2: error: column 'alpha': '-1e400' is too large (the limit is 1e+15) "
                        "[data.value]"),
    ("9" * 400, "alpha", "content/data/rel.csv:2: error: column 'alpha': '999999999999999999999999… (400 "
                         "characters)' is too large (the limit is 1e+15) [data.value]"),
    ("1" + "0" * 5000, "n", "content/data/rel.csv:2: error: column 'n': '100000000000000000000000… (5,001 "
                            "characters)' is too large (the limit is 1e+15) [data.value]"),
    ("2e15", "alpha", "content/data/rel.csv:2: error: column 'alpha': '2e15' is too large (the limit is 1e+15) "
                      "[data.value]"),
    ("nan", "alpha", "content/data/rel.csv:2: error: column 'alpha': expected a number, got 'nan' [data.value]"),
    ("inf", "alpha", "content/data/rel.csv:2: error: column 'alpha': expected a number, got 'inf' [data.value]"),
])
def test_cells_that_are_infinite_or_huge_are_located_errors(tmp_path: Path, cell: str, column: str,
                                                            line: str) -> None:
    row = {"alpha": f"A,{cell},1", "n": f"A,0.5,{cell}"}[column]
    assert load(workspace(tmp_path, f"sample,alpha,n\n{row}\nB,0.9,2\n")) == (None, [line])


def test_a_dataset_with_more_rows_than_any_chart_shows_is_refused_at_the_data_key(tmp_path: Path) -> None:
    rows = "".join(f"S{i},0.5,1\n" for i in range(MAX_DATASET_ROWS + 1))
    assert load(workspace(tmp_path, "sample,alpha,n\n" + rows)) == (None, [
        "content/sections/intro.yaml:22:30: error: dataset 'rel' has 50,001 rows; a chart can show at most 50,000 "
        "(summarise the data first (one row per category and series)) [data.too-large]"])


def test_dataset_files_go_through_the_workspace_resolver(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws", "sample,alpha,n\nA,0.5,1\n")
    (tmp_path / "secret.csv").write_text("sample,alpha,n\nA,0.5,1\n", encoding="utf-8")
    csv = root / "content" / "data" / "rel.csv"
    csv.unlink()
    csv.symlink_to(tmp_path / "secret.csv")
    assert load(root) == (None, [
        "content/data/rel.csv: error: dataset file path 'content/data/rel.csv' points outside the workspace through "
        "the symbolic link 'content/data/rel.csv' [path.escape]"])
    csv.unlink()
    os.mkfifo(csv)
    assert load(root) == (None, [
        "content/data/rel.csv: error: dataset file 'content/data/rel.csv' is a FIFO (named pipe), not a regular file [path.not-a-file]"])


def test_a_byte_order_mark_is_accepted_in_a_csv(tmp_path: Path) -> None:
    dataset, errors = load(workspace(tmp_path, b"\xef\xbb\xbfsample,alpha,n\nA,0.5,1\n"))
    assert errors == [] and dataset is not None and dataset.names == ("sample", "alpha", "n")


# -- fuzzing: any bytes end in a dataset or in located errors, never an exception -------------------------------

CELLS = st.one_of(
    st.sampled_from(["0.85", "-1", "1e999", "9" * 30, "nan", "", " ", "1,086", "\u22120.5", "2019", '"', '""', "\r",
                     "x" * 50, "\x00", "=1+1", "0x10", "1_000", ".5", "5.", "+3", "--1"]),
    st.text(max_size=12),
)


@st.composite
def csv_texts(draw: st.DrawFn) -> bytes:
    header = draw(st.sampled_from(["sample,alpha,n", "sample,alpha", "sample,alpha,n,extra", "", "sample,,n"]))
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=5), max_size=8))
    text = header + "\n" + "\n".join(",".join(row) for row in rows)
    raw = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(raw)))
        raw = raw[:cut] + draw(st.binary(max_size=6)) + raw[cut:]
    return raw


@settings(max_examples=250, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(csv_texts())
def test_fuzzed_csv_ends_in_a_dataset_or_located_errors(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        dataset, errors = load(workspace(Path(folder), raw))
    if dataset is None:
        assert errors and all(line.split(": error: ")[0].startswith("content/data/rel.") for line in errors), errors
    else:
        assert errors == []
        for column in dataset.columns:
            assert len(column.values) == dataset.rows


def test_a_dataset_with_a_thousand_and_one_columns_is_refused(tmp_path: Path) -> None:
    header = ",".join(f"c{i}" for i in range(1001))
    assert load(workspace(tmp_path, header + "\n" + ",".join("1" * 1001) + "\n")) == (None, [
        "content/data/rel.csv:1: error: dataset has 1,001 columns (the limit is 1,000) [data.too-large]"])


def test_ragged_rows_past_the_row_cap_are_not_each_reported(tmp_path: Path) -> None:
    rows = "A,0.5\n" * (MAX_DATASET_ROWS + 1)  # every row lacks a cell
    assert load(workspace(tmp_path, "sample,alpha,n\n" + rows))[1] == [
        "content/sections/intro.yaml:22:30: error: dataset 'rel' has 50,001 rows; a chart can show at most 50,000 "
        "(summarise the data first (one row per category and series)) [data.too-large]"]
