"""JSON Schemas for trainers' editors, generated from the models (never written by hand)."""

from __future__ import annotations

import json
from typing import Any

from mentorquest.language.models import Programme, Scenario

SCHEMA_FILES = {"programme": "programme.schema.json", "scenario": "scenario.schema.json"}


def json_schema(kind: str) -> dict[str, Any]:
    model = Programme if kind == "programme" else Scenario
    schema = model.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://mentorquest.invalid/schema/{SCHEMA_FILES[kind]}",
        **schema,
    }


def schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"
