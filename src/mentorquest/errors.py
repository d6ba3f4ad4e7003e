"""The error hierarchy: every error a user may meet carries a message written for them.

Faces (the CLI, the plain player, the Textual app) catch `MentorquestError` and show
`str(error)`; anything else reaching a user is a bug.
"""

from __future__ import annotations


class MentorquestError(Exception):
    """Base of every error that is reported to a user as a clear message."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(MentorquestError):
    """The command was asked for something that cannot be done (missing folder, bad option)."""

    exit_code = 2


class LibraryError(MentorquestError):
    """A scenario library could not be loaded; `diagnostics` says why, line by line."""

    exit_code = 2

    def __init__(self, message: str, diagnostics: tuple = ()) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics


class ChoiceNotAvailable(MentorquestError):
    """A choice was asked for that the current scene does not offer."""


class StateMismatch(MentorquestError):
    """A saved attempt does not belong to the scenario it is being restored against."""
