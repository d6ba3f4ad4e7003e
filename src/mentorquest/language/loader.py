"""Reading and checking a scenario library: programme.yaml at the root, scenario files below.

`load_library` never raises for problems in the files: it returns every diagnostic it
found, and a `Library` whenever the programme itself loaded, so that later checks (the
engine's analysis) still run on the healthy scenarios. `open_library` is the strict form,
raising `LibraryError` with the diagnostics; players reach it through
`compiled.open_library`, which skips it when the library's compiled cache is current.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from mentorquest.errors import LibraryError
from mentorquest.language.diagnostics import Diagnostic, Position, Severity, sort_key
from mentorquest.language.files import (
    PROGRAMME_FILES,
    FileProblem,
    LibraryFile,
    digest_of,
    library_files,
    read_bytes,
)
from mentorquest.language.format import Programme, Scenario
from mentorquest.language.library import Library, content_hash_of
from mentorquest.language.pointers import SchemaKind, pointer_problem
from mentorquest.language.salvage import salvage
from mentorquest.language.validator import validate
from mentorquest.language.yamlsource import Document, read_document, unreadable

__all__ = ["LoadResult", "Source", "gc_paused", "load_library", "open_library"]


class Source(NamedTuple):
    """One file as it was read: its listing (size, modification time) and a digest of its bytes."""

    relative: str
    size: int
    mtime_ns: int
    digest: str
    ctime_ns: int
    inode: int


@dataclass
class LoadResult:
    """What loading found. `library` is set whenever the programme itself loaded, so that
    later checks can still run on the healthy scenarios; `ok` says whether it may be played."""

    library: Library | None
    diagnostics: list[Diagnostic]
    files: int = 0
    # What was read, file by file: the compiled cache keys on exactly these bytes.
    sources: list[Source] = field(default_factory=list)
    # The library the checks ran on: `library`, or (when programme.yaml has errors) one
    # built on what could be read of it, so that every scenario is still checked.
    checked: Library | None = None
    # Scenario files with field errors, as far as they could be read (`salvage`): checked
    # like the others, never played.
    partial: list[tuple[Scenario, Document]] = field(default_factory=list)
    # Places already reported or repaired: a later check finding a problem there is quiet.
    quiet: set[Position] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return self.library is not None and not self.errors

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


def display_name(given: str, file: LibraryFile) -> str:
    """How a file is named in messages: under the folder as the user gave it."""
    return os.path.join(given, file.relative) if given else file.relative


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
    programme_file, scenario_files = library_files(root)
    diagnostics: list[Diagnostic] = []

    sources: list[Source] = []

    def read(file: LibraryFile, display: str) -> Document | None:
        try:
            raw = read_bytes(file)
        except FileProblem as problem:
            diagnostics.append(unreadable(display, str(problem)))
            return None
        sources.append(
            Source(
                file.relative, file.size, file.mtime_ns, digest_of(raw), file.ctime_ns, file.inode
            )
        )
        document, problems = read_document(raw, display)
        diagnostics.extend(problems)
        kind: SchemaKind = "programme" if file is programme_file else "scenario"
        misled = pointer_problem(raw, file.path, display, kind, root, given)
        if misled is not None:
            diagnostics.append(misled)
        # A key twice or a tag: reported, and the file read on; what follows from it at
        # the same place (a tagged value read as text) is not said again.
        quiet.update(d.position for d in problems)
        return document

    quiet: set[Position] = set()

    def reported_since(count: int) -> None:
        diagnostics[count:] = [d for d in diagnostics[count:] if d.position not in quiet]
        quiet.update(d.position for d in diagnostics[count:])

    programme_doc = read(programme_file, display_name(given, programme_file))
    programme: Programme | None = None
    checking_programme: Programme | None = None
    if programme_doc is not None:
        before = len(diagnostics)
        programme = checking_programme = validate("programme", programme_doc, diagnostics)
        reported_since(before)
        if programme is None:
            salvaged = salvage("programme", programme_doc)
            if salvaged is not None and isinstance(salvaged.value, Programme):
                checking_programme = salvaged.value
                diagnostics.extend(d for d in salvaged.diagnostics if d.position not in quiet)
                quiet |= salvaged.quiet

    scenarios: dict[str, Scenario] = {}
    documents: dict[str, Document] = {}
    hashes: dict[str, str] = {}
    broken: set[str] = set()
    partial: list[tuple[Scenario, Document]] = []
    for file in scenario_files:
        display = display_name(given, file)
        if file.path.name in PROGRAMME_FILES:
            diagnostics.append(
                Diagnostic(
                    Position(display, 1, 1),
                    Severity.ERROR,
                    "a programme file below the library root; a library has exactly one, at its root",
                )
            )
            continue
        document = read(file, display)
        if document is None:
            continue
        before = len(diagnostics)
        scenario: Scenario | None = validate("scenario", document, diagnostics)
        reported_since(before)
        if scenario is None:
            if isinstance(document.data, dict) and isinstance(document.data.get("id"), str):
                broken.add(document.data["id"])
            salvaged = salvage("scenario", document)
            if salvaged is not None and isinstance(salvaged.value, Scenario):
                partial.append((salvaged.value, document))
                diagnostics.extend(d for d in salvaged.diagnostics if d.position not in quiet)
                quiet |= salvaged.quiet
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
        hashes[scenario.id] = content_hash_of(document.data)

    from mentorquest.language.checks import check_library, stand_in_programme

    # Checks run whatever failed before them: on the programme as far as it could be read,
    # or, when nothing of it could, on a stand-in that declares every role and rule the
    # scenarios use (so that only the scenarios' own problems are reported).
    checked = Library(
        root,
        checking_programme or stand_in_programme([*scenarios.values(), *(s for s, _ in partial)]),
        scenarios,
        content_hashes=hashes,
        files={sid: doc.file for sid, doc in documents.items()},
        documents=documents,
        programme_document=programme_doc if checking_programme is not None else None,
        broken_ids=broken,
    )
    diagnostics += [d for d in check_library(checked, partial) if d.position not in quiet]
    library = checked if programme is not None else None
    diagnostics.sort(key=sort_key)
    return LoadResult(
        library,
        diagnostics,
        files=1 + len(scenario_files),
        sources=sources,
        checked=checked,
        partial=partial,
        quiet=quiet,
    )


def open_library(root: Path | str) -> Library:
    """Load a library for play; any error in it raises LibraryError with the diagnostics."""
    return playable(load_library(root), root)


def playable(result: LoadResult, root: Path | str) -> Library:
    """The library of a load that found no error; else LibraryError naming how many."""
    if not result.ok or result.library is None:
        errors = result.errors
        from mentorquest.textsafe import path_label, shell_word

        raise LibraryError(
            f"the scenario library at {path_label(str(root))} has {len(errors)} error(s); "
            f"run 'mentorquest validate {shell_word(str(root))}' to see them",
            tuple(errors),
        )
    return result.library
