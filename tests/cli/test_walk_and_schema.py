"""`mentorquest walk` and `mentorquest schema`."""

from __future__ import annotations

import json
from pathlib import Path

from mentorquest.language.schema import SCHEMA_FILES, schema_text
from tests.helpers import run_cli, write_library

REPO = Path(__file__).resolve().parents[2]


def test_walk_json_is_one_object_with_every_scored_rule(tmp_path):
    root = write_library(tmp_path / "lib")
    done = run_cli("walk", "--library", str(root), "missed-sessions", "ask", "2", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "scenario": "missed-sessions",
        "ending": "mixed",
        "ending_kind": "mixed",
        "percent": 40,
        "passed": False,
        "critical": [],
        "scores": {
            "no-fault": {"earned": 2, "best": 2},
            "listening": {"earned": 0, "best": 3},
            "confidentiality": {"earned": 0, "best": 0},
        },
        "path": [["opening", "ask"], ["warm", "reassure"]],
    }


def test_walk_reports_a_critical_breach(tmp_path):
    root = write_library(tmp_path / "lib")
    done = run_cli(
        "walk", "--library", str(root), "missed-sessions", "blame", "tell-tutor", "--json"
    )
    payload = json.loads(done.stdout)
    assert (payload["passed"], payload["critical"], payload["ending_kind"]) == (
        False,
        ["confidentiality"],
        "poor",
    )


def test_walk_prints_a_readable_debrief(tmp_path):
    root = write_library(tmp_path / "lib")
    done = run_cli(
        "walk", "--library", str(root), "missed-sessions", "blame", "apologise", "reassure"
    )
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[:3] == [
        "Debrief: The missed sessions",
        "Result: 0% - not passed: below the pass mark of 70%",
        "Ending: mixed (mixed)",
    ]
    assert "     A better option here: Ask how she is." in lines


def test_walk_with_an_unavailable_choice_names_scene_and_choices(tmp_path):
    root = write_library(tmp_path / "lib")
    done = run_cli("walk", "--library", str(root), "missed-sessions", "blame", "apologise", "plan")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "mentorquest: error: choice 'plan' is not available in scene 'warm'; available: 2 reassure"
    )


def test_walk_numbers_count_every_choice_in_the_files_order(tmp_path):
    # In 'warm', 'plan' (written first) is hidden while trust < 60: 'reassure' is still 2.
    root = write_library(tmp_path / "lib")
    done = run_cli("walk", "--library", str(root), "--json", "missed-sessions", "1", "2", "2")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["path"] == [
        ["opening", "blame"],
        ["cold", "apologise"],
        ["warm", "reassure"],
    ]


def test_walk_a_number_naming_an_unavailable_choice_is_an_error(tmp_path):
    root = write_library(tmp_path / "lib")
    done = run_cli("walk", "--library", str(root), "missed-sessions", "1", "2", "1")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "mentorquest: error: choice 1 ('plan') is not available in scene 'warm'; "
        "available: 2 reassure"
    )
    done = run_cli("walk", "--library", str(root), "missed-sessions", "3")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "mentorquest: error: scene 'opening' has 2 choice(s), so there is no choice 3; "
        "available: 1 blame, 2 ask"
    )


def test_walk_help_says_how_numbers_count_and_where_the_library_comes_from():
    text = " ".join(run_cli("walk", "--help").stdout.split())
    assert (
        "in the file's written order, all of them, whether available at that point or not" in text
    )
    assert "MENTORQUEST_LIBRARY, else the bundled programme" in text


def test_validate_help_names_the_default_several_paths_and_the_exit_codes():
    text = " ".join(run_cli("validate", "--help").stdout.split())
    assert "With no PATH: MENTORQUEST_LIBRARY, else the bundled programme" in text
    assert "give several to check several" in text
    assert "Exit 0 when no library has an error (warnings allowed), 1 when any has, 2" in text


def test_schema_refuses_programme_with_write(tmp_path):
    done = run_cli("schema", "--programme", "--write", str(tmp_path / "s"))
    assert done.returncode == 2
    assert "give one or the other" in done.stderr
    assert not (tmp_path / "s").exists()


def test_walk_unknown_scenario_suggests_a_name(tmp_path):
    root = write_library(tmp_path / "lib")
    done = run_cli("walk", "--library", str(root), "missed-session")
    assert done.returncode == 2
    assert (
        "no scenario 'missed-session' in this library (did you mean 'missed-sessions'?)"
        in done.stderr
    )


def test_walk_on_a_broken_library_says_to_validate(tmp_path):
    root = write_library(tmp_path / "lib")
    (root / "speaking-up.yaml").write_text("format: 1\nid: speaking-up\n")
    done = run_cli("walk", "--library", str(root), "missed-sessions", "ask")
    assert done.returncode == 2
    assert "run 'mentorquest validate" in done.stderr


def test_schema_command_prints_the_committed_schemas():
    for kind, flag in (("scenario", []), ("programme", ["--programme"])):
        done = run_cli("schema", *flag)
        assert done.returncode == 0
        assert done.stdout == (REPO / "schema" / SCHEMA_FILES[kind]).read_text(encoding="utf-8")
        assert json.loads(done.stdout)["title"] == kind.capitalize()


def test_committed_schemas_match_the_models():
    for kind, name in SCHEMA_FILES.items():
        assert (REPO / "schema" / name).read_text(encoding="utf-8") == schema_text(kind), (
            f"schema/{name} is stale: regenerate it with 'mentorquest schema'"
        )
