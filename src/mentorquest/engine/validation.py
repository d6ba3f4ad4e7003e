"""Validation of a whole library: the language's checks, then the engine's analysis.

Each scenario whose own file is free of errors is analysed (reachability, dead ends,
best path), so one run reports every problem that can be found.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mentorquest.engine.analysis import analyse
from mentorquest.language.diagnostics import Diagnostic, sort_key
from mentorquest.language.loader import gc_paused, load_library


@dataclass
class ValidationReport:
    diagnostics: list[Diagnostic]
    files: int

    def counts(self) -> tuple[int, int]:
        errors = sum(1 for d in self.diagnostics if d.is_error)
        return errors, len(self.diagnostics) - errors

    @property
    def ok(self) -> bool:
        return self.counts()[0] == 0


def validate_library(root: Path | str, display_root: str | None = None) -> ValidationReport:
    with gc_paused():
        return _validate(root, display_root)


def _validate(root: Path | str, display_root: str | None) -> ValidationReport:
    result = load_library(root, display_root)
    diagnostics = list(result.diagnostics)
    library = result.library
    if library is not None:
        broken = {d.position.file for d in diagnostics if d.is_error}
        for scenario_id in library.scenarios:
            if library.file_of(scenario_id) in broken:
                continue
            diagnostics += analyse(library, scenario_id).diagnostics
    diagnostics.sort(key=sort_key)
    return ValidationReport(diagnostics, result.files)
