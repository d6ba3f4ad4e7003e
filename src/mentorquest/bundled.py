"""Where the bundled scenario library is, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent  # src/mentorquest -> repository root


def _first(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return candidates[0]


def library_path() -> Path:
    # In a wheel the library is copied to mentorquest/bundled/scenarios; in an editable
    # install it is read straight from the checkout's scenarios/ folder.
    return _first(_PACKAGE / "bundled" / "scenarios", _CHECKOUT / "scenarios")
