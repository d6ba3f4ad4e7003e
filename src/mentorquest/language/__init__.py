"""The scenario language: YAML files -> checked, immutable models with positions.

Never imports textual or rich (a test checks it). The names below are imported on first
use, so that a player reading a compiled library never loads the validator (pydantic).
"""

from __future__ import annotations

from mentorquest.lazy import lazy_exports

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


__getattr__ = lazy_exports(__name__, _EXPORTS)
