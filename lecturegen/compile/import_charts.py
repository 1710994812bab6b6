"""Compile layer (pure): an imported deck's native charts as datasets (CSV + sidecar), and the file names and
YAML text of the workspace made from it."""

from __future__ import annotations

import re
from typing import Any

from lecturegen.model.roundtrip import ShapeText


def slug(text: str, taken: set[str]) -> str:
    """A file name for the text (lower case, hyphens, 40 characters at most) not yet in `taken`, then taken."""
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-") or "section"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def outline_file(data: dict[str, Any], comment: str) -> str:
    """A workspace YAML file's text: the comment line, then the data as an outline writes it."""
    from lecturegen.sources.yaml_edit import dump_outline

    return f"{comment}\n{dump_outline(data)}"


class ChartDatasets:
    """Native charts' data as datasets (content/data/NAME.csv + its sidecar), all sourced to the deck itself."""

    def __init__(self, key: str, deck_name: str):
        self.key = key
        self.deck_name = deck_name
        self.files: dict[str, str] = {}
        self.taken: set[str] = set()

    def chart_slide(self, shape: ShapeText, title: str, where: str) -> dict[str, Any]:
        import csv
        import io

        assert shape.chart is not None
        kind, categories, series = shape.chart
        name = slug(title, self.taken)
        columns: list[str] = []
        for index, (label, _values) in enumerate(series):
            column = " ".join(label.split()) or f"series {index + 1}"
            while column in columns or column == "category":
                column += " (2)"
            columns.append(column)
        if kind == "pie":
            columns, series = columns[:1], series[:1]
        rows = max([len(categories)] + [len(values) for _, values in series])
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["category", *columns])
        for r in range(rows):
            category = categories[r] if r < len(categories) else f"{r + 1}"
            cells = [values[r] if r < len(values) else None for _, values in series]
            writer.writerow([category or f"{r + 1}", *("" if v is None else f"{v:g}" for v in cells)])
        self.files[f"content/data/{name}.csv"] = out.getvalue()
        sidecar = {"title": title, "source": [self.key], "where": f"{where} of {self.deck_name} (a native chart)",
                   "columns": {"category": "text", **{c: "number" for c in columns}}}
        self.files[f"content/data/{name}.yaml"] = outline_file(sidecar, "# The numbers of a chart in the imported deck")
        chart_type = {"bar": "grouped-bar" if len(columns) > 1 else "bar", "line": "line", "pie": "pie"}[kind]
        spec: dict[str, Any] = {"type": chart_type, "data": name, "x": "category",
                                "y": columns[0] if len(columns) == 1 else columns, "native": True}
        return {"kind": "chart", "chart": spec}
