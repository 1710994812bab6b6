"""Shared by every layer: `@record`, a dataclass that is cheap to create, for the model and the specs.

CPython 3.11 builds each method of a dataclass by compiling generated source: a frozen dataclass costs six
compilations (`__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__`, `__delattr__`), about 0.5 ms
on an idle machine, and the 90 records a build imports made a fifth of a one-word rebuild. A record is a
real dataclass (`dataclasses.fields`, `replace`, `asdict` and pickling work on it) whose `__init__` and
`__repr__` are compiled, as one source; the others are shared functions over the fields, with the semantics
of the standard library's:

- `__eq__`: same class and equal compared fields, else NotImplemented;
- `__hash__` (frozen only): the hash of the hashed fields (`field(hash=…)`, else the compared ones); a
  mutable record is unhashable, as a mutable dataclass is;
- `__repr__`: `Name(field=value, …)` over the fields with `repr=True`, guarded against recursion;
- frozen: assigning or deleting a field raises `dataclasses.FrozenInstanceError`;
- `order=True`: `<`, `<=`, `>`, `>=` compare the fields as tuples, within one class.

Unsupported (refused when declared): `InitVar`, `ClassVar`, `KW_ONLY`/`kw_only`, inheriting from another dataclass.
`tests/test_records.py` checks the equivalence against `dataclasses.dataclass` on generated classes.

Compiling the 140 records a build declares still took 11 ms of a 250 ms rebuild, so the compiled code is kept
between processes as Python keeps a module's (`_CompiledMethods`): beside this module's bytecode, by the generated
source, written only where Python would write bytecode.
"""

from __future__ import annotations

import dataclasses
import marshal
import os
import reprlib
import sys
from operator import attrgetter
from types import CodeType
from typing import Any, Callable, TypeVar, dataclass_transform, overload

__all__ = ["record"]

T = TypeVar("T")
_SET = object.__setattr__


class _Factory:
    """Marks a default made by a factory in the compiled __init__'s signature."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def _values(names: tuple[str, ...]) -> Callable[[object], tuple[Any, ...]]:
    """The named attributes of an object as a tuple (attrgetter returns a bare value for one name)."""
    if not names:
        return lambda obj: ()
    if len(names) == 1:
        (name,) = names
        return lambda obj: (getattr(obj, name),)
    return attrgetter(*names)


def _init_source(fields: list[dataclasses.Field[Any]], frozen: bool, post_init: bool) -> tuple[str, dict[str, Any]]:
    """Source of __init__ and the names it refers to."""
    namespace: dict[str, Any] = {"__record_set": _SET, "__record_factory": _FACTORY}
    params = ["self"]
    body = []
    seen_default = False
    for field in fields:
        name = field.name
        if field.init:
            if field.default is not dataclasses.MISSING:
                namespace[f"__record_default_{name}"] = field.default
                params.append(f"{name}=__record_default_{name}")
                seen_default = True
                value = name
            elif field.default_factory is not dataclasses.MISSING:
                namespace[f"__record_make_{name}"] = field.default_factory
                params.append(f"{name}=__record_factory")
                seen_default = True
                value = f"__record_make_{name}() if {name} is __record_factory else {name}"
            else:
                if seen_default:
                    raise TypeError(f"non-default argument {name!r} follows default argument")
                params.append(name)
                value = name
        elif field.default is not dataclasses.MISSING:
            namespace[f"__record_default_{name}"] = field.default
            value = f"__record_default_{name}"
        elif field.default_factory is not dataclasses.MISSING:
            namespace[f"__record_make_{name}"] = field.default_factory
            value = f"__record_make_{name}()"
        else:
            continue  # init=False with no default: the field is set by __post_init__, as in a dataclass
        body.append(f"    __record_set(self, {name!r}, {value})" if frozen else f"    self.{name} = {value}")
    if post_init:
        body.append("    self.__post_init__()")
    source = f"def __init__({', '.join(params)}) -> None:\n" + ("\n".join(body) or "    pass") + "\n"
    return source, namespace


class _CompiledMethods:
    """Compiled method sources (`__init__` and `__repr__`), kept between processes beside this module's bytecode.

    The file is read at the first record and rewritten at exit when this process compiled a source it lacked,
    unless bytecode is not written here (`sys.dont_write_bytecode`, a read-only folder). An entry is found by
    its whole source, so a changed record compiles anew; the file holds at most `LIMIT` entries (this process's
    when more). A file from another Python, damaged or unreadable is ignored."""

    LIMIT = 2_000

    def __init__(self) -> None:
        self.codes: dict[str, CodeType] | None = None
        self.used: set[str] = set()
        self.added = False

    def path(self) -> str | None:
        from importlib.util import cache_from_source

        try:
            return cache_from_source(__file__).removesuffix(".pyc") + ".methods"
        except (NotImplementedError, ValueError):
            return None

    def code(self, source: str) -> CodeType:
        if self.codes is None:
            self.codes = self._read()
        self.used.add(source)
        code = self.codes.get(source)
        if code is None:
            code = compile(source, "<record methods>", "exec")
            self.codes[source] = code
            if not self.added:
                self.added = True
                import atexit

                atexit.register(self.write)
        return code

    def _read(self) -> dict[str, CodeType]:
        from importlib.util import MAGIC_NUMBER

        path = self.path()
        try:
            with open(path or "", "rb") as file:
                data = file.read()
            if not data.startswith(MAGIC_NUMBER):
                return {}
            codes = marshal.loads(data[len(MAGIC_NUMBER):])
        except (OSError, ValueError, EOFError, TypeError):
            return {}
        if not isinstance(codes, dict) or not all(isinstance(k, str) and isinstance(v, CodeType)
                                                  for k, v in codes.items()):
            return {}
        return codes

    def write(self) -> None:
        """Keep this process's compiled sources (atomically: processes building at once each leave a whole file)."""
        from importlib.util import MAGIC_NUMBER

        path = self.path()
        if sys.dont_write_bytecode or path is None or self.codes is None:
            return
        codes = self.codes if len(self.codes) <= self.LIMIT else {k: self.codes[k] for k in self.used}
        temporary = f"{path}.{os.getpid()}.tmp"
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(temporary, "wb") as file:
                file.write(MAGIC_NUMBER + marshal.dumps(codes))
            os.replace(temporary, path)
        except OSError:
            try:
                os.unlink(temporary)
            except OSError:
                pass


