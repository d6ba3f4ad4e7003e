"""The scenario language: YAML files -> checked, immutable models with positions.

Never imports textual or rich (a test checks it).
"""

from mentorquest.language.diagnostics import Diagnostic, Position, Severity
from mentorquest.language.library import Library, LoadResult, load_library, open_library
from mentorquest.language.models import (
    Choice,
    GroundRule,
    Programme,
    Scenario,
    Scene,
    SurveyQuestion,
)

__all__ = [
    "Choice",
    "Diagnostic",
    "GroundRule",
    "Library",
    "LoadResult",
    "Position",
    "Programme",
    "Scenario",
    "Scene",
    "Severity",
    "SurveyQuestion",
    "load_library",
    "open_library",
]
