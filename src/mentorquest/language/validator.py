"""The validator and the JSON Schema, built by pydantic from the format's one declaration.

`format` declares programme.yaml and scenario files as plain dataclasses; here pydantic
turns those same classes into a validator (strict: JSON's own types, unknown fields
refused) and into the JSON Schema editors use. Each of pydantic's errors is translated
into a trainer's message at the line and column it concerns.

This is the heavy side of the language: only checking a library loads it, never a
play session reading a compiled library.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from functools import cache
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from mentorquest.language.diagnostics import Diagnostic, Position, Severity
from mentorquest.language.format import (
    FORMAT_VERSION,
    SLUG_PATTERN,
    VARIABLE_PATTERN,
    Programme,
    Scenario,
)
from mentorquest.language.suggest import closest, did_you_mean
from mentorquest.language.yamlsource import Document
from mentorquest.shapes import Constrained

Kind = Literal["programme", "scenario"]
CLASSES: dict[Kind, type] = {"programme": Programme, "scenario": Scenario}
_NAMES = {"programme": "a programme file", "scenario": "a scenario file"}


@cache
def adapter(kind: Kind) -> TypeAdapter[Any]:
    return TypeAdapter(CLASSES[kind])


def json_schema(kind: Kind) -> dict[str, Any]:
    """The JSON Schema of a file of this kind, as editors read it."""
    return adapter(kind).json_schema(by_alias=True, mode="validation")


def validate(kind: Kind, document: Document, out: list[Diagnostic]) -> Any:
    """The file's object when it fits the format; else None, with diagnostics added to `out`."""
    data = document.data
    if not isinstance(data, dict):
        what = "empty" if data is None else f"{_kind(data)}, not a mapping of fields"
        out.append(
            _error(
                document.position([]),
                f"{_NAMES[kind]} must be a mapping of fields (format, id, title, ...); "
                f"this one is {what}",
            )
        )
        return None
    if "format" in data and data["format"] != FORMAT_VERSION:
        out.append(
            _error(
                document.position(["format"]),
                f"unsupported format {data['format']!r}; this version of mentorquest reads "
                f"format {FORMAT_VERSION}",
            )
        )
        return None
    return validate_with(adapter(kind), CLASSES[kind], document, out)


def validate_with(
    checker: TypeAdapter[Any], cls: type, document: Document, out: list[Diagnostic]
) -> Any:
    """The document's data validated by `checker` (built over the declared class `cls`);
    None, with a trainer's message at each place at fault added to `out`, when it does not fit.
    Other files a trainer writes (transcript tests) are declared and checked the same way."""
    try:
        # JSON mode: the file's values are taken as JSON's types, strictly (YAML's plain
        # data is JSON's: text, whole and decimal numbers, yes/no, lists and mappings).
        return checker.validate_json(json.dumps(document.data, ensure_ascii=False))
    except ValidationError as error:
        seen: set[tuple[Position, str]] = set()
        items = error.errors(include_url=False)
        # A list whose items fail is also "too short" to pydantic (it counts the good
        # ones): the items' own errors say what is wrong.
        failing = {tuple(item["loc"][:-1]) for item in items if item["type"] != "too_short"}
        misspelt = misspellings(items, cls)
        for item in items:
            if item["type"] == "too_short" and any(
                loc[: len(item["loc"])] == tuple(item["loc"]) for loc in failing
            ):
                continue
            if item["type"] in _MISSING and tuple(item["loc"]) in misspelt:
                continue  # the misspelt field's own message names it
            diagnostic = _translate(item, cls, document)
            if (diagnostic.position, diagnostic.message) not in seen:
                seen.add((diagnostic.position, diagnostic.message))
                out.append(diagnostic)
        return None


def misspellings(items: list[Any], cls: type) -> set[tuple[Any, ...]]:
    """The locations of required fields that are missing only because they are misspelt:
    an unknown field beside them names them (`scene:` for `scenes:`). Their one error is
    the unknown field's, with its did-you-mean; the file reads it as the field meant."""
    unknown: dict[tuple[Any, ...], list[str]] = {}
    for item in items:
        if item["type"] in _UNKNOWN and item["loc"]:
            unknown.setdefault(tuple(item["loc"][:-1]), []).append(str(item["loc"][-1]))
    found: set[tuple[Any, ...]] = set()
    for item in items:
        loc = tuple(item["loc"])
        if item["type"] in _MISSING and loc and loc[:-1] in unknown:
            allowed = _fields_at(cls, loc[:-1])
            if any(closest(name, allowed) == loc[-1] for name in unknown[loc[:-1]]):
                found.add(loc)
    return found


# --- pydantic's errors as a trainer's messages ------------------------------------------


def _error(position: Position, message: str) -> Diagnostic:
    return Diagnostic(position, Severity.ERROR, message)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


_MISSING = ("missing", "missing_argument", "missing_keyword_only_argument")
_UNKNOWN = ("extra_forbidden", "unexpected_keyword_argument")


