"""Schema pointers: the `# yaml-language-server: $schema=` line that lets an editor find a
file's JSON Schema (completion and hover help), and the check that it leads somewhere.

The line names the schema relatively, so it keeps working only while the file and the
schemas keep their places. A trainer who copies a scenario file (or the whole bundled
library) into a folder of their own carries a line that now leads nowhere, and the editor
says only "Unable to load schema". The check says so at the line itself, with the mend
that fits: the line that names the library's own schemas, or the `mentorquest schema
--write` that puts the schemas where the line already points.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
from typing import Literal

from mentorquest.language.diagnostics import Diagnostic, Position, Severity
from mentorquest.textsafe import label, shell_word

SchemaKind = Literal["programme", "scenario", "transcript"]
FOLDER = "schema"
FILES: dict[SchemaKind, str] = {
    "programme": "programme.schema.json",
    "scenario": "scenario.schema.json",
    "transcript": "transcript.schema.json",
}
_KIND_OF_FILE = {name: kind for kind, name in FILES.items()}
_LINE = "# yaml-language-server: $schema="
# As yaml-language-server reads it: a comment line, anywhere in the file, whose text starts
# with `yaml-language-server:` and holds `$schema=`; the value runs to the next blank.
_MODELINE = re.compile(rb"^[ \t]*#[ \t]*yaml-language-server[ \t]*:[^\n]*?\$schema=([^\s]*)", re.M)


def find_schemas(library: Path) -> Path | None:
    """The folder of a library that holds its schemas: `schema/` in it, or the library itself."""
    for folder in (library / FOLDER, library):
        if (folder / FILES["scenario"]).is_file():
            return folder
    return None


def pointer(file: Path, folder: Path, kind: SchemaKind) -> str:
    """The line for `file` that names the schema of its kind in `folder`, relatively."""
    relative = os.path.relpath(folder / FILES[kind], file.parent)
    return f"{_LINE}{Path(relative).as_posix()}"


def pointer_problem(
    raw: bytes, file: Path, display: str, kind: SchemaKind, library: Path, shown_library: str
) -> Diagnostic | None:
    """A warning at the schema line of `file` (read as `raw`) when the schema it names is
    not there or is the schema of another kind of file; None when it is right or absent.
    `library` is the folder whose schemas the mend suggests (`shown_library` as the user
    named it)."""
    found = _MODELINE.search(raw)
    if found is None:
        return None
    value = found.group(1).decode("utf-8", errors="replace")
    if not value or "://" in value:  # a URL is the editor's to fetch, not ours to check
        return None
    line = raw.count(b"\n", 0, found.start(1)) + 1
    line_start = raw.rfind(b"\n", 0, found.start(1)) + 1
    column = len(raw[line_start : found.start(1)].decode("utf-8", errors="replace")) + 1
    where = Position(display, line, column)
    wanted = FILES[kind]
    if _is_file(file.parent / value):
        other = _KIND_OF_FILE.get(PurePosixPath(value).name)
        if other is None or other == kind:
            return None
        return Diagnostic(
            where,
            Severity.WARNING,
            f"this line names the {other} schema, but this is a {_described(kind)}: "
            f"name {wanted} instead ('{_LINE}{PurePosixPath(value).with_name(wanted)}')",
        )
    said = f"the schema this line names ({label(value)}) is not there, so an editor cannot load it"
    schemas = find_schemas(library)
    if schemas is not None:
        mend = pointer(file, schemas, kind)
        return Diagnostic(where, Severity.WARNING, f"{said}; name the library's own: '{mend}'")
    if PurePosixPath(value).name in _KIND_OF_FILE:
        # Where the line already points: one command mends every file copied alike.
        folder = os.path.normpath(os.path.join(os.path.dirname(display), os.path.dirname(value)))
        return Diagnostic(
            where,
            Severity.WARNING,
            f"{said}; write the schemas there with "
            f"'mentorquest schema --write {shell_word(folder)}'",
        )
    folder = os.path.join(shown_library, FOLDER)
    return Diagnostic(
        where,
        Severity.WARNING,
        f"{said}; write the schemas with 'mentorquest schema --write {shell_word(folder)}' "
        f"and name them: '{pointer(file, library / FOLDER, kind)}'",
    )


def _described(kind: SchemaKind) -> str:
    return {
        "programme": "programme file",
        "scenario": "scenario file",
        "transcript": "transcript test",
    }[kind]


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return False
