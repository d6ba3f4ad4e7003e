"""The bundled library: valid with no warnings, every file naming its schema.

Its golden walks are `scenarios/*.test.yaml`, run by tests/toolkit/test_golden_walks.py."""

from __future__ import annotations

import pytest

from mentorquest.bundled import library_path
from mentorquest.engine import Engine
from mentorquest.engine.validation import validate_library
from mentorquest.language import open_library


@pytest.fixture(scope="module")
def engine():
    return Engine(open_library(library_path()))


def test_bundled_library_has_no_errors_and_no_warnings():
    report = validate_library(library_path())
    assert [str(d) for d in report.diagnostics] == []


def test_every_bundled_file_names_its_schema():
    for path in sorted(library_path().glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        schema = (
            "programme"
            if path.name == "programme.yaml"
            else "transcript"
            if path.name.endswith(".test.yaml")
            else "scenario"
        )
        assert first == f"# yaml-language-server: $schema=../schema/{schema}.schema.json", path.name
