"""Benchmark: rows of results, the issue's targets with pass/fail marks, the stdout table and the JSON file."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from measure import Paired, median

MIB = 1024.0  # ru_maxrss is in KiB on Linux


@dataclass(frozen=True)
class Target:
    """A target from issue 13: a paired ratio (lecturegen ÷ pandoc) or lecturegen's own median."""

    measure: Literal["ratio", "seconds"]
    limit: float
    shown: str  # as the issue writes it

    def text(self) -> str:
        return self.shown


# The targets of issue 13 ("Targets (benchmarks, not timed tests; ratios are lecturegen ÷ pandoc, paired)").
TARGETS: dict[str, Target] = {
    "edit": Target("ratio", 0.5, "≤ 0.5×"),
    "force": Target("ratio", 0.8, "≤ 0.8×"),
    "cold": Target("ratio", 2.5, "≤ 2.5×"),
    "slides-1000": Target("ratio", 0.3, "≤ 0.3×"),
    "watch": Target("seconds", 0.150, "≤ 150 ms"),
    "memory-force": Target("ratio", 0.5, "≤ 0.5×"),
    "memory-cold": Target("ratio", 0.5, "≤ 0.5×"),
    "memory-slides-1000": Target("ratio", 0.5, "≤ 0.5×"),
    "help": Target("seconds", 0.1, "≤ 0.1 s"),
}


@dataclass
class Row:
    key: str
    label: str
    unit: Literal["s", "MiB"] = "s"
    lecturegen: list[float] = field(default_factory=list)
    pandoc: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    skipped: str | None = None
    notes: dict[str, str | int] = field(default_factory=dict)
    # CPU seconds (user + system) per run: far less sensitive than wall time to other work on the machine.
    cpu_lecturegen: list[float] = field(default_factory=list)
    cpu_pandoc: list[float] = field(default_factory=list)
    cpu_ratios: list[float] = field(default_factory=list)

    @property
    def target(self) -> Target | None:
        return TARGETS.get(self.key)

    @property
    def passed(self) -> bool | None:
        target = self.target
        if target is None or self.skipped:
            return None
        value = median(self.ratios) if target.measure == "ratio" else median(self.lecturegen)
        return None if value is None else value <= target.limit

    def to_json(self) -> dict[str, object]:
        target = self.target
        return {
            "key": self.key, "label": self.label, "unit": self.unit, "skipped": self.skipped,
            "lecturegen": {"median": median(self.lecturegen), "runs": self.lecturegen},
            "pandoc": {"median": median(self.pandoc), "runs": self.pandoc},
            "ratio": {"median": median(self.ratios), "pairs": self.ratios},
            "cpu_seconds": {"lecturegen": median(self.cpu_lecturegen), "pandoc": median(self.cpu_pandoc),
                            "ratio": median(self.cpu_ratios)} if self.cpu_lecturegen else None,
            "target": target.text() if target else None, "passed": self.passed, **self.notes,
        }


def time_row(key: str, label: str, paired: Paired, **notes: str | int) -> Row:
    row = Row(key, label, "s", [r.seconds for r in paired.lecturegen], [r.seconds for r in paired.pandoc],
              paired.ratios, notes=dict(notes))
    if all(r.cpu_seconds for r in paired.lecturegen):  # a watch rebuild is timed from its output: no rusage
        row.cpu_lecturegen = [r.cpu_seconds for r in paired.lecturegen]
        row.cpu_pandoc = [r.cpu_seconds for r in paired.pandoc]
        row.cpu_ratios = paired.cpu_ratios
    return row


def memory_row(key: str, label: str, paired: Paired) -> Row:
    return Row(key, label, "MiB", [r.peak_kib / MIB for r in paired.lecturegen],
               [r.peak_kib / MIB for r in paired.pandoc], paired.memory_ratios)


def _value(values: list[float], unit: str) -> str:
    value = median(values)
    if value is None:
        return "—"
    return f"{value:.0f} MiB" if unit == "MiB" else f"{value:.3f} s"


def _ratio(values: list[float]) -> str:
    value = median(values)
    return "—" if value is None else f"{value:.2f}×"


def table(rows: list[Row]) -> str:
    """Medians, the median paired ratio (judged against the target) and, beside it, the CPU-time ratio."""
    width = max([len("scenario")] + [len(r.label) for r in rows])
    lines = [f"{'scenario':<{width}} {'lecturegen':>11} {'pandoc':>11} {'ratio':>7} {'cpu':>7}  target"]
    for row in rows:
        target = row.target.text() if row.target else "—"
        if row.skipped:
            lines.append(f"{row.label:<{width}} {'skipped':>11} {'':>11} {'':>7} {'':>7}  {target}  ({row.skipped})")
            continue
        mark = {True: " ✔", False: " ✘", None: ""}[row.passed]
        lines.append(f"{row.label:<{width}} {_value(row.lecturegen, row.unit):>11} {_value(row.pandoc, row.unit):>11} "
                     f"{_ratio(row.ratios):>7} {_ratio(row.cpu_ratios):>7}  {target}{mark}")
    return "\n".join(lines)


def write_json(path: Path, meta: dict[str, object], rows: list[Row]) -> None:
    path.write_text(json.dumps({"meta": meta, "scenarios": [r.to_json() for r in rows]}, indent=2,
                               ensure_ascii=False) + "\n", encoding="utf-8")
