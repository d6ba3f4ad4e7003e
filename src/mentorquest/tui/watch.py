"""Watching a library folder for changes (--watch), by polling modification times.

Polling keeps mentorquest free of a native file-watching dependency; a trainer's
library is a handful of small YAML files, so a stat of each twice a second costs nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

_SUFFIXES = (".yaml", ".yml")


def fingerprint(root: Path) -> dict[str, tuple[int, int]]:
    """(modification time, size) of every YAML file below `root`."""
    found: dict[str, tuple[int, int]] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.endswith(_SUFFIXES) and not name.startswith("."):
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


class LibraryWatcher:
    """Says whether anything in the library changed since it last looked."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._last = fingerprint(root)

    def changed(self) -> bool:
        now = fingerprint(self.root)
        if now == self._last:
            return False
        self._last = now
        return True
