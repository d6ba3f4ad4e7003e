"""What can be read of a file with field errors, so that every later check still runs on it.

A misspelt field must not hide a bad `goto` or a broken condition elsewhere in the same
file: a trainer should see every problem in one run, as a compiler reports them. When a
file does not fit the format, the validator has already said why, at each place; here the
file's values are repaired just enough to build the format's objects, so the reference,
condition and reachability checks can run on the rest:

- an unknown field is read as the field it misspells when there is one (and that field is
  not there too), else left out;
- a value of the wrong type is left out when its field has a default, else (and for a
  list item or a mapping value) replaced by a stand-in of the right type: empty text, 0,
  an empty list or mapping, the first allowed word (`ending: great` reads as an ending);
- a missing required field gets the same stand-in;
- a value that has the right type but breaks a constraint (an id that is not a slug, a
  score of 5) is kept as written: it was reported, and it is still what the author meant.

The object built is for checking only: it never reaches a player (the file has errors).
Each place repaired is remembered (`Salvaged.quiet`): a later check that finds a problem
at exactly that place is not reported, because it would only restate the first error
(`goto names no scene: ''` under `missing required field 'goto'`).
"""

from __future__ import annotations

import copy
import dataclasses
import json
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from mentorquest import shapes
from mentorquest.language.diagnostics import Diagnostic, Position
from mentorquest.language.format import FORMAT_VERSION, Programme, Scenario
from mentorquest.language.suggest import closest
from mentorquest.language.validator import (
    CLASSES,
    Kind,
    _annotation_at,
    _fields_at,
    _parts,
    _translate,
    adapter,
    list_item_with_id,
    misspellings,
)
from mentorquest.language.yamlsource import Document

__all__ = ["Salvaged", "salvage"]

# Errors about a value of the right type that breaks a declared constraint: kept as written.
_CONSTRAINTS = frozenset(
    {
        "string_pattern_mismatch",
        "string_too_short",
        "string_too_long",
        "too_short",
        "too_long",
        "greater_than_equal",
        "less_than_equal",
        "greater_than",
        "less_than",
    }
)
_UNKNOWN = frozenset({"extra_forbidden", "unexpected_keyword_argument"})
_MISSING = frozenset({"missing", "missing_argument", "missing_keyword_only_argument"})
_ROUNDS = 8


@dataclass(frozen=True)
class Salvaged:
    """A file's object as far as it could be read, the places that were repaired, and the
    problems found inside misspelt fields once they were read as the fields meant."""

    value: Programme | Scenario
    quiet: frozenset[Position]
    diagnostics: tuple[Diagnostic, ...] = ()


def salvage(kind: Kind, document: Document) -> Salvaged | None:
    """The object of a file that failed validation, repaired where it failed; None when
    nothing sensible can be read (not a mapping, another format, or repairs that do not
    converge)."""
    data = document.data
    if not isinstance(data, dict) or data.get("format", FORMAT_VERSION) != FORMAT_VERSION:
        return None
    cls = CLASSES[kind]
    data = copy.deepcopy(data)
    quiet: set[Position] = set()
    renamed: set[tuple[Any, ...]] = set()
    # Where stand-ins were put: what they break (an empty id is no slug) is never reported.
    stood: set[tuple[Any, ...]] = set()
    found: list[Diagnostic] = []
    for round_number in range(_ROUNDS):
        problems = _problems(kind, data)
        if round_number:
            # What pydantic could not see before: the inside of a misspelt field.
            misspelt = misspellings(problems, cls)
            for item in problems:
                loc = tuple(item["loc"])
                if _under(loc, renamed) and not _under(loc, stood) and loc not in misspelt:
                    found.append(_translate(item, cls, document))
        repairs = [
            item
            for item in problems
            if item["type"] not in _CONSTRAINTS and not (item["loc"] and item["loc"][-1] == "[key]")
        ]
        if not repairs:
            break
        # Misspelt fields first: `scene:` is read as the missing `scenes:` before a
        # stand-in could take its place.
        repairs.sort(key=lambda item: item["type"] not in _UNKNOWN)
        for item in repairs:
            _repair(cls, data, tuple(item["loc"]), item["type"], document, quiet, renamed, stood)
    else:
        return None
    try:
        value: Programme | Scenario = shapes.from_data(cls, _expanded(kind, data))
    except (shapes.ShapeError, TypeError):
        return None
    quiet.update(d.position for d in found)
    unique = tuple(dict.fromkeys(found))
    return Salvaged(value, frozenset(quiet), unique)


def _under(loc: tuple[Any, ...], places: set[tuple[Any, ...]]) -> bool:
    """Whether `loc` is one of `places` or inside one."""
    return any(loc[:n] in places for n in range(1, len(loc) + 1))


def _problems(kind: Kind, data: Any) -> list[Any]:
    """pydantic's errors in the data as it stands."""
    try:
        adapter(kind).validate_json(json.dumps(data, ensure_ascii=False))
    except ValidationError as error:
        return list(error.errors(include_url=False))
    return []


