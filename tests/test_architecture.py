"""The layers as docs/ARCHITECTURE.md draws them: who may import whom, no cycles, and a compile that is pure."""

from __future__ import annotations

import ast
import builtins
import io
import os
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lecturegen"
# Shared by every layer: located diagnostics, the workspace's paths, OOXML names, cheap dataclasses, the version.
BASE = {"diagnostics", "workspace", "ooxml", "records", "__init__", "__main__"}
# Layer → the layers it may import (besides BASE). Nothing imports "upwards".
ALLOWED = {
    "model": set(),
    "sources": {"model"},
    "compile": {"model", "sources"},
    "render": {"model"},
    "store": {"model", "sources", "compile", "render"},
    "build": {"model", "sources", "compile", "render", "store"},
    "commands": {"model", "sources", "compile", "render", "store", "build"},
    "watch": {"commands", "store"},
    "cli": {"commands", "watch"},
    "data": set(),
}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(top_level_only: bool) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        module = _module(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = tree.body if top_level_only else list(ast.walk(tree))
        for node in nodes:
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("lecturegen"):
                graph[module].add(node.module)
            elif isinstance(node, ast.Import):
                graph[module].update(a.name for a in node.names if a.name.startswith("lecturegen"))
    return graph


def test_no_layer_imports_upwards() -> None:
    """Every import, at module level or inside a function, follows the layer table."""
    wrong = []
    for module, targets in _imports(top_level_only=False).items():
        source = _layer(module)
        for target in targets:
            layer = _layer(target)
            if layer == source or layer in BASE or source in BASE:
                continue
            if layer not in ALLOWED.get(source, set()):
                wrong.append(f"{module} → {target}")
    assert not wrong, "imports against the layers:\n" + "\n".join(sorted(wrong))


def test_render_neither_measures_nor_compiles() -> None:
    graph = _imports(top_level_only=False)
    leaks = [f"{m} → {t}" for m, ts in graph.items() if _layer(m) == "render" for t in ts
             if _layer(t) in ("compile", "sources", "store", "build")]
    assert leaks == []


def test_no_import_cycles() -> None:
    graph = _imports(top_level_only=True)
    known = set(graph) | {t for ts in graph.values() for t in ts}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in known:
                continue
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(known):
        if node not in state:
            cycle = visit(node)
            assert cycle is None, "import cycle: " + " → ".join(cycle)


@pytest.mark.parametrize("talk", ["keynote-1h", "workshop-1day"])
def test_compile_touches_no_file_and_starts_no_process(repo_root: Path, tmp_path: Path, talk: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """talk_to_deck with every way to open a file or start a process forbidden: it still compiles."""
    from lecturegen.build import load, store_for
    from lecturegen.compile.deck import CompileInputs, CompileOptions, collect_citations, talk_to_deck
    from lecturegen.compile.layout import Fonts, LayoutContext
    from lecturegen.compile.style import resolve_style, sizes_for
    from lecturegen.diagnostics import Diagnostics
    from lecturegen.store.citations import CachedCitations
    from lecturegen.store.disk import Store
    from lecturegen.workspace import Workspace

    workspace = Workspace(repo_root)
    diags = Diagnostics()
    loaded = load(workspace, talk, diags, store_for(workspace, writable=False))
    template = loaded.template
    engine = CachedCitations(loaded.bibliography, loaded.bibliography_bytes, loaded.talk.style, loaded.talk.locale,
                             repo_root, Store(tmp_path / "cold"))  # a cold cache: citeproc does the work
    style = resolve_style(loaded.theme, template, loaded.fonts[template.fonts.major].face,
                          loaded.fonts[template.fonts.minor].face)
    layout = LayoutContext(template, style, sizes_for(loaded.theme),
                           Fonts(dict(loaded.fonts), template.fonts.major, template.fonts.minor), footer="")
    inputs = CompileInputs(talk=loaded.talk, layout=layout, citations=engine, datasets=loaded.inputs.datasets,
                           images=loaded.inputs.images, options=CompileOptions(timestamp=0),
                           credits=loaded.inputs.credits)
    citations = collect_citations(inputs)
    engine.register(citations)

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"compile did I/O: {args[:1]}")

    for owner, name in ((builtins, "open"), (io, "open"), (os, "open"), (os, "listdir"), (os, "scandir"),
                        (os, "stat"), (subprocess, "Popen"), (subprocess, "run"), (os, "system")):
        monkeypatch.setattr(owner, name, forbidden)
    monkeypatch.setattr(Path, "read_bytes", forbidden)
    monkeypatch.setattr(Path, "read_text", forbidden)
    result = talk_to_deck(inputs, diags, citations)
    monkeypatch.undo()
    assert not diags.has_errors, [d.render() for d in diags.errors]
    assert len(result.deck.slides) > 20
    assert all(slide.shapes for slide in result.deck.slides)
