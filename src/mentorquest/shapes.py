"""Reading and writing declared shapes as JSON: one generic, strict reader and writer.

Every shape mentorquest keeps or sends (a scenario as compiled, an attempt's state, its
result and debrief, a completion record) is declared once, as a frozen dataclass. This
module turns any of them into plain JSON values and back, driven by the dataclass's own
fields and type hints, so that no shape needs a hand-written reader.

Reading is strict, as a saved record deserves: a missing field (one without a default),
an unknown field or a wrong type is refused with a `ShapeError` that names the field's
path (`AttemptState.path[2].choice: expected a string, got a whole number (3)`). A bool
is never a number, and a number is never text. Constraints beyond types (ranges, id
patterns) are the validator's business (`mentorquest.language.validator`), not this
module's: what is read here was validated before it was written.

A field may say how it is spelt in JSON with `field(metadata={"alias": "if"})`, for names
Python reserves. Shapes that pydantic validates too (the scenario format, completion
records) derive from `Declared`, which tells pydantic how, and state constraints with
`Constrained`. This module imports nothing beyond the standard library, so a play
session can use it without loading pydantic.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema

__all__ = [
    "Constrained",
    "Declared",
    "ShapeError",
    "from_data",
    "from_json",
    "read",
    "to_data",
    "to_json",
]

T = TypeVar("T")
Reader = Callable[[Any, str], Any]

_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class ShapeError(ValueError):
    """JSON that does not have the declared shape; the message names the field at fault."""


# --- declaring ---------------------------------------------------------------------------


class Constrained:
    """Constraints on a value (pydantic core-schema keys: ge, le, pattern, min_length).

    Kept as plain data so that declaring a field costs nothing at run time; pydantic
    applies them when it builds the validator.
    """

    __slots__ = ("constraints",)

    def __init__(self, **constraints: Any) -> None:
        self.constraints = constraints

    def __repr__(self) -> str:
        return f"Constrained({self.constraints})"

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        schema = handler(source)
        schema.update(self.constraints)  # type: ignore[attr-defined]
        return schema


class Declared:
    """The base of declared shapes: how pydantic validates them, when it is asked to.

    Unknown fields are refused and values are taken strictly (a yes/no is not text, "3"
    is not a number); descriptions come from the docstring under each field; a field
    spelt otherwise in JSON than in Python says so with `metadata={"alias": ...}`.
    Nothing here imports pydantic: it calls these hooks when it builds a validator.
    """

    __slots__ = ()  # shapes declared with slots=True keep them

    __pydantic_config__ = {
        "extra": "forbid",
        "strict": True,
        "use_attribute_docstrings": True,
    }

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> Any:
        schema = handler(source)
        aliases = {
            f.name: f.metadata["alias"]
            for f in dataclasses.fields(cls)  # type: ignore[arg-type]
            if "alias" in f.metadata
        }
        if aliases and schema.get("type") == "dataclass":
            for spec in schema["schema"]["fields"]:
                if spec["name"] in aliases:
                    spec["validation_alias"] = aliases[spec["name"]]
                    spec["serialization_alias"] = aliases[spec["name"]]
        return schema


# --- writing -----------------------------------------------------------------------------


def to_data(value: Any, version: int | None = None) -> Any:
    """Plain JSON values: dataclasses as objects (in field order, aliases applied),
    tuples as lists, mappings as objects.

    With `version`, fields declared `since` a later version of their format
    (`field(metadata={"since": 2})`) are left out, so that a document of an earlier format
    is written exactly as it was.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            json_name: to_data(getattr(value, name), version)
            for name, json_name, since in _names(type(value))
            if version is None or since <= version
        }
    if isinstance(value, (list, tuple)):
        return [to_data(item, version) for item in value]
    if isinstance(value, Mapping):
        return {key: to_data(item, version) for key, item in value.items()}
    return value


def to_json(value: Any, version: int | None = None) -> str:
    """Compact JSON with non-ASCII text kept as it is."""
    return _COMPACT(to_data(value, version))


@cache
def _names(cls: type) -> tuple[tuple[str, str, int], ...]:
    """(attribute name, JSON name, since) of each field, in declaration order."""
    return tuple(
        (f.name, f.metadata.get("alias", f.name), f.metadata.get("since", 0))
        for f in dataclasses.fields(cls)
        if f.init
    )


# --- reading -----------------------------------------------------------------------------


def from_json(cls: type[T], text: str | bytes, where: str | None = None) -> T:
    """An instance of the dataclass `cls` from JSON text; ShapeError if it does not fit."""
    where = where or cls.__name__
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:  # JSONDecodeError, UnicodeDecodeError
        raise ShapeError(f"{where}: not valid JSON ({error})") from None
    return from_data(cls, data, where)


def from_data(cls: type[T], data: Any, where: str | None = None) -> T:
    """An instance of the dataclass `cls` from plain JSON values; ShapeError if it does not fit."""
    if isinstance(data, cls):
        return data
    result: T = reader_for(cls)(data, where or cls.__name__)  # type: ignore[arg-type]
    return result


def read(hint: Any, data: Any, where: str) -> Any:
    """A value of any supported type hint from plain JSON values; ShapeError if it does not fit."""
    return reader_for(hint)(data, where)


