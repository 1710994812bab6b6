"""Tests for `@record`: it behaves as `dataclasses.dataclass` does, on classes generated at random."""

from __future__ import annotations

import copy
import dataclasses
import importlib.util
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lecturegen.records import record

REPO = Path(__file__).resolve().parents[1]

# A field: (has default, default value, compare, hash flag, repr, default comes from a factory).
FIELD = st.tuples(st.booleans(), st.integers(-3, 3), st.booleans(), st.sampled_from([None, True, False]),
                  st.booleans(), st.booleans())


def _pair(specs: list[tuple[bool, int, bool, bool | None, bool, bool]], **options: Any) -> tuple[type, type]:
    """The same class body made by dataclasses.dataclass and by record; defaults only after the required."""
    specs = sorted(specs, key=lambda s: s[0])  # required fields first, as a dataclass requires
    made = []
    for decorate in (lambda c: dataclasses.dataclass(c, frozen=options.get("frozen", True),
                                                     eq=options.get("eq", True), order=options.get("order", False)),
                     lambda c: record(**options)(c)):
        namespace: dict[str, Any] = {"__annotations__": {}, "__doc__": "A generated class."}
        for index, (has_default, value, compare, hashed, shown, factory) in enumerate(specs):
            name = f"f{index}"
            namespace["__annotations__"][name] = "int"
            kwargs: dict[str, Any] = {"compare": compare, "hash": hashed, "repr": shown}
            if has_default:
                if factory:
                    kwargs["default_factory"] = lambda value=value: value
                else:
                    kwargs["default"] = value
            namespace[name] = dataclasses.field(**kwargs)
        made.append(decorate(type("Generated", (), namespace)))
    return made[0], made[1]


@settings(max_examples=150, deadline=None)
@given(st.lists(FIELD, max_size=6), st.data())
def test_a_frozen_record_behaves_as_a_frozen_dataclass(specs: list[Any], data: st.DataObject) -> None:
    standard, ours = _pair(specs)
    required = sum(1 for s in specs if not s[0])
    values = data.draw(st.lists(st.lists(st.integers(-2, 2), min_size=len(specs), max_size=len(specs)),
                                min_size=2, max_size=2))
    count = data.draw(st.integers(required, len(specs)))
    a_std, b_std = (standard(*v[:count]) for v in values)
    a_ours, b_ours = (ours(*v[:count]) for v in values)
    assert repr(a_ours) == repr(a_std)
    assert (a_ours == b_ours) == (a_std == b_std)
    assert (a_ours != b_ours) == (a_std != b_std)
    assert hash(a_ours) == hash(a_std)  # the same tuple of hashed fields
    assert a_ours != a_std and (a_ours == 1) is False  # another class is never equal
    assert [f.name for f in dataclasses.fields(ours)] == [f.name for f in dataclasses.fields(standard)]
    assert dataclasses.asdict(a_ours) == dataclasses.asdict(a_std)
    if specs:
        changed_std = dataclasses.replace(a_std, f0=9)
        changed_ours = dataclasses.replace(a_ours, f0=9)
        assert repr(changed_ours) == repr(changed_std)
        with pytest.raises(dataclasses.FrozenInstanceError):
            a_ours.f0 = 1
        with pytest.raises(dataclasses.FrozenInstanceError):
            del a_ours.f0
    with pytest.raises(dataclasses.FrozenInstanceError):
        a_ours.other = 1  # a frozen dataclass refuses new attributes too
    assert copy.deepcopy(a_ours) == a_ours


@record
class Picklable:
    """Chart specs cross to the drawing workers pickled."""

    name: str
    values: tuple[float, ...] = ()


def test_a_record_survives_pickling_and_copying() -> None:
    thing = Picklable("bar", (1.0, 2.5))
    assert pickle.loads(pickle.dumps(thing)) == thing
    assert copy.copy(thing) == thing and copy.deepcopy(thing) is not thing


@settings(max_examples=60, deadline=None)
@given(st.lists(FIELD, min_size=1, max_size=4), st.lists(st.integers(-2, 2), min_size=8, max_size=8))
def test_order_and_mutable_records_behave_as_dataclasses(specs: list[Any], values: list[int]) -> None:
    specs = [(False, *s[1:]) for s in specs]  # all required: every instance gets its values
    standard, ours = _pair(specs, order=True)
    n = len(specs)
    std = standard(*values[:n]), standard(*values[n:2 * n])
    mine = ours(*values[:n]), ours(*values[n:2 * n])
    for op in ("__lt__", "__le__", "__gt__", "__ge__"):
        assert getattr(mine[0], op)(mine[1]) == getattr(std[0], op)(std[1])
    standard, ours = _pair(specs, frozen=False)
    thing = ours(*values[:n])
    thing.f0 = 5
    assert thing.f0 == 5
    assert ours.__hash__ is None and standard.__hash__ is None  # mutable and comparable: unhashable


