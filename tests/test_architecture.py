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
# Shared by every layer: located diagnostics, the workspace's paths, OOXML names, cheap dataclasses. They import
# only one another, never a layer.
SHARED = {"diagnostics", "workspace", "ooxml", "records"}
BASE = SHARED | {"__init__"}
# Layer → the layers it may import (besides SHARED). Nothing imports "upwards".
ALLOWED = {
    "model": set(),
    "sources": {"model"},
    "compile": {"model", "sources"},
    "render": {"model"},
    "store": {"model", "sources", "compile", "render"},
    "build": {"model", "sources", "compile", "render", "store"},
    "commands": {"model", "sources", "compile", "render", "store", "build"},
    "watch": {"commands", "store"},
    "cli": {"commands", "watch", "cli_options"},
    "cli_options": {"commands", "watch"},  # what every command of the CLI shares (options, exits, Ctrl-C)
    "__main__": {"cli"},
    "data": set(),
    "__init__": set(),
}
for shared in SHARED:
    ALLOWED[shared] = set()


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _targets(node: ast.AST, module: str, is_package: bool) -> set[str]:
    """The lecturegen modules one import statement (or `importlib.import_module("…")` call) reaches."""
    found: set[str] = set()
    if isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:  # relative: `from ..compile import layout`, `from . import x`
            package = module.split(".") if is_package else module.split(".")[:-1]
            package = package[:len(package) - (node.level - 1)]
            base = ".".join(package + ([base] if base else []))
        if base == "lecturegen" or (node.level and not node.module):
            # `from lecturegen import build`, `from . import layout`: each name may be a module
            for alias in node.names:  # a module of that name, or a name the package itself defines
                path = PACKAGE.parent.joinpath(*base.split("."), alias.name)
                found.add(f"{base}.{alias.name}" if path.with_suffix(".py").exists() or path.is_dir() else base)
        elif base.startswith("lecturegen"):
            found.add(base)
    elif isinstance(node, ast.Import):
        found.update(a.name for a in node.names if a.name.startswith("lecturegen"))
    elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
            and isinstance(node.args[0].value, str) and node.args[0].value.startswith("lecturegen"):
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name in ("import_module", "__import__", "find_spec"):
            found.add(node.args[0].value)
    return found


def _imports(top_level_only: bool) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        module = _module(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = tree.body if top_level_only else list(ast.walk(tree))
        for node in nodes:
            graph[module].update(_targets(node, module, path.name == "__init__.py"))
    return graph


def test_no_layer_imports_upwards() -> None:
    """Every import, at module level or inside a function, follows the layer table."""
    wrong = []
    for module, targets in _imports(top_level_only=False).items():
        source = _layer(module)
        for target in targets:
            layer = _layer(target)
            if layer == source or layer in BASE:  # the package's __init__ holds only its version
                continue
            if layer not in ALLOWED.get(source, set()):
                wrong.append(f"{module} → {target}")
    assert not wrong, "imports against the layers:\n" + "\n".join(sorted(wrong))


@pytest.mark.parametrize("planted", [
    "from ..compile import layout\n", "from lecturegen import build\n", "from . import commands\n",
    "import importlib\nimportlib.import_module('lecturegen.store.disk')\n"])
def test_the_layer_check_sees_every_way_to_import(planted: str) -> None:
    """Relative imports, package-level names, a shared module reaching up and importlib all count."""
    module, is_package = ("lecturegen.render.planted", False) if planted.startswith("from ..") else \
        ("lecturegen.workspace", False) if "commands" in planted else ("lecturegen.model.planted", False)
    found = set()
    for node in ast.walk(ast.parse(planted)):
        found |= _targets(node, module, is_package)
    layers = {_layer(t) for t in found}
    assert layers and not layers <= ALLOWED[_layer(module)] | SHARED | {_layer(module)}, (planted, found)


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


def test_import_linter_contracts_are_kept(repo_root: Path) -> None:
    """The same layers as import-linter contracts (pyproject.toml), judged on its own import graph."""
    import shutil

    if shutil.which("lint-imports") is None:
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    result = subprocess.run(["lint-imports", "--config", str(repo_root / "pyproject.toml")], cwd=repo_root,
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(repo_root) + os.pathsep + os.environ.get("PYTHONPATH", "")})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout
