"""Every point of the programme guidance is taught by at least two scenarios (issue 12).

The mapping is data, in tests/library/coverage.yaml: each guidance point (from the
webinar's questions and answers or the programme outline) names the decisions that
teach it. These tests check the mapping against the bundled library, and check that
docs/library.md, which is generated from it, is current.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from mentorquest.bundled import library_path
from mentorquest.language import open_library
from tests.library import library_doc

LIBRARY = open_library(library_path())
SCENARIOS = LIBRARY.scenarios
POINTS = library_doc.coverage()
POINT_IDS = [p["id"] for p in POINTS]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "library.md"


def test_points_are_unique_named_and_from_both_documents():
    assert len(set(POINT_IDS)) == len(POINT_IDS), Counter(POINT_IDS).most_common(3)
    for point in POINTS:
        assert set(point) == {"id", "source", "point", "taught"}, point["id"]
        assert point["source"] in library_doc.SOURCES, point["id"]
        assert point["point"].strip(), point["id"]
    assert {p["source"] for p in POINTS} == set(library_doc.SOURCES)


@pytest.mark.parametrize("point_id", POINT_IDS)
def test_every_guidance_point_is_taught_by_at_least_two_scenarios(point_id):
    point = next(p for p in POINTS if p["id"] == point_id)
    scenarios = {entry["scenario"] for entry in point["taught"]}
    assert len(scenarios) >= 2, f"{point_id} is taught only in {sorted(scenarios)}"


@pytest.mark.parametrize("point_id", POINT_IDS)
def test_named_decisions_exist_score_a_rule_and_reward_one_choice(point_id):
    point = next(p for p in POINTS if p["id"] == point_id)
    problems = []
    for entry in point["taught"]:
        assert set(entry) == {"scenario", "scene", "choices"}, entry
        sid, scene_id = entry["scenario"], entry["scene"]
        where = f"{point_id} {sid}:{scene_id}"
        scenario = SCENARIOS.get(sid)
        if scenario is None:
            problems.append(f"{where}: no such scenario")
            continue
        scene = scenario.scenes.get(scene_id)
        if scene is None:
            problems.append(f"{where}: no such scene")
            continue
        if scene.ending is not None or len(scene.choices) < 2:
            problems.append(f"{where}: not a decision")
            continue
        choices = {c.id: c for c in scene.choices}
        rewarded = False
        for choice_id in entry["choices"]:
            choice = choices.get(choice_id)
            if choice is None:
                problems.append(f"{where}: no choice '{choice_id}'")
                continue
            if not any(choice.scores.values()):
                problems.append(f"{where}: '{choice_id}' scores no ground rule")
            rewarded = rewarded or any(v > 0 for v in choice.scores.values())
        if not rewarded:
            problems.append(f"{where}: none of {entry['choices']} is rewarded")
    assert not problems, "\n".join(problems)


def test_every_scenario_teaches_some_guidance_point():
    taught = {entry["scenario"] for p in POINTS for entry in p["taught"]}
    assert taught == set(SCENARIOS), sorted(set(SCENARIOS) - taught)


def test_docs_library_md_is_generated_from_the_library_and_the_coverage_data():
    expected = library_doc.render()
    actual = DOCS.read_text(encoding="utf-8")
    assert actual == expected, (
        "docs/library.md is stale: run `.venv/bin/python -m tests.library.library_doc "
        "> docs/library.md`"
    )
