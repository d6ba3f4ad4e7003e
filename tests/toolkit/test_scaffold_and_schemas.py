"""`mentorquest new` and `mentorquest schema --write`: files that validate clean and travel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mentorquest.engine.validation import validate_library
from mentorquest.toolkit.schemas import FILES, schema_text
from tests.toolkit.helpers import PROGRAMME, library, mq, no_traceback

REPO = Path(__file__).resolve().parents[2]


def schema_target(file: Path) -> Path:
    first = file.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix), file
    return (file.parent / first[len(prefix) :]).resolve()


def test_new_programme_validates_clean_and_its_tests_pass(tmp_path):
    root = tmp_path / "our programme"
    ran = mq("new", "programme", root)
    assert ran.code == 0, ran.err
    report = validate_library(root)
    assert [str(d) for d in report.diagnostics] == []
    tested = mq("test", root)
    assert tested.code == 0 and tested.out.splitlines()[-1] == "3 passed, 0 failed"
    text = (root / "programme.yaml").read_text(encoding="utf-8")
    assert "id: our-programme" in text
    assert text.count("#") > 20  # it teaches by its comments


def test_new_files_name_the_schemas_beside_them(tmp_path):
    root = tmp_path / "lib"
    mq("new", "programme", root)
    expected = {
        "programme.yaml": "programme",
        "first-meeting.yaml": "scenario",
        "first-meeting.test.yaml": "transcript",
    }
    for name, kind in expected.items():
        target = schema_target(root / name)
        assert target == (root / "schema" / FILES[kind]).resolve()
        assert target.read_text(encoding="utf-8") == schema_text(kind)


def test_new_scenario_uses_the_programmes_rules_and_validates_clean(tmp_path):
    programme = PROGRAMME.replace("confidentiality", "privacy").replace("listening", "hearing")
    root = library(tmp_path / "lib", {}, programme=programme)
    ran = mq("new", "scenario", "hard-talk", "--library", root, "--role", "mentee")
    assert ran.code == 0, ran.err
    assert [str(d) for d in validate_library(root).diagnostics] == []
    text = (root / "hard-talk.yaml").read_text(encoding="utf-8")
    assert "roles: [mentee]" in text and "critical: privacy" in text
    assert schema_target(root / "hard-talk.yaml") == (root / "schema" / FILES["scenario"]).resolve()
    assert mq("test", root).out.splitlines()[-1] == "3 passed, 0 failed"


def test_a_second_scenario_beside_the_first_validates_clean(tmp_path):
    root = tmp_path / "lib"
    mq("new", "programme", root)
    ran = mq("new", "scenario", "deeper", "--library", root)
    assert ran.code == 0
    assert [str(d) for d in validate_library(root).diagnostics] == []
    assert schema_target(root / "deeper.yaml").is_file()
    assert mq("test", root).out.splitlines()[-1] == "6 passed, 0 failed"


@pytest.mark.parametrize(
    "args, message",
    [
        (("new", "scenario", "Bad_Id"), "'Bad_Id' is not a valid scenario id"),
        (
            ("new", "scenario", "x", "--role", "mentr"),
            "unknown role 'mentr' (did you mean 'mentor'?)",
        ),
        (
            ("new", "scenario", "first-meeting"),
            "the library already has a scenario 'first-meeting'",
        ),
    ],
)
def test_new_scenario_refuses_clearly(tmp_path, args, message):
    root = tmp_path / "lib"
    mq("new", "programme", root)
    ran = mq(*args, "--library", root)
    no_traceback(ran)
    assert ran.code == 2 and message in ran.err


def test_new_programme_never_overwrites(tmp_path):
    root = tmp_path / "lib"
    mq("new", "programme", root)
    ran = mq("new", "programme", root)
    assert ran.code == 2 and "already holds a programme; nothing was overwritten" in ran.err


def test_new_scenario_without_a_programme_says_so(tmp_path):
    ran = mq("new", "scenario", "x", "--library", tmp_path)
    no_traceback(ran)
    assert ran.code == 2 and "no programme.yaml here" in ran.err


def test_schema_write_puts_every_schema_in_a_folder(tmp_path):
    ran = mq("schema", "--write", tmp_path / "schema")
    assert ran.code == 0
    for kind, name in FILES.items():
        assert (tmp_path / "schema" / name).read_text(encoding="utf-8") == schema_text(kind)


def test_committed_schemas_match_the_declarations():
    for kind, name in FILES.items():
        assert (REPO / "schema" / name).read_text(encoding="utf-8") == schema_text(kind), (
            f"schema/{name} is stale: regenerate with 'mentorquest schema --write schema'"
        )


def _undescribed(node, path="#"):
    """Every property (at any depth, in $defs too) that has no description."""
    missing = []
    if isinstance(node, dict):
        for name, spec in (node.get("properties") or {}).items():
            if "description" not in spec:
                missing.append(f"{path}/properties/{name}")
        for key, value in node.items():
            missing += _undescribed(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            missing += _undescribed(value, f"{path}/{index}")
    return missing


@pytest.mark.parametrize("kind", sorted(FILES))
def test_every_field_in_every_schema_has_a_description(kind):
    schema = json.loads(schema_text(kind))
    assert _undescribed(schema) == []
    properties = sum(
        len(d.get("properties", {})) for d in [schema, *schema.get("$defs", {}).values()]
    )
    assert properties >= 10


def test_the_walk_finds_a_property_without_a_description():
    assert _undescribed({"properties": {"a": {"type": "string"}}}) == ["#/properties/a"]
