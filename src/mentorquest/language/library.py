"""Loading a scenario library: one programme.yaml at the root, scenario files below it.

`load_library` never raises for problems in the files: it returns every diagnostic it
found, and a `Library` when there were no errors. `open_library` is the strict form,
raising `LibraryError` carrying the diagnostics; players reach it through
`compiled.open_library`, which skips it when the library's compiled cache is current.
"""

from __future__ import annotations

import gc
import os
import types
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from mentorquest.errors import LibraryError
from mentorquest.language.diagnostics import Diagnostic, Position, Severity, sort_key
from mentorquest.language.files import PROGRAMME_FILE, find_files
from mentorquest.language.models import (
    SLUG_PATTERN,
    VARIABLE_PATTERN,
    Programme,
    Scenario,
)
from mentorquest.language.runtime import Library, programme_from, scenario_from
from mentorquest.language.suggest import did_you_mean
from mentorquest.language.yamlsource import Document, read_document

__all__ = ["PROGRAMME_FILE", "Library", "LoadResult", "find_files", "load_library", "open_library"]


@dataclass
class LoadResult:
    """What loading found. `library` is set whenever the programme itself loaded, so that
    later checks can still run on the healthy scenarios; `ok` says whether it may be played."""

    library: Library | None
    diagnostics: list[Diagnostic]
    files: int = 0

    @property
    def ok(self) -> bool:
        return self.library is not None and not self.errors

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]


def _display(root: Path, given: str, path: Path) -> str:
    relative = os.path.relpath(path, root)
    return os.path.join(given, relative) if given else relative


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a library is built.

    Loading makes hundreds of thousands of small objects and no cycles worth collecting;
    the collector would otherwise rescan the growing node trees again and again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_library(root: Path | str, display_root: str | None = None) -> LoadResult:
    """Load and check a library folder. Raises UsageError only for a missing folder/programme."""
    with gc_paused():
        return _load_library(Path(root), display_root)


def _load_library(root: Path, display_root: str | None) -> LoadResult:
    given = str(root) if display_root is None else display_root
    programme_path, scenario_paths = find_files(root)
    diagnostics: list[Diagnostic] = []

    programme_doc, problems = read_document(programme_path, _display(root, given, programme_path))
    diagnostics += problems
    programme = None
    if programme_doc is not None:
        programme = _validate(Programme, programme_doc, "programme", diagnostics)

    scenarios: dict[str, Scenario] = {}
    documents: dict[str, Document] = {}
    broken: set[str] = set()
    for path in scenario_paths:
        display = _display(root, given, path)
        if path.name in ("programme.yaml", "programme.yml"):
            diagnostics.append(
                Diagnostic(
                    Position(display, 1, 1),
                    Severity.ERROR,
                    "a programme file below the library root; a library has exactly one, at its root",
                )
            )
            continue
        document, problems = read_document(path, display)
        diagnostics += problems
        if document is None:
            continue
        scenario = _validate(Scenario, document, "scenario", diagnostics)
        if scenario is None:
            if isinstance(document.data, dict) and isinstance(document.data.get("id"), str):
                broken.add(document.data["id"])
            continue
        if scenario.id in scenarios:
            first = documents[scenario.id]
            diagnostics.append(
                Diagnostic(
                    document.position(["id"]),
                    Severity.ERROR,
                    f"duplicate scenario id '{scenario.id}' (first defined in "
                    f"{first.position(['id'])})",
                )
            )
            continue
        scenarios[scenario.id] = scenario
        documents[scenario.id] = document

    library = None
    if programme is not None and programme_doc is not None:
        from mentorquest.language.checks import check_library

        library = Library(root, programme, scenarios, documents, programme_doc, broken_ids=broken)
        diagnostics += check_library(library)
        # From here on the library holds the light runtime objects players use.
        library.programme = programme_from(programme.model_dump(mode="json", by_alias=True))
        library.scenarios = {
            sid: scenario_from(s.model_dump(mode="json", by_alias=True))
            for sid, s in scenarios.items()
        }
        library.files = {sid: doc.file for sid, doc in documents.items()}
    diagnostics.sort(key=sort_key)
    return LoadResult(library, diagnostics, files=1 + len(scenario_paths))


def open_library(root: Path | str) -> Library:
    """Load a library for play; any error in it raises LibraryError with the diagnostics."""
    result = load_library(root)
    if not result.ok or result.library is None:
        errors = result.errors
        raise LibraryError(
            f"the scenario library at {root} has {len(errors)} error(s); "
            f"run 'mentorquest validate {root}' to see them",
            tuple(errors),
        )
    return result.library


# --- turning pydantic's errors into a trainer's messages --------------------------------

_MODEL_NAMES = {"programme": "a programme file", "scenario": "a scenario file"}


def _validate(model: type[BaseModel], document: Document, kind: str, out: list[Diagnostic]) -> Any:
    data = document.data
    if not isinstance(data, dict):
        what = "empty" if data is None else f"{_kind(data)}, not a mapping of fields"
        out.append(
            Diagnostic(
                document.position([]),
                Severity.ERROR,
                f"{_MODEL_NAMES[kind]} must be a mapping of fields (format, id, title, ...); "
                f"this one is {what}",
            )
        )
        return None
    if data.get("format", 1) != 1 and "format" in data:
        out.append(
            Diagnostic(
                document.position(["format"]),
                Severity.ERROR,
                f"unsupported format {data['format']!r}; this version of mentorquest reads format 1",
            )
        )
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        seen: set[tuple[Position, str]] = set()
        for item in error.errors(include_url=False):
            diagnostic = _translate(item, model, document)
            if (diagnostic.position, diagnostic.message) not in seen:
                seen.add((diagnostic.position, diagnostic.message))
                out.append(diagnostic)
        return None


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


def _translate(item: Any, model: type[BaseModel], document: Document) -> Diagnostic:
    loc = tuple(item["loc"])
    kind = item["type"]
    value = item.get("input")
    ctx = item.get("ctx") or {}
    name = str(loc[-1]) if loc else ""

    if loc and loc[-1] == "[key]":
        path, key = loc[:-1], True
    else:
        path, key = loc, False

    if kind == "missing":
        return _error(document.position(loc[:-1]), f"missing required field '{name}'")
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
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
    if kind == "list_type":
        return _error(position, f"expected a list, got {_kind(value)}")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
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
        low_high = _range_of(model, loc)
        where = "scores" if "scores" in loc else f"'{name}'"
        if low_high:
            return _error(
                position, f"{where} must be between {low_high[0]} and {low_high[1]}, got {value}"
            )
    return _error(position, str(item.get("msg", "invalid value")))


def _error(position: Position, message: str) -> Diagnostic:
    return Diagnostic(position, Severity.ERROR, message)


def _range_of(model: type[BaseModel], loc: tuple[Any, ...]) -> tuple[int, int] | None:
    if "scores" in loc:
        return (-3, 3)
    if loc and loc[-1] in ("pass_mark",):
        return (0, 100)
    if loc and loc[-1] == "minutes":
        return (1, 600)
    return None


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed in the mapping at `loc` (for did-you-mean)."""
    current: Any = model
    for segment in loc:
        current = _step(current, segment)
        if current is None:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or n for n, f in current.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def _step(current: Any, segment: Any) -> Any:
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        for name, info in current.model_fields.items():
            if segment in (name, info.alias):
                return info.annotation
        return None
    origin = typing.get_origin(current)
    args = typing.get_args(current)
    if origin is list and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None
