"""JSON Schemas for trainers' editors, generated from the format's one declaration."""

from __future__ import annotations

import json
from typing import Any

from mentorquest.language import validator
from mentorquest.language.pointers import FILES
from mentorquest.language.validator import Kind

# The schemas of the format itself (transcript tests have theirs in the toolkit).
SCHEMA_FILES: dict[Kind, str] = {"programme": FILES["programme"], "scenario": FILES["scenario"]}


def json_schema(kind: Kind) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://mentorquest.invalid/schema/{SCHEMA_FILES[kind]}",
        **validator.json_schema(kind),
    }


def schema_text(kind: Kind) -> str:
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"
