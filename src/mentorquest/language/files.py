"""Which files make up a library folder: programme.yaml at the root, scenarios below it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from mentorquest.errors import UsageError

PROGRAMME_FILE = "programme.yaml"
_YAML_SUFFIXES = (".yaml", ".yml")


def find_files(root: Path) -> tuple[Path, list[Path]]:
    """The programme file and the scenario files of a library folder, in a stable order."""
    if not root.exists():
        raise UsageError(f"{root}: no such folder")
    if not root.is_dir():
        raise UsageError(f"{root}: not a folder; give the folder that holds programme.yaml")
    programme = root / PROGRAMME_FILE
    if not programme.is_file():
        if (root / "programme.yml").is_file():
            programme = root / "programme.yml"
        else:
            raise UsageError(f"{root}: no {PROGRAMME_FILE} here; a library folder starts with one")
    scenarios = sorted(path for path in _walk_yaml(root) if path != programme)
    return programme, scenarios


def _walk_yaml(root: Path) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.endswith(_YAML_SUFFIXES) and not name.startswith("."):
                yield Path(folder) / name