def _repair(
    cls: type,
    data: Any,
    loc: tuple[Any, ...],
    kind: str,
    document: Document,
    quiet: set[Position],
    renamed: set[tuple[Any, ...]],
    stood: set[tuple[Any, ...]],
) -> None:
    if not loc:
        return
    container = _at(data, loc[:-1])
    last = loc[-1]
    if container is None:
        return  # inside something already replaced
    path = [segment for segment in loc if isinstance(segment, (str, int))]
    quiet.add(document.position(path, key=True))
    if kind in _UNKNOWN:
        if isinstance(container, dict):
            taken: Any = container.pop(last, None)
            # A misspelt field is read as the field it misspells (`choises` as `choices`,
            # `score` as `scores`), so that what it holds is checked too: its value is
            # kept, and what is wrong in it is reported where it is.
            meant = closest(str(last), _fields_at(cls, loc[:-1]))
            if meant is not None and meant not in container:
                container[meant] = taken
                renamed.add((*loc[:-1], meant))
                document.read_as(path[:-1], str(last), meant)
                return
        quiet.add(document.position(path))
        return
    annotation = _annotation_at(cls, loc)
    if kind in _MISSING:
        if isinstance(container, dict) and last not in container:
            container[last] = _stand_in(annotation)
            stood.add(loc)
            quiet.add(document.position(path))
        return
    quiet.add(document.position(path))
    field = _field(cls, loc)
    inner, _ = _parts(annotation)
    items = _items_by_id(annotation, _at_value(data, loc))
    if items is not None and isinstance(container, dict):
        # A list of things with ids written as a mapping from id to fields: read as the
        # list it was meant to be, so that what each item holds is checked too.
        container[last] = items
        renamed.add(loc)
        document.read_items(path)
        return
    if field is not None and _has_default(field) and typing.get_origin(inner) is not typing.Literal:
        if isinstance(container, dict):
            container.pop(last, None)
        return
    if isinstance(container, dict) or (isinstance(container, list) and isinstance(last, int)):
        try:
            container[last] = _stand_in(annotation)
        except IndexError:
            return
        stood.add(loc)


def _at(data: Any, loc: tuple[Any, ...]) -> Any:
    """The value at `loc` in the (partly repaired) data; None when the path leads nowhere."""
    current = data
    for segment in loc:
        if isinstance(current, dict) and segment in current:
            current = current[segment]
        elif isinstance(current, list) and isinstance(segment, int) and 0 <= segment < len(current):
            current = current[segment]
        else:
            return None
    return current if isinstance(current, (dict, list)) else None


def _at_value(data: Any, loc: tuple[Any, ...]) -> Any:
    parent = _at(data, loc[:-1])
    if isinstance(parent, dict):
        return parent.get(loc[-1])
    return None


def _items_by_id(annotation: Any, value: Any) -> list[Any] | None:
    """`{x: {...}, y: {...}}` as `[{id: x, ...}, {id: y, ...}]` when the field is a list of
    things with an `id`, and every value is a mapping without one; else None."""
    item = list_item_with_id(annotation)
    if item is None or not isinstance(value, dict) or not value:
        return None
    if not all(isinstance(v, dict) and "id" not in v for v in value.values()):
        return None
    return [{"id": key, **fields} for key, fields in value.items()]


def _field(cls: type, loc: tuple[Any, ...]) -> dataclasses.Field[Any] | None:
    """The dataclass field named by the last step of `loc`, when it names one."""
    parent, _ = _parts(_annotation_at(cls, loc[:-1])) if loc[:-1] else (cls, [])
    if isinstance(parent, type) and dataclasses.is_dataclass(parent):
        for f in dataclasses.fields(parent):
            if loc[-1] in (f.name, f.metadata.get("alias")):
                return f
    return None


def _has_default(field: dataclasses.Field[Any]) -> bool:
    return (
        field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING
    )


def _stand_in(annotation: Any) -> Any:
    """A value of the declared type that says nothing: empty text, 0, empty collections."""
    inner, _ = _parts(annotation)
    origin = typing.get_origin(inner)
    if origin is typing.Literal:
        return typing.get_args(inner)[0]
    if inner is str:
        return ""
    if inner is bool:
        return False
    if inner is int:
        return 0
    if origin in (tuple, list):
        return []
    if origin in (dict, Mapping) or inner in (dict, Mapping):
        return {}
    if isinstance(inner, type) and dataclasses.is_dataclass(inner):
        hints = typing.get_type_hints(inner, include_extras=True)
        return {
            f.metadata.get("alias", f.name): _stand_in(hints[f.name])
            for f in dataclasses.fields(inner)
            if not _has_default(f)
        }
    return None


def _expanded(kind: Kind, data: dict[str, Any]) -> dict[str, Any]:
    """Shorthands the validator accepts, written out for the plain reader (`trust: 50`)."""
    if kind == "scenario" and isinstance(data.get("variables"), dict):
        data["variables"] = {
            name: {"start": spec} if spec.__class__ is int else spec
            for name, spec in data["variables"].items()
        }
    return data