_METHODS = _CompiledMethods()


def _repr_source(shown: tuple[str, ...]) -> str:
    """Source of __repr__: one f-string over the fields (a slide's cache key is its repr; compiled, it is made
    in 40 % of the time a loop over the field names took)."""
    parts = ", ".join(f"{name}={{self.{name}!r}}" for name in shown)
    return f'def __repr__(self):\n    return f"{{type(self).__qualname__}}({parts})"\n'


def _install(cls: type, name: str, function: Callable[..., Any]) -> None:
    function.__qualname__ = f"{cls.__qualname__}.{name}"
    function.__name__ = name
    setattr(cls, name, function)


def _build(cls: type[T], frozen: bool, eq: bool, order: bool) -> type[T]:
    if any(dataclasses.is_dataclass(base) for base in cls.__mro__[1:]):
        raise TypeError(f"record {cls.__name__} may not inherit from a dataclass")
    # A dataclass without a docstring gets one from inspect.signature(cls), which for a class with no __init__
    # of its own tokenizes object's text signature: a third of declaring a record. Ours names the fields.
    undocumented = cls.__dict__.get("__doc__") is None
    if undocumented:
        cls.__doc__ = cls.__name__  # replaced below, once the fields are known
    # Fields, defaults and the dataclass metadata from the standard library, with no method generated.
    cls = dataclasses.dataclass(cls, init=False, repr=False, eq=False, order=False, frozen=False)
    fields = list(dataclasses.fields(cls))  # type: ignore[arg-type]
    if any(f.kw_only for f in fields) or cls.__dataclass_fields__.keys() - {f.name for f in fields}:  # type: ignore[attr-defined]
        raise TypeError(f"record {cls.__name__}: InitVar, ClassVar and keyword-only fields are not supported")
    # The flags a dataclass records, as they are now true of the class.
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    params.init, params.repr, params.eq, params.order, params.frozen = True, True, eq, order, frozen

    source, namespace = _init_source(fields, frozen, hasattr(cls, "__post_init__"))
    source += _repr_source(tuple(f.name for f in fields if f.repr))
    exec(_METHODS.code(source), namespace)  # noqa: S102  # our own template over field names the class declares
    _install(cls, "__init__", namespace["__init__"])
    if undocumented:
        cls.__doc__ = f"{cls.__name__}({', '.join(f.name for f in fields if f.init)})"
    _install(cls, "__repr__", reprlib.recursive_repr()(namespace["__repr__"]))

    compared = _values(tuple(f.name for f in fields if f.compare))
    if eq:
        def __eq__(self: object, other: object) -> bool:
            if other.__class__ is self.__class__:
                return compared(self) == compared(other)
            return NotImplemented

        _install(cls, "__eq__", __eq__)
        if frozen:
            hashed = _values(tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash)))

            def __hash__(self: object) -> int:
                return hash(hashed(self))

            _install(cls, "__hash__", __hash__)
        else:
            cls.__hash__ = None  # type: ignore[assignment]  # mutable and comparable: unhashable, as a dataclass
    if order:
        _install_order(cls, compared)
    if frozen:
        _install_frozen(cls, frozenset(f.name for f in fields))
    return cls


def _install_order(cls: type, compared: Callable[[object], tuple[Any, ...]]) -> None:
    """`<`, `<=`, `>`, `>=` on the compared fields, as a tuple, between instances of the same class."""
    for name, test in (("__lt__", tuple.__lt__), ("__le__", tuple.__le__), ("__gt__", tuple.__gt__),
                       ("__ge__", tuple.__ge__)):
        def compare(self: object, other: object, test: Callable[[tuple[Any, ...], tuple[Any, ...]], bool] = test) \
                -> bool:
            if other.__class__ is self.__class__:
                return test(compared(self), compared(other))
            return NotImplemented

        _install(cls, name, compare)


def _install_frozen(cls: type, names: frozenset[str]) -> None:
    """No field assigned or deleted after `__init__` (which sets them through `object.__setattr__`)."""
    def __setattr__(self: object, name: str, value: object) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)  # type: ignore[arg-type]

    def __delattr__(self: object, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)  # type: ignore[arg-type]

    _install(cls, "__setattr__", __setattr__)
    _install(cls, "__delattr__", __delattr__)


@overload
def record(cls: type[T], /) -> type[T]: ...


@overload
def record(*, frozen: bool = True, eq: bool = True, order: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: type[T] | None = None, /, *, frozen: bool = True, eq: bool = True,
           order: bool = False) -> type[T] | Callable[[type[T]], type[T]]:
    """`@record` (frozen) or `@record(frozen=False, eq=…, order=…)`: a dataclass with one compiled method."""
    if cls is not None:
        return _build(cls, frozen, eq, order)
    return lambda c: _build(c, frozen, eq, order)