@cache
def reader_for(hint: Any) -> Reader:
    """The reading function for a type hint (compiled once per hint)."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Annotated:
        return reader_for(args[0])
    if hint is Any:
        return _any
    if hint is str:
        return _string
    if hint is bool:
        return _boolean
    if hint is int:
        return _integer
    if hint is float:
        return _number
    if hint is type(None) or hint is None:
        return _null
    if origin is typing.Literal:
        return _literal(args)
    if origin in (typing.Union, types.UnionType):
        return _union(args)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return _sequence(reader_for(args[0]), tuple)
        return _fixed_tuple(tuple(reader_for(arg) for arg in args))
    if origin is list:
        return _sequence(reader_for(args[0]) if args else _any, list)
    if origin in (dict, Mapping) or hint in (dict, Mapping):
        return _table(reader_for(args[1]) if len(args) == 2 else _any)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _object(hint)
    raise TypeError(f"shapes cannot read values of type {hint!r}")


def _any(value: Any, where: str) -> Any:
    return value


def _string(value: Any, where: str) -> str:
    if value.__class__ is not str:
        raise _wrong("a string", value, where)
    return value  # type: ignore[no-any-return,unused-ignore]


def _integer(value: Any, where: str) -> int:
    # bool is a subclass of int in Python, but `true` is not a number in a saved record.
    if value.__class__ is not int:
        raise _wrong("a whole number", value, where)
    return value  # type: ignore[no-any-return,unused-ignore]


def _number(value: Any, where: str) -> float:
    if value.__class__ is float:
        return value  # type: ignore[no-any-return,unused-ignore]
    if value.__class__ is int:
        return float(value)
    raise _wrong("a number", value, where)


def _boolean(value: Any, where: str) -> bool:
    if value.__class__ is not bool:
        raise _wrong("true or false", value, where)
    return value  # type: ignore[no-any-return,unused-ignore]


def _null(value: Any, where: str) -> None:
    if value is not None:
        raise _wrong("null", value, where)


def _literal(allowed: tuple[Any, ...]) -> Reader:
    def read_literal(value: Any, where: str) -> Any:
        for option in allowed:
            if value == option and value.__class__ is option.__class__:
                return option
        shown = " or ".join(json.dumps(option) for option in allowed)
        raise _wrong(f"one of {shown}", value, where)

    return read_literal


_EXPECTED: dict[Reader, str] = {
    _string: "a string",
    _integer: "a whole number",
    _number: "a number",
    _boolean: "true or false",
}


def _union(members: tuple[Any, ...]) -> Reader:
    optional = type(None) in members
    rest = tuple(m for m in members if m is not type(None))
    if len(rest) == 1:
        inner = reader_for(rest[0])
        if optional:

            def read_optional(value: Any, where: str) -> Any:
                return None if value is None else inner(value, where)

            return read_optional
        return inner
    readers = tuple(reader_for(member) for member in rest)

    def read_union(value: Any, where: str) -> Any:
        if value is None and optional:
            return None
        for read in readers:
            try:
                return read(value, where)
            except ShapeError:
                continue
        names = [_EXPECTED.get(read, "a value of another shape") for read in readers]
        raise _wrong(" or ".join(names), value, where)

    return read_union


def _sequence(item: Reader, kind: type) -> Reader:
    def read_sequence(value: Any, where: str) -> Any:
        if value.__class__ is not list and value.__class__ is not tuple:
            raise _wrong("a list", value, where)
        return kind(item(entry, f"{where}[{index}]") for index, entry in enumerate(value))

    return read_sequence


def _fixed_tuple(items: tuple[Reader, ...]) -> Reader:
    size = len(items)
    words = {1: "one item", 2: "two items", 3: "three items"}.get(size, f"{size} items")

    def read_fixed(value: Any, where: str) -> tuple[Any, ...]:
        if value.__class__ not in (list, tuple) or len(value) != size:
            raise _wrong(f"a list of {words}", value, where)
        return tuple(
            read(entry, f"{where}[{i}]")
            for i, (read, entry) in enumerate(zip(items, value, strict=True))
        )

    return read_fixed


def _table(item: Reader) -> Reader:
    """A JSON object used as a mapping from names to values."""

    def read_table(value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise _wrong("an object", value, where)
        out = {}
        for key, entry in value.items():
            _string(key, f"{where} key")
            out[key] = item(entry, f"{where}[{key!r}]")
        return out

    return read_table


def _object(cls: type) -> Reader:
    # The field readers are compiled on first use: a shape may refer to itself.
    plan: list[tuple[str, str, Reader]] = []
    by_json_name: dict[str, tuple[str, Reader]] = {}
    required: list[str] = []

    def compile_plan() -> None:
        hints = typing.get_type_hints(cls, include_extras=True)
        for f in dataclasses.fields(cls):
            if not f.init:
                continue
            json_name = f.metadata.get("alias", f.name)
            read = reader_for(hints[f.name])
            plan.append((f.name, json_name, read))
            by_json_name[json_name] = (f.name, read)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                required.append(json_name)

    def read_object(value: Any, where: str) -> Any:
        if not plan:
            compile_plan()
        if value.__class__ is cls:
            return value
        if not isinstance(value, Mapping):
            raise _wrong("an object", value, where)
        unknown = [str(key) for key in value if key not in by_json_name]
        if unknown:
            raise ShapeError(f"{where}: unknown field {_listed(unknown)}")
        missing = [name for name in required if name not in value]
        if missing:
            raise ShapeError(f"{where}: missing field {_listed(missing)}")
        values = {}
        for key, entry in value.items():
            name, read = by_json_name[key]
            values[name] = read(entry, f"{where}.{key}")
        return cls(**values)

    return read_object


# --- messages ------------------------------------------------------------------------------


def _listed(names: list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _wrong(expected: str, value: Any, where: str) -> ShapeError:
    shown = repr(value)
    if isinstance(value, (Mapping, list, tuple)) or len(shown) > 40:
        shown = ""
    else:
        shown = f" ({shown})"
    return ShapeError(f"{where}: expected {expected}, got {_kind(value)}{shown}")
