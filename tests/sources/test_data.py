"""Tests for the dataset loader: typed values, provenance and located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.sources.data import load_dataset

ROOT = Path(__file__).resolve().parents[2]

SIDECAR = """title: RDFS alphas
source: dimalta2023
columns: {sample: text, n: integer, alpha: number}
"""


def _workspace(tmp_path: Path, csv: str, sidecar: str = SIDECAR, name: str = "rdfs") -> Path:
    folder = tmp_path / "content" / "data"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.csv").write_text(csv, encoding="utf-8")
    if sidecar is not None:
        (folder / f"{name}.yaml").write_text(sidecar, encoding="utf-8")
    return tmp_path


def _load(root: Path, name: str = "rdfs") -> tuple[object, list[str]]:
    diags = Diagnostics()
    ds = load_dataset(root, name, diags, Location("content/talks/k.yaml", 4, 11))
    return ds, [d.render() for d in diags.sorted()]


def _values(name: str) -> dict[str, tuple[object, ...]]:
    diags = Diagnostics()
    ds = load_dataset(ROOT, name, diags, None)
    assert ds is not None, [d.render() for d in diags.items]
    assert not diags.errors
    return {c.name: c.values for c in ds.columns}


# -- the real datasets equal the research fact sheet (findings.md) -------------------------------


def test_rdfs_reliability_matches_findings() -> None:
    v = _values("rdfs-reliability")
    assert v["sample"] == ("Therapists (2019)", "Clients (2019)", "UK patients (2023)", "US patients (2023)")
    assert v["alpha"] == (0.85, 0.93, 0.91, 0.92)
    assert v["n"] == (None, None, 514, 402)


def test_rdfs_validity_matches_findings_and_shows_the_assumed_order() -> None:
    v = _values("rdfs-validity")
    assert v["country"] == ("UK", "US") * 3
    assert v["r"] == (0.73, 0.76, 0.10, 0.12, 0.69, 0.70)
    assert v["n"] == (50, 203, None, None, None, None)
    assert v["order_assumed"] == ("no", "no", "yes", "yes", "yes", "yes")
    assert all("assumed" in m for m in v["metric"][2:])


def test_crosslagged_matches_findings() -> None:
    v = _values("crosslagged-2025")
    assert v["r"] == (-0.060, -0.050, -0.038, 0.103)
    assert v["t"] == (-2.56, -2.081, -1.545, 3.510)
    assert v["p"] == (".010", ".037", ".122", "< .001")
    assert v["significant"] == ("yes", "yes", "no", "yes")


def test_counts_match_findings() -> None:
    assert _values("clinic-gender-2025")["n"] == (501, 234, 347, 4)
    assert sum(_values("clinic-gender-2025")["n"]) == 1086  # type: ignore[arg-type]
    assert _values("sample-split-2019")["n"] == (336, 220)
    assert (_values("rd-all-eight")["n"], _values("rd-all-eight")["total"]) == ((8,), (8,))
    assert (_values("rd-online")["n"], _values("rd-online")["total"]) == ((5,), (7,))
    funnel = _values("rdfs-funnel")
    assert funnel["items"] == (36, 36, 16, 6, None)
    assert funnel["participants"] == (None, 8, 556, 916, 1086)


def test_sample_sizes_match_findings_without_adding_the_knox_samples() -> None:
    v = _values("sample-sizes")
    assert v["participants"] == (1086, 556, 916, 342, 168, 80, 74, 20, 14, 13, 10, 8, 8, 8, 5)
    assert v["key"].count("knox2008") == 1 and "knox2010" not in v["key"]
    assert set(v["design"]) == {"qualitative", "quantitative", "mixed"}


def test_research_timeline_spans_2005_to_2025() -> None:
    v = _values("research-timeline")
    assert v["year"][0] == 2005 and v["year"][-1] == 2025
    assert list(v["year"]) == sorted(v["year"])  # type: ignore[type-var]


def test_every_dataset_names_its_source() -> None:
    for name in ("rdfs-reliability", "rdfs-validity", "crosslagged-2025", "sample-sizes", "rdfs-funnel"):
        diags = Diagnostics()
        ds = load_dataset(ROOT, name, diags, None)
        assert ds is not None and ds.source and not ds.illustrative
    diags = Diagnostics()
    funnel = load_dataset(ROOT, "rdfs-funnel", diags, None)
    assert funnel is not None and "20-item" in funnel.notes


# -- located errors ----------------------------------------------------------------------------


def test_bad_cell_is_reported_at_its_csv_line(tmp_path: Path) -> None:
    csv = "sample,n,alpha\nA,1,0.9\nB,2,0.8\n\nC,3,0.7\nD,4,0.6\nE,5,n/a\n"
    ds, lines = _load(_workspace(tmp_path, csv))
    assert ds is None
    assert lines == ["content/data/rdfs.csv:7: error: column 'alpha': expected a number, got 'n/a' [data.value]"]


def test_thousands_separator_gets_a_hint(tmp_path: Path) -> None:
    _, lines = _load(_workspace(tmp_path, 'sample,n,alpha\nA,"1,086",0.9\n'))
    assert lines == [
        "content/data/rdfs.csv:2: error: column 'n': expected a whole number, got '1,086' "
        "(write numbers without thousands separators) [data.value]"
    ]


def test_missing_column_points_at_the_declaration(tmp_path: Path) -> None:
    _, lines = _load(_workspace(tmp_path, "sample,n,alhpa\nA,1,0.9\n"))
    assert lines[0] == (
        "content/data/rdfs.csv:1: warning: column 'alhpa' is not declared in the dataset description; "
        "read as text [data.undeclared-column]"
    )
    assert lines[1] == (
        "content/data/rdfs.yaml:3:37: error: column 'alpha' is declared but not in content/data/rdfs.csv "
        "(did you mean 'alhpa'?) [data.missing-column]"
    )


def test_dataset_without_source_is_an_error(tmp_path: Path) -> None:
    sidecar = "title: T\ncolumns: {sample: text, n: integer, alpha: number}\n"
    _, lines = _load(_workspace(tmp_path, "sample,n,alpha\nA,1,0.9\n", sidecar))
    assert lines == [
        "content/data/rdfs.yaml:1:1: error: dataset names no source publication "
        "(add 'source: bibtexkey' (or a list), or 'illustrative: true' for made-up numbers) [data.no-source]"
    ]


def test_illustrative_dataset_needs_no_source(tmp_path: Path) -> None:
    sidecar = "title: T\nillustrative: true\ncolumns: {sample: text, n: integer, alpha: number}\n"
    ds, lines = _load(_workspace(tmp_path, "sample,n,alpha\nA,1,0.9\n", sidecar))
    assert lines == [] and ds is not None and ds.illustrative  # type: ignore[attr-defined]


def test_unknown_dataset_suggests_the_closest(tmp_path: Path) -> None:
    _, lines = _load(_workspace(tmp_path, "sample,n,alpha\nA,1,0.9\n"), "rdf")
    assert lines == ["content/talks/k.yaml:4:11: error: unknown dataset 'rdf' (did you mean 'rdfs'?) [data.unknown]"]


def test_path_like_names_are_unknown_datasets(tmp_path: Path) -> None:
    _, lines = _load(_workspace(tmp_path, "sample,n,alpha\nA,1,0.9\n"), "../../etc/passwd")
    assert lines[0].startswith("content/talks/k.yaml:4:11: error: unknown dataset '../../etc/passwd'")


def test_header_only_is_empty(tmp_path: Path) -> None:
    _, lines = _load(_workspace(tmp_path, "sample,n,alpha\n"))
    assert lines == ["content/data/rdfs.csv:1: error: dataset has no data rows [data.empty]"]


def test_too_large_file_is_not_read(tmp_path: Path) -> None:
    root = _workspace(tmp_path, "sample,n,alpha\n" + "A,1,0.9\n" * 700_000)
    _, lines = _load(root)
    assert len(lines) == 1 and lines[0].endswith("[file.too-large]")


def test_ragged_row_and_missing_sidecar(tmp_path: Path) -> None:
    _, lines = _load(_workspace(tmp_path, "sample,n,alpha\nA,1\n"))
    assert lines == ["content/data/rdfs.csv:2: error: row has 2 cells, the header has 3 [data.row-length]"]
    root = _workspace(tmp_path / "other", "a\n1\n", sidecar=None)  # type: ignore[arg-type]
    _, lines = _load(root)
    assert lines[0].startswith("content/data/rdfs.yaml: error: dataset has no provenance file")


@pytest.mark.parametrize(
    "raw",
    [b"\x00\x01binary", b"\xff\xfe\x00bad", b'a,b\n"unterminated\n', b"", b"\n\n", b"a\r\n1\r\n", "α,β\n1,2\n".encode()],
)
def test_never_a_traceback(tmp_path: Path, raw: bytes) -> None:
    root = _workspace(tmp_path, "", "title: T\nsource: x\ncolumns: {a: number}\n")
    (root / "content" / "data" / "rdfs.csv").write_bytes(raw)
    diags = Diagnostics()
    load_dataset(root, "rdfs", diags, None)  # must not raise
    for d in diags.items:
        d.render()