def _translate(item: Any, cls: type, document: Document) -> Diagnostic:
    loc = tuple(item["loc"])
    kind = item["type"]
    value = item.get("input")
    ctx = item.get("ctx") or {}
    name = str(loc[-1]) if loc else ""

    if loc and loc[-1] == "[key]":
        path, key = loc[:-1], True
    else:
        path, key = loc, False

    if kind in _MISSING:
        return _error(document.position(loc[:-1]), f"missing required field '{name}'")
    if kind in _UNKNOWN:
        allowed = _fields_at(cls, loc[:-1])
        return _error(
            document.position(loc, key=True), f"unknown field '{name}'{did_you_mean(name, allowed)}"
        )
    position = document.position(path, key=key)
    if kind == "string_type":
        if isinstance(value, bool):
            return _error(position, "expected text, got a yes/no value; put it in quotes")
        if value is None:
            return _error(position, f"'{name}' is empty; write a value")
        return _error(position, f"expected text, got {_kind(value)}")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _error(position, f"expected a whole number, got {_kind(value)}")
    if kind == "bool_type":
        return _error(position, f"expected true or false, got {_kind(value)}")
    if kind in ("list_type", "tuple_type"):
        if isinstance(value, dict) and value and list_item_with_id(_annotation_at(cls, loc)):
            first = next(iter(value))
            return _error(
                position,
                f"expected a list, got a mapping; write each item as a list item with its "
                f"id: '- id: {first}'",
            )
        return _error(position, f"expected a list, got {_kind(value)}")
    if kind in ("dict_type", "dataclass_type", "model_type", "model_attributes_type"):
        return _error(position, f"expected a mapping of fields, got {_kind(value)}")
    if kind == "literal_error":
        return _error(position, f"'{value}' is not allowed here; use one of {ctx.get('expected')}")
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == SLUG_PATTERN:
            return _error(
                position,
                f"'{value}' is not a valid id: use lower-case letters, digits and single "
                "hyphens, e.g. 'first-meeting'",
            )
        if ctx.get("pattern") == VARIABLE_PATTERN:
            return _error(
                position,
                f"'{value}' is not a valid variable name: use lower-case letters, digits "
                "and underscores, e.g. 'trust'",
            )
    if kind == "string_too_short":
        return _error(position, f"'{name}' must not be empty")
    if kind == "too_short":
        return _error(position, f"'{name}' needs at least {ctx.get('min_length', 1)} item(s)")
    if kind in ("greater_than_equal", "less_than_equal"):
        bounds = _bounds_at(cls, loc)
        where = "scores" if "scores" in loc else f"'{name}'"
        if bounds is not None:
            return _error(
                position, f"{where} must be between {bounds[0]} and {bounds[1]}, got {value}"
            )
    return _error(position, str(item.get("msg", "invalid value")))


# --- reading the declaration at an error's location ---------------------------------------


def _parts(annotation: Any) -> tuple[Any, list[Any]]:
    """The type under Annotated and optional wrappers, with the metadata met on the way."""
    metadata: list[Any] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            args = typing.get_args(annotation)
            metadata.extend(args[1:])
            annotation = args[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation, metadata
            annotation = members[0]
        else:
            return annotation, metadata


def _step(current: Any, segment: Any) -> Any:
    current, _ = _parts(current)
    if isinstance(current, type) and dataclasses.is_dataclass(current):
        hints = typing.get_type_hints(current, include_extras=True)
        for f in dataclasses.fields(current):
            if segment in (f.name, f.metadata.get("alias")):
                return hints[f.name]
        return None
    args = typing.get_args(current)
    if args and typing.get_origin(current) in (list, tuple):
        return args[0]
    if len(args) == 2:  # a mapping
        return args[1]
    return None


def _annotation_at(cls: type, loc: tuple[Any, ...]) -> Any:
    current: Any = cls
    for segment in loc:
        current = _step(current, segment)
        if current is None:
            return None
    return current


def list_item_with_id(annotation: Any) -> type | None:
    """The item class of a list field whose items have an `id` (choices, ground rules)."""
    current, _ = _parts(annotation)
    args = typing.get_args(current)
    if typing.get_origin(current) not in (list, tuple) or not args:
        return None
    item, _ = _parts(args[0])
    if isinstance(item, type) and dataclasses.is_dataclass(item):
        if any(f.name == "id" for f in dataclasses.fields(item)):
            return item
    return None


def _fields_at(cls: type, loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed in the mapping at `loc` (for did-you-mean)."""
    current, _ = _parts(_annotation_at(cls, loc))
    if isinstance(current, type) and dataclasses.is_dataclass(current):
        return [f.metadata.get("alias", f.name) for f in dataclasses.fields(current)]
    return []


def _bounds_at(cls: type, loc: tuple[Any, ...]) -> tuple[int, int] | None:
    """The declared range of the value at `loc`, from its `Constrained` metadata."""
    _, metadata = _parts(_annotation_at(cls, loc))
    for item in metadata:
        if isinstance(item, Constrained) and {"ge", "le"} <= item.constraints.keys():
            return item.constraints["ge"], item.constraints["le"]
    return None
