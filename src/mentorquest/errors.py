"""The error hierarchy: every error a user may meet carries a message written for them.

Faces (the CLI, the plain player, the Textual app) catch `MentorquestError` and show it
through `error_lines` (a title and its lines); anything else reaching a user is a bug.
"""

from __future__ import annotations

from typing import Any


class MentorquestError(Exception):
    """Base of every error that is reported to a user as a clear message."""

    exit_code = 1
    title = "Something went wrong"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(MentorquestError):
    """The command was asked for something that cannot be done (missing folder, bad option)."""

    exit_code = 2
    title = "That cannot be done"


class LibraryError(MentorquestError):
    """A scenario library could not be loaded; `diagnostics` says why, line by line."""

    exit_code = 2
    title = "The scenario library has errors"

    def __init__(self, message: str, diagnostics: tuple[Any, ...] = ()) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics


class ChoiceNotAvailable(MentorquestError):
    """A choice was asked for that the current scene does not offer."""


class StateMismatch(MentorquestError):
    """A saved attempt does not belong to the scenario it is being restored against."""


def error_lines(error: MentorquestError, limit: int = 20) -> list[str]:
    """An error as a user reads it: its message, then the diagnostics behind it (if any).

    The one rendering of errors: the CLI prints these lines after "mentorquest: error: ",
    the app shows them in a dialog under the error's `title`.
    """
    from mentorquest.textsafe import label

    diagnostics = getattr(error, "diagnostics", ())
    lines = [label(str(error))]  # one line: what a file or an argument holds, as markers
    lines += [f"  {label(str(d))}" for d in diagnostics[:limit]]
    if len(diagnostics) > limit:
        lines.append(f"  ... and {len(diagnostics) - limit} more")
    return lines


def print_error(error: MentorquestError, stream: Any = None) -> None:
    """The error on standard error, as every command reports it."""
    import sys

    first, *rest = error_lines(error)
    out = stream if stream is not None else sys.stderr
    print(f"mentorquest: error: {first}", file=out)
    for line in rest:
        print(line, file=out)
