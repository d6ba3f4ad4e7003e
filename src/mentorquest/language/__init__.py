"""The scenario language: YAML files -> checked, immutable models with positions.

Never imports textual or rich (a test checks it). The names below are imported on first
use, so that a player reading a compiled library never loads the validator (pydantic).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Diagnostic": "diagnostics",
    "Position": "diagnostics",
    "Severity": "diagnostics",
    "Library": "library",
    "Choice": "format",
    "GroundRule": "format",
    "Programme": "format",
    "Scenario": "format",
    "Scene": "format",
    "SurveyQuestion": "format",
    "LoadResult": "loader",
    "load_library": "loader",
    "open_library": "compiled",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
