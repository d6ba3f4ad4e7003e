"""Diagnostics: problems found in a scenario library, reported like a compiler does."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Position:
    """A place in a file, 1-based like editors and compilers count."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        # The file as a name: a control or a line break in it is shown as a marker.
        from mentorquest.textsafe import path_label

        return f"{path_label(self.file)}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    position: Position
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.position}: {self.severity.value}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def sort_key(diagnostic: Diagnostic) -> tuple[str, int, int, str]:
    p = diagnostic.position
    return (p.file, p.line, p.column, diagnostic.message)
