"""The JSON Schemas a trainer's editor reads, written beside their own library.

`mentorquest schema --write DIR` writes the three schemas (programme.yaml, scenario files,
transcript tests) into DIR; the files `mentorquest new` and `mentorquest import` write
name them with a relative `# yaml-language-server: $schema=` line, so completion and hover
help work in any folder, with no network and no installed package to find.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mentorquest.errors import UsageError

# The schema files and the line naming them are declared once, with the check of that line.
from mentorquest.language.pointers import FILES, FOLDER, SchemaKind, find_schemas, pointer


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


__all__ = [
    "FILES",
    "FOLDER",
    "SchemaKind",
    "find_schemas",
    "pointer",
    "planned",
    "schema_of",
    "schema_text",
    "write_schemas",
]
