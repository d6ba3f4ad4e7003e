"""Writing the engine's saved records as JSON and reading them back, checked field by field.

An attempt's state, its result and its debrief are plain dataclasses kept in user
databases as JSON. Reading one back checks each field the way the earlier pydantic
models did (no missing field, no unknown field, no wrong type; a bool is not a number)
and names the field at fault, without loading pydantic in the play process. A reader is
a function `(value, where) -> value`, where `where` is the field's path for messages
("AttemptState.path[2].choice"); the combinators below build readers for containers.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")
U = TypeVar("U")
Reader = Callable[[Any, str], T]


class StateFormatError(ValueError):
    """Saved engine data that does not have the shape it should; the message names the field."""


def to_json(record: Any) -> str:
    """Fields in declaration order, compact, non-ASCII kept (byte-for-byte pydantic's output)."""
    return json.dumps(dataclasses.asdict(record), ensure_ascii=False, separators=(",", ":"))


def parse(text: str | bytes, where: str) -> Any:
    try:
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise StateFormatError(f"{where}: not valid JSON ({error})") from None


def read_object(cls: type[T], data: Any, where: str, readers: Mapping[str, Reader]) -> T:
    """An instance of the dataclass `cls` from a JSON object, each field read by its reader.

    Fields without a default must be present; absent fields with one take their default.
    """
    if isinstance(data, cls):
        return data
    if not isinstance(data, Mapping):
        raise _wrong("an object", data, where)
    unknown = [str(key) for key in data if key not in readers]
    if unknown:
        raise StateFormatError(f"{where}: unknown field {_names(unknown)}")
    missing = [
        f.name
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.name not in data
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        raise StateFormatError(f"{where}: missing field {_names(missing)}")
    values = {
        name: read(data[name], f"{where}.{name}") for name, read in readers.items() if name in data
    }
    return cls(**values)


# --- readers of single values ---------------------------------------------------------


def string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise _wrong("a string", value, where)
    return value


def integer(value: Any, where: str) -> int:
    # bool is a subclass of int in Python, but `true` is not a number in a saved record.
    if not isinstance(value, int) or isinstance(value, bool):
        raise _wrong("a whole number", value, where)
    return value


def boolean(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise _wrong("true or false", value, where)
    return value


# --- readers of containers ------------------------------------------------------------


def optional(read: Reader[T]) -> Reader[T | None]:
    def read_optional(value: Any, where: str) -> T | None:
        return None if value is None else read(value, where)

    return read_optional


def list_of(read: Reader[T]) -> Reader[list[T]]:
    def read_list(value: Any, where: str) -> list[T]:
        if not isinstance(value, (list, tuple)):
            raise _wrong("a list", value, where)
        return [read(item, f"{where}[{index}]") for index, item in enumerate(value)]

    return read_list


def tuple_of(read: Reader[T]) -> Reader[tuple[T, ...]]:
    read_list = list_of(read)

    def read_tuple(value: Any, where: str) -> tuple[T, ...]:
        return tuple(read_list(value, where))

    return read_tuple


def pair(first: Reader[T], second: Reader[U]) -> Reader[tuple[T, U]]:
    def read_pair(value: Any, where: str) -> tuple[T, U]:
        if not isinstance(value, (list, tuple)) or len(value) != 2:
            raise _wrong("a list of two items", value, where)
        return first(value[0], f"{where}[0]"), second(value[1], f"{where}[1]")

    return read_pair


def table(read: Reader[T]) -> Reader[dict[str, T]]:
    """A JSON object used as a mapping from names to values."""

    def read_table(value: Any, where: str) -> dict[str, T]:
        if not isinstance(value, Mapping):
            raise _wrong("an object", value, where)
        out = {}
        for key, item in value.items():
            string(key, f"{where} key")
            out[key] = read(item, f"{where}[{key!r}]")
        return out

    return read_table


# --- messages -------------------------------------------------------------------------


def _names(names: list[str]) -> str:
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


def _wrong(expected: str, value: Any, where: str) -> StateFormatError:
    shown = repr(value)
    if isinstance(value, (Mapping, list, tuple)) or len(shown) > 40:
        shown = ""
    else:
        shown = f" ({shown})"
    return StateFormatError(f"{where}: expected {expected}, got {_kind(value)}{shown}")