def test_factories_post_init_and_fields_outside_init() -> None:
    @record(frozen=False)
    class Index:
        """A record with a derived field."""

        words: tuple[str, ...]
        seen: list[str] = dataclasses.field(default_factory=list)
        lower: frozenset[str] = dataclasses.field(init=False)
        hits: dict[str, int] = dataclasses.field(init=False, default_factory=dict)

        def __post_init__(self) -> None:
            self.lower = frozenset(w.lower() for w in self.words)

    one, two = Index(("A", "b")), Index(("A", "b"))
    assert one.lower == {"a", "b"} and one.hits == {} and one.seen == []
    one.seen.append("x")
    assert two.seen == []  # a factory per instance, never a shared default
    # Fields outside __init__ are shown, as a dataclass shows them.
    assert repr(two).startswith(f"{Index.__qualname__}(words=('A', 'b'), seen=[], lower=frozenset(")
    assert repr(two).endswith(", hits={})")


def test_what_a_record_cannot_be_is_refused() -> None:
    @dataclasses.dataclass(frozen=True)
    class Base:
        a: int

    with pytest.raises(TypeError):
        record(type("Child", (Base,), {"__annotations__": {"b": "int"}}))
    with pytest.raises(TypeError):
        record(type("Late", (), {"__annotations__": {"a": "int", "b": "int"}, "a": 1}))
    with pytest.raises(TypeError):
        record(type("Keyword", (), {"__annotations__": {"a": "int"}, "a": dataclasses.field(kw_only=True)}))


def test_the_model_is_built_of_records() -> None:
    """Every dataclass in lecturegen is a record: one slow stdlib dataclass would cost what ten records do."""
    import ast
    from pathlib import Path

    package = Path(__file__).resolve().parents[1] / "lecturegen"
    stdlib = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                for decorator in node.decorator_list:
                    target = decorator.func if isinstance(decorator, ast.Call) else decorator
                    if isinstance(target, (ast.Name, ast.Attribute)) and "dataclass" in ast.unparse(target):
                        stdlib.append(f"{path.name}:{node.name}")
    assert stdlib == []


def _python(code: str, cache: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter running `code`, its bytecode (and the records' compiled code) under `cache`."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment.update(PYTHONPATH=str(REPO), PYTHONPYCACHEPREFIX=str(cache), **env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment,
                          timeout=120, cwd=REPO)


_COUNT = ("import lecturegen.model.deck, lecturegen.records as r; "
          "print(len(r._METHODS.codes or {}), r._METHODS.added, r._METHODS.path())")


def test_compiled_inits_are_kept_for_the_next_process_and_used_there(tmp_path: Path) -> None:
    first = _python(_COUNT, tmp_path)
    assert first.returncode == 0, first.stderr
    compiled, added, path = first.stdout.split()
    assert added == "True" and Path(path).is_file() and Path(path).is_relative_to(tmp_path)
    second = _python(_COUNT, tmp_path)
    assert second.stdout.split()[:2] == [compiled, "False"]  # every __init__ found, none compiled


def test_a_damaged_or_foreign_file_is_ignored_and_replaced(tmp_path: Path) -> None:
    path = Path(_python(_COUNT, tmp_path).stdout.split()[2])
    for junk in (b"", b"not marshal at all", importlib.util.MAGIC_NUMBER + b"\xff\x00garbage", b"\x00" * 4 + b"x"):
        path.write_bytes(junk)
        result = _python(_COUNT + "; from lecturegen.model.geometry import Box; print(Box(1, 2, 3, 4).cx)", tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split()[1] == "True" and result.stdout.split()[-1] == "3"
        assert path.read_bytes().startswith(importlib.util.MAGIC_NUMBER)


def test_nothing_is_written_where_python_writes_no_bytecode(tmp_path: Path) -> None:
    result = _python(_COUNT, tmp_path, PYTHONDONTWRITEBYTECODE="1")
    assert result.returncode == 0, result.stderr
    assert not Path(result.stdout.split()[2]).exists()


def test_a_record_without_a_docstring_is_documented_by_its_fields() -> None:
    @record
    class Pair:
        left: int
        right: str = "r"

    assert Pair.__doc__ == "Pair(left, right)"
    assert Pair(1) == Pair(1, "r")
