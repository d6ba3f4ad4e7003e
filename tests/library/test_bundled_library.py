"""The bundled library: valid with no warnings, and every scripted path gives its recorded result."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mentorquest.bundled import library_path
from mentorquest.engine import Engine
from mentorquest.engine.validation import validate_library
from mentorquest.language import open_library

PATHS = Path(__file__).resolve().parent / "paths"
PATH_FILES = sorted(PATHS.glob("*.yaml"))


@pytest.fixture(scope="module")
def engine():
    return Engine(open_library(library_path()))


def test_bundled_library_has_no_errors_and_no_warnings():
    report = validate_library(library_path())
    assert [str(d) for d in report.diagnostics] == []


def test_every_bundled_file_names_its_schema():
    for path in sorted(library_path().glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        schema = "programme" if path.name == "programme.yaml" else "scenario"
        assert first == f"# yaml-language-server: $schema=../schema/{schema}.schema.json", path.name


def test_every_scenario_has_recorded_paths(engine):
    assert {p.stem for p in PATH_FILES} == set(engine.library.scenarios)


CASES = [
    (path.stem, name)
    for path in PATH_FILES
    for name in yaml.safe_load(path.read_text(encoding="utf-8"))["paths"]
]


@pytest.mark.parametrize("scenario, name", CASES)
def test_recorded_path_gives_recorded_result(engine, scenario, name):
    spec = yaml.safe_load((PATHS / f"{scenario}.yaml").read_text(encoding="utf-8"))["paths"][name]
    attempt = engine.start(scenario)
    for choice in spec["choices"]:
        attempt.choose(choice)
    result = attempt.result()
    assert attempt.finished
    assert (result.ending, result.ending_kind, result.percent, result.passed) == (
        spec["ending"],
        spec["ending_kind"],
        spec["percent"],
        spec["passed"],
    )


@pytest.mark.parametrize("path", PATH_FILES, ids=lambda p: p.stem)
def test_best_passes_with_full_marks_and_worst_fails(path):
    paths = yaml.safe_load(path.read_text(encoding="utf-8"))["paths"]
    assert paths["best"]["percent"] == 100 and paths["best"]["passed"]
    assert not paths["worst"]["passed"]
    assert paths["worst"]["percent"] < paths["mixed"]["percent"] < 100
