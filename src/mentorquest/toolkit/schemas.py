"""The JSON Schemas a trainer's editor reads, written beside their own library.

`mentorquest schema --write DIR` writes the three schemas (programme.yaml, scenario files,
transcript tests) into DIR; the files `mentorquest new` and `mentorquest import` write
name them with a relative `# yaml-language-server: $schema=` line, so completion and hover
help work in any folder, with no network and no installed package to find.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Literal

from mentorquest.errors import UsageError

SchemaKind = Literal["programme", "scenario", "transcript"]
FOLDER = "schema"
FILES: dict[SchemaKind, str] = {
    "programme": "programme.schema.json",
    "scenario": "scenario.schema.json",
    "transcript": "transcript.schema.json",
}


def schema_of(kind: SchemaKind) -> dict[str, Any]:
    if kind == "transcript":
        from mentorquest.toolkit.transcripts import json_schema

        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://mentorquest.invalid/schema/{FILES[kind]}",
            **json_schema(),
        }
    from mentorquest.language.schema import json_schema as language_schema

    return language_schema(kind)


def schema_text(kind: SchemaKind) -> str:
    return json.dumps(schema_of(kind), indent=2, ensure_ascii=False) + "\n"


def planned(folder: Path) -> list[tuple[Path, str]]:
    """The three schema files to write into `folder`, with their text."""
    return [(folder / name, schema_text(kind)) for kind, name in FILES.items()]


def write_schemas(folder: Path) -> list[Path]:
    """Write the three schemas into `folder` (made if needed); the paths written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for kind, name in FILES.items():
            path = folder / name
            text = schema_text(kind)
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
            written.append(path)
    except OSError as error:
        raise UsageError(
            f"cannot write the schemas into {folder}: {error.strerror or error}"
        ) from None
    return written


def find_schemas(library: Path) -> Path | None:
    """The folder of a library that holds its schemas: `schema/` in it, or the library itself."""
    for folder in (library / FOLDER, library):
        if (folder / FILES["scenario"]).is_file():
            return folder
    return None


def pointer(file: Path, folder: Path, kind: SchemaKind) -> str:
    """The first line of `file`, naming the schema in `folder` relatively."""
    relative = os.path.relpath(folder / FILES[kind], file.parent)
    return f"# yaml-language-server: $schema={Path(relative).as_posix()}"
